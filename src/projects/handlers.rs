//! Project pages: the list, the overview, the project form (create and edit) and the history.
//! The views live in `page`, the writes in `operations`.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{Html, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    audit::{
        self,
        repo::{HistoryRow, LogRow},
    },
    columns::{ColumnChoice, Shown, tables},
    domain::project::{Plan, Status},
    operation::{Actor, Refusal},
    paths,
    projects::{
        choices::{self, Choices},
        export,
        forms::{ListFilter, ListQuery, PAGE_SIZE, ProjectForm, StatusForm},
        list_repo::{self, ListRow, ListSums},
        load_open, load_visible, operations,
        page::{render_form, render_show},
        scope,
        views::{Heading, Tab},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser, Page, Typed, format, list::SortKey,
        replica::ReadDb,
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
    sums: ListSums,
    columns: Shown,
}

impl ListView {
    /// The list's address with some parameters replaced (an empty value drops it). Any change
    /// but the page's goes back to the first page.
    fn link(&self, overrides: &[(&str, &str)]) -> String {
        self.link_to(&crate::paths::projects(), overrides)
    }

    /// The whole filtered list as an Excel workbook, in the list's order.
    fn export_href(&self) -> String {
        self.link_to(&crate::paths::projects_xlsx(), &[])
    }

    fn link_to(&self, base: &str, overrides: &[(&str, &str)]) -> String {
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
        format::query_link(base, &current, overrides)
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
    ReadDb(db): ReadDb,
    chrome: Chrome,
    me: CurrentUser,
    choice: ColumnChoice,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let filter = query.filter();
    let visible = scope::visible_municipalities(&me);
    // One connection for the page's statements: the pool checks a connection with a round trip
    // each time it takes one back.
    let mut conn = db.acquire().await?;
    let (rows, total) = list_repo::list(&mut conn, &filter, visible.as_deref()).await?;
    let sums = list_repo::list_sums(&mut conn, &filter, visible.as_deref()).await?;
    let view = ListView {
        chrome,
        query,
        filter,
        sums,
        rows,
        total,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        reference: Reference::load(&mut *conn).await?,
        can_create: me.has_role(crate::domain::role::Role::ItCenter),
        columns: choice.shown(&tables::PROJECTS),
    };
    Ok(Html(view.render()?))
}

/// Every project the list's filter selects, in its order, as an Excel workbook.
pub async fn export_projects(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter();
    let visible = scope::visible_municipalities(&me);
    let mut conn = state.db.acquire().await?;
    let rows = export::all_rows(&mut conn, &filter, visible.as_deref()).await?;
    drop(conn);
    let bytes = export::workbook(&rows).map_err(AppError::Internal)?;
    let name = format!("projekt-{}.xlsx", format::today());
    Ok(crate::web::download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}

pub async fn show_project(
    ReadDb(db): ReadDb,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let typed = Typed::fresh(StatusForm::default());
    render_show(&db, &page, &me, id, typed).await
}

pub async fn new_project(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    let form = ProjectForm {
        status: Status::Idea.code().to_owned(),
        ..ProjectForm::default()
    };
    let choices = Choices::load(&state.db).await?;
    render_form(&page, choices, None, Typed::fresh(form)).await
}

pub async fn create_project(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let choices = Choices::load(&state.db).await?;
    let created = match form.parse(&choices) {
        Ok(input) => {
            operations::create_project(&state.db, &actor, &choices, (&input, form.submission))
                .await
                .map(|id| (id, input.name))
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match created {
        Ok((id, name)) => {
            let message = format!("Projektet ”{name}” har skapats.");
            page.done(message, &paths::project(id)).await
        }
        Err(Refusal::AlreadySent(first)) => {
            let to = first.map_or_else(paths::projects, paths::project);
            page.sent_before(&to).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render_form(&page, choices, None, typed).await
        }
    }
}

pub async fn edit_project(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let project = load_open(&mut *state.db.acquire().await?, id, &me).await?;
    let typed = Typed::fresh(choices::form_from(&project));
    let choices = Choices::load(&state.db).await?;
    render_form(&page, choices, Some(project), typed).await
}

pub async fn update_project(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let choices = Choices::load(&state.db).await?;
    match operations::update_project(&state.db, &actor, &choices, id, &form).await {
        Ok(()) => {
            page.done("Projektet har sparats.", &paths::project(id))
                .await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            let project =
                load_visible(&mut *state.db.acquire().await?, id, &actor.user, false).await?;
            render_form(&page, choices, Some(project), typed).await
        }
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
        audit::labels::action_label(action).to_owned()
    }
    fn field_label(&self, field: &Option<String>) -> String {
        field
            .as_deref()
            .map(audit::labels::field_label)
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
