//! The SQL of ledger imports: the import itself, the figures of its preview and the lists of
//! what it leaves out. The save and the undo are in [`super::batch`].

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::domain::ledger::{FileFormat, ImportStatus, RowClass, Unmatched};

/// A ledger import as its page shows it.
#[derive(Debug, Clone)]
pub struct Import {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub municipality: String,
    pub file_name: String,
    pub sha256: String,
    pub format: FileFormat,
    pub status: ImportStatus,
    pub program: String,
    pub company: String,
    pub lines_read: i64,
    pub rows_staged: i64,
    pub line_errors: String,
    pub skipped: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub imported_by: Option<String>,
    pub imported_at: Option<DateTime<Utc>>,
    pub undone_by: Option<String>,
    pub undone_at: Option<DateTime<Utc>>,
    pub undo_reason: Option<String>,
    pub version: i32,
}

/// A line of the file that could not be read, as staging recorded it.
#[derive(Debug, Clone, Deserialize)]
pub struct LineProblem {
    pub line: u64,
    pub text: String,
    pub message: String,
}

/// A label the reader read past.
#[derive(Debug, Clone, Deserialize)]
pub struct SkippedLabel {
    pub label: String,
    pub first_line: u64,
    pub count: u64,
}

impl Import {
    pub fn problems(&self) -> Vec<LineProblem> {
        serde_json::from_str(&self.line_errors).unwrap_or_default()
    }

