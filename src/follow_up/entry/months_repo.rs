//! An activity's months as stored: the operating budget and the operating outcome per month,
//! with the outcome's source, the batch that set an imported month and what its first batch
//! replaced.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::budget::OutcomeSource;

/// One month's figures as stored: the month's first day, revenue, costs, and for outcome its
/// source.
#[derive(Debug, Clone)]
pub struct MonthRow {
    pub month: NaiveDate,
    pub revenue: Decimal,
    pub costs: Decimal,
    pub source: Option<OutcomeSource>,
    /// The ledger import that set an imported month, and its file's name.
    pub batch: Option<Uuid>,
    pub batch_file: Option<String>,
    /// What the month's first batch replaced (typed by hand, or the demo's), and that batch.
    pub replaced_revenue: Option<Decimal>,
    pub replaced_costs: Option<Decimal>,
    pub replaced_source: Option<OutcomeSource>,
    pub replaced_by: Option<Uuid>,
}

impl MonthRow {
    pub fn replaced(&self) -> Option<Replaced> {
        Some(Replaced {
            revenue: self.replaced_revenue?,
            costs: self.replaced_costs?,
            source: self.replaced_source?,
            by: self.replaced_by?,
        })
    }
}

/// The figures of a month that a batch replaced though no batch had set them, kept to be given
/// back when that batch is undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    pub revenue: Decimal,
    pub costs: Decimal,
    pub source: OutcomeSource,
    pub by: Uuid,
}

/// A month of outcome as it is written.
#[derive(Debug, Clone)]
pub struct StoredMonth {
    pub revenue: Decimal,
    pub costs: Decimal,
    pub source: OutcomeSource,
    pub batch: Option<Uuid>,
    pub replaced: Option<Replaced>,
}

/// The activity's operating budget months of `year`.
pub async fn budget_months(
    conn: &mut PgConnection,
    activity_id: Uuid,
    year: i32,
) -> Result<Vec<MonthRow>, sqlx::Error> {
    sqlx::query_as!(
        MonthRow,
        r#"SELECT month, revenue, costs, NULL::text AS "source?: OutcomeSource",
                  NULL::uuid AS batch, NULL::text AS batch_file,
                  NULL::numeric AS replaced_revenue, NULL::numeric AS replaced_costs,
                  NULL::text AS "replaced_source?: OutcomeSource", NULL::uuid AS replaced_by
           FROM operating_budget
           WHERE activity_id = $1 AND month >= make_date($2, 1, 1) AND month < make_date($2 + 1, 1, 1)
           ORDER BY month"#,
        activity_id,
        year
    )
    .fetch_all(conn)
    .await
}

pub async fn set_budget_month(
    conn: &mut PgConnection,
    activity_id: Uuid,
    month: NaiveDate,
    (revenue, costs): (Decimal, Decimal),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO operating_budget (activity_id, month, revenue, costs) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (activity_id, month) \
         DO UPDATE SET revenue = EXCLUDED.revenue, costs = EXCLUDED.costs",
        activity_id,
        month,
        revenue,
        costs
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The activity's operating outcome months of `year`, with their source.
pub async fn outcome_months(
    conn: &mut PgConnection,
    activity_id: Uuid,
    year: i32,
) -> Result<Vec<MonthRow>, sqlx::Error> {
    sqlx::query_as!(
        MonthRow,
        r#"SELECT o.month, o.revenue, o.costs, o.source AS "source?: OutcomeSource",
                  o.import_id AS batch, i.file_name AS "batch_file?",
                  o.replaced_revenue, o.replaced_costs,
                  o.replaced_source AS "replaced_source?: OutcomeSource", o.replaced_by
           FROM operating_outcome o LEFT JOIN ledger_import i ON i.id = o.import_id
           WHERE o.activity_id = $1 AND o.month >= make_date($2, 1, 1)
             AND o.month < make_date($2 + 1, 1, 1)
           ORDER BY o.month"#,
        activity_id,
        year
    )
    .fetch_all(conn)
    .await
}

/// One month's outcome, locked for a change.
pub async fn outcome_month_for_update(
    conn: &mut PgConnection,
    activity_id: Uuid,
    month: NaiveDate,
) -> Result<Option<MonthRow>, sqlx::Error> {
    sqlx::query_as!(
        MonthRow,
        r#"SELECT month, revenue, costs, source AS "source?: OutcomeSource",
                  import_id AS batch, NULL::text AS batch_file,
                  replaced_revenue, replaced_costs,
                  replaced_source AS "replaced_source?: OutcomeSource", replaced_by
           FROM operating_outcome WHERE activity_id = $1 AND month = $2 FOR NO KEY UPDATE"#,
        activity_id,
        month
    )
    .fetch_optional(conn)
    .await
}

pub async fn set_outcome_month(
    conn: &mut PgConnection,
    activity_id: Uuid,
    month: NaiveDate,
    m: &StoredMonth,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let replaced = m.replaced;
    let (replaced_revenue, replaced_costs) =
        (replaced.map(|r| r.revenue), replaced.map(|r| r.costs));
    let (replaced_source, replaced_by) = (replaced.map(|r| r.source), replaced.map(|r| r.by));
    sqlx::query!(
        "INSERT INTO operating_outcome (activity_id, month, revenue, costs, source, recorded_by, \
         import_id, replaced_revenue, replaced_costs, replaced_source, replaced_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (activity_id, month) \
         DO UPDATE SET revenue = EXCLUDED.revenue, costs = EXCLUDED.costs, \
                       source = EXCLUDED.source, recorded_by = EXCLUDED.recorded_by, \
                       import_id = EXCLUDED.import_id, recorded_at = now(), \
                       replaced_revenue = EXCLUDED.replaced_revenue, \
                       replaced_costs = EXCLUDED.replaced_costs, \
                       replaced_source = EXCLUDED.replaced_source, \
                       replaced_by = EXCLUDED.replaced_by",
        activity_id,
        month,
        m.revenue,
        m.costs,
        m.source as OutcomeSource,
        by,
        m.batch,
        replaced_revenue,
        replaced_costs,
        replaced_source as Option<OutcomeSource>,
        replaced_by
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_outcome_month(
    conn: &mut PgConnection,
    activity_id: Uuid,
    month: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM operating_outcome WHERE activity_id = $1 AND month = $2",
        activity_id,
        month
    )
    .execute(conn)
    .await?;
    Ok(())
}
