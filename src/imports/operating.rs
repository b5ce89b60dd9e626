//! Operating outcome from a ledger import: the rows a board's keys take (responsibility centre
//! and/or account range, [`crate::follow_up::entry::keys`]) become per-voucher entries of the
//! board's activities, and each month they touch is set to the sum of its entries through the
//! follow-up's one path for operating outcome. The preview, the save and the undo mirror the
//! project outcome's: only a voucher's change is booked, and an undo adds reversing entries.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit,
    domain::{budget::OutcomeSource, money::Money},
    follow_up::entry::{
        months_repo,
        outcome::{self, MonthOutcome},
        repo as entry_repo,
    },
};

/// An activity's month in an import: the file's figures beside what the same vouchers booked
/// before, and the month's outcome now (for a saved batch: what it booked).
#[derive(Debug, Clone)]
pub struct ActivityMonth {
    pub board_id: Uuid,
    pub activity_id: Uuid,
    pub board: String,
    pub activity: String,
    pub month: NaiveDate,
    pub revenue: Decimal,
    pub costs: Decimal,
    pub booked_revenue: Decimal,
    pub booked_costs: Decimal,
    /// The month's outcome now, as the follow-up shows it.
    pub current_revenue: Option<Decimal>,
    pub current_costs: Option<Decimal>,
    /// What the imports' entries of the month add up to before this one.
    pub entries_revenue: Decimal,
    pub entries_costs: Decimal,
    /// Whether any of the month's vouchers changes (months can sum alike and still change).
    pub changed: bool,
    /// The month's vouchers without a number: they cannot be recognised when imported again.
    pub unnumbered: i64,
    /// The month is typed by hand, or the demo's, and the save replaces it.
    pub replaces: bool,
}

impl ActivityMonth {
    /// The month after the save: the sum of its entries with this import's, or as it is when
    /// the import changes nothing there.
    pub fn after(&self) -> (Decimal, Decimal) {
        if self.changed {
            (
                self.entries_revenue + self.revenue - self.booked_revenue,
                self.entries_costs + self.costs - self.booked_costs,
            )
        } else {
            (
                self.current_revenue.unwrap_or_default(),
                self.current_costs.unwrap_or_default(),
            )
        }
    }
}

/// What saving `import` would do to each activity's months (at most `limit`), computed now.
pub async fn preview(db: &PgPool, import: Uuid, limit: i64) -> sqlx::Result<Vec<ActivityMonth>> {
    sqlx::query_as!(
        ActivityMonth,
        r#"WITH c AS (
               SELECT activity_id, month, sum(revenue) AS revenue, sum(costs) AS costs,
                      sum(booked_revenue) AS booked_revenue, sum(booked_costs) AS booked_costs,
                      bool_or(revenue <> booked_revenue OR costs <> booked_costs) AS changed,
                      count(*) FILTER (WHERE voucher_key IS NULL) AS unnumbered
               FROM ledger_import_operating_changes($1) GROUP BY 1, 2)
           SELECT b.id AS board_id, a.id AS activity_id, b.name AS board,
                  a.code || ' ' || a.name AS "activity!", c.month AS "month!",
                  c.revenue AS "revenue!", c.costs AS "costs!",
                  c.booked_revenue AS "booked_revenue!", c.booked_costs AS "booked_costs!",
                  o.revenue AS "current_revenue?", o.costs AS "current_costs?",
                  coalesce(e.revenue, 0) AS "entries_revenue!",
                  coalesce(e.costs, 0) AS "entries_costs!",
                  c.changed AS "changed!", c.unnumbered AS "unnumbered!",
                  (c.changed AND o.activity_id IS NOT NULL AND o.import_id IS NULL)
                      AS "replaces!"
           FROM c
           JOIN activity a ON a.id = c.activity_id
           JOIN board b ON b.id = a.board_id
           LEFT JOIN operating_outcome o ON o.activity_id = c.activity_id AND o.month = c.month
           LEFT JOIN LATERAL (SELECT sum(revenue) AS revenue, sum(costs) AS costs
                              FROM operating_outcome_entry
                              WHERE activity_id = c.activity_id AND month = c.month) e ON true
           ORDER BY b.name, a.code, c.month
           LIMIT $2"#,
        import,
        limit
    )
    .fetch_all(db)
    .await
}

