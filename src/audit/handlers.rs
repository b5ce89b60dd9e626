//! The audit log page: what auditors and administrators read, filtered, a page at a time, and
//! to Excel.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
};

// Features name the labels through here; they live in `labels`, which imports nothing.
pub use crate::audit::labels::{action_label, entity_label, field_label, field_label_of};
use crate::{
    audit::{
        filter::LogQuery,
        labels::ENTITIES,
        repo::{HistoryRow, LogRow},
        search::{self, Choices},
        xlsx,
    },
    columns::{ColumnChoice, Shown, tables},
    paths,
    web::{AppError, AppState, Chrome, download, form::FieldErrors, format},
};

const PAGE_SIZE: i64 = 100;
/// The most entries one export holds; a longer period is exported in parts.
pub const EXPORT_LIMIT: i64 = 100_000;

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogView {
    chrome: Chrome,
    query: LogQuery,
    errors: FieldErrors,
    choices: Choices,
    rows: Vec<HistoryRow>,
    /// Where the next (older) page starts, if there is one.
    next: Option<i64>,
    columns: Shown,
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

    fn link(&self, row: &LogRow) -> Option<String> {
        search::link(&row.entity, row.entity_id.as_deref())
    }

    fn when(&self, row: &LogRow) -> String {
        format::date_time(row.at)
    }

    /// The kinds of entry, by their Swedish names.
    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        let mut kinds = ENTITIES.to_vec();
        kinds.sort_by(|a, b| a.1.cmp(b.1));
        kinds
    }

    fn page_link(&self, before: Option<i64>) -> String {
        self.query.link(&paths::audit_log(), before)
    }

    fn export_link(&self) -> String {
        self.query.link(&paths::audit_log_xlsx(), None)
    }

    fn is_filtered(&self) -> bool {
        self.page_link(None) != paths::audit_log()
    }
}

pub async fn show_log(
    State(state): State<AppState>,
    chrome: Chrome,
    choice: ColumnChoice,
    Query(query): Query<LogQuery>,
) -> Result<Response, AppError> {
    let (filter, errors) = query.filter();
    let mut conn = state.db.acquire().await?;
    let mut ids = search::ids(&mut conn, &filter, PAGE_SIZE + 1).await?;
    let next = (ids.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX))
        .then(|| {
            ids.truncate(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX));
            ids.last().copied()
        })
        .flatten();
    let rows = search::entries(&mut conn, &ids).await?;
    let choices = search::choices(&mut conn).await?;
    let status = crate::web::form::status(&errors, false);
    let view = LogView {
        chrome,
        query,
        errors,
        choices,
        rows,
        next,
        columns: choice.shown(&tables::AUDIT_LOG),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The entries the filter selects as an Excel workbook, newest first.
pub async fn export_log(
    State(state): State<AppState>,
    Query(query): Query<LogQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.filter();
    let mut conn = state.db.acquire().await?;
    let ids = search::ids(&mut conn, &filter, EXPORT_LIMIT).await?;
    let rows = search::entries(&mut conn, &ids).await?;
    drop(conn);
    let bytes = tokio::task::spawn_blocking(move || xlsx::write(&rows))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let name = format!("revisionslogg-{}.xlsx", format::today());
    Ok(download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}
