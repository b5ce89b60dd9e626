//! The ledger import's requests: the list with the upload form, the upload, the import's page
//! (progress, preview, mapping, batch), its progress for the page's script, and the buttons.

use axum::{
    Json,
    extract::{Multipart, Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    imports::{
        mapping, operations,
        page::{Typed, UploadTyped, render_import, render_imports},
        repo, start,
        upload::{self, Upload},
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, CurrentUser, Page, format::count},
};

pub async fn show_imports(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    render_imports(&state, &page, Default::default()).await
}

/// The demo's ledger file (`docs/examples/demo-huvudbok.se`): vouchers of Ludvika's demo
/// projects, to import and undo.
pub async fn example_file() -> Response {
    let bytes: &'static [u8] = include_bytes!("../../docs/examples/demo-huvudbok.se");
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"demo-huvudbok.se\"",
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Receives a file and starts reading it; its page shows the progress.
pub async fn upload_import(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let started = match upload::receive(multipart, state.config.max_ledger_bytes).await? {
        Upload::Received(received) => {
            let typed = (received.municipality, received.typed.clone());
            start::start_import(&state.db, &actor, received)
                .await
                .map_err(|r| (r, typed))
        }
        Upload::Refused {
            errors,
            municipality,
            typed,
        } => Err((Refusal::Invalid(errors), (municipality, typed))),
    };
    match started {
        Ok(id) => {
            let message = "Filen har tagits emot och läses in.";
            page.done(message, &paths::ledger_import(id)).await
        }
        Err((refusal, typed)) => {
            let (errors, _) = refusal.for_form()?;
            render_imports(&state, &page, UploadTyped { errors, typed }).await
        }
    }
}

pub async fn show_import(
    State(state): State<AppState>,
    page: Page,
    _me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_import(&state, &page, id, Typed::default()).await
}

/// The import's phase and rows read, for the page's script while it is being read.
pub async fn show_progress(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let import = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(serde_json::json!({
        "status": import.status.code(),
        "label": import.status.label(),
        "rows": import.rows_staged,
        "lines": import.lines_read,
    }))
    .into_response())
}

/// The version of the import the page showed.
#[derive(Debug, Deserialize)]
pub struct VersionForm {
    pub version: i32,
}

#[derive(Debug, Deserialize)]
pub struct UndoForm {
    pub version: i32,
    #[serde(default)]
    pub reason: String,
}

pub async fn save_mapping(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let version = fields
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("version".into()))?;
    let kept = match mapping::parse(&fields) {
        Ok(choices) => operations::save_mapping(&state.db, &actor, id, (version, choices)).await,
        Err(refusal) => Err(refusal),
    };
    let to = paths::ledger_import(id);
    match kept {
        Ok(0) => {
            page.unchanged("Inga konton valdes; inget sparades.", &to)
                .await
        }
        Ok(n) => {
            let kept = count(
                i64::try_from(n).unwrap_or(i64::MAX),
                "kontokoppling",
                "kontokopplingar",
            );
            page.done(format!("{kept} har sparats."), &to).await
        }
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}

pub async fn save_import(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let to = paths::ledger_import(id);
    match operations::save_import(&state.db, &actor, id, form.version).await {
        Ok(saved) => {
            let message = format!(
                "Importen är sparad: {} i projekten från {} och {} i verksamheterna.",
                count(saved.entries, "utfallspost", "utfallsposter"),
                count(saved.vouchers, "verifikation", "verifikationer"),
                count(saved.operating_entries, "driftpost", "driftposter")
            );
            page.done(message, &to).await
        }
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}

pub async fn undo_import(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<UndoForm>,
) -> Result<Response, AppError> {
    let to = paths::ledger_import(id);
    let undone = operations::undo_import(&state.db, &actor, id, (form.version, &form.reason)).await;
    match undone {
        Ok(reversed) => {
            let message = format!(
                "Importen är ångrad: {} och {} har återförts.",
                count(reversed.entries, "utfallspost", "utfallsposter"),
                count(reversed.operating_entries, "driftpost", "driftposter")
            );
            page.done(message, &to).await
        }
        Err(Refusal::Invalid(errors)) => {
            let typed = Typed {
                reason: form.reason,
                errors,
            };
            render_import(&state, &page, id, typed).await
        }
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}

pub async fn discard_import(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    match operations::discard_import(&state.db, &actor, id, form.version).await {
        Ok(name) => {
            let message = format!("Inläsningen av ”{name}” har tagits bort.");
            page.done(message, &paths::ledger_imports()).await
        }
        Err(refusal) => {
            page.refused_because(refusal, &paths::ledger_import(id))
                .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MappingForm {
    #[serde(default)]
    pub account: String,
}

/// Removes a project's account mapping: the next import asks for the account again.
pub async fn remove_mapping(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(project): Path<Uuid>,
    Form(form): Form<MappingForm>,
) -> Result<Response, AppError> {
    let to = paths::project_budget(project);
    match operations::remove_mapping(&state.db, &actor, project, &form.account).await {
        Ok(()) => {
            let message = format!(
                "Kopplingen av konto {} är borttagen. Nästa import frågar efter kontot igen.",
                form.account
            );
            page.done(message, &to).await
        }
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}