/// What a saved batch booked on each activity's months (at most `limit`).
pub async fn batch_months(
    db: &PgPool,
    import: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<ActivityMonth>> {
    sqlx::query_as!(
        ActivityMonth,
        r#"SELECT b.id AS board_id, a.id AS activity_id, b.name AS board,
                  a.code || ' ' || a.name AS "activity!", e.month,
                  sum(e.revenue) AS "revenue!", sum(e.costs) AS "costs!",
                  0::numeric AS "booked_revenue!", 0::numeric AS "booked_costs!",
                  NULL::numeric AS "current_revenue?", NULL::numeric AS "current_costs?",
                  0::numeric AS "entries_revenue!", 0::numeric AS "entries_costs!",
                  true AS "changed!", count(*) FILTER (WHERE e.voucher_key IS NULL)
                      AS "unnumbered!", false AS "replaces!"
           FROM operating_outcome_entry e
           JOIN activity a ON a.id = e.activity_id
           JOIN board b ON b.id = a.board_id
           WHERE e.import_id = $1 AND e.source = 'import'
           GROUP BY b.id, a.id, e.month
           ORDER BY b.name, a.code, e.month
           LIMIT $2"#,
        import,
        limit
    )
    .fetch_all(db)
    .await
}

/// Rows a key takes in a month a decided period report of the board covers: listed with their
/// sums, never booked.
#[derive(Debug, Clone)]
pub struct Decided {
    pub board: String,
    pub activity: String,
    pub month: NaiveDate,
    pub rows: i64,
    pub revenue: Decimal,
    pub costs: Decimal,
}

/// The decided months' rows of `import`: from its staged rows while it is open (`live`), from
/// the batch's report once saved.
pub async fn decided(db: &PgPool, import: Uuid, live: bool) -> sqlx::Result<Vec<Decided>> {
    sqlx::query_as!(
        Decided,
        r#"SELECT b.name AS board, a.code || ' ' || a.name AS "activity!", g.month AS "month!",
                  sum(g.rows)::bigint AS "rows!", sum(g.revenue) AS "revenue!",
                  sum(g.costs) AS "costs!"
           FROM (SELECT activity_id, month, rows, revenue, costs FROM ledger_import_operating_group
                 WHERE import_id = $1 AND decided AND NOT $2
                 UNION ALL
                 SELECT activity_id, month, count(*), sum(revenue), sum(costs)
                 FROM ledger_import_operating_rows($1) WHERE decided AND $2
                 GROUP BY activity_id, month) g
           JOIN activity a ON a.id = g.activity_id
           JOIN board b ON b.id = a.board_id
           GROUP BY b.name, a.code, a.name, g.month
           ORDER BY b.name, a.code, g.month"#,
        import,
        live
    )
    .fetch_all(db)
    .await
}

/// Writes the batch's report of its operating rows (per activity, month and whether the month
/// was decided), in the save's transaction.
pub async fn regroup(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO ledger_import_operating_group \
         SELECT $1, activity_id, month, decided, count(*), sum(revenue), sum(costs) \
         FROM ledger_import_operating_rows($1) GROUP BY activity_id, month, decided",
        import
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether any board of the municipality has a key: without one, no row is operating outcome.
pub async fn any_keys(db: &PgPool, municipality: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM operating_key k JOIN activity a ON a.id = k.activity_id
                          JOIN board b ON b.id = a.board_id
                          WHERE b.municipality_id = $1) AS "any!""#,
        municipality
    )
    .fetch_one(db)
    .await
}

/// The months of activities that a save or undo wrote entries in, and how many entries.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub entries: i64,
    pub months: BTreeSet<(Uuid, NaiveDate)>,
}

/// Writes the operating entries of `import`: per activity, month and voucher, what the file
/// has less what the same voucher booked before (`ledger_import_operating_changes`).
pub async fn save(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<Written> {
    let rows = sqlx::query!(
        r#"WITH inserted AS (
               INSERT INTO operating_outcome_entry (activity_id, month, revenue, costs, text,
                                                    source, import_id, voucher, voucher_key)
               SELECT activity_id, month, revenue - booked_revenue,
                      costs - booked_costs,
                      CASE WHEN booked_revenue = 0 AND booked_costs = 0 THEN text
                           ELSE left('Ändrad sedan förra importen: ' || text, 500) END,
                      'import', $1, voucher, voucher_key
               FROM ledger_import_operating_changes($1)
               WHERE revenue <> booked_revenue OR costs <> booked_costs
               RETURNING activity_id, month)
           SELECT activity_id AS "activity!", month AS "month!", count(*) AS "entries!"
           FROM inserted GROUP BY 1, 2"#,
        import
    )
    .fetch_all(conn)
    .await?;
    Ok(written(
        rows.into_iter().map(|r| (r.activity, r.month, r.entries)),
    ))
}

