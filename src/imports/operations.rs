//! The verbs of a ledger import: start one from a received file (read in the background), map
//! a project's accounts to its budget lines, save the import as a batch, undo a batch, and drop
//! an import that was read but not saved. Each runs in one transaction, audited.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry as AuditEntry},
    domain::{ledger::ImportStatus, money::Money},
    imports::{
        batch::{self, LineMoved, Saved},
        mapping::Choice,
        operating::{self, Settle},
        repo,
    },
    operation::{Actor, Refusal},
    web::AppError,
    web::format::count,
};

/// The import locked for a change, at the version the form showed. Every change of a
/// municipality's imports and of its activities' keys takes the municipality's lock first and
/// then the rows it changes, so two of them wait for each other instead of deadlocking.
async fn lock(conn: &mut PgConnection, id: Uuid, version: i32) -> Result<repo::Import, Refusal> {
    let municipality = sqlx::query_scalar!(
        "SELECT municipality_id FROM ledger_import WHERE id = $1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    batch::lock_municipality(conn, municipality).await?;
    sqlx::query!(
        "SELECT 1 AS one FROM ledger_import WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let import = repo::find(conn, id).await?.ok_or(AppError::NotFound)?;
    if import.version != version {
        return Err(Refusal::conflict(format!(
            "Importen har ändrats sedan sidan visades (den är nu: {}). Sidan visar läget nu.",
            import.status.label().to_lowercase()
        )));
    }
    Ok(import)
}

/// Saves a read import as a batch of outcome entries, in one transaction.
pub async fn save_import(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    version: i32,
) -> Result<Saved, Refusal> {
    let mut tx = db.begin().await?;
    let import = lock(&mut tx, id, version).await?;
    if import.status != ImportStatus::Read {
        return Err(Refusal::invalid(
            "import",
            format!(
                "Importen kan inte sparas: den är {}.",
                import.status.label().to_lowercase()
            ),
        ));
    }
    let problems = import.problems().len();
    if problems > 0 {
        return Err(Refusal::invalid(
            "import",
            format!(
                "Filen har {} med fel. Ingenting sparas förrän de är rättade.",
                count(i64::try_from(problems).unwrap_or(i64::MAX), "rad", "rader")
            ),
        ));
    }
    batch::sort_in_memory(&mut tx).await?;
    if repo::same_file(&mut tx, import.municipality_id, &import.sha256)
        .await?
        .is_some()
    {
        return Err(Refusal::invalid("import", "Samma fil är redan importerad."));
    }
    repo::regroup(&mut tx, id).await?;
    operating::regroup(&mut tx, id).await?;
    let unmapped = batch::unmapped_rows(&mut tx, id).await?;
    if unmapped > 0 {
        return Err(Refusal::invalid(
            "import",
            format!(
                "{} har konton som inte är kopplade till någon budgetrad. Koppla eller undanta \
                 dem först.",
                count(unmapped, "rad", "rader")
            ),
        ));
    }
    let mut saved = batch::save(&mut tx, id).await?;
    let operating = operating::save(&mut tx, id).await?;
    if saved.entries == 0 && operating.entries == 0 {
        return Err(Refusal::invalid(
            "import",
            "Filen har inget nytt utfall att spara: dess verifikationer är redan importerade \
             som de är, eller hör varken till kommunens projekt eller till någon verksamhets \
             nycklar.",
        ));
    }
    saved.operating_entries = operating.entries;
    batch::mark_imported(&mut tx, id, actor.user.id).await?;
    operating::settle_months(&mut tx, &actor.trail, (&operating, Settle::Save)).await?;
    batch::outdate_open_imports(&mut tx, import.municipality_id).await?;
    let summary = format!(
        "{} poster, {} verifikationer, {} driftposter",
        saved.entries, saved.vouchers, saved.operating_entries
    );
    let event = (id, "ledger_import_saved", summary);
    let batch = (
        import.status,
        import.file_name.as_str(),
        saved.lines.as_slice(),
    );
    audit_batch(&mut tx, actor, event, batch).await?;
    tx.commit().await?;
    repo::drop_staged_rows_later(db.clone(), id);
    Ok(saved)
}

/// Undoes a saved batch by reversing entries; refused when its outcome is in a decided report.
pub async fn undo_import(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    (version, reason): (i32, &str),
) -> Result<Saved, Refusal> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(Refusal::invalid(
            "reason",
            "Skriv varför importen ångras (högst 2 000 tecken).",
        ));
    }
    let mut tx = db.begin().await?;
    let import = lock(&mut tx, id, version).await?;
    if import.status != ImportStatus::Imported {
        return Err(Refusal::invalid(
            "reason",
            format!(
                "Importen kan inte ångras: den är {}.",
                import.status.label().to_lowercase()
            ),
        ));
    }
    if let Some(later) = batch::later_overlapping(&mut tx, id).await? {
        return Err(Refusal::invalid(
            "reason",
            format!(
                "Importen kan inte ångras förrän den senare importen ”{later}” är ångrad: den \
                 har verifikationer från samma period eller samma verifikationer, och bygger på \
                 den här."
            ),
        ));
    }
    let mut blockers = batch::undo_blockers(&mut tx, id).await?;
    blockers.extend(operating::undo_blockers(&mut tx, id).await?);
    if !blockers.is_empty() {
        return Err(Refusal::invalid(
            "reason",
            format!(
                "Importen kan inte ångras, eftersom utfallet redan finns i beslutade rapporter \
                 ({}). Rätta i stället med en rättelse och motivering.",
                blockers.join("; ")
            ),
        ));
    }
    let mut reversed = batch::reverse(&mut tx, id).await?;
    let operating = operating::reverse(&mut tx, id).await?;
    reversed.operating_entries = operating.entries;
    batch::mark_undone(&mut tx, id, actor.user.id, reason).await?;
    operating::settle_months(&mut tx, &actor.trail, (&operating, Settle::Undo(id))).await?;
    batch::outdate_open_imports(&mut tx, import.municipality_id).await?;
    let summary = format!(
        "{}: {} och {} återförda ({reason})",
        ImportStatus::Undone.label(),
        count(reversed.entries, "utfallspost", "utfallsposter"),
        count(reversed.operating_entries, "driftpost", "driftposter")
    );
    let event = (id, "ledger_import_undone", summary);
    let label = format!("{}, ångrad: {reason}", import.file_name);
    let batch = (import.status, label.as_str(), reversed.lines.as_slice());
    audit_batch(&mut tx, actor, event, batch).await?;
    tx.commit().await?;
    Ok(reversed)
}

