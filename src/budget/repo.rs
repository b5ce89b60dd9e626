//! SQL for budget lines, their outcome entries and the sub-entities lines may belong to.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    db::{Built, MapRow},
    domain::{
        budget::{LineFigures, OutcomeSource, SubEntity},
        money::Money,
    },
};

/// A budget line with its outcome (the sum of its entries; none when it has no entries).
#[derive(Debug, Clone)]
pub struct Line {
    pub id: Uuid,
    pub position: i32,
    pub category: String,
    pub sub_entity_id: Option<Uuid>,
    pub sub_entity: Option<String>,
    pub sub_entity_short: Option<String>,
    pub sub_entity_excluded: Option<bool>,
    pub budget: Decimal,
    /// Income or credit (intäkt/kreditering): the only kind of line that may be negative.
    pub income: bool,
    pub outcome: Option<Decimal>,
    pub entry_count: i64,
    pub version: i32,
}

impl Line {
    pub fn figures(&self) -> LineFigures {
        LineFigures {
            budget: Money::from_stored(self.budget),
            outcome: self.outcome.map(Money::from_stored),
            sub_entity: match (&self.sub_entity, &self.sub_entity_short) {
                (Some(name), Some(short)) => Some(SubEntity {
                    name: name.clone(),
                    short_name: short.clone(),
                    excluded: self.sub_entity_excluded.unwrap_or(false),
                }),
                _ => None,
            },
        }
    }

    /// "Införandeprojekt, leverantör (VA-bolaget)", as the seed labels a sub-entity's line.
    pub fn label(&self) -> String {
        match &self.sub_entity {
            Some(sub) => format!("{} ({sub})", self.category),
            None => self.category.clone(),
        }
    }
}

/// Runs a statement over lines with their sub-entity and their outcome, `$tail` choosing
/// which: `select_lines!("WHERE l.id = $1", id)`. The outcome is the sum and the number of a
/// line's entries in one pass over them (from the covering index), not one pass for each. (The
/// macros take the outer join's columns for not null: `?` says they may be.)
macro_rules! select_lines {
    ($tail:literal, $($arg:expr),+) => {
        sqlx::query_as!(
            Line,
            r#"SELECT l.id, l.position, l.category, l.sub_entity_id, s.name AS "sub_entity?",
                  s.short_name AS "sub_entity_short?", s.excluded AS "sub_entity_excluded?",
                  l.budget, l.income, o.outcome, o.entry_count AS "entry_count!", l.version
               FROM budget_line l LEFT JOIN sub_entity s ON s.id = l.sub_entity_id
               CROSS JOIN LATERAL (SELECT sum(e.amount) AS outcome, count(*) AS entry_count
                                   FROM outcome_entry e WHERE e.budget_line_id = l.id) o "# + $tail,
            $($arg),+
        )
    };
}

/// The statement of [`lines`], which the benchmark replays (`page-sql`, see
/// [`crate::db::Built`]).
pub fn lines_query(project_id: Uuid) -> Built<impl MapRow<Line>> {
    select_lines!(
        "WHERE l.project_id = $1 ORDER BY l.position, l.id",
        project_id
    )
}

/// The lines of a project in their order, with outcome, in one query.
pub async fn lines(conn: &mut PgConnection, project_id: Uuid) -> Result<Vec<Line>, sqlx::Error> {
    lines_query(project_id).fetch_all(conn).await
}

