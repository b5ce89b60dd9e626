//! The SQL that saves an import as a batch of outcome entries, and that reverses a batch. Each
//! runs in the caller's transaction, under the municipality's import lock, so that two imports
//! of one ledger are saved one after the other and a voucher is never counted twice.

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// How a budget line's outcome moved: for the audit log.
#[derive(Debug, Clone)]
pub struct LineMoved {
    pub line_id: Uuid,
    pub project_id: Uuid,
    pub category: String,
    pub entries: i64,
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
}

/// What a save wrote.
#[derive(Debug, Clone, Default)]
pub struct Saved {
    pub entries: i64,
    pub vouchers: i64,
    pub lines: Vec<LineMoved>,
}

/// Imports of one municipality are saved and undone one at a time.
pub async fn lock_municipality(conn: &mut PgConnection, municipality: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtextextended('ledger_import:' || $1::uuid::text, 0))",
        municipality
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The rows of each class that would stop a save: accounts of a project without a budget line.
pub async fn unmapped_rows(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<i64> {
    let rows = sqlx::query_scalar!(
        r#"SELECT coalesce(sum(rows), 0)::bigint AS "rows!" FROM ledger_import_group
           WHERE import_id = $1 AND class = 'unmapped'"#,
        import
    )
    .fetch_one(conn)
    .await?;
    Ok(rows)
}

/// Writes the outcome entries of `import`: per budget line, month and voucher, what the file
/// has less what the same voucher booked before (`ledger_import_changes`). The caller has
/// regrouped it in this transaction and found nothing that stops it.
pub async fn save(conn: &mut PgConnection, import: Uuid, by: Uuid) -> sqlx::Result<Saved> {
    let lines = sqlx::query_scalar!(
        r#"SELECT DISTINCT budget_line_id AS "id!" FROM ledger_import_changes($1)
           WHERE in_file <> booked"#,
        import
    )
    .fetch_all(&mut *conn)
    .await?;
    let before = outcome_of(conn, &lines).await?;
    let added = sqlx::query!(
        r#"WITH inserted AS (
               INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source,
                                          recorded_by, import_id, voucher, voucher_key)
               SELECT gen_random_uuid(), budget_line_id, month, in_file - booked,
                      CASE WHEN booked = 0 THEN text
                           ELSE left('Ändrad sedan förra importen: ' || text, 500) END,
                      'import', $2, $1, voucher, voucher_key
               FROM ledger_import_changes($1)
               WHERE in_file <> booked
               RETURNING budget_line_id, voucher)
           SELECT budget_line_id AS "line!", count(*) AS "entries!",
                  (SELECT count(DISTINCT voucher) FROM inserted) AS "vouchers!"
           FROM inserted GROUP BY budget_line_id"#,
        import,
        by
    )
    .fetch_all(&mut *conn)
    .await?;
    let vouchers = added.first().map_or(0, |r| r.vouchers);
    let entries: Vec<(Uuid, i64)> = added.into_iter().map(|r| (r.line, r.entries)).collect();
    stale_lines(conn, &lines).await?;
    Ok(Saved {
        entries: entries.iter().map(|(_, n)| n).sum(),
        vouchers,
        lines: lines_moved(conn, before, &entries).await?,
    })
}

/// Why a batch cannot be undone: its entries of a project whose final report is decided, or of
/// a month a decided period report covers. At most ten, by project.
pub async fn undo_blockers(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT p.name::text AS "project!",
                  CASE WHEN p.status = 'final_report_approved'
                            OR EXISTS (SELECT 1 FROM final_report f
                                       WHERE f.project_id = p.id AND f.status = 'decided')
                       THEN 'slutredovisningen är beslutad'
                       ELSE 'periodrapporten för ' || to_char(e.month, 'YYYY-MM') || ' är beslutad'
                  END AS "reason!"
           FROM outcome_entry e
           JOIN budget_line l ON l.id = e.budget_line_id
           JOIN project p ON p.id = l.project_id
           WHERE e.import_id = $1 AND e.source = 'import'
             AND (p.status = 'final_report_approved'
                  OR EXISTS (SELECT 1 FROM final_report f
                             WHERE f.project_id = p.id AND f.status = 'decided')
                  OR EXISTS (SELECT 1 FROM follow_up u
                             JOIN follow_up_occasion o ON o.id = u.occasion_id
                             WHERE u.board_id = p.board_id AND u.status = 'decided'
                               AND o.year = extract(year FROM e.month)
                               AND o.through_month >= extract(month FROM e.month)))
           ORDER BY 1, 2
           LIMIT 10"#,
        import
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| format!("{}: {}", r.project, r.reason))
        .collect())
}

