//! The project pages' views: the overview with its status form, the project form and the
//! appropriation form, each rendered fresh or again with what the user typed.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    budget::{self, table::BudgetTable},
    domain::{
        effect_goal::smart_flags,
        project::{Plan, Status},
    },
    goals,
    projects::{
        choices::Choices,
        forms::{EconomyForm, ProjectForm, StatusForm},
        load_visible,
        operations::INITIAL_STATUSES,
        repo::{self, Project, StatusChange},
        views::{Heading, Permissions, Tab},
    },
    web::{AppError, CurrentUser, Page, Typed, form::FieldErrors, format},
};

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowView {
    chrome: crate::web::Chrome,
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
    fn status_label(&self, status: &Option<Status>) -> &'static str {
        status.map_or("–", Status::label)
    }

    /// Whether the project waits for the committee's decision on its final report, the only
    /// way on from here besides a step back.
    fn awaits_final_report(&self) -> bool {
        self.project.status == Status::Completed
    }
}

/// The project overview; with the status form as typed and its messages when a change was
/// refused.
/// The project's page, read from `db` (the replica when shown as it is, the primary after a
/// refused change).
pub async fn render_show(
    db: &PgPool,
    page: &Page,
    me: &CurrentUser,
    id: Uuid,
    typed: Typed<StatusForm>,
) -> Result<Response, AppError> {
    let mut conn = db.acquire().await?;
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
    let code = typed.page_status();
    let can = Permissions::on(me, &project);
    let view = ShowView {
        chrome: page.chrome().await?,
        heading: Heading::new(&project, Tab::Overview).for_reader(me, &project),
        table: BudgetTable::new(&lines),
        next_statuses: project.status.next(),
        status_form: StatusForm {
            version: project.version,
            ..typed.form
        },
        project,
        goals,
        can,
        status_changes,
        errors: typed.errors,
    };
    Ok((code, Html(view.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormView {
    chrome: crate::web::Chrome,
    /// None when creating.
    project: Option<Project>,
    form: ProjectForm,
    errors: FieldErrors,
    choices: Choices,
    conflict: Option<String>,
}

impl FormView {
    fn plans(&self) -> [Plan; 4] {
        Plan::ALL
    }

    /// The statuses a new project may start in.
    fn statuses(&self) -> [Status; 3] {
        INITIAL_STATUSES
    }

    fn action(&self) -> String {
        self.project
            .as_ref()
            .map_or_else(crate::paths::new_project, |p| {
                crate::paths::project_edit(p.id)
            })
    }
}

/// The project form, for a new project (`project` None) or an existing one. After a conflict
/// the form is based on the saved version, so saving again means "mine over theirs", having
/// seen theirs.
pub async fn render_form(
    page: &Page,
    choices: Choices,
    project: Option<Project>,
    typed: Typed<ProjectForm>,
) -> Result<Response, AppError> {
    let status = typed.page_status();
    let mut form = typed.form;
    if let (Some(saved), Some(_)) = (&project, &typed.conflict) {
        form.version = saved.version;
    }
    let view = FormView {
        chrome: page.chrome().await?,
        project,
        form,
        errors: typed.errors,
        choices,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "projects/economy.html")]
struct EconomyView {
    chrome: crate::web::Chrome,
    heading: Heading,
    form: EconomyForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

/// The appropriation form, based on the saved version after a conflict.
pub async fn render_economy(
    page: &Page,
    project: &Project,
    typed: Typed<EconomyForm>,
) -> Result<Response, AppError> {
    let status = typed.page_status();
    let mut form = typed.form;
    if typed.conflict.is_some() {
        form.version = project.version;
    }
    let view = EconomyView {
        chrome: page.chrome().await?,
        heading: Heading::new(project, Tab::Overview),
        form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}