/// One line of a project, locked for a write in the same transaction.
pub async fn find_line_for_update(
    conn: &mut PgConnection,
    project_id: Uuid,
    line_id: Uuid,
) -> Result<Option<Line>, sqlx::Error> {
    // Lock first, then read with the aggregates (FOR UPDATE cannot go with them).
    let exists = sqlx::query_scalar!(
        "SELECT id FROM budget_line WHERE id = $1 AND project_id = $2 FOR UPDATE",
        line_id,
        project_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_none() {
        return Ok(None);
    }
    select_lines!("WHERE l.id = $1", line_id)
        .fetch_optional(conn)
        .await
}

/// A checked line to insert or update.
#[derive(Debug, Clone)]
pub struct LineInput {
    pub category: String,
    pub sub_entity_id: Option<Uuid>,
    pub budget: Money,
    pub income: bool,
}

pub async fn insert_line(
    conn: &mut PgConnection,
    project_id: Uuid,
    input: &LineInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO budget_line (id, project_id, position, category, sub_entity_id, budget, \
         income) SELECT $1, $2, coalesce(max(position), 0) + 1, $3, $4, $5, $6 FROM budget_line \
         WHERE project_id = $2",
        id,
        project_id,
        input.category,
        input.sub_entity_id,
        input.budget.amount(),
        input.income,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Updates a line if it is still at `version`; false when someone saved it meanwhile.
pub async fn update_line(
    conn: &mut PgConnection,
    line_id: Uuid,
    version: i32,
    input: &LineInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE budget_line SET category = $3, sub_entity_id = $4, budget = $5, income = $6, \
         version = version + 1 WHERE id = $1 AND version = $2",
        line_id,
        version,
        input.category,
        input.sub_entity_id,
        input.budget.amount(),
        input.income,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An outcome entry as the line's entry list shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: Uuid,
    pub budget_line_id: Uuid,
    pub month: NaiveDate,
    pub amount: Decimal,
    pub text: String,
    pub source: OutcomeSource,
    pub recorded_by: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// The ledger import (batch) it came from, its file and the voucher ("SIE A 412").
    pub import_id: Option<Uuid>,
    pub batch: Option<String>,
    pub voucher: Option<String>,
}

/// All outcome entries of a project, by line and month, in one query.
pub async fn entries(conn: &mut PgConnection, project_id: Uuid) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as!(
        Entry,
        r#"SELECT e.id, e.budget_line_id, e.month, e.amount, e.text,
                  e.source AS "source: OutcomeSource",
                  CASE e.source WHEN 'import' THEN ib.display_name
                                WHEN 'reversal' THEN ub.display_name
                                ELSE u.display_name END AS "recorded_by?",
                  e.recorded_at, e.import_id, i.file_name AS "batch?", e.voucher
           FROM outcome_entry e JOIN budget_line l ON l.id = e.budget_line_id
           LEFT JOIN app_user u ON u.id = e.recorded_by
           LEFT JOIN ledger_import i ON i.id = e.import_id
           LEFT JOIN app_user ib ON ib.id = i.imported_by
           LEFT JOIN app_user ub ON ub.id = i.undone_by
           WHERE l.project_id = $1 ORDER BY l.position, e.month, e.recorded_at"#,
        project_id
    )
    .fetch_all(conn)
    .await
}

/// A checked outcome entry.
#[derive(Debug, Clone)]
pub struct EntryInput {
    pub month: NaiveDate,
    pub amount: Money,
    pub text: String,
}

pub async fn insert_entry(
    conn: &mut PgConnection,
    line_id: Uuid,
    input: &EntryInput,
    source: OutcomeSource,
    recorded_by: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        id,
        line_id,
        input.month,
        input.amount.amount(),
        input.text,
        source.code(),
        recorded_by,
    )
    .execute(&mut *conn)
    .await?;
    // An entry changes the line's outcome: the line's version moves, so a form showing the old
    // outcome is known to be stale.
    sqlx::query!(
        "UPDATE budget_line SET version = version + 1 WHERE id = $1",
        line_id
    )
    .execute(conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct SubEntityRow {
    pub id: Uuid,
    pub name: String,
    pub short_name: String,
    pub excluded: bool,
}

pub async fn sub_entities(
    conn: &mut PgConnection,
    project_id: Uuid,
) -> Result<Vec<SubEntityRow>, sqlx::Error> {
    sqlx::query_as!(
        SubEntityRow,
        "SELECT id, name, short_name, excluded FROM sub_entity WHERE project_id = $1 ORDER BY name",
        project_id
    )
    .fetch_all(conn)
    .await
}

pub async fn insert_sub_entity(
    conn: &mut PgConnection,
    project_id: Uuid,
    name: &str,
    short_name: &str,
    excluded: bool,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO sub_entity (id, project_id, name, short_name, excluded) \
         VALUES ($1, $2, $3, $4, $5)",
        id,
        project_id,
        name,
        short_name,
        excluded,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A ledger import that booked outcome on a project: the batch, and what it booked there.
#[derive(Debug, Clone)]
pub struct Batch {
    pub id: Uuid,
    pub file_name: String,
    pub status: crate::domain::ledger::ImportStatus,
    pub imported_at: Option<DateTime<Utc>>,
    pub entries: i64,
    pub amount: Decimal,
}

/// The batches with entries on `project_id`, oldest first; `amount` is what they book on it
/// now (a batch undone has booked its reversal too: nothing).
pub async fn batches(conn: &mut PgConnection, project_id: Uuid) -> Result<Vec<Batch>, sqlx::Error> {
    sqlx::query_as!(
        Batch,
        r#"SELECT i.id, i.file_name, i.status AS "status: crate::domain::ledger::ImportStatus",
                  i.imported_at, count(*) FILTER (WHERE e.source = 'import') AS "entries!",
                  sum(e.amount) AS "amount!"
           FROM outcome_entry e
           JOIN budget_line l ON l.id = e.budget_line_id
           JOIN ledger_import i ON i.id = e.import_id
           WHERE l.project_id = $1
           GROUP BY i.id ORDER BY i.imported_at, i.id"#,
        project_id
    )
    .fetch_all(conn)
    .await
}

/// How the ledger's accounts go to a project's budget lines: account, and the line's category
/// (`None`: the account is left out).
pub async fn account_mappings(
    conn: &mut PgConnection,
    project_id: Uuid,
) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT m.account, l.category AS "category?"
           FROM ledger_account_mapping m LEFT JOIN budget_line l ON l.id = m.budget_line_id
           WHERE m.project_id = $1 ORDER BY m.account"#,
        project_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.account, r.category)).collect())
}
