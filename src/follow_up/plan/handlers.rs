//! The action plan's pages and buttons: the plan (every reader), the measure form and removal
//! (controllers), approval (the board's head of administration).

use axum::{
    extract::{Path, State},
    response::{Html, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    follow_up::{
        plan::{forms::MeasureForm, operations, page},
        policy,
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed, form::VersionForm},
};

pub async fn show_plan(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
    Path(at): Path<(Uuid, Uuid)>,
) -> Result<Html<String>, AppError> {
    page::render_plan(&state, chrome, &user, at).await
}

pub async fn new_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_write(&actor.user, board)?;
    page::render_measure(&state, &page, (occasion, board, None), None).await
}

pub async fn create_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
    Form(form): Form<MeasureForm>,
) -> Result<Response, AppError> {
    let to = paths::action_plan(occasion, board);
    let result = match form.parse() {
        Ok(input) => operations::create_measure(&state.db, &actor, (occasion, board), &input).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match result {
        Ok(_) => {
            page.done("Åtgärden är tillagd i handlingsplanen.", &to)
                .await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let typed = Some(Typed::refused(form, refusal)?);
            page::render_measure(&state, &page, (occasion, board, None), typed).await
        }
    }
}

pub async fn edit_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((occasion, board, measure)): Path<(Uuid, Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_write(&actor.user, board)?;
    page::render_measure(&state, &page, (occasion, board, Some(measure)), None).await
}

pub async fn save_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid, Uuid)>,
    Form(form): Form<MeasureForm>,
) -> Result<Response, AppError> {
    let to = paths::action_plan(at.0, at.1);
    let result = match form.parse() {
        Ok(input) => operations::update_measure(&state.db, &actor, at, &input).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match result {
        Ok(None) => page.unchanged("Inget ändrades.", &to).await,
        Ok(Some(true)) => {
            let message = "Åtgärden är ändrad. Godkännandet är återkallat: förvaltningschefen behöver godkänna den på nytt.";
            page.done(message, &to).await
        }
        Ok(Some(false)) => page.done("Åtgärden är ändrad.", &to).await,
        Err(refusal) => {
            let typed = Some(Typed::refused(form, refusal)?);
            page::render_measure(&state, &page, (at.0, at.1, Some(at.2)), typed).await
        }
    }
}

pub async fn delete_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let to = paths::action_plan(at.0, at.1);
    match operations::delete_measure(&state.db, &actor, at, form.version).await {
        Ok(Some(reference)) => {
            let message = format!("Åtgärd {reference} är borttagen ur handlingsplanen.");
            page.done(message, &to).await
        }
        Ok(None) => page.unchanged("Åtgärden var redan borttagen.", &to).await,
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}

pub async fn approve_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    approval(&state, &page, &actor, at, (true, form.version)).await
}

pub async fn unapprove_measure(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    approval(&state, &page, &actor, at, (false, form.version)).await
}

async fn approval(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    at: operations::At,
    (approve, version): (bool, i32),
) -> Result<Response, AppError> {
    let to = paths::action_plan(at.0, at.1);
    match operations::set_approval(&state.db, actor, at, (approve, version)).await {
        Ok(Some(reference)) if approve => {
            page.done(format!("Åtgärd {reference} är godkänd."), &to)
                .await
        }
        Ok(Some(reference)) => {
            page.done(
                format!("Godkännandet av åtgärd {reference} är återkallat."),
                &to,
            )
            .await
        }
        Ok(None) => page.unchanged("Inget ändrades.", &to).await,
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}
