//! The versions page of a report's text.

use axum::{
    extract::{Path, State},
    response::Html,
};
use uuid::Uuid;

use crate::{
    follow_up::{
        policy, report,
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
    // An unknown report is not found before another board's is forbidden, as on the report.
    let report = report::load(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_read(&user, board)?;
    let versions = match report.header.follow_up_id {
        Some(id) => repo::versions(&mut conn, id).await?,
        None => Vec::new(),
    };
    page::render_versions(chrome, report, versions)
}
