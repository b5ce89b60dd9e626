//! The decision requests: the decision form, and deciding the round.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::{Actor, Refusal},
    paths,
    portfolio::decision::{
        forms::DecisionForm,
        operations,
        page::{DecideTyped, render_decision},
    },
    web::{AppError, AppState, Chrome, Page},
};

pub async fn show_decision(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_decision(&state, chrome, id, DecideTyped::default()).await
}

pub async fn decide_round(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let typed = match operations::decide_round(&state.db, &actor, id, &form).await {
        Ok(quarter) => {
            let message = format!("Omgång {quarter} är beslutad och gäller nu för beställningar.");
            return page.done(message, &paths::round(id)).await;
        }
        Err(Refusal::Invalid(errors)) => DecideTyped {
            form: Some(form),
            errors,
            conflict: false,
        },
        Err(Refusal::Conflict(_)) => DecideTyped {
            form: Some(form),
            conflict: true,
            ..DecideTyped::default()
        },
        Err(refusal) => return Err(refusal.into()),
    };
    render_decision(&state, page.chrome().await?, id, typed).await
}
