//! The versions page of a report's text.

use axum::{
    extract::{Path, State},
    response::Html,
};
use uuid::Uuid;

use crate::{
    follow_up::{
        policy,
        texts::{page, repo},
    },
    web::{AppError, AppState, Chrome, CurrentUser},
};

pub async fn show_versions(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let report = policy::readable_report(&mut conn, &user, (occasion, board)).await?;
    let versions = match report.header.follow_up_id {
        Some(id) => repo::versions(&mut conn, id).await?,
        None => Vec::new(),
    };
    page::render_versions(chrome, report, versions)
}
