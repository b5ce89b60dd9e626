//! The comparison request.

use axum::{
    extract::{Path, State},
    response::Response,
};
use uuid::Uuid;

use crate::{
    portfolio::comparison::page::render_comparison,
    web::{AppError, AppState, Chrome},
};

pub async fn show_comparison(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_comparison(&state, chrome, id).await
}
