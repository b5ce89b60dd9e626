//! The protocol's files as answers: the decided round's protocol loaded for the reader and
//! written off the threads that answer other requests.

use axum::response::Response;
use uuid::Uuid;

use crate::{
    portfolio::{
        board::repo as board_repo,
        models::repo as models,
        protocol::{docx, model, model::Protocol, xlsx},
        scope::load_round,
    },
    web::{AppError, AppState},
};

/// The protocol of round `id`, which must be decided.
async fn load(state: &AppState, id: Uuid) -> Result<Protocol, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    if !round.is_decided() {
        return Err(AppError::Conflict(format!(
            "Omgång {} är inte beslutad ännu; protokollet finns när den är det.",
            round.quarter
        )));
    }
    let rows = board_repo::rows(&mut conn, id).await?;
    let scoring = models::of_round(&mut conn, id).await?;
    Ok(model::build(&round, &scoring.name, &rows))
}

/// Writes the protocol with `write` (CPU work) and answers with the file.
async fn download(
    protocol: Protocol,
    (extension, content_type): (&str, &'static str),
    write: impl FnOnce(&Protocol) -> Result<Vec<u8>, String> + Send + 'static,
) -> Result<Response, AppError> {
    let file = format!("protokoll-prioritering-{}.{extension}", protocol.quarter);
    let bytes = tokio::task::spawn_blocking(move || write(&protocol))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok(crate::web::download::attachment(content_type, &file, bytes))
}

/// The protocol of round `id` as a Word document, in the template of municipality `template`
/// (the house style for none, or a municipality without one).
pub async fn docx_file(
    state: &AppState,
    id: Uuid,
    template: Option<Uuid>,
) -> Result<Response, AppError> {
    let protocol = load(state, id).await?;
    let letterhead = match template {
        Some(m) => crate::letterheads::of_municipality(&mut *state.db.acquire().await?, m).await?,
        None => crate::documents::letterhead::Letterhead::house(),
    };
    let kind = (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    download(protocol, kind, move |p| {
        docx::write(p, chrono::Utc::now(), &letterhead)
    })
    .await
}

/// The protocol of round `id` as an Excel workbook.
pub async fn xlsx_file(state: &AppState, id: Uuid) -> Result<Response, AppError> {
    let protocol = load(state, id).await?;
    let kind = (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    download(protocol, kind, xlsx::write).await
}