/// Adds a reversing entry for each operating entry of `import`.
pub async fn reverse(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<Written> {
    let rows = sqlx::query!(
        r#"WITH inserted AS (
               INSERT INTO operating_outcome_entry (activity_id, month, revenue, costs, text,
                                                    source, import_id, voucher, voucher_key)
               SELECT activity_id, month, -revenue, -costs,
                      left('Återföring: ' || text, 500), 'reversal', import_id, voucher,
                      voucher_key
               FROM operating_outcome_entry WHERE import_id = $1 AND source = 'import'
               RETURNING activity_id, month)
           SELECT activity_id AS "activity!", month AS "month!", count(*) AS "entries!"
           FROM inserted GROUP BY 1, 2"#,
        import
    )
    .fetch_all(conn)
    .await?;
    Ok(written(
        rows.into_iter().map(|r| (r.activity, r.month, r.entries)),
    ))
}

fn written(rows: impl Iterator<Item = (Uuid, NaiveDate, i64)>) -> Written {
    let mut written = Written::default();
    for (activity, month, entries) in rows {
        written.entries += entries;
        written.months.insert((activity, month));
    }
    written
}

/// Why the months are settled: after a save the ledger's figure replaces what is there; after
/// the undo of a batch a month typed by hand since stays, and a month whose figures that batch
/// replaced gets them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    Save,
    Undo(Uuid),
}

/// Sets each month in `written` to the sum of its entries, named by the latest batch still
/// standing that has entries there; a month no standing batch has entries in is withdrawn (or
/// gets back what a batch replaced). Each month goes through the follow-up's one path for
/// operating outcome, audited. The activity is locked before its month is read, as hand entry
/// locks it, so a month typed meanwhile is seen.
pub async fn settle_months(
    conn: &mut PgConnection,
    trail: &audit::Actor,
    (written, why): (&Written, Settle),
) -> sqlx::Result<()> {
    for &(activity_id, month) in &written.months {
        let board_id =
            sqlx::query_scalar!("SELECT board_id FROM activity WHERE id = $1", activity_id)
                .fetch_one(&mut *conn)
                .await?;
        let activity = entry_repo::activity(conn, board_id, activity_id, true)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        let now = months_repo::outcome_month_for_update(conn, activity_id, month).await?;
        if let Settle::Undo(undone) = why {
            let typed = now.as_ref().is_some_and(|m| m.batch.is_none());
            let replaced_by_undone = now
                .as_ref()
                .and_then(|m| m.replaced())
                .is_some_and(|r| r.by == undone);
            if typed {
                continue;
            }
            if replaced_by_undone {
                outcome::withdraw_imported_month(conn, trail, (&activity, month)).await?;
                continue;
            }
        }
        let sums = sqlx::query!(
            r#"SELECT coalesce(sum(e.revenue), 0) AS "revenue!",
                      coalesce(sum(e.costs), 0) AS "costs!",
                      (SELECT i.id FROM ledger_import i
                       WHERE i.status = 'imported' AND EXISTS (
                           SELECT 1 FROM operating_outcome_entry x
                           WHERE x.import_id = i.id AND x.activity_id = $1 AND x.month = $2)
                       ORDER BY i.imported_at DESC LIMIT 1) AS batch
               FROM operating_outcome_entry e WHERE e.activity_id = $1 AND e.month = $2"#,
            activity_id,
            month
        )
        .fetch_one(&mut *conn)
        .await?;
        match sums.batch {
            Some(batch) => {
                let month_outcome = MonthOutcome {
                    activity: &activity,
                    month,
                    revenue: Money::from_stored(sums.revenue),
                    costs: Money::from_stored(sums.costs),
                    source: OutcomeSource::Import,
                    batch: Some(batch),
                };
                outcome::record_operating_outcome(conn, trail, &month_outcome).await?;
            }
            None => {
                outcome::withdraw_imported_month(conn, trail, (&activity, month)).await?;
            }
        }
    }
    Ok(())
}

/// Why a batch's operating entries cannot be undone: a month a decided period report of the
/// activity's board covers. At most ten.
pub async fn undo_blockers(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"SELECT DISTINCT b.name || ', vht ' || a.code || ': periodrapporten för '
                  || to_char(e.month, 'YYYY-MM') || ' är beslutad' AS "reason!"
           FROM operating_outcome_entry e
           JOIN activity a ON a.id = e.activity_id
           JOIN board b ON b.id = a.board_id
           WHERE e.import_id = $1 AND e.source = 'import'
             AND EXISTS (SELECT 1 FROM follow_up u
                         JOIN follow_up_occasion o ON o.id = u.occasion_id
                         WHERE u.board_id = a.board_id AND u.status = 'decided'
                           AND o.year = extract(year FROM e.month)
                           AND o.through_month >= extract(month FROM e.month))
           ORDER BY 1
           LIMIT 10"#,
        import
    )
    .fetch_all(conn)
    .await
}
