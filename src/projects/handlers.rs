//! Project pages: the list, the overview, the project form (create and edit) and the history.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    audit::{
        self, Actor,
        repo::{HistoryRow, LogRow},
    },
    budget::{self, table::BudgetTable},
    db::constraints,
    domain::{
        effect_goal::smart_flags,
        money::Money,
        number,
        project::{Plan, Status},
    },
    goals,
    projects::{
        forms::{ListFilter, ListQuery, ProjectForm, ProjectInput},
        load_visible,
        repo::{self, ListRow, PAGE_SIZE, Project, StatusChange},
        scope,
        status::StatusForm,
        views::{self, Heading, Permissions, Tab},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
        format,
    },
};

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListView {
    chrome: Chrome,
    query: ListQuery,
    filter: ListFilter,
    rows: Vec<ListRow>,
    total: i64,
    pages: i64,
    reference: Reference,
    can_create: bool,
}

impl ListView {
    /// The list's address with some parameters replaced (an empty value drops it). Any change
    /// but the page's goes back to the first page.
    fn link(&self, overrides: &[(&str, &str)]) -> String {
        let q = &self.query;
        let current = [
            ("kommun", q.kommun.as_str()),
            ("namnd", q.namnd.as_str()),
            ("status", q.status.as_str()),
            ("plan", q.plan.as_str()),
            ("ar", q.ar.as_str()),
            ("q", q.q.as_str()),
            ("sortera", q.sortera.as_str()),
            ("ordning", q.ordning.as_str()),
            ("sida", ""),
        ];
        format::query_link("/projekt", &current, overrides)
    }

    /// The header link of a column: sorts by it, or flips the order when it is the sort.
    fn sort_href(&self, key: &str) -> String {
        let flip = self.filter.sort.key() == key && !self.filter.descending;
        self.link(&[
            ("sortera", key),
            ("ordning", if flip { "fallande" } else { "" }),
        ])
    }

    /// `aria-sort` of a column header.
    fn aria_sort(&self, key: &str) -> &'static str {
        format::aria_sort(self.filter.sort.key() == key, self.filter.descending)
    }

    fn is_page(&self, page: &i64) -> bool {
        i64::from(self.filter.page) == *page
    }

    fn page_href(&self, page: &i64) -> String {
        self.link(&[("sida", &page.to_string())])
    }

    /// A row's board as the filter form names it: "Kommunstyrelsen, Ludvika".
    fn board(&self, id: &Uuid) -> Option<&crate::admin::repo::BoardRef> {
        self.reference.boards.iter().find(|b| b.id == *id)
    }

    fn plans(&self) -> [Plan; 4] {
        Plan::ALL
    }

    fn statuses(&self) -> [Status; 7] {
        Status::ALL
    }
}

pub async fn list_projects(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let filter = query.filter();
    let visible = scope::visible_municipalities(&me);
    // One connection for the page's statements: the pool checks a connection with a round trip
    // each time it takes one back.
    let mut conn = state.db.acquire().await?;
    let (rows, mut total) = repo::list(&mut conn, &filter, visible.as_deref()).await?;
    if rows.is_empty() && filter.page > 1 {
        // Past the last page: still say how many projects match.
        let first = ListFilter {
            page: 1,
            ..filter.clone()
        };
        total = repo::list(&mut conn, &first, visible.as_deref()).await?.1;
    }
    let view = ListView {
        chrome,
        query,
        filter,
        rows,
        total,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        reference: Reference::load(&mut *conn).await?,
        can_create: Permissions::of(&me).edit_project,
    };
    Ok(Html(view.render()?))
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowView {
    chrome: Chrome,
    heading: Heading,
    project: Project,
    table: BudgetTable,
    goals: Vec<(goals::repo::Goal, usize)>,
    can: Permissions,
    next_statuses: Vec<Status>,
    status_changes: Vec<StatusChange>,
    status_form: StatusForm,
    errors: FieldErrors,
}

impl ShowView {
    fn status_label(&self, code: &Option<String>) -> &'static str {
        code.as_deref().map_or("–", views::status_label)
    }
}

