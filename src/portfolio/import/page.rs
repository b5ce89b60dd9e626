//! The import page: the upload form, and the preview of every line with its errors next to it
//! and, when every line is right, the confirmation that carries the lines as typed.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::{
    domain::project::Plan,
    portfolio::import::lines::{COLUMNS, Checked, Line, heading},
    web::{AppError, Chrome},
};

#[derive(Template)]
#[template(path = "portfolio/import.html")]
struct ImportView {
    chrome: Chrome,
    /// Problems with the file as a whole.
    file_errors: Vec<String>,
    checked: Vec<Checked>,
    /// The lines as JSON for the confirmation form, when every line is right.
    confirm: Option<String>,
}

impl ImportView {
    fn columns(&self) -> Vec<&'static str> {
        COLUMNS.iter().map(|(_, f)| heading(f)).collect()
    }
    fn error_count(&self) -> usize {
        self.checked.iter().filter(|c| c.result.is_err()).count()
    }
    fn plan_label(&self, code: &str) -> String {
        Plan::from_code(code).map_or_else(|| code.to_owned(), |p| p.label().to_owned())
    }
}

pub fn render(
    chrome: Chrome,
    file_errors: Vec<String>,
    checked: Vec<Checked>,
) -> Result<Response, AppError> {
    let valid =
        file_errors.is_empty() && !checked.is_empty() && checked.iter().all(|c| c.result.is_ok());
    let confirm = if valid {
        let lines: Vec<&Line> = checked.iter().map(|c| &c.line).collect();
        Some(serde_json::to_string(&lines).map_err(|e| AppError::Internal(e.to_string()))?)
    } else {
        None
    };
    let submitted = !file_errors.is_empty() || !checked.is_empty();
    let status = if submitted && !valid {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let view = ImportView {
        chrome,
        file_errors,
        checked,
        confirm,
    };
    Ok((status, Html(view.render()?)).into_response())
}
