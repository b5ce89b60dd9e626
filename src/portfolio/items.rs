//! Portfolio item pages: the list per plan and across plans with its totals, one item, and the
//! item form (create and edit).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor},
    domain::{
        money::Money,
        portfolio::{Complexity, Criterion, ItemStatus, Kind, Weights},
        project::Plan,
        role::Role,
    },
    portfolio::{
        item_forms::{self, ItemChoices, ItemForm, ItemInput, ListQuery, SCORE_FIELDS},
        item_repo::{self, Item, Link},
        load_visible_item, orders, round_repo,
    },
    projects::scope,
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

/// Totals of hours and cost for a group of items.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub label: String,
    pub count: usize,
    pub hours: i64,
    pub investment: Decimal,
    pub running_cost: Decimal,
}

impl Totals {
    fn add(&mut self, item: &Item) {
        self.count += 1;
        self.hours += i64::from(item.effort_hours);
        self.investment += item.investment;
        self.running_cost += item.running_cost;
    }
}

/// Totals per plan, per municipality (items requested by one municipality alone) with one row
/// for shared items, so that no item is counted twice, and in all.
fn totals(items: &[Item], municipalities: &[Link]) -> (Vec<Totals>, Vec<Totals>, Totals) {
    let mut plans: Vec<Totals> = Plan::ALL
        .iter()
        .map(|p| Totals {
            label: p.label().to_owned(),
            ..Totals::default()
        })
        .collect();
    let mut by_municipality: Vec<Totals> = municipalities
        .iter()
        .map(|m| Totals {
            label: m.name.clone(),
            ..Totals::default()
        })
        .chain(std::iter::once(Totals {
            label: "Gemensamma (flera eller alla kommuner)".to_owned(),
            ..Totals::default()
        }))
        .collect();
    let mut all = Totals {
        label: "Totalt".to_owned(),
        ..Totals::default()
    };
    for item in items {
        if let Some(i) = Plan::ALL.iter().position(|p| p.code() == item.plan) {
            plans[i].add(item);
        }
        let single = match item.municipalities.0.as_slice() {
            [only] => municipalities.iter().position(|m| m.id == only.id),
            _ => None,
        };
        let shared = by_municipality.len() - 1;
        by_municipality[single.unwrap_or(shared)].add(item);
        all.add(item);
    }
    (plans, by_municipality, all)
}

#[derive(Template)]
#[template(path = "portfolio/list.html")]
struct ListView {
    chrome: Chrome,
    query: ListQuery,
    items: Vec<Item>,
    weights: Weights,
    plan_totals: Vec<Totals>,
    municipality_totals: Vec<Totals>,
    total: Totals,
    choices: ItemChoices,
    can_edit: bool,
    title: String,
}

impl ListView {
    fn link(&self, overrides: &[(&str, &str)]) -> String {
        let q = &self.query;
        crate::web::format::query_link(
            "/portfolj",
            &[
                ("plan", q.plan.as_str()),
                ("kommun", q.kommun.as_str()),
                ("status", q.status.as_str()),
                ("typ", q.typ.as_str()),
                ("q", q.q.as_str()),
                ("sortera", q.sortera.as_str()),
                ("ordning", q.ordning.as_str()),
            ],
            overrides,
        )
    }

    fn sort_href(&self, key: &str) -> String {
        let filter = self.query.filter();
        let flip = filter.sort.key() == key && !filter.descending;
        self.link(&[
            ("sortera", key),
            ("ordning", if flip { "fallande" } else { "" }),
        ])
    }

    fn aria_sort(&self, key: &str) -> &'static str {
        let filter = self.query.filter();
        crate::web::format::aria_sort(filter.sort.key() == key, filter.descending)
    }

    fn plan_href(&self, plan: &Plan) -> String {
        self.link(&[("plan", plan.code())])
    }

    fn is_plan(&self, plan: &Plan) -> bool {
        self.query.plan == plan.code()
    }

    fn plans(&self) -> [Plan; 4] {
        Plan::ALL
    }

    fn total_tables(&self) -> [(&'static str, &'static str, &[Totals]); 2] {
        [
            ("Per plan", "Plan", &self.plan_totals),
            (
                "Per beställande kommun",
                "Kommun",
                &self.municipality_totals,
            ),
        ]
    }

    fn kinds(&self) -> &'static [Kind] {
        &Kind::ALL
    }

    fn statuses(&self) -> &'static [ItemStatus] {
        &ItemStatus::ALL
    }

    fn benefit(&self, item: &Item) -> String {
        crate::domain::number::format_quantity(item.scores().percent(self.weights))
    }
}