pub async fn show_project(
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
        StatusForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// The project overview; with the status form as typed and its messages when a change was
/// refused.
pub async fn render_show(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    status_form: StatusForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    let lines = budget::repo::lines(&mut conn, id).await?;
    let today = format::today();
    let goals = goals::repo::goals(&mut conn, id)
        .await?
        .into_iter()
        .map(|g| {
            let flags = smart_flags(&g.facts(), today).len();
            (g, flags)
        })
        .collect();
    let status_changes = repo::status_changes(&mut conn, id).await?;
    let code = crate::web::form::status(&errors, false);
    let view = ShowView {
        chrome,
        heading: Heading::new(&project, Tab::Overview).for_reader(me, &project),
        table: BudgetTable::new(&lines),
        next_statuses: Status::from_code(&project.status)
            .map(Status::next)
            .unwrap_or_default(),
        status_form: StatusForm {
            version: project.version,
            ..status_form
        },
        project,
        goals,
        can: Permissions::of(me),
        status_changes,
        errors,
    };
    Ok((code, Html(view.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormView {
    chrome: Chrome,
    /// None when creating.
    project: Option<Project>,
    form: ProjectForm,
    errors: FieldErrors,
    choices: Choices,
    conflict: Option<String>,
}

/// Boards, municipalities and council goals the form offers.
pub struct Choices {
    pub reference: Reference,
    pub council_goals: Vec<CouncilGoal>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CouncilGoal {
    pub id: Uuid,
    pub title: String,
    pub municipality: String,
    /// Retired goals are offered only to projects already linked to them, so an edit never
    /// drops a link silently.
    pub active: bool,
}

impl Choices {
    async fn load(state: &AppState) -> Result<Self, AppError> {
        let council_goals = sqlx::query_as(
            "SELECT g.id, g.title, m.name AS municipality, g.active FROM council_goal g \
             JOIN municipality m ON m.id = g.municipality_id \
             ORDER BY m.name COLLATE sv, g.title",
        )
        .fetch_all(&state.db)
        .await?;
        Ok(Choices {
            reference: Reference::load(&state.db).await?,
            council_goals,
        })
    }
}

impl crate::projects::forms::Choices for Choices {
    fn has_board(&self, id: Uuid) -> bool {
        self.reference.boards.iter().any(|b| b.id == id)
    }
    fn has_municipality(&self, id: Uuid) -> bool {
        self.reference.municipalities.iter().any(|m| m.id == id)
    }
    fn has_council_goal(&self, id: Uuid) -> bool {
        self.council_goals.iter().any(|g| g.id == id)
    }
}

impl FormView {
    fn plans(&self) -> [Plan; 4] {
        Plan::ALL
    }

    /// The statuses a new project may start in.
    fn statuses(&self) -> [Status; 3] {
        INITIAL_STATUSES
    }

    fn render(
        chrome: Chrome,
        choices: Choices,
        project: Option<Project>,
        form: ProjectForm,
        errors: FieldErrors,
        conflict: Option<String>,
    ) -> Result<Response, AppError> {
        let status = crate::web::form::status(&errors, conflict.is_some());
        let view = FormView {
            chrome,
            project,
            form,
            errors,
            choices,
            conflict,
        };
        Ok((status, Html(view.render()?)).into_response())
    }
}

/// A project starts as an idea, a pre-study or an already decided investment; later statuses
/// are reached through status changes, each recorded.
const INITIAL_STATUSES: [Status; 3] = [Status::Idea, Status::PreStudy, Status::Decided];

pub async fn new_project(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let form = ProjectForm {
        status: Status::Idea.code().to_owned(),
        ..ProjectForm::default()
    };
    let choices = Choices::load(&state).await?;
    FormView::render(chrome, choices, None, form, FieldErrors::new(), None)
}

pub async fn create_project(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let choices = Choices::load(&state).await?;
    let parsed = form.parse(&choices).and_then(|input| {
        if INITIAL_STATUSES.contains(&input.status) {
            Ok(input)
        } else {
            let mut errors = FieldErrors::new();
            errors.add(
                "status",
                "Ett nytt projekt börjar som idé, förstudie eller beslutat.",
            );
            Err(errors)
        }
    });
    let input = match parsed {
        Ok(input) => input,
        Err(errors) => return FormView::render(chrome, choices, None, form, errors, None),
    };
    let mut tx = state.db.begin().await?;
    let id = match repo::insert(&mut tx, &input, me.id, format::today()).await {
        Ok(id) => id,
        Err(e) => {
            drop(tx);
            let errors = constraint_errors(e)?;
            return FormView::render(chrome, choices, None, form, errors, None);
        }
    };
    let mut created: Vec<(&str, String, String)> = audited(&choices, &input)
        .into_iter()
        .map(|(field, new)| (field, String::new(), new))
        .collect();
    created.push(("status", String::new(), input.status.label().to_owned()));
    let actor = Actor::user(&me, &client);
    let subject = ("project", id.to_string());
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "project_created",
        (subject.0, &subject.1),
        Some(id),
        &created,
    )
    .await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("Projektet ”{}” har skapats.", input.name)),
    )
    .await?;
    Ok(Redirect::to(&format!("/projekt/{id}")).into_response())
}

pub async fn edit_project(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, &me, false).await?;
    drop(conn);
    let form = form_from(&project);
    let choices = Choices::load(&state).await?;
    FormView::render(
        chrome,
        choices,
        Some(project),
        form,
        FieldErrors::new(),
        None,
    )
}

pub async fn update_project(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let choices = Choices::load(&state).await?;
    let mut tx = state.db.begin().await?;
    let saved = load_visible(&mut tx, id, &me, true).await?;
    super::ensure_open(&saved)?;
    let input = match form.parse(&choices) {
        Ok(input) => input,
        Err(errors) => {
            drop(tx);
            return FormView::render(chrome, choices, Some(saved), form, errors, None);
        }
    };
    if saved.version != form.version {
        drop(tx);
        let conflict = describe(&choices, &form_from(&saved));
        let form = ProjectForm {
            version: saved.version,
            ..form
        };
        return FormView::render(
            chrome,
            choices,
            Some(saved),
            form,
            FieldErrors::new(),
            Some(conflict),
        );
    }
    match repo::update(&mut tx, id, form.version, &input).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(AppError::Conflict(
                "Projektet ändrades samtidigt av någon annan.".into(),
            ));
        }
        Err(e) => {
            drop(tx);
            let errors = constraint_errors(e)?;
            return FormView::render(chrome, choices, Some(saved), form, errors, None);
        }
    }
    let before = form_from(&saved).parse(&choices);
    let changes: Vec<(&str, String, String)> = match before {
        Ok(before) => audited(&choices, &before)
            .into_iter()
            .zip(audited(&choices, &input))
            .map(|((field, old), (_, new))| (field, old, new))
            .collect(),
        // A saved project that no longer passes today's checks: log every field as new.
        Err(_) => audited(&choices, &input)
            .into_iter()
            .map(|(field, new)| (field, String::from("?"), new))
            .collect(),
    };
    let actor = Actor::user(&me, &client);
    let subject = id.to_string();
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "project_updated",
        ("project", &subject),
        Some(id),
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Projektet har sparats.")).await?;
    Ok(Redirect::to(&format!("/projekt/{id}")).into_response())
}

