//! Starting an import: the received file's kind known by its first bytes, a table's columns
//! checked against its header (and remembered for the municipality), the import created and
//! its reading started in the background.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry as AuditEntry},
    domain::ledger::FileFormat,
    imports::{
        reading::{self, Source},
        repo, table, table_setting,
        upload::Received,
    },
    operation::{Actor, Refusal},
    web::AppError,
};

/// Creates the import of a received file and starts reading it; the file of a saved import of
/// the same municipality is refused, and so is a table without the columns named.
pub async fn start_import(
    db: &PgPool,
    actor: &Actor,
    mut received: Received,
) -> Result<Uuid, Refusal> {
    // The upload may have taken many minutes: whoever sent it must still be an active
    // controller when the import is created.
    let still = crate::auth::repo::find_active_user(db, actor.user.id).await?;
    if !still.is_some_and(|u| u.has_role(crate::domain::role::Role::Controller)) {
        return Err(AppError::Forbidden.into());
    }
    let Some(municipality) = received.municipality else {
        return Err(Refusal::invalid("municipality", "Välj en kommun."));
    };
    let mut tx = db.begin().await?;
    let name = sqlx::query_scalar!("SELECT name FROM municipality WHERE id = $1", municipality)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Refusal::invalid("municipality", "Välj en kommun i listan."))?;
    if let Some((_, at)) = repo::same_file(&mut tx, municipality, &received.sha256).await? {
        let day = crate::web::format::date_time(at);
        return Err(Refusal::invalid(
            "file",
            format!(
                "Den här filen är redan importerad för {name} ({day}). Samma fil kan inte \
                 importeras två gånger; ångra den importen först om den ska läsas in igen."
            ),
        ));
    }
    let format = file_format(&mut received.file)?;
    let source = match format {
        FileFormat::Sie4 => Source::Sie(reading::dimensions(&mut tx, municipality).await?),
        FileFormat::Csv | FileFormat::Xlsx => {
            let remembered = table_setting::remembered(&mut tx, municipality).await?;
            let table = table_setting::typed_over(remembered, &received.typed);
            let xlsx = format == FileFormat::Xlsx;
            let (file, header) = read_header(received.file, xlsx, table.clone()).await?;
            received.file = file;
            let header = header.map_err(|message| Refusal::invalid("file", message))?;
            table::positions(&header, &table.columns).map_err(Refusal::Invalid)?;
            table_setting::remember(&mut tx, municipality, &table, actor.user.id).await?;
            Source::Table {
                format: table,
                xlsx,
            }
        }
    };
    let id = Uuid::now_v7();
    let file = (
        municipality,
        received.file_name.as_str(),
        received.sha256.as_str(),
        format,
    );
    repo::create(&mut tx, id, file, actor.user.id).await?;
    let started = AuditEntry {
        new: Some(format!(
            "{} ({name}, {})",
            received.file_name,
            format.label()
        )),
        field: Some("file_name"),
        ..AuditEntry::event(
            "ledger_import_started",
            "ledger_import",
            Some(id.to_string()),
        )
    };
    audit::record(&mut tx, &actor.trail, started).await?;
    tx.commit().await?;
    reading::spawn(db.clone(), id, received.file, source);
    Ok(id)
}

/// The header of a table file, read on a blocking thread; the file comes back rewound.
async fn read_header(
    mut file: std::fs::File,
    xlsx: bool,
    format: table::TableFormat,
) -> Result<(std::fs::File, Result<Vec<String>, String>), Refusal> {
    tokio::task::spawn_blocking(move || {
        let header = table::header(&mut file, xlsx, &format);
        (file, header)
    })
    .await
    .map_err(|e| Refusal::Failed(AppError::Internal(format!("reading a header: {e}"))))
}

/// The kind of the received file, by its first bytes.
fn file_format(file: &mut std::fs::File) -> Result<FileFormat, Refusal> {
    use std::io::{Read, Seek};
    let mut start = Vec::with_capacity(512);
    let read = file
        .by_ref()
        .take(512)
        .read_to_end(&mut start)
        .and_then(|_| file.rewind());
    read.map_err(|e| Refusal::Failed(AppError::Internal(format!("upload file: {e}"))))?;
    if start.is_empty() {
        return Err(Refusal::invalid("file", "Filen är tom."));
    }
    Ok(FileFormat::of(&start))
}