    pub fn skipped_labels(&self) -> Vec<SkippedLabel> {
        serde_json::from_str(&self.skipped).unwrap_or_default()
    }
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Import>> {
    Ok(imports(conn, Some(id), 1).await?.pop())
}

/// The imports of every municipality, newest first.
pub async fn list(conn: &mut PgConnection, limit: i64) -> sqlx::Result<Vec<Import>> {
    imports(conn, None, limit).await
}

/// The import `id`, or all of them (`None`), newest first.
async fn imports(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Import>> {
    sqlx::query_as!(
        Import,
        r#"SELECT i.id, i.municipality_id, m.name AS municipality, i.file_name, i.sha256,
                  i.format AS "format: FileFormat", i.status AS "status: ImportStatus", i.program, i.company, i.lines_read,
                  i.rows_staged, i.line_errors::text AS "line_errors!", i.skipped::text AS "skipped!",
                  c.display_name AS created_by, i.created_at, i.date_from, i.date_to,
                  ib.display_name AS "imported_by?", i.imported_at,
                  ub.display_name AS "undone_by?", i.undone_at, i.undo_reason, i.version
           FROM ledger_import i
           JOIN municipality m ON m.id = i.municipality_id
           JOIN app_user c ON c.id = i.created_by
           LEFT JOIN app_user ib ON ib.id = i.imported_by
           LEFT JOIN app_user ub ON ub.id = i.undone_by
           WHERE $1::uuid IS NULL OR i.id = $1
           ORDER BY i.created_at DESC, i.id DESC
           LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// The saved import of the same file in the same municipality, if there is one.
pub async fn same_file(
    conn: &mut PgConnection,
    municipality: Uuid,
    sha256: &str,
) -> sqlx::Result<Option<(Uuid, DateTime<Utc>)>> {
    let row = sqlx::query!(
        "SELECT id, imported_at FROM ledger_import \
         WHERE municipality_id = $1 AND sha256 = $2 AND status = 'imported'",
        municipality,
        sha256
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.imported_at.unwrap_or_default())))
}

/// A new import of `file_name` for `municipality`, being read.
pub async fn create(
    conn: &mut PgConnection,
    id: Uuid,
    (municipality, file_name, sha256, format): (Uuid, &str, &str, FileFormat),
    by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO ledger_import (id, municipality_id, file_name, sha256, format, status, \
         created_by) VALUES ($1, $2, $3, $4, $5, 'reading', $6)",
        id,
        municipality,
        file_name,
        sha256,
        format.code(),
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The problems of an import that could not be read at all: one, of no line.
fn one_problem(message: &str) -> String {
    serde_json::json!([{"line": 0, "text": "", "message": message}]).to_string()
}

/// An import whose reading stopped: why, as its one problem.
pub async fn mark_failed(db: &PgPool, id: Uuid, message: &str) -> sqlx::Result<()> {
    let problems = one_problem(message);
    sqlx::query!(
        "UPDATE ledger_import SET status = 'failed', line_errors = $2::text::jsonb, \
         version = version + 1 WHERE id = $1 AND status = 'reading'",
        id,
        problems
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes a saved import's staged rows, after the save's answer: the batch's report is its
/// groups, and nothing reads the rows again.
pub fn drop_staged_rows_later(db: PgPool, import: Uuid) {
    tokio::spawn(async move {
        let deleted = sqlx::query!("DELETE FROM ledger_import_row WHERE import_id = $1", import)
            .execute(&db)
            .await;
        if let Err(e) = deleted {
            tracing::warn!(%import, error = %e, "a saved import's staged rows were not deleted");
        }
    });
}

/// Imports left 'reading' by a server that stopped: their staged rows are incomplete.
pub async fn fail_interrupted(db: &PgPool) -> sqlx::Result<u64> {
    let problems = one_problem("Läsningen avbröts när servern startades om. Läs in filen igen.");
    let done = sqlx::query!(
        "UPDATE ledger_import SET status = 'failed', line_errors = $1::text::jsonb, \
         version = version + 1 WHERE status = 'reading'",
        problems
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Writes the groups of `import` as its staged rows give them now (`ledger_import_groups`): the
/// saved batch's report, written once, in the save's transaction.
pub async fn regroup(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO ledger_import_group SELECT * FROM ledger_import_groups($1)",
        import
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Per class: rows, vouchers and sum.
#[derive(Debug, Clone)]
pub struct ClassTotal {
    pub class: RowClass,
    pub rows: i64,
    pub amount: Decimal,
}

/// The groups an import's page shows: computed now from the staged rows while it is open
/// (`live`), the batch's report once saved.
pub async fn class_totals(db: &PgPool, import: Uuid, live: bool) -> sqlx::Result<Vec<ClassTotal>> {
    sqlx::query_as!(
        ClassTotal,
        r#"SELECT g.class AS "class!: RowClass", sum(g.rows)::bigint AS "rows!",
                  sum(g.amount) AS "amount!"
           FROM (SELECT * FROM ledger_import_group WHERE import_id = $1 AND NOT $2
                 UNION ALL SELECT * FROM ledger_import_groups($1) WHERE $2) g
           GROUP BY g.class ORDER BY g.class"#,
        import,
        live
    )
    .fetch_all(db)
    .await
}

/// What an import books on a project's budget line in a month: the file's outcome, what the
/// same vouchers booked before, and what is booked there now.
#[derive(Debug, Clone)]
pub struct EntryPreview {
    pub project_id: Uuid,
    pub project: String,
    pub project_number: String,
    pub line_id: Uuid,
    pub line: String,
    pub month: NaiveDate,
    pub in_file: Decimal,
    pub booked: Decimal,
    pub current: Option<Decimal>,
}

impl EntryPreview {
    /// What the save books: the change against what the same vouchers booked before.
    pub fn to_book(&self) -> Decimal {
        self.in_file - self.booked
    }
}

/// What saving `import` would book, per project, line and month (at most `limit`), computed
/// now: a batch saved meanwhile counts.
pub async fn entry_preview(
    db: &PgPool,
    import: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<EntryPreview>> {
    sqlx::query_as!(
        EntryPreview,
        r#"SELECT p.id AS "project_id!", p.name::text AS "project!",
                  coalesce(p.project_number, '') AS "project_number!",
                  l.id AS "line_id!", l.category AS "line!", c.month AS "month!",
                  sum(c.in_file) AS "in_file!", sum(c.booked) AS "booked!",
                  (SELECT sum(e.amount) FROM outcome_entry e
                    WHERE e.budget_line_id = l.id AND e.month = c.month) AS current
           FROM ledger_import_changes($1) c
           JOIN budget_line l ON l.id = c.budget_line_id
           JOIN project p ON p.id = l.project_id
           GROUP BY p.id, l.id, c.month
           ORDER BY p.name, p.id, l.position, c.month
           LIMIT $2"#,
        import,
        limit
    )
    .fetch_all(db)
    .await
}

/// What a saved batch booked, per project, line and month (at most `limit`).
pub async fn batch_entries(
    db: &PgPool,
    import: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<EntryPreview>> {
    sqlx::query_as!(
        EntryPreview,
        r#"SELECT p.id AS project_id, p.name::text AS "project!",
                  coalesce(p.project_number, '') AS "project_number!",
                  l.id AS line_id, l.category AS line, e.month,
                  sum(e.amount) AS "in_file!", 0::numeric AS "booked!",
                  NULL::numeric AS current
           FROM outcome_entry e
           JOIN budget_line l ON l.id = e.budget_line_id
           JOIN project p ON p.id = l.project_id
           WHERE e.import_id = $1 AND e.source = 'import'
           GROUP BY p.id, l.id, e.month
           ORDER BY p.name, p.id, l.position, e.month
           LIMIT $2"#,
        import,
        limit
    )
    .fetch_all(db)
    .await
}

/// How the import's vouchers stand against earlier imports, per line, month and voucher.
#[derive(Debug, Clone, Default)]
pub struct Overlap {
    /// Already imported as they are: nothing to book.
    pub unchanged: i64,
    /// Imported before and changed in the ledger since: the change is booked.
    pub changed: i64,
    /// Without a voucher number: cannot be recognised if imported again.
    pub unnumbered: i64,
    /// What the save would book: lines, months and vouchers whose outcome changes.
    pub to_book: i64,
}

pub async fn overlap(db: &PgPool, import: Uuid) -> sqlx::Result<Overlap> {
    sqlx::query_as!(
        Overlap,
        r#"SELECT count(*) FILTER (WHERE booked <> 0 AND in_file = booked) AS "unchanged!",
                  count(*) FILTER (WHERE booked <> 0 AND in_file <> booked) AS "changed!",
                  count(*) FILTER (WHERE voucher_key IS NULL) AS "unnumbered!",
                  count(*) FILTER (WHERE in_file <> booked) AS "to_book!"
           FROM ledger_import_changes($1)"#,
        import
    )
    .fetch_one(db)
    .await
}

/// Rows left out, per project (per project object when it is none of the municipality's), and
/// per account for a known project: what and why.
#[derive(Debug, Clone)]
pub struct LeftOut {
    pub class: RowClass,
    pub project_object: Option<String>,
    pub project_id: Option<Uuid>,
    pub project: Option<String>,
    pub reason: Option<Unmatched>,
    pub account: Option<String>,
    pub account_name: Option<String>,
    pub rows: i64,
    pub amount: Decimal,
    pub first_line: i64,
}

/// The unmatched, unmapped and excluded rows, summed per project object and account (at most
/// `limit`).
pub async fn left_out(
    db: &PgPool,
    import: Uuid,
    (limit, live): (i64, bool),
) -> sqlx::Result<Vec<LeftOut>> {
    sqlx::query_as!(
        LeftOut,
        r#"SELECT g.class AS "class!: RowClass", min(g.project_object) AS project_object,
                  g.project_id,
                  p.name::text AS "project?", g.unmatched_reason AS "reason?: Unmatched",
                  CASE WHEN g.class = 'unmatched' THEN NULL ELSE g.account END AS "account?",
                  CASE WHEN g.class = 'unmatched' THEN NULL ELSE max(a.name) END AS "account_name?",
                  sum(g.rows)::bigint AS "rows!", sum(g.amount) AS "amount!",
                  min(g.first_line) AS "first_line!"
           FROM (SELECT * FROM ledger_import_group WHERE import_id = $1 AND NOT $3
                 UNION ALL SELECT * FROM ledger_import_groups($1) WHERE $3) g
           LEFT JOIN project p ON p.id = g.project_id
           LEFT JOIN ledger_import_account a ON a.import_id = g.import_id AND a.account = g.account
           WHERE g.class IN ('unmatched', 'unmapped', 'excluded')
           GROUP BY g.class, CASE WHEN g.project_id IS NULL THEN g.project_object END,
                    g.project_id, p.name, g.unmatched_reason,
                    CASE WHEN g.class = 'unmatched' THEN NULL ELSE g.account END
           ORDER BY g.class, 2, 6
           LIMIT $2"#,
        import,
        limit,
        live
    )
    .fetch_all(db)
    .await
}
