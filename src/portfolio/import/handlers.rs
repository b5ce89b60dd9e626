//! The import requests: the upload form, the preview (saves nothing) and the import.

use axum::{
    body::Bytes,
    extract::{Multipart, State},
    response::Response,
};
use axum_extra::extract::Form;
use serde::Deserialize;

use crate::{
    operation::{Actor, Refusal, Submission},
    paths,
    portfolio::import::{
        lines::{self, Line},
        operations::{self, Imported},
        page::render,
    },
    web::{AppError, AppState, Chrome, Page},
};

pub async fn show_import(chrome: Chrome) -> Result<Response, AppError> {
    render(chrome, Vec::new(), Vec::new())
}

/// The uploaded file's name and content, if one was chosen.
async fn upload(mut multipart: Multipart) -> Result<Option<(String, Bytes)>, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.to_string());
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            upload = Some((name, field.bytes().await.map_err(bad)?));
        }
    }
    Ok(upload.filter(|(name, _)| !name.is_empty()))
}

/// Reads the uploaded file and shows the preview; saves nothing.
pub async fn preview_import(
    State(state): State<AppState>,
    chrome: Chrome,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let read = match upload(multipart).await? {
        Some((name, bytes)) => lines::read(name, bytes).await,
        None => Err(vec!["Välj en fil att importera.".to_owned()]),
    };
    match read {
        Ok(lines) => {
            let mut conn = state.db.acquire().await?;
            let checked = lines::check(&mut conn, lines).await?;
            render(chrome, Vec::new(), checked)
        }
        Err(problems) => render(chrome, problems, Vec::new()),
    }
}

/// The confirmation: the previewed lines as typed.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub rows: String,
}

/// Checks the previewed lines again and creates every item, or none.
pub async fn save_import(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let lines: Vec<Line> = serde_json::from_str(&form.rows)
        .map_err(|_| AppError::BadRequest("import lines do not parse".into()))?;
    let url = format!("{}?sortera=nummer&ordning=fallande", paths::items());
    match operations::import_items(&state.db, &actor, (lines, form.submission)).await {
        Ok(Imported::Saved(count)) => {
            page.done(format!("{count} objekt har importerats."), &url)
                .await
        }
        Ok(Imported::Refused(checked)) => render(page.chrome().await?, Vec::new(), checked),
        Err(Refusal::AlreadySent(_)) => page.sent_before(&url).await,
        Err(refusal) => Err(refusal.into()),
    }
}
