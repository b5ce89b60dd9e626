//! The protocol downloads of a decided round.

use axum::{
    extract::{Path, State},
    response::Response,
};
use uuid::Uuid;

use crate::{
    portfolio::protocol::page,
    web::{AppError, AppState},
};

pub async fn export_docx(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    page::docx_file(&state, id).await
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    page::xlsx_file(&state, id).await
}
