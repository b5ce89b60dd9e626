//! The final-report routes on a project: the draft page and its status form, the edit form,
//! and the Word and PDF exports. Each extracts, calls one operation or loader, then renders or
//! redirects.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    final_report::{
        forms::{ContentForm, MoveForm},
        loader::load,
        operations,
        page::{EditTyped, MoveTyped, render_edit, render_show},
    },
    operation::Actor,
    paths,
    web::{AppError, AppState, Chrome, CurrentUser, Page},
};

pub async fn show_report(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_show(&state.db, chrome, &me, id, MoveTyped::default()).await
}

/// Moves the draft. Refusals go back to the draft page with the messages next to the fields.
pub async fn move_report(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    match operations::move_report(&state.db, &actor, id, &form).await {
        Ok(status) => {
            let message = format!("Slutredovisningen har status ”{status}”.");
            page.done(message, &paths::final_report(id)).await
        }
        Err(refusal) => {
            let typed = MoveTyped::refused(form, refusal)?;
            render_show(&state.db, page.chrome().await?, &actor.user, id, typed).await
        }
    }
}

pub async fn edit_report(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_edit(&state.db, chrome, &me, id, None).await
}

/// Saves the text as a new version (a correction once decided).
pub async fn update_report(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ContentForm>,
) -> Result<Response, AppError> {
    let form = form.cleaned();
    match operations::save_text(&state.db, &actor, id, &form).await {
        Ok(saved) => {
            let message = format!("Slutredovisningen har sparats som version {saved}.");
            page.done(message, &paths::final_report(id)).await
        }
        Err(refusal) => {
            let typed = EditTyped::refused(form, refusal)?;
            render_edit(
                &state.db,
                page.chrome().await?,
                &actor.user,
                id,
                Some(typed),
            )
            .await
        }
    }
}

/// The formats a draft exports to.
#[derive(Clone, Copy)]
enum Format {
    Docx,
    Pdf,
}

/// The draft as a Word document.
pub async fn export_docx(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    export(&state, &me, id, Format::Docx).await
}

/// The draft as tagged PDF/A-2a and PDF/UA-1, for the archive.
pub async fn export_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    export(&state, &me, id, Format::Pdf).await
}

async fn export(
    state: &AppState,
    me: &CurrentUser,
    id: Uuid,
    format: Format,
) -> Result<Response, AppError> {
    // `load` has checked that `me` may read, and so export, this report.
    let loaded = load(&state.db, me, id).await?;
    let imprint = loaded.imprint(chrono::Utc::now());
    // Word documents are written in the template of the board's municipality.
    let letterhead = match format {
        Format::Docx => {
            crate::letterheads::of_board(&mut *state.db.acquire().await?, loaded.project.board_id)
                .await?
        }
        Format::Pdf => crate::documents::letterhead::Letterhead::house(),
    };
    let document = loaded.document;
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Docx => super::docx::write(&document, &imprint, &letterhead),
        Format::Pdf => super::pdf::write(&document, &imprint),
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let (content_type, extension) = match format {
        Format::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Format::Pdf => ("application/pdf", "pdf"),
    };
    let filename = format!(
        "Slutredovisning {} {}.{extension}",
        loaded.project.case_number, loaded.project.name
    );
    Ok(crate::web::download::attachment(
        content_type,
        &filename,
        bytes,
    ))
}
