//! The audit log page: what auditors and administrators read.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use serde::Deserialize;

// Features name the labels through here; they live in `labels`, which imports nothing.
pub use crate::audit::labels::{action_label, entity_label, field_label, field_label_of};
use crate::{
    audit::repo::{self, HistoryRow, LogRow},
    web::{AppError, AppState, Chrome, format, paging},
};

const PAGE_SIZE: i64 = 100;

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    #[serde(default)]
    sida: String,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogView {
    chrome: Chrome,
    rows: Vec<HistoryRow>,
    page: u32,
    has_next: bool,
}

impl LogView {
    fn action_label(&self, action: &str) -> String {
        action_label(action).to_owned()
    }

    fn field_label(&self, row: &LogRow) -> String {
        row.field
            .as_deref()
            .map(|f| field_label_of(&row.entity, f))
            .unwrap_or_default()
            .to_owned()
    }

    fn entity_label(&self, entity: &str) -> String {
        entity_label(entity).to_owned()
    }

    fn when(&self, row: &LogRow) -> String {
        format::date_time(row.at)
    }
}

pub async fn show_log(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<LogQuery>,
) -> Result<Html<String>, AppError> {
    let page = paging::page_number(&query.sida);
    let offset = paging::offset(page, PAGE_SIZE);
    let mut rows = repo::latest(&state.db, PAGE_SIZE + 1, offset).await?;
    let has_next =
        rows.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX) && page < paging::MAX_PAGE;
    rows.truncate(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX));
    Ok(Html(
        LogView {
            chrome,
            rows,
            page,
            has_next,
        }
        .render()?,
    ))
}
