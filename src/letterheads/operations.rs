//! Uploading, replacing and removing a municipality's Word template (see `crate::operation`
//! for the shape). A template is read in full before it is saved, so what is stored is known
//! to work; its checksum is what a form is based on, so two administrators replacing the same
//! template at once do not overwrite each other unseen.

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    admin::municipalities::repo as municipalities,
    audit,
    documents::letterhead::{Letterhead, MAX_BYTES},
    domain::text,
    letterheads::repo,
    operation::{Actor, Refusal},
    web::AppError,
};

/// The form's one field: the file input.
pub const FIELD: &str = "letterhead";

/// What the upload and removal forms send besides the file: the checksum of the template the
/// page showed ("" for none).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LetterheadForm {
    #[serde(default)]
    pub based_on: String,
}

/// An uploaded file: its name and content.
pub struct Upload {
    pub file_name: String,
    pub content: Vec<u8>,
}

fn checksum(content: &[u8]) -> String {
    Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// "brevmall.docx (sha256 1a2b3c4d5e6f)", or "" for none: how the audit log names a template.
fn named(stored: Option<&(String, String)>) -> String {
    stored.map_or_else(String::new, |(name, sha)| {
        format!("{name} (sha256 {})", &sha[..12.min(sha.len())])
    })
}

/// The file's name, checked, and the template read from it.
fn check(upload: &Upload) -> Result<(String, Letterhead), Refusal> {
    if upload.content.is_empty() {
        return Err(Refusal::invalid(
            FIELD,
            "Välj en Word-mall (.docx) att ladda upp.",
        ));
    }
    if upload.content.len() > MAX_BYTES {
        return Err(Refusal::invalid(
            FIELD,
            "Mallen är större än 5 MB. Minska logotypens bildstorlek i Word och försök igen.",
        ));
    }
    // The name without the folders a browser may send; no characters that turn text around.
    let name = upload
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let turns = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let name = match text::bounded(name, 255, false) {
        Ok(name) if !name.chars().any(turns) => name,
        _ => {
            return Err(Refusal::invalid(
                FIELD,
                "Byt namn på filen: högst 255 tecken, utan styrtecken.",
            ));
        }
    };
    let lower = name.to_lowercase();
    let stem = lower.trim_end_matches(".docx").trim_end_matches(".dotx");
    if !(lower.ends_with(".docx") || lower.ends_with(".dotx")) || stem.trim().is_empty() {
        return Err(Refusal::invalid(
            FIELD,
            "Välj ett Word-dokument med ett namn som slutar på .docx eller .dotx.",
        ));
    }
    let letterhead = Letterhead::read(&upload.content).map_err(|e| Refusal::invalid(FIELD, e))?;
    Ok((name, letterhead))
}

/// Saves `upload` as the template of municipality `id` over the one `form` was based on;
/// returns the municipality's name.
pub async fn upload(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    (form, upload): (&LetterheadForm, &Upload),
) -> Result<String, Refusal> {
    let (file_name, _) = check(upload)?;
    let sha = checksum(&upload.content);
    let mut tx = db.begin().await?;
    let name = lock(&mut tx, id).await?;
    let stored = repo::current(&mut tx, id).await?;
    based_on(stored.as_ref(), form)?;
    repo::save(
        &mut tx,
        id,
        (&file_name, &upload.content, &sha),
        actor.user.id,
    )
    .await?;
    let change = (named(stored.as_ref()), named(Some(&(file_name, sha))));
    record(
        &mut tx,
        actor,
        (id, "municipality_letterhead_uploaded"),
        change,
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}

/// Removes the template of municipality `id`, which `form` was based on; the house style
/// applies again. Returns the municipality's name and whether there was a template to remove.
pub async fn remove(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &LetterheadForm,
) -> Result<(String, bool), Refusal> {
    let mut tx = db.begin().await?;
    let name = lock(&mut tx, id).await?;
    let stored = repo::current(&mut tx, id).await?;
    based_on(stored.as_ref(), form)?;
    if stored.is_none() {
        return Ok((name, false));
    }
    repo::remove(&mut tx, id).await?;
    let change = (named(stored.as_ref()), String::new());
    record(
        &mut tx,
        actor,
        (id, "municipality_letterhead_removed"),
        change,
    )
    .await?;
    tx.commit().await?;
    Ok((name, true))
}

/// The audit entry of a change of municipality `id`'s template: the old and the new named.
async fn record(
    tx: &mut sqlx::PgConnection,
    actor: &Actor,
    (id, action): (Uuid, &str),
    (old, new): (String, String),
) -> Result<(), sqlx::Error> {
    let entity = id.to_string();
    let change = [("letterhead", old, new)];
    audit::repo::record_changes(
        tx,
        &actor.trail,
        action,
        ("municipality", &entity),
        None,
        &change,
    )
    .await
}

/// Locks municipality `id` for the change and returns its name.
async fn lock(tx: &mut sqlx::PgConnection, id: Uuid) -> Result<String, Refusal> {
    let settings = municipalities::find_for_update(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(settings.name)
}

/// Refuses when the stored template is not the one the form was based on.
fn based_on(stored: Option<&(String, String)>, form: &LetterheadForm) -> Result<(), Refusal> {
    let current = stored.map_or("", |(_, sha)| sha.as_str());
    if current == form.based_on.trim() {
        return Ok(());
    }
    Err(Refusal::conflict(match stored {
        Some((name, _)) => format!("Någon annan bytte mallen under tiden; nu gäller {name}."),
        None => "Någon annan tog bort mallen under tiden; nu gäller standardmallen.".to_owned(),
    }))
}