/// A violated constraint a user can cause (a duplicate case number) as a field message; any
/// other database error stays an error.
fn constraint_errors(error: sqlx::Error) -> Result<FieldErrors, AppError> {
    let (field, message) = constraints::field_message(&error).ok_or(error)?;
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    Ok(errors)
}

fn form_from(p: &Project) -> ProjectForm {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    ProjectForm {
        name: p.name.clone(),
        case_number: p.case_number.clone(),
        project_number: opt(&p.project_number),
        board: p.board_id.to_string(),
        project_manager: opt(&p.project_manager),
        plan: p.plan.clone(),
        status: p.status.clone(),
        description: p.description.clone(),
        planned_start: views::date(&p.planned_start),
        planned_end: views::date(&p.planned_end),
        actual_start: views::date(&p.actual_start),
        actual_end: views::date(&p.actual_end),
        municipalities: p.allocation.iter().map(|a| a.id.to_string()).collect(),
        shares: p
            .allocation
            .iter()
            .map(|a| number::format_quantity(a.percent))
            .collect(),
        council_goals: p.council_goals.iter().map(|g| g.id.to_string()).collect(),
        version: p.version,
    }
}

/// The audited fields of a project, as (field, value) in a fixed order.
fn audited(choices: &Choices, p: &ProjectInput) -> Vec<(&'static str, String)> {
    let name_of_municipality = |id: &Uuid| {
        choices
            .reference
            .municipalities
            .iter()
            .find(|m| m.id == *id)
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    let board = choices
        .reference
        .boards
        .iter()
        .find(|b| b.id == p.board_id)
        .map_or_else(String::new, |b| format!("{}, {}", b.name, b.municipality));
    let allocation = p
        .allocation
        .iter()
        .map(|(m, s)| {
            format!(
                "{} {} %",
                name_of_municipality(m),
                number::format_quantity(*s)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let goals = choices
        .council_goals
        .iter()
        .filter(|g| p.council_goals.contains(&g.id))
        .map(|g| g.title.clone())
        .collect::<Vec<_>>()
        .join("; ");
    let date = views::date;
    vec![
        ("name", p.name.clone()),
        ("case_number", p.case_number.to_string()),
        (
            "project_number",
            p.project_number.clone().unwrap_or_default(),
        ),
        ("board", board),
        (
            "project_manager",
            p.project_manager.clone().unwrap_or_default(),
        ),
        ("plan", p.plan.label().to_owned()),
        ("description", p.description.clone()),
        ("planned_start", date(&p.planned_start)),
        ("planned_end", date(&p.planned_end)),
        ("actual_start", date(&p.actual_start)),
        ("actual_end", date(&p.actual_end)),
        ("allocation", allocation),
        ("council_goals", goals),
    ]
}

/// What is saved now, for the person whose save was refused because of it.
fn describe(choices: &Choices, saved: &ProjectForm) -> String {
    match saved.parse(choices) {
        Ok(input) => audited(choices, &input)
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(field, value)| {
                format!("{}: {value}", crate::audit::handlers::field_label(field))
            })
            .collect::<Vec<_>>()
            .join(" · "),
        Err(_) => saved.name.clone(),
    }
}

#[derive(Template)]
#[template(path = "projects/history.html")]
struct HistoryView {
    chrome: Chrome,
    heading: Heading,
    rows: Vec<HistoryRow>,
}

impl HistoryView {
    fn when(&self, row: &LogRow) -> String {
        format::date_time(row.at)
    }
    fn action_label(&self, action: &str) -> String {
        crate::audit::handlers::action_label(action).to_owned()
    }
    fn field_label(&self, field: &Option<String>) -> String {
        field
            .as_deref()
            .map(crate::audit::handlers::field_label)
            .unwrap_or_default()
            .to_owned()
    }
}

pub async fn show_history(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, &me, false).await?;
    let rows = audit::repo::for_project(&mut conn, id).await?;
    let view = HistoryView {
        chrome,
        heading: Heading::new(&project, Tab::History).for_reader(&me, &project),
        rows,
    };
    Ok(Html(view.render()?))
}

/// Formatting helpers the project templates call.
pub fn appropriation(project: &Project) -> String {
    project
        .appropriation
        .map(|a| Money::from_stored(a).format_kr())
        .map_or_else(|| "Inget beslutat anslag".to_owned(), |a| format!("{a} kr"))
}
