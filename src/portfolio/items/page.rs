//! The item pages: the list with its totals, one item with its benefit arithmetic, rounds and
//! orders, and the item form. Views and their `render_*`, from a chrome and what was typed.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    columns::Shown,
    domain::{
        money::Money,
        portfolio::{Complexity, Criterion, ItemStatus, Kind},
        project::Plan,
        role::Role,
        scoring::{Model, Valuation},
    },
    portfolio::items::bubbles::BubbleChart,
    portfolio::{
        items::{
            forms::{ItemForm, ListQuery, SCORE_FIELDS},
            repo::{self, Item, ItemChoices, Link},
        },
        models::{forms::ScoresForm, repo as models, valuation},
        orders::{
            forms::OrderForm,
            policy as order_policy,
            repo::{self as order_repo, Order, RoundDecision},
        },
        scope::load_visible_item,
    },
    projects::scope,
    web::{AppError, AppState, Chrome, CurrentUser, form::FieldErrors, list::SortKey},
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
    fn labelled(label: impl Into<String>) -> Self {
        Totals {
            label: label.into(),
            ..Totals::default()
        }
    }

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
        .map(|p| Totals::labelled(p.label()))
        .collect();
    let mut by_municipality: Vec<Totals> = municipalities
        .iter()
        .map(|m| Totals::labelled(&m.name))
        .chain(std::iter::once(Totals::labelled(
            "Gemensamma (flera eller alla kommuner)",
        )))
        .collect();
    let mut all = Totals::labelled("Totalt");
    for item in items {
        if let Some(i) = Plan::ALL.iter().position(|p| *p == item.plan) {
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
    model: Model,
    valuations: Valuations,
    plan_totals: Vec<Totals>,
    municipality_totals: Vec<Totals>,
    total: Totals,
    choices: ItemChoices,
    can_edit: bool,
    title: String,
    columns: Shown,
    /// The listed items by cost, benefit and hours.
    bubbles: Option<BubbleChart>,
}

impl ListView {
    fn link(&self, overrides: &[(&str, &str)]) -> String {
        self.link_to(&crate::paths::items(), overrides)
    }

    /// The listed items as an Excel workbook, in the list's order.
    fn export_href(&self) -> String {
        self.link_to(&crate::paths::items_xlsx(), &[])
    }

    fn link_to(&self, base: &str, overrides: &[(&str, &str)]) -> String {
        let q = &self.query;
        crate::web::format::query_link(
            base,
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
        self.valuations
            .get(&item.id)
            .map(|v| match v.per_effort() {
                Some(per_effort) => format!("{} (WSJF {per_effort})", v.shown()),
                None => v.shown(),
            })
            .unwrap_or_default()
    }
}

/// The list of the items `me` may see that match `query`, with the totals per plan and per
/// municipality.
/// The items the list shows `me` for `filter`, in its order, each valued in the current
/// prioritisation model: what the page and its Excel export show.
pub async fn listed(
    conn: &mut sqlx::PgConnection,
    me: &CurrentUser,
    filter: &crate::portfolio::items::repo::ListFilter,
) -> Result<(Model, Vec<Item>, Valuations), AppError> {
    let visible = scope::visible_municipalities(me);
    let model = models::current(&mut *conn).await?;
    let mut items = repo::list(&mut *conn, filter, visible.as_deref()).await?;
    let valuations = valuation::of_items(conn, &model, &items).await?;
    if filter.sort == crate::portfolio::items::repo::SortColumn::Benefit {
        // The list comes in number order; a stable sort keeps it among equals.
        let priority = |item: &Item| valuations.get(&item.id).map(Valuation::priority);
        items.sort_by(|a, b| {
            let order = priority(a).cmp(&priority(b));
            if filter.descending {
                order.reverse()
            } else {
                order
            }
        });
    }
    Ok((model, items, valuations))
}

/// Items' valuations by item id.
pub type Valuations = std::collections::HashMap<Uuid, Valuation>;

pub async fn render_list(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    query: ListQuery,
    columns: Shown,
) -> Result<Response, AppError> {
    let filter = query.filter();
    let mut conn = state.db.acquire().await?;
    let (model, items, valuations) = listed(&mut conn, me, &filter).await?;
    let choices = repo::choices(&mut conn).await?;
    let (plan_totals, municipality_totals, total) = totals(&items, &choices.municipalities);
    let bubbles = BubbleChart::new(&items, &valuations);
    let view = ListView {
        chrome,
        title: filter
            .plan
            .map_or("Digitaliseringsportföljen", Plan::label)
            .to_owned(),
        query,
        items,
        model,
        valuations,
        plan_totals,
        municipality_totals,
        total,
        choices,
        can_edit: me.has_role(Role::ItCenter),
        columns,
        bubbles,
    };
    Ok(Html(view.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portfolio/show.html")]
struct ShowView {
    chrome: Chrome,
    item: Item,
    /// The model the item is valued with now, its valuation, and the form of its own scores.
    model: Model,
    valuation: Valuation,
    scores: ScoresForm,
    score_errors: FieldErrors,
    /// What is saved now, when the scores were refused because someone else saved first.
    score_conflict: Option<String>,
    history: Vec<RoundDecision>,
    orders: Vec<Order>,
    order_form: OrderForm,
    errors: FieldErrors,
    can_edit: bool,
    /// Why a waiting order cannot be registered now (None: the gate would allow it, so the
    /// page offers "Registrera nu").
    order_wait: Option<String>,
    /// Places in a round still being ranked are the coordination group's working material.
    reads_board: bool,
}

impl ShowView {
    fn deliverable(&self) -> bool {
        self.item.status == ItemStatus::Ordered
    }
}

/// What was typed on the item page: the order form or the scores, and the messages when it
/// was refused.
#[derive(Debug, Default)]
pub struct ItemTyped {
    pub order: OrderForm,
    pub scores: Option<ScoresForm>,
    pub errors: FieldErrors,
    pub conflict: bool,
}

/// The item page.
pub async fn render_item(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    typed: ItemTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut item = load_visible_item(&mut conn, id, me, false).await?;
    hide_foreign_links(&mut conn, &mut item, me).await?;
    let model = models::current(&mut conn).await?;
    let valuation = valuation::of_items(&mut conn, &model, std::slice::from_ref(&item))
        .await?
        .remove(&item.id)
        .ok_or_else(|| AppError::Internal("an item without its valuation".into()))?;
    let refused_scores = typed.scores.is_some();
    // The form shows the scores as saved, even one above a scale lowered since (the valuation
    // caps it), so that saving the form never changes a score nobody typed.
    let saved = models::own_scores(&mut conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut scores = typed
        .scores
        .unwrap_or_else(|| ScoresForm::new(&model, &saved, item.version));
    let score_conflict = typed.conflict.then(|| {
        let each: Vec<String> = model
            .own_criteria()
            .map(|c| {
                let score = saved.get(&c.id).map_or("ingen".to_owned(), u8::to_string);
                format!("{} {score}", c.name)
            })
            .collect();
        format!("{}; nytta {} av 100", each.join(", "), valuation.shown())
    });
    if typed.conflict {
        scores.version = item.version;
    }
    let history = order_repo::history(&mut conn, id).await?;
    let orders = order_repo::of_item(&mut conn, id).await?;
    let order_wait = if orders.iter().any(|o| o.registered_at.is_none()) {
        order_policy::waiting_reason(&mut conn, id).await?
    } else {
        None
    };
    let status = crate::web::form::status(&typed.errors, typed.conflict);
    let (score_errors, errors) = if refused_scores {
        (typed.errors, FieldErrors::new())
    } else {
        (FieldErrors::new(), typed.errors)
    };
    let view = ShowView {
        chrome,
        score_conflict,
        item,
        model,
        valuation,
        scores,
        score_errors,
        history,
        orders,
        order_form: typed.order,
        errors,
        can_edit: me.has_role(Role::ItCenter),
        order_wait,
        reads_board: crate::portfolio::scope::reads_board(me, false),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// Shown instead of the title of a linked project or item the reader may not see.
pub const HIDDEN_LINK: &str = "Ett objekt i en annan kommun";

/// What a strategy group is shown of an item's links outside its municipality: that there is
/// one, not its title. The linked project and dependencies may belong to another municipality,
/// whose plans are its own business until they reach the joint round.
pub async fn hide_foreign_links(
    conn: &mut sqlx::PgConnection,
    item: &mut Item,
    user: &CurrentUser,
) -> Result<(), AppError> {
    let Some(mine) = scope::visible_municipalities(user) else {
        return Ok(());
    };
    let dependency_ids: Vec<Uuid> = item.dependencies.0.iter().map(|d| d.id).collect();
    let visible_items = repo::visible_items(conn, &dependency_ids, &mine).await?;
    for link in &mut item.dependencies.0 {
        if !visible_items.contains(&link.id) {
            link.name = HIDDEN_LINK.to_owned();
            link.id = Uuid::nil();
        }
    }
    if let Some(project) = &mut item.project
        && !repo::project_visible(conn, project.0.id, &mine).await?
    {
        project.0.name = HIDDEN_LINK.to_owned();
        project.0.id = Uuid::nil();
    }
    Ok(())
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
            .map_or_else(crate::paths::new_item, |(id, _)| {
                crate::paths::item_edit(*id)
            })
    }
}

/// What was typed in the item form, with its messages; `conflict` when someone else saved
/// first (the page then shows what is saved now, and the form takes the saved version).
#[derive(Debug, Default)]
pub struct FormTyped {
    pub form: ItemForm,
    pub errors: FieldErrors,
    pub conflict: bool,
}

/// What is saved now, for the conflict box.
fn saved_item(item: &Item) -> String {
    format!(
        "Titel: {} · Timmar: {} · Investering: {} · Driftkostnad: {}",
        item.title,
        item.effort_hours,
        Money::from_stored(item.investment).format_kr(),
        Money::from_stored(item.running_cost).format_kr()
    )
}

/// The item form: a new item (`item` None) or item `id` as `me` may see it.
pub async fn render_form(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    item: Option<Uuid>,
    typed: FormTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let (mut form, mut heading, mut conflict) = (typed.form, None, None);
    if let Some(id) = item {
        let item = load_visible_item(&mut conn, id, me, false).await?;
        heading = Some((id, format!("{} {}", item.reference(), item.title)));
        if typed.conflict {
            conflict = Some(saved_item(&item));
            form.version = item.version;
        }
    }
    let status = crate::web::form::status(&typed.errors, conflict.is_some());
    let view = FormView {
        chrome,
        item: heading,
        form,
        errors: typed.errors,
        choices: repo::choices(&mut conn).await?,
        conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}
