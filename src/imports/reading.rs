//! Reading a received file in the background: the upload's request answers as soon as the file
//! is on disk, and the import's page shows the rows read so far until the preview is ready.

use std::{fs::File, io::BufReader};

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::imports::{
    repo,
    sie_rows::{self, Dimensions},
    staging::{self, Sink, StageError},
    table::{self, TableFormat},
};

/// How a file is read: as SIE with its dimensions, or as a table (Excel when `xlsx`).
#[derive(Debug, Clone)]
pub enum Source {
    Sie(Dimensions),
    Table { format: TableFormat, xlsx: bool },
}

/// Which dimensions of the municipality's ledger hold projects and cost centres: its setting,
/// or SIE's own numbering (6 and 1).
pub async fn dimensions(conn: &mut PgConnection, municipality: Uuid) -> sqlx::Result<Dimensions> {
    let setting = sqlx::query!(
        "SELECT project_dimension, cost_centre_dimension FROM ledger_setting \
         WHERE municipality_id = $1",
        municipality
    )
    .fetch_optional(conn)
    .await?;
    let number = |n: i32, default| u32::try_from(n).unwrap_or(default);
    Ok(setting.map_or(
        Dimensions {
            project: 6,
            cost_centre: 1,
        },
        |s| Dimensions {
            project: number(s.project_dimension, 6),
            cost_centre: number(s.cost_centre_dimension, 1),
        },
    ))
}

/// Reads `file` into the import's staged rows, on a task of its own.
pub fn spawn(db: PgPool, import: Uuid, file: File, source: Source) {
    tokio::spawn(async move {
        if let Err(e) = read(&db, import, file, source).await {
            tracing::error!(%import, error = %e, "a ledger file could not be read");
            let message = match e {
                StageError::Reading(_) => "Filen kunde inte läsas till slut. Läs in den igen.",
                StageError::Database(_) => {
                    "Raderna kunde inte sparas för granskning. Försök igen om en stund."
                }
            };
            if let Err(e) = repo::mark_failed(&db, import, message).await {
                tracing::error!(%import, error = %e, "the failed import was not marked");
            }
        }
    });
}

/// Reads `file` into the import's staged rows, in one transaction: what the background task
/// runs (and the benchmark times). The preview is computed from them when its page is shown.
pub async fn read(db: &PgPool, import: Uuid, file: File, source: Source) -> Result<(), StageError> {
    let mut tx = db.begin().await?;
    let input = BufReader::with_capacity(256 * 1024, file);
    let read = move |sink: &mut Sink| match source {
        Source::Sie(dimensions) => sie_rows::read_sie(input, dimensions, sink),
        Source::Table { format, xlsx } => table::stage(input, xlsx, &format, sink),
    };
    staging::stage(&mut tx, import, read, Some(db)).await?;
    tx.commit().await?;
    Ok(())
}