pub async fn list_items(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let filter = query.filter();
    let visible = scope::visible_municipalities(&me);
    let mut conn = state.db.acquire().await?;
    let weights = round_repo::current_weights(&mut conn).await?;
    let items = item_repo::list(&mut conn, &filter, visible.as_deref(), weights).await?;
    let choices = item_repo::choices(&mut conn).await?;
    let (plan_totals, municipality_totals, total) = totals(&items, &choices.municipalities);
    let view = ListView {
        chrome,
        title: filter
            .plan
            .map_or("Digitaliseringsportföljen".to_owned(), |p| {
                p.label().to_owned()
            }),
        query,
        items,
        weights,
        plan_totals,
        municipality_totals,
        total,
        choices,
        can_edit: me.has_role(Role::ItCenter),
    };
    Ok(Html(view.render()?))
}

/// One criterion's part of an item's benefit: score, weight and points.
pub struct BenefitPart {
    pub criterion: Criterion,
    pub score: u8,
    pub weight: u8,
    pub points: u64,
}

pub fn benefit_parts(item: &Item, weights: Weights) -> Vec<BenefitPart> {
    let scores = item.scores();
    Criterion::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| BenefitPart {
            criterion: *c,
            score: scores.0[i],
            weight: weights.0[i],
            points: u64::from(scores.0[i]) * u64::from(weights.0[i]),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portfolio/show.html")]
struct ShowView {
    chrome: Chrome,
    item: Item,
    weights: Weights,
    parts: Vec<BenefitPart>,
    history: Vec<orders::RoundDecision>,
    orders: Vec<orders::Order>,
    order_form: orders::OrderForm,
    errors: FieldErrors,
    can_edit: bool,
    /// Why a waiting order cannot be registered now (None: the gate would allow it, so the
    /// page offers "Registrera nu").
    order_wait: Option<String>,
    /// Places in a round still being ranked are the coordination group's working material.
    reads_board: bool,
}

impl ShowView {
    fn label<'a>(&self, code: &'a str) -> &'a str {
        label_of(code)
    }
    fn benefit(&self) -> String {
        crate::domain::number::format_quantity(self.item.scores().percent(self.weights))
    }
}

/// The Swedish label of any of the portfolio's codes (plan, kind, complexity, status).
pub fn label_of(code: &str) -> &str {
    Plan::from_code(code)
        .map(Plan::label)
        .or_else(|| Kind::from_code(code).map(Kind::label))
        .or_else(|| Complexity::from_code(code).map(Complexity::label))
        .or_else(|| ItemStatus::from_code(code).map(ItemStatus::label))
        .unwrap_or(code)
}

