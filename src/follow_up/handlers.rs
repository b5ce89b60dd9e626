//! The follow-up's pages: the overview of every board's status at the year's occasions, and one
//! board's report at one occasion.

use axum::{
    extract::{Path, Query, State},
    response::Html,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    follow_up::{page, policy, report},
    web::{AppError, AppState, Chrome, CurrentUser},
};

#[derive(Debug, Default, Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    ar: String,
}

pub async fn show_overview(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
    Query(query): Query<OverviewQuery>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let overview = page::Overview::load(&mut conn, &user, &query.ar).await?;
    page::render_overview(chrome, overview)
}

pub async fn show_report(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
) -> Result<Html<String>, AppError> {
    policy::check_read(&user, board)?;
    let mut conn = state.db.acquire().await?;
    let report = report::load(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    page::render_report(chrome, report)
}
