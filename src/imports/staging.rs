//! A ledger file read into the staged rows of its import (`ledger_import_row`) with `COPY`,
//! never held in memory: the SIE reader runs on a blocking thread and hands over chunks of COPY
//! text through a small channel, which the connection sends on as they come. The staged rows,
//! the lines that could not be read and the labels read past are then what the preview shows.

use std::{collections::BTreeMap, io::BufRead};

use serde_json::json;
use sqlx::PgConnection;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::sie::{Item, Limits, LineError, Reader, Skipped};

/// The COPY text handed over at a time, and how many chunks may wait.
const CHUNK_BYTES: usize = 64 * 1024;
const CHUNKS_WAITING: usize = 4;

/// Which dimensions hold the project and the cost centre (`ledger_setting`).
#[derive(Debug, Clone, Copy)]
pub struct Dimensions {
    pub project: u32,
    pub cost_centre: u32,
}

/// What reading a file gave.
#[derive(Debug, Default)]
pub struct Staged {
    pub lines: u64,
    pub rows: u64,
    pub errors: Vec<LineError>,
    pub skipped: BTreeMap<String, Skipped>,
    pub program: String,
    pub company: String,
}

/// Why staging stopped: the database, or the file could not be read on.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("läsningen avbröts: {0}")]
    Reading(String),
}

/// Reads the SIE file `input` into the staged rows of `import_id` and records the result on
/// the import (status 'read'), in the caller's transaction.
pub async fn stage_sie<R: BufRead + Send + 'static>(
    conn: &mut PgConnection,
    import_id: Uuid,
    input: R,
    dimensions: Dimensions,
) -> Result<Staged, StageError> {
    let (chunks, mut received) = mpsc::channel::<Vec<u8>>(CHUNKS_WAITING);
    let reading =
        tokio::task::spawn_blocking(move || read_sie(input, import_id, dimensions, &chunks));
    let mut copy = conn
        .copy_in_raw(
            "COPY ledger_import_row (import_id, line, series, number, voucher_date, account, \
             cost_centre, project, amount, row_date, text) FROM STDIN",
        )
        .await?;
    while let Some(chunk) = received.recv().await {
        if let Err(e) = copy.send(chunk).await {
            let _ = copy.abort("the import stopped").await;
            return Err(e.into());
        }
    }
    let staged = match reading.await {
        Ok(staged) => staged,
        Err(e) => {
            copy.abort("the reader stopped").await?;
            return Err(StageError::Reading(e.to_string()));
        }
    };
    copy.finish().await?;
    record(conn, import_id, &staged).await?;
    Ok(staged)
}

/// The reader's side: items become COPY lines, sent a chunk at a time; errors and skipped labels
/// are kept for the import's record.
fn read_sie<R: BufRead>(
    input: R,
    import_id: Uuid,
    dimensions: Dimensions,
    chunks: &mpsc::Sender<Vec<u8>>,
) -> Staged {
    let mut reader = Reader::new(input, Limits::default());
    let mut staged = Staged::default();
    let id = import_id.to_string();
    let mut chunk = Vec::with_capacity(CHUNK_BYTES + 1024);
    let mut voucher = None;
    for result in reader.by_ref() {
        match result {
            Ok(Item::Voucher(v)) => voucher = Some(v),
            Ok(Item::Row(row)) => {
                let Some(v) = &voucher else { continue };
                staged.rows += 1;
                let fields = [
                    Some(id.as_str()),
                    Some(&row.line.to_string()),
                    Some(v.series.as_str()),
                    Some(v.number.as_str()),
                    Some(&v.date.to_string()),
                    Some(row.account.as_str()),
                    row.object(dimensions.cost_centre),
                    row.object(dimensions.project),
                    Some(&row.amount.amount().to_string()),
                    Some(&row.date.unwrap_or(v.date).to_string()),
                    Some(row.text.as_str()),
                ];
                push_copy_line(&mut chunk, &fields);
                if chunk.len() >= CHUNK_BYTES {
                    let full =
                        std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_BYTES + 1024));
                    if chunks.blocking_send(full).is_err() {
                        // The database side stopped; it reports why.
                        return staged;
                    }
                }
            }
            Ok(Item::Program { name, version }) => {
                staged.program = format!("{name} {version}").trim().to_owned();
            }
            Ok(Item::Company(name)) => staged.company = name,
            Ok(_) => {}
            Err(e) => staged.errors.push(e),
        }
    }
    if !chunk.is_empty() {
        let _ = chunks.blocking_send(chunk);
    }
    staged.lines = reader.lines_read();
    staged.skipped = reader.skipped().clone();
    staged
}

/// One line of COPY's text format: fields separated by tabs, `\N` for none, and the
/// backslash, tab, newline and carriage return escaped.
fn push_copy_line(out: &mut Vec<u8>, fields: &[Option<&str>]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match field {
            None => out.extend_from_slice(b"\\N"),
            Some(text) => {
                for b in text.bytes() {
                    match b {
                        b'\\' => out.extend_from_slice(b"\\\\"),
                        b'\t' => out.extend_from_slice(b"\\t"),
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        _ => out.push(b),
                    }
                }
            }
        }
    }
    out.push(b'\n');
}

async fn record(conn: &mut PgConnection, import_id: Uuid, staged: &Staged) -> sqlx::Result<()> {
    let errors: Vec<_> = staged
        .errors
        .iter()
        .map(|e| json!({"line": e.line, "text": e.text, "message": e.message}))
        .collect();
    let skipped: Vec<_> = staged
        .skipped
        .iter()
        .map(|(label, s)| json!({"label": label, "first_line": s.first_line, "count": s.count}))
        .collect();
    sqlx::query!(
        "UPDATE ledger_import SET status = 'read', lines_read = $2, rows_staged = $3, \
         line_errors = $4::text::jsonb, skipped = $5::text::jsonb, program = $6, company = $7, version = version + 1 \
         WHERE id = $1",
        import_id,
        i64::try_from(staged.lines).unwrap_or(i64::MAX),
        i64::try_from(staged.rows).unwrap_or(i64::MAX),
        serde_json::Value::from(errors).to_string(),
        serde_json::Value::from(skipped).to_string(),
        staged.program,
        staged.company,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_escape_what_copy_reads_specially() {
        let mut out = Vec::new();
        push_copy_line(
            &mut out,
            &[Some("a\\b"), None, Some("tab\there\nnl\rcr"), Some("")],
        );
        assert_eq!(out, b"a\\\\b\t\\N\ttab\\there\\nnl\\rcr\t\n".to_vec());
    }
}