pub async fn show_item(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_show(
        &state,
        chrome,
        &me,
        id,
        orders::OrderForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// The item page; with the order form as typed and its messages when an order was refused.
pub async fn render_show(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    order_form: orders::OrderForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut item = load_visible_item(&mut conn, id, me, false).await?;
    super::hide_foreign_links(&mut conn, &mut item, me).await?;
    let weights = round_repo::current_weights(&mut conn).await?;
    let history = orders::history(&mut conn, id).await?;
    let orders = orders::of_item(&mut conn, id).await?;
    let order_wait = if orders.iter().any(|o| o.registered_at.is_none()) {
        orders::waiting_reason(&mut conn, id).await?
    } else {
        None
    };
    let status = crate::web::form::status(&errors, false);
    let view = ShowView {
        chrome,
        parts: benefit_parts(&item, weights),
        item,
        weights,
        history,
        orders,
        order_form,
        errors,
        can_edit: me.has_role(Role::ItCenter),
        order_wait,
        reads_board: [Role::ItCenter, Role::CoordinationGroup, Role::Admin]
            .iter()
            .any(|r| me.has_role(*r)),
    };
    Ok((status, Html(view.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "portfolio/form.html")]
struct FormView {
    chrome: Chrome,
    /// None when creating.
    item: Option<(Uuid, String)>,
    form: ItemForm,
    errors: FieldErrors,
    choices: ItemChoices,
    conflict: Option<String>,
}

impl FormView {
    fn plans(&self) -> [Plan; 4] {
        Plan::ALL
    }
    fn kinds(&self) -> &'static [Kind] {
        &Kind::ALL
    }
    fn complexities(&self) -> &'static [Complexity] {
        &Complexity::ALL
    }
    fn criteria(&self) -> Vec<(usize, Criterion, &'static str)> {
        Criterion::ALL
            .iter()
            .enumerate()
            .map(|(i, c)| (i, *c, SCORE_FIELDS[i]))
            .collect()
    }
    fn action(&self) -> String {
        self.item
            .as_ref()
            .map_or("/portfolj/nytt".to_owned(), |(id, _)| {
                format!("/portfolj/{id}/redigera")
            })
    }
}

async fn render_form(
    conn: &mut PgConnection,
    chrome: Chrome,
    item: Option<(Uuid, String)>,
    form: ItemForm,
    errors: FieldErrors,
    conflict: Option<String>,
) -> Result<Response, AppError> {
    let status = crate::web::form::status(&errors, conflict.is_some());
    let view = FormView {
        chrome,
        item,
        form,
        errors,
        choices: item_repo::choices(conn).await?,
        conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn new_item(State(state): State<AppState>, chrome: Chrome) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let form = ItemForm {
        kind: Kind::NewNeed.code().to_owned(),
        complexity: Complexity::Medium.code().to_owned(),
        ..ItemForm::default()
    };
    render_form(&mut conn, chrome, None, form, FieldErrors::new(), None).await
}

/// Parses the form and resolves its dependencies; `item` is the item being edited.
pub async fn parse_item(
    conn: &mut PgConnection,
    form: &ItemForm,
    item: Uuid,
) -> Result<Result<ItemInput, FieldErrors>, sqlx::Error> {
    let choices = item_repo::choices(conn).await?;
    let mut input = match form.parse(&choices) {
        Ok(input) => input,
        Err(errors) => return Ok(Err(errors)),
    };
    // A goal that no longer applies may stay linked, never be newly linked.
    let linked: Vec<Uuid> = sqlx::query_scalar(
        "SELECT council_goal_id FROM portfolio_item_council_goal WHERE item_id = $1",
    )
    .bind(item)
    .fetch_all(&mut *conn)
    .await?;
    input.council_goals.retain(|g| {
        linked.contains(g)
            || choices
                .council_goals
                .iter()
                .any(|c| c.id == *g && !c.retired)
    });
    if !input.dependency_numbers.is_empty() {
        // Two edits that each add one half of a circle must not both pass the check below.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('portfolio_item_dependency'))")
            .execute(&mut *conn)
            .await?;
    }
    let found = item_repo::ids_by_number(conn, &input.dependency_numbers).await?;
    let mut errors = FieldErrors::new();
    for n in &input.dependency_numbers {
        match found.iter().find(|(number, _)| number == n) {
            Some((_, id)) if *id == item => {
                errors.add("dependencies", "Ett objekt kan inte bero av sig självt.");
            }
            Some((_, id)) => input.dependencies.push(*id),
            None => errors.add(
                "dependencies",
                format!(
                    "Objekt {} finns inte i portföljen.",
                    crate::domain::portfolio::item_reference(*n)
                ),
            ),
        }
    }
    if errors.is_empty() && item_repo::creates_cycle(conn, item, &input.dependencies).await? {
        errors.add(
            "dependencies",
            "Beroendena bildar en cirkel: något av objekten beror redan av det här.",
        );
    }
    Ok(if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    })
}

pub async fn create_item(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let id = Uuid::now_v7();
    let mut tx = state.db.begin().await?;
    let input = match parse_item(&mut tx, &form, id).await? {
        Ok(input) => input,
        Err(errors) => return render_form(&mut tx, chrome, None, form, errors, None).await,
    };
    let number = item_repo::insert(&mut tx, id, &input).await?;
    let fields = audit::created(item_forms::audited(&input));
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "portfolio_item_created",
        ("portfolio_item", &id.to_string()),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    let message = format!(
        "Objekt {} har lagts till i portföljen.",
        crate::domain::portfolio::item_reference(number)
    );
    flash::push(&session, Flash::success(message)).await?;
    Ok(Redirect::to(&format!("/portfolj/{id}")).into_response())
}

pub async fn edit_item(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let item = load_visible_item(&mut conn, id, &me, false).await?;
    let heading = (id, format!("{} {}", item.reference(), item.title));
    render_form(
        &mut conn,
        chrome,
        Some(heading),
        ItemForm::from_item(&item),
        FieldErrors::new(),
        None,
    )
    .await
}

pub async fn update_item(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let saved = load_visible_item(&mut tx, id, &me, true).await?;
    let heading = Some((id, format!("{} {}", saved.reference(), saved.title)));
    let input = match parse_item(&mut tx, &form, id).await? {
        Ok(input) => input,
        Err(errors) => return render_form(&mut tx, chrome, heading, form, errors, None).await,
    };
    if saved.version != form.version {
        let conflict = format!(
            "Titel: {} · Timmar: {} · Investering: {} · Driftkostnad: {}",
            saved.title,
            saved.effort_hours,
            Money::from_stored(saved.investment).format_kr(),
            Money::from_stored(saved.running_cost).format_kr()
        );
        let form = ItemForm {
            version: saved.version,
            ..form
        };
        return render_form(
            &mut tx,
            chrome,
            heading,
            form,
            FieldErrors::new(),
            Some(conflict),
        )
        .await;
    }
    if !item_repo::update(&mut tx, id, form.version, &input).await? {
        return Err(AppError::Conflict(
            "Objektet ändrades samtidigt av någon annan.".into(),
        ));
    }
    let choices = item_repo::choices(&mut tx).await?;
    let old = ItemForm::from_item(&saved)
        .parse(&choices)
        .map_err(|_| AppError::Internal("stored item does not parse".into()))?;
    let changes = audit::compared(item_forms::audited(&old), item_forms::audited(&input));
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "portfolio_item_updated",
        ("portfolio_item", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Objektet har sparats.")).await?;
    Ok(Redirect::to(&format!("/portfolj/{id}")).into_response())
}
