//! The council goals page: read by everyone (with the coverage the auditors ask for), changed by
//! administrators. Goals are never deleted; one no longer in force is deactivated, which keeps
//! the links of projects that served it. The writes live in `operations`.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    council_goals::{
        forms::GoalForm,
        operations,
        repo::{self, GoalRow, UnlinkedProject},
    },
    domain::role::Role,
    operation::{Actor, Refusal},
    paths,
    projects::scope,
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "council_goals/list.html")]
struct ListView {
    chrome: Chrome,
    goals: Vec<GoalRow>,
    unlinked: Vec<UnlinkedProject>,
    reference: Reference,
    form: GoalForm,
    errors: FieldErrors,
    can_edit: bool,
}

async fn render(
    state: &AppState,
    page: &Page,
    me: &CurrentUser,
    typed: Typed<GoalForm>,
) -> Result<Response, AppError> {
    let visible = scope::visible_municipalities(me);
    let status = typed.page_status();
    let view = ListView {
        chrome: page.chrome().await?,
        goals: repo::goals(&state.db, visible.as_deref()).await?,
        unlinked: repo::projects_without_goal(&state.db, visible.as_deref()).await?,
        reference: Reference::load(&state.db).await?,
        form: typed.form,
        errors: typed.errors,
        can_edit: me.has_role(Role::Admin),
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn list_goals(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
) -> Result<Response, AppError> {
    render(&state, &page, &me, Typed::fresh(GoalForm::default())).await
}

pub async fn create_goal(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    let created = match form.parse(&reference) {
        Ok(goal) => operations::create_goal(&state.db, &actor, &goal)
            .await
            .map(|_| goal.title),
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match created {
        Ok(title) => {
            let message = format!("Målet ”{title}” har lagts till.");
            page.done(message, &paths::council_goals()).await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::council_goals()).await,
        Err(refusal) => render(&state, &page, &actor.user, Typed::refused(form, refusal)?).await,
    }
}

pub async fn deactivate_goal(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    set_active(&state, &page, &actor, id, false).await
}

pub async fn activate_goal(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    set_active(&state, &page, &actor, id, true).await
}

async fn set_active(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: Uuid,
    active: bool,
) -> Result<Response, AppError> {
    match operations::set_active(&state.db, actor, id, active).await? {
        Some(title) => {
            let done = if active { "aktiverats" } else { "inaktiverats" };
            let message = format!("Målet ”{title}” har {done}.");
            page.done(message, &paths::council_goals()).await
        }
        None => Ok(Redirect::to(&paths::council_goals()).into_response()),
    }
}
