//! The period report's documents for its readers: Word, Excel, tagged PDF/A-2a and PDF/UA-1 and the print view.
//! Each handler loads the report (404 for an unknown board or occasion), checks that the user
//! may read the board's report (403), assembles the document once and writes it.

use axum::{
    extract::{Path, State},
    response::{Html, Response},
};
use chrono::Utc;
use uuid::Uuid;

use crate::{
    documents::letterhead::Letterhead,
    follow_up::{decision::record, document, docx, pdf, policy, print, xlsx},
    letterheads, paths,
    web::{AppError, AppState, CurrentUser, download::attachment, format},
};

/// The files a report exports to.
#[derive(Clone, Copy)]
enum Format {
    Docx,
    Xlsx,
    Pdf,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    fn write(
        self,
        document: &document::Document,
        letterhead: &Letterhead,
    ) -> Result<Vec<u8>, String> {
        match self {
            Format::Docx => docx::write(document, Utc::now(), letterhead),
            Format::Xlsx => xlsx::write(document),
            Format::Pdf => pdf::write(document, Utc::now()),
        }
    }
}

/// The report of `board` at `occasion` as a document, for a user who may read it.
async fn load(
    state: &AppState,
    me: &CurrentUser,
    (occasion, board): (Uuid, Uuid),
) -> Result<document::Document, AppError> {
    let mut conn = state.db.acquire().await?;
    let report = policy::readable_report(&mut conn, me, (occasion, board)).await?;
    let corrections = record::corrections(&mut conn, &report).await?;
    let mut document = document::assemble(&report, format::today());
    record::stamp(&mut document, &report, &corrections);
    Ok(document)
}

/// The file, written on the blocking pool.
async fn export(
    state: &AppState,
    me: &CurrentUser,
    ids: (Uuid, Uuid),
    format: Format,
) -> Result<Response, AppError> {
    let document = load(state, me, ids).await?;
    // Word documents are written in the template of the board's municipality.
    let letterhead = match format {
        Format::Docx => letterheads::of_board(&mut *state.db.acquire().await?, ids.1).await?,
        Format::Xlsx | Format::Pdf => Letterhead::house(),
    };
    let name = format!("{}.{}", document.file_stem, format.extension());
    let bytes = tokio::task::spawn_blocking(move || format.write(&document, &letterhead))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok(attachment(format.content_type(), &name, bytes))
}

pub async fn export_docx(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    export(&state, &me, ids, Format::Docx).await
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    export(&state, &me, ids, Format::Xlsx).await
}

pub async fn export_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    export(&state, &me, ids, Format::Pdf).await
}

pub async fn show_print(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Html<String>, AppError> {
    let document = load(&state, &me, ids).await?;
    print::render_print(document, paths::follow_up(ids.0, ids.1))
}
