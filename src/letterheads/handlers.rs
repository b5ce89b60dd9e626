//! The Word template's requests on the municipalities page: upload (a multipart form, bounded
//! here since it may exceed the usual body limit), removal, and the template and a sample
//! document in it as downloads.

use axum::{
    extract::{Multipart, Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    admin::municipalities::handlers::{Refused, render},
    documents::letterhead::MAX_BYTES,
    letterheads::{
        self,
        operations::{self, LetterheadForm, Upload},
        repo, sample,
    },
    operation::Actor,
    paths,
    web::{AppError, AppState, Page, Typed, download::attachment},
};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The form's `based_on` and file, the file read up to one byte over the limit (the operation
/// refuses it then, by its size, without reading the rest).
async fn read_upload(mut multipart: Multipart) -> Result<(LetterheadForm, Upload), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.to_string());
    let mut form = LetterheadForm::default();
    let mut upload = Upload {
        file_name: String::new(),
        content: Vec::new(),
    };
    let mut files = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let (limit, into) = match field.name() {
            // A checksum: 64 characters.
            Some("based_on") => (128, &mut form.based_on),
            Some("file") if files == 0 => {
                files += 1;
                upload.file_name = field.file_name().unwrap_or_default().to_owned();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    upload.content.extend_from_slice(&chunk);
                    if upload.content.len() > MAX_BYTES {
                        break;
                    }
                }
                continue;
            }
            _ => continue,
        };
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            text.extend_from_slice(&chunk);
            if text.len() > limit {
                return Err(AppError::BadRequest("based_on is too long".into()));
            }
        }
        *into = String::from_utf8_lossy(&text).into_owned();
    }
    Ok((form, upload))
}

pub async fn upload_letterhead(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (form, upload) = read_upload(multipart).await?;
    match operations::upload(&state.db, &actor, id, (&form, &upload)).await {
        Ok(name) => {
            let message = format!(
                "{name}s Word-mall är sparad. Slutredovisningar, periodrapporter och protokoll \
                 skrivs nu i den."
            );
            page.done(message, &paths::municipalities()).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render(&state, page.chrome().await?, Refused::Letterhead(id, typed)).await
        }
    }
}

pub async fn remove_letterhead(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<LetterheadForm>,
) -> Result<Response, AppError> {
    match operations::remove(&state.db, &actor, id, &form).await {
        Ok((name, removed)) => {
            let message = if removed {
                format!("{name}s Word-mall är borttagen; standardmallen gäller.")
            } else {
                format!("{name} har ingen Word-mall; standardmallen gäller redan.")
            };
            page.done(message, &paths::municipalities()).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render(&state, page.chrome().await?, Refused::Letterhead(id, typed)).await
        }
    }
}

/// The template as it was uploaded.
pub async fn download_letterhead(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let stored = repo::all(&mut conn).await?;
    let stored = stored
        .into_iter()
        .find(|s| s.municipality_id == id)
        .ok_or(AppError::NotFound)?;
    let content = repo::content(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = if stored.file_name.to_lowercase().ends_with(".dotx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template"
    } else {
        DOCX
    };
    Ok(attachment(content_type, &stored.file_name, content))
}

/// A sample document in the municipality's template (or the house style).
pub async fn sample_letterhead(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let municipality = crate::admin::municipalities::repo::all(&mut conn)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let letterhead = letterheads::of_municipality(&mut conn, id).await?;
    drop(conn);
    let name = municipality.name;
    let file = format!("Provutskrift {name}.docx");
    let bytes = tokio::task::spawn_blocking(move || sample::write(&letterhead, &name))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok(attachment(DOCX, &file, bytes))
}