/// The batch's event, and each budget line's outcome before and after with the batch that
/// moved it, in the line's project's history.
async fn audit_batch(
    conn: &mut PgConnection,
    actor: &Actor,
    (id, action, summary): (Uuid, &str, String),
    (old_status, file_name, lines): (ImportStatus, &str, &[LineMoved]),
) -> sqlx::Result<()> {
    let event = AuditEntry {
        field: Some("status"),
        old: Some(old_status.label().to_owned()),
        new: Some(summary),
        ..AuditEntry::event(action, "ledger_import", Some(id.to_string()))
    };
    audit::record(conn, &actor.trail, event).await?;
    let kr = |m: Option<rust_decimal::Decimal>| m.map(|m| Money::from_stored(m).format_kr());
    for line in lines {
        let entry = AuditEntry::change(
            action,
            "budget_line",
            line.line_id.to_string(),
            "outcome",
            kr(line.before),
            kr(line.after),
        );
        audit::record(conn, &actor.trail, entry.in_project(line.project_id)).await?;
        let batch = AuditEntry::change(
            action,
            "budget_line",
            line.line_id.to_string(),
            "batch",
            None,
            Some(format!(
                "{file_name}: {} poster på {}",
                line.entries, line.category
            )),
        );
        audit::record(conn, &actor.trail, batch.in_project(line.project_id)).await?;
    }
    Ok(())
}

/// Keeps the chosen budget line (or exclusion) of each project's account. A pair someone else mapped meanwhile is a conflict; nothing is kept then.
pub async fn save_mapping(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    (version, choices): (i32, Vec<Choice>),
) -> Result<usize, Refusal> {
    let mut tx = db.begin().await?;
    let import = lock(&mut tx, id, version).await?;
    if import.status != ImportStatus::Read {
        return Err(Refusal::invalid(
            "mapping",
            "Importen är inte längre öppen för koppling.",
        ));
    }
    let mut kept = 0;
    for choice in choices {
        super::mapping::keep(&mut tx, id, &choice).await?;
        let entry = AuditEntry::change(
            "ledger_account_mapped",
            "ledger_account_mapping",
            format!("{}:{}", choice.project, choice.account),
            "budget_line",
            None,
            Some(choice.describe(&mut tx).await?),
        );
        audit::record(&mut tx, &actor.trail, entry.in_project(choice.project)).await?;
        kept += 1;
    }
    sqlx::query!(
        "UPDATE ledger_import SET version = version + 1 WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(kept)
}

/// Removes a project's mapping of `account`; the outcome already booked stays.
pub async fn remove_mapping(
    db: &PgPool,
    actor: &Actor,
    project: Uuid,
    account: &str,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    crate::projects::load_visible(&mut tx, project, &actor.user, true).await?;
    let removed = sqlx::query!(
        r#"DELETE FROM ledger_account_mapping m WHERE m.project_id = $1 AND m.account = $2
           RETURNING (SELECT l.category FROM budget_line l WHERE l.id = m.budget_line_id)"#,
        project,
        account
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Refusal::invalid("account", "Kopplingen finns inte längre."))?;
    let entry = AuditEntry::change(
        "ledger_account_unmapped",
        "ledger_account_mapping",
        format!("{project}:{account}"),
        "budget_line",
        Some(format!(
            "konto {account}: {}",
            removed.category.as_deref().unwrap_or("undantaget")
        )),
        None,
    );
    audit::record(&mut tx, &actor.trail, entry.in_project(project)).await?;
    tx.commit().await?;
    Ok(())
}

/// Drops an import that was read (or failed) and never saved, with its staged rows.
pub async fn discard_import(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    version: i32,
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let import = lock(&mut tx, id, version).await?;
    if !matches!(import.status, ImportStatus::Read | ImportStatus::Failed) {
        return Err(Refusal::invalid(
            "import",
            format!(
                "Importen kan inte tas bort: den är {}.",
                import.status.label().to_lowercase()
            ),
        ));
    }
    sqlx::query!("DELETE FROM ledger_import WHERE id = $1", id)
        .execute(&mut *tx)
        .await?;
    let entry = AuditEntry {
        old: Some(import.file_name.clone()),
        field: Some("file_name"),
        ..AuditEntry::event(
            "ledger_import_discarded",
            "ledger_import",
            Some(id.to_string()),
        )
    };
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(import.file_name)
}
