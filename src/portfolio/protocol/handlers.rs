//! The protocol downloads of a decided round.

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use uuid::Uuid;

use crate::{
    portfolio::protocol::page,
    web::{AppError, AppState},
};

/// Which municipality's Word template the protocol is written in ("" or none: the house
/// style). The protocol is the coordination group's, shared by its municipalities; each may
/// file it in its own template.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TemplateQuery {
    #[serde(default)]
    pub mall: String,
}

pub async fn export_docx(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<TemplateQuery>,
) -> Result<Response, AppError> {
    let template = match query.mall.trim() {
        "" => None,
        id => Some(
            Uuid::parse_str(id).map_err(|_| AppError::BadRequest("Okänd Word-mall.".to_owned()))?,
        ),
    };
    page::docx_file(&state, id, template).await
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    page::xlsx_file(&state, id).await
}
