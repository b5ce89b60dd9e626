//! The suggestion requests: the suggestion page, and applying it as the ranking.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    operation::Actor,
    paths,
    portfolio::suggestion::{operations, page::render_suggestion},
    web::{AppError, AppState, Chrome, CurrentUser, Page},
};

pub async fn show_suggestion(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_suggestion(&state, chrome, &me, id).await
}

/// The apply form: the ranking version the suggestion was computed from.
#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    pub ranking_version: i32,
}

pub async fn apply_suggestion(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, AppError> {
    operations::apply_suggestion(&state.db, &actor, id, form.ranking_version).await?;
    let message = "Förslaget är nu rangordningen. Justera den på tavlan om gruppen vill annat.";
    page.done(message, &paths::board(id)).await
}