/// Adds a reversing entry for each entry of `import`: its vouchers then book nothing, and a
/// later file with them books them again.
pub async fn reverse(conn: &mut PgConnection, import: Uuid, by: Uuid) -> sqlx::Result<Saved> {
    let lines = sqlx::query_scalar!(
        "SELECT DISTINCT budget_line_id FROM outcome_entry WHERE import_id = $1",
        import
    )
    .fetch_all(&mut *conn)
    .await?;
    let before = outcome_of(conn, &lines).await?;
    let reversed = sqlx::query!(
        r#"WITH inserted AS (
               INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source,
                                          recorded_by, import_id, voucher, voucher_key)
               SELECT gen_random_uuid(), budget_line_id, month, -amount,
                      left('Återföring: ' || text, 500), 'reversal', $2, import_id, voucher,
                      voucher_key
               FROM outcome_entry WHERE import_id = $1 AND source = 'import'
               RETURNING budget_line_id, amount)
           SELECT budget_line_id AS "line!", count(*) AS "entries!"
           FROM inserted GROUP BY budget_line_id"#,
        import,
        by
    )
    .fetch_all(&mut *conn)
    .await?;
    let entries: Vec<(Uuid, i64)> = reversed.into_iter().map(|r| (r.line, r.entries)).collect();
    stale_lines(conn, &lines).await?;
    Ok(Saved {
        entries: entries.iter().map(|(_, n)| n).sum(),
        vouchers: 0,
        lines: lines_moved(conn, before, &entries).await?,
    })
}

/// The lines' outcome moved: their versions move too, so a form showing the old outcome is
/// known to be stale (as for an entry typed by hand).
async fn stale_lines(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE budget_line SET version = version + 1 WHERE id = ANY($1)",
        ids
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The outcome of each line of `ids` now (`None`: nothing booked).
async fn outcome_of(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> sqlx::Result<Vec<(Uuid, Uuid, String, Option<Decimal>)>> {
    let rows = sqlx::query!(
        r#"SELECT l.id, l.project_id, l.category,
                  (SELECT sum(e.amount) FROM outcome_entry e WHERE e.budget_line_id = l.id) AS outcome
           FROM budget_line l WHERE l.id = ANY($1) ORDER BY l.project_id, l.position"#,
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.project_id, r.category, r.outcome))
        .collect())
}

/// The lines' outcome before (`before`, read first) and now, with the entries each got.
async fn lines_moved(
    conn: &mut PgConnection,
    before: Vec<(Uuid, Uuid, String, Option<Decimal>)>,
    entries: &[(Uuid, i64)],
) -> sqlx::Result<Vec<LineMoved>> {
    let ids: Vec<Uuid> = before.iter().map(|(id, ..)| *id).collect();
    let after = outcome_of(conn, &ids).await?;
    Ok(before
        .into_iter()
        .zip(after)
        .map(
            |((line_id, project_id, category, before), (_, _, _, after))| LineMoved {
                line_id,
                project_id,
                category,
                entries: entries
                    .iter()
                    .find(|(id, _)| *id == line_id)
                    .map_or(0, |(_, n)| *n),
                before,
                after,
            },
        )
        .filter(|l| l.entries > 0)
        .collect())
}

/// Marks `import` saved, by `by`.
pub async fn mark_imported(conn: &mut PgConnection, import: Uuid, by: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE ledger_import SET status = 'imported', imported_by = $2, imported_at = now(), \
         version = version + 1 WHERE id = $1",
        import,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks `import` undone, by `by`, for `reason`.
pub async fn mark_undone(
    conn: &mut PgConnection,
    import: Uuid,
    by: Uuid,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE ledger_import SET status = 'undone', undone_by = $2, undone_at = now(), \
         undo_reason = $3, version = version + 1 WHERE id = $1",
        import,
        by,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}
