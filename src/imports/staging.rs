//! A ledger file read into the staged rows of its import (`ledger_import_row`) with `COPY`,
//! never held in memory: the file's reader (SIE, or a CSV or Excel table) runs on a blocking
//! thread and hands over chunks of COPY text through a small channel, which the connection
//! sends on as they come. The staged rows,
//! the lines that could not be read and the labels read past are then what the preview shows.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use chrono::{Datelike, NaiveDate};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::sie::{LineError, Skipped};
use crate::domain::money::Money;

/// The COPY text handed over at a time, and how many chunks may wait.
const CHUNK_BYTES: usize = 64 * 1024;
const CHUNKS_WAITING: usize = 4;
/// How often the rows read so far are written where the import's page reads them.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);
/// The most account names kept from `#KONTO` (a chart of accounts has a few thousand).
const ACCOUNT_NAMES: usize = 20_000;

/// What reading a file gave.
#[derive(Debug, Default)]
pub struct Staged {
    pub lines: u64,
    pub rows: u64,
    pub errors: Vec<LineError>,
    pub skipped: BTreeMap<String, Skipped>,
    pub program: String,
    pub company: String,
    /// The first and last date of the rows read.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    /// The account names the file gives.
    pub accounts: BTreeMap<String, String>,
}

/// A chunk of COPY text, and how many rows and lines were read with it.
struct Chunk {
    text: Vec<u8>,
    rows: u64,
    lines: u64,
}

/// Why staging stopped: the database, or the file could not be read on.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("läsningen avbröts: {0}")]
    Reading(String),
}

/// One row of a ledger file as it is staged.
#[derive(Debug, Clone)]
pub struct StagedRow<'a> {
    pub line: u64,
    pub series: &'a str,
    pub number: &'a str,
    pub voucher_date: NaiveDate,
    pub account: &'a str,
    pub cost_centre: Option<&'a str>,
    pub project: Option<&'a str>,
    pub amount: Money,
    pub date: NaiveDate,
    pub text: &'a str,
}

/// Where a reader puts what it reads: rows become COPY text, sent on a chunk at a time; the
/// rest is kept for the import's record.
pub struct Sink {
    id: String,
    chunk: Vec<u8>,
    chunks: mpsc::Sender<Chunk>,
    stopped: bool,
    /// Today: a row may not be in a month after this one (outcome is not booked on a month
    /// that has not started, by hand or from a file), nor before 1950.
    today: NaiveDate,
    pub staged: Staged,
}

impl Sink {
    /// Stages `row`; `lines` is how far into the file the reader is. False once the database
    /// side has stopped (it reports why): the reader should stop too.
    pub fn push(&mut self, row: &StagedRow, lines: u64) -> bool {
        let month = |d: NaiveDate| (d.year(), d.month());
        let future = month(row.date) > month(self.today);
        if future || row.date.year() < 1950 {
            let message = if future {
                format!(
                    "datumet {} ligger i en månad som inte har börjat.",
                    row.date
                )
            } else {
                format!("datumet {} ligger före 1950.", row.date)
            };
            let text = format!("{} {} {}", row.account, row.amount.format_kr(), row.date);
            self.staged.errors.push(LineError {
                line: row.line,
                text,
                message,
            });
            return !self.stopped;
        }
        let staged = &mut self.staged;
        staged.rows += 1;
        staged.dates = Some(match staged.dates {
            Some((first, last)) => (first.min(row.date), last.max(row.date)),
            None => (row.date, row.date),
        });
        let fields = [
            Some(self.id.as_str()),
            Some(&row.line.to_string()),
            Some(row.series),
            Some(row.number),
            Some(&row.voucher_date.to_string()),
            Some(row.account),
            row.cost_centre.filter(|c| !c.is_empty()),
            row.project.filter(|p| !p.is_empty()),
            Some(&row.amount.amount().to_string()),
            Some(&row.date.to_string()),
            Some(row.text),
        ];
        push_copy_line(&mut self.chunk, &fields);
        if self.chunk.len() >= CHUNK_BYTES {
            self.send(lines);
        }
        !self.stopped
    }

    /// An account's name, as the file gives it.
    pub fn account_name(&mut self, number: String, name: String) {
        let accounts = &mut self.staged.accounts;
        if accounts.len() < ACCOUNT_NAMES || accounts.contains_key(&number) {
            accounts.insert(number, name);
        }
    }

