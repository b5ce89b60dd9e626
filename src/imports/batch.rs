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
    pub position: i32,
    pub entries: i64,
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
}

/// What a save wrote.
#[derive(Debug, Clone, Default)]
pub struct Saved {
    /// Project outcome entries.
    pub entries: i64,
    pub vouchers: i64,
    pub lines: Vec<LineMoved>,
    /// Operating outcome entries ([`super::operating`]).
    pub operating_entries: i64,
}

/// The memory a save's sorts and groupings may use: the file's rows are grouped by line (or
/// activity), month and voucher in memory rather than in temporary files (the default 4 MB
/// spills at about a hundred thousand rows; a million rows fit in 256 MB).
pub async fn sort_in_memory(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("SET LOCAL work_mem = '256MB'")
        .execute(conn)
        .await?;
    Ok(())
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
pub async fn save(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<Saved> {
    let added = sqlx::query!(
        r#"WITH inserted AS (
               INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source,
                                          import_id, voucher, voucher_key)
               SELECT uuid_v7(), budget_line_id, month, in_file - booked,
                      CASE WHEN booked = 0 THEN text
                           ELSE left('Ändrad sedan förra importen: ' || text, 500) END,
                      'import', $1, voucher, voucher_key
               FROM ledger_import_changes($1)
               WHERE in_file <> booked
               RETURNING budget_line_id, voucher, voucher_key, amount)
           SELECT budget_line_id AS "line!", count(*) AS "entries!", sum(amount) AS "added!",
                  (SELECT count(*) FROM (SELECT DISTINCT coalesce(voucher_key, voucher)
                                         FROM inserted) v) AS "vouchers!"
           FROM inserted GROUP BY budget_line_id"#,
        import
    )
    .fetch_all(&mut *conn)
    .await?;
    let vouchers = added.first().map_or(0, |r| r.vouchers);
    let added: Vec<Added> = added
        .into_iter()
        .map(|r| (r.line, r.entries, r.added))
        .collect();
    Ok(Saved {
        entries: added.iter().map(|(_, n, _)| n).sum(),
        vouchers,
        lines: lines_moved(conn, (import, false), &added).await?,
        operating_entries: 0,
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

/// A later batch of the same municipality, still standing, that may have booked changes of this
/// one's vouchers, counted against what this one booked: its rows span dates of this one's, or
/// it has entries of a voucher this one has (a voucher re-dated into another month since). This
/// one is undone only after it (the latest first).
pub async fn later_overlapping(
    conn: &mut PgConnection,
    import: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        r#"SELECT o.file_name FROM ledger_import o JOIN ledger_import i ON i.id = $1
           WHERE o.municipality_id = i.municipality_id AND o.status = 'imported'
             AND o.id <> i.id AND o.imported_at > i.imported_at
             AND (daterange(o.date_from, o.date_to, '[]') && daterange(i.date_from, i.date_to, '[]')
                  OR EXISTS (SELECT 1 FROM outcome_entry a JOIN outcome_entry b
                               ON b.voucher_key = a.voucher_key
                             WHERE a.import_id = i.id AND b.import_id = o.id)
                  OR EXISTS (SELECT 1 FROM operating_outcome_entry a
                             JOIN operating_outcome_entry b ON b.voucher_key = a.voucher_key
                             WHERE a.import_id = i.id AND b.import_id = o.id))
           ORDER BY o.imported_at DESC LIMIT 1"#,
        import
    )
    .fetch_optional(conn)
    .await
}

/// Every import of `municipality` that is read and not saved moves to a new version: what its
/// preview was computed from (the outcome a save or undo just booked, an activity's keys) has
/// changed, so a preview shown before cannot be saved as if nothing had. The import saved or
/// undone is no longer 'read' itself.
pub async fn outdate_open_imports(conn: &mut PgConnection, municipality: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE ledger_import SET version = version + 1 \
         WHERE municipality_id = $1 AND status = 'read'",
        municipality
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds a reversing entry for each entry of `import`: its vouchers then book nothing, and a
/// later file with them books them again.
pub async fn reverse(conn: &mut PgConnection, import: Uuid) -> sqlx::Result<Saved> {
    let reversed = sqlx::query!(
        r#"WITH inserted AS (
               INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source,
                                          import_id, voucher, voucher_key)
               SELECT uuid_v7(), budget_line_id, month, -amount,
                      left('Återföring: ' || text, 500), 'reversal', import_id, voucher,
                      voucher_key
               FROM outcome_entry WHERE import_id = $1 AND source = 'import'
               RETURNING budget_line_id, amount)
           SELECT budget_line_id AS "line!", count(*) AS "entries!", sum(amount) AS "added!"
           FROM inserted GROUP BY budget_line_id"#,
        import
    )
    .fetch_all(&mut *conn)
    .await?;
    let added: Vec<Added> = reversed
        .into_iter()
        .map(|r| (r.line, r.entries, r.added))
        .collect();
    Ok(Saved {
        entries: added.iter().map(|(_, n, _)| n).sum(),
        vouchers: 0,
        lines: lines_moved(conn, (import, true), &added).await?,
        operating_entries: 0,
    })
}

/// A line, the entries just written on it and their sum.
type Added = (Uuid, i64, Decimal);

/// Each line's outcome before and after the entries `import` just wrote (`added`), and its
/// version moved: a form showing the old outcome is then known to be stale, as after an entry
/// typed by hand. Before a save, a line with no entries but the batch's had none (`None`);
/// before a reversal it had the batch's.
async fn lines_moved(
    conn: &mut PgConnection,
    (import, reversal): (Uuid, bool),
    added: &[Added],
) -> sqlx::Result<Vec<LineMoved>> {
    let ids: Vec<Uuid> = added.iter().map(|(id, ..)| *id).collect();
    let rows = sqlx::query!(
        r#"UPDATE budget_line l SET version = version + 1
           WHERE l.id = ANY($1)
           RETURNING l.id, l.project_id, l.category, l.position,
                     (SELECT sum(e.amount) FROM outcome_entry e
                       WHERE e.budget_line_id = l.id) AS after,
                     EXISTS (SELECT 1 FROM outcome_entry e WHERE e.budget_line_id = l.id
                             AND e.import_id IS DISTINCT FROM $2) AS "others!""#,
        &ids,
        import
    )
    .fetch_all(conn)
    .await?;
    let mut moved: Vec<LineMoved> = rows
        .into_iter()
        .filter_map(|r| {
            let (_, entries, sum) = added.iter().find(|(id, ..)| *id == r.id)?;
            let after = r.after.unwrap_or_default();
            Some(LineMoved {
                line_id: r.id,
                project_id: r.project_id,
                category: r.category,
                position: r.position,
                entries: *entries,
                before: (r.others || reversal).then_some(after - sum),
                after: Some(after),
            })
        })
        .collect();
    moved.sort_by_key(|l| (l.project_id, l.position));
    Ok(moved)
}

/// Marks `import` saved, by `by`.
pub async fn mark_imported(conn: &mut PgConnection, import: Uuid, by: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        // The clock, not the transaction's start: saves take the municipality's lock one after
        // the other, and the latest saved is the latest standing batch of a month.
        "UPDATE ledger_import SET status = 'imported', imported_by = $2, \
         imported_at = clock_timestamp(), \
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
