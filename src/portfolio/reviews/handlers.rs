//! The review requests: a municipality's review of a round, and saving or submitting it.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::{Actor, Refusal},
    paths,
    portfolio::reviews::{
        forms::ReviewForm,
        operations,
        page::{ReviewTyped, render_review},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page},
};

pub async fn show_review(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    render_review(&state, chrome, &me, ids, ReviewTyped::default()).await
}

pub async fn update_review(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, municipality)): Path<(Uuid, Uuid)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let typed = match operations::save_review(&state.db, &actor, (id, municipality), &form).await {
        Ok(saved) => {
            let message = if saved.submitted {
                format!(
                    "Beredningen för {} är inskickad till samordningsgruppen.",
                    saved.municipality
                )
            } else {
                "Utkastet är sparat. Det syns bara för er strategigrupp tills ni skickar in det."
                    .to_owned()
            };
            return page.done(message, &paths::review(id, municipality)).await;
        }
        Err(Refusal::Invalid(errors)) => ReviewTyped {
            form: Some(form),
            errors,
            conflict: false,
        },
        Err(Refusal::Conflict(_)) => ReviewTyped {
            form: Some(form),
            errors: Default::default(),
            conflict: true,
        },
        Err(refusal) => return Err(refusal.into()),
    };
    let chrome = page.chrome().await?;
    render_review(&state, chrome, &actor.user, (id, municipality), typed).await
}