    fn send(&mut self, lines: u64) {
        let chunk = Chunk {
            text: std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK_BYTES + 1024)),
            rows: self.staged.rows,
            lines,
        };
        self.stopped |= self.chunks.blocking_send(chunk).is_err();
    }
}

/// Reads a ledger file into the staged rows of `import_id` with `read`, on a blocking thread,
/// and records the result on the import (status 'read'), in the caller's transaction. `read`
/// returns how many lines the file had. With `progress`, the rows read so far are written on
/// the import through another connection as the reading goes on.
pub async fn stage<F>(
    conn: &mut PgConnection,
    import_id: Uuid,
    read: F,
    progress: Option<&PgPool>,
) -> Result<Staged, StageError>
where
    F: FnOnce(&mut Sink) -> u64 + Send + 'static,
{
    let (chunks, mut received) = mpsc::channel::<Chunk>(CHUNKS_WAITING);
    let reading = tokio::task::spawn_blocking(move || {
        let mut sink = Sink {
            id: import_id.to_string(),
            chunk: Vec::with_capacity(CHUNK_BYTES + 1024),
            chunks,
            stopped: false,
            today: crate::web::format::today(),
            staged: Staged::default(),
        };
        let lines = read(&mut sink);
        if !sink.chunk.is_empty() {
            sink.send(lines);
        }
        sink.staged.lines = lines;
        sink.staged
    });
    let mut copy = conn
        .copy_in_raw(
            "COPY ledger_import_row (import_id, line, series, number, voucher_date, account, \
             cost_centre, project, amount, row_date, text) FROM STDIN",
        )
        .await?;
    let mut reported = Instant::now();
    while let Some(chunk) = received.recv().await {
        if let Err(e) = copy.send(chunk.text).await {
            let _ = copy.abort("the import stopped").await;
            return Err(e.into());
        }
        if let Some(pool) = progress.filter(|_| reported.elapsed() >= PROGRESS_EVERY) {
            report_progress(pool, import_id, chunk.rows, chunk.lines).await;
            reported = Instant::now();
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
        .map(|e| json!({"line": e.line, "text": printable(&e.text), "message": printable(&e.message)}))
        .collect();
    let skipped: Vec<_> = staged
        .skipped
        .iter()
        .map(|(label, s)| json!({"label": label, "first_line": s.first_line, "count": s.count}))
        .collect();
    sqlx::query!(
        "UPDATE ledger_import SET status = 'read', lines_read = $2, rows_staged = $3, \
         line_errors = $4::text::jsonb, skipped = $5::text::jsonb, program = $6, company = $7, \
         date_from = $8, date_to = $9, version = version + 1 \
         WHERE id = $1",
        import_id,
        i64::try_from(staged.lines).unwrap_or(i64::MAX),
        i64::try_from(staged.rows).unwrap_or(i64::MAX),
        serde_json::Value::from(errors).to_string(),
        serde_json::Value::from(skipped).to_string(),
        staged.program,
        staged.company,
        staged.dates.map(|(first, _)| first),
        staged.dates.map(|(_, last)| last),
    )
    .execute(&mut *conn)
    .await?;
    let (accounts, names): (Vec<&String>, Vec<&String>) = staged.accounts.iter().unzip();
    sqlx::query!(
        "INSERT INTO ledger_import_account (import_id, account, name) \
         SELECT $1, * FROM unnest($2::text[], $3::text[])",
        import_id,
        &accounts as &[&String],
        &names as &[&String],
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `text` without control characters (PostgreSQL's jsonb refuses NUL), as a page shows it.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// The rows and lines read so far, for the import's page. A failure here only delays the
/// figures; the reading goes on.
async fn report_progress(pool: &PgPool, import_id: Uuid, rows: u64, lines: u64) {
    let written = sqlx::query!(
        "UPDATE ledger_import SET rows_staged = $2, lines_read = $3 \
         WHERE id = $1 AND status = 'reading'",
        import_id,
        i64::try_from(rows).unwrap_or(i64::MAX),
        i64::try_from(lines).unwrap_or(i64::MAX),
    )
    .execute(pool)
    .await;
    if let Err(e) = written {
        tracing::warn!(error = %e, "the import's progress was not written");
    }
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
