//! The report's way to the board: submit and take back (buttons on the report), the decision
//! form (the board's secretary) and the correction form (controllers, once decided).

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    follow_up::{
        decision::{
            forms::{CorrectionForm, DecisionForm},
            operations, page,
        },
        policy,
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Page, Typed, form::VersionForm},
};

/// A button's answer: to the report, with what happened or why not.
async fn answer(
    page: &Page,
    at: (Uuid, Uuid),
    result: Result<(), Refusal>,
    done: &str,
) -> Result<Response, AppError> {
    let to = paths::follow_up(at.0, at.1);
    match result {
        Ok(()) => page.done(done, &to).await,
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}

pub async fn submit(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let result = operations::submit(&state.db, &actor, at, form.version).await;
    answer(&page, at, result, "Rapporten är inlämnad till nämnden.").await
}

pub async fn withdraw(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let result = operations::withdraw(&state.db, &actor, at, form.version).await;
    answer(&page, at, result, "Rapporten är återtagen och kan ändras.").await
}

pub async fn edit_decision(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    // An unknown report is not found before another board's is forbidden.
    page::period_last_month(&state, at).await?;
    policy::check_decide(&actor.user, at.1)?;
    page::render_decision(&state, &page, at, None).await
}

pub async fn save_decision(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let period_end = page::period_last_month(&state, at).await?;
    policy::check_decide(&actor.user, at.1)?;
    let result = match form.parse(period_end) {
        Ok(input) => operations::decide(&state.db, &actor, at, input).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match result {
        Ok(()) => {
            let to = paths::follow_up(at.0, at.1);
            page.done("Nämndens beslut är infört och rapporten är låst.", &to)
                .await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_decision(&state, &page, at, Some(typed)).await
        }
    }
}

pub async fn edit_correction(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_write(&actor.user, at.1)?;
    page::render_correction(&state, &page, at, None).await
}

pub async fn save_correction(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, AppError> {
    let result = match form.parse() {
        Ok(input) => operations::correct(&state.db, &actor, at, input).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match result {
        Ok(()) => {
            let to = paths::follow_up(at.0, at.1);
            page.done("Rättelsen är sparad med sin anledning.", &to)
                .await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_correction(&state, &page, at, Some(typed)).await
        }
    }
}
