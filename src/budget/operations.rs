//! The budget's writes, one function per verb (see `crate::operation` for the shape).

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry as AuditEntry},
    budget::{
        policy,
        repo::{self, EntryInput},
    },
    domain::{budget::OutcomeSource, money::Money},
    operation::{Actor, Refusal},
    projects::load_visible,
    web::AppError,
};

/// An outcome entry to book on one budget line of a project.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub project: Uuid,
    pub line: Uuid,
    pub entry: EntryInput,
    pub source: OutcomeSource,
}

/// Books an outcome entry. The line's outcome and version move with it, and the audit log gets
/// both the line's outcome before and after and the entry itself.
pub async fn record_outcome(db: &PgPool, actor: &Actor, new: NewOutcome) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    let project = load_visible(&mut tx, new.project, &actor.user, true).await?;
    policy::check_change(&project)?;
    let line = repo::find_line_for_update(&mut tx, new.project, new.line)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry_id = repo::insert_entry(
        &mut tx,
        new.line,
        &new.entry,
        new.source,
        actor.user.id.into(),
    )
    .await?;

    let before = line.outcome.map(Money::from_stored);
    let after = before.unwrap_or(Money::ZERO) + new.entry.amount;
    let month = new.entry.month.format("%Y-%m");
    let entries = [
        AuditEntry::change(
            "outcome_entry_created",
            "budget_line",
            new.line.to_string(),
            "outcome",
            Some(before.map(Money::format_kr).unwrap_or_default()),
            Some(after.format_kr()),
        ),
        AuditEntry::change(
            "outcome_entry_created",
            "outcome_entry",
            entry_id.to_string(),
            "amount",
            None,
            Some(format!("{month}: {}", new.entry.amount.format_kr())),
        ),
    ];
    for entry in entries {
        audit::record(&mut tx, &actor.trail, entry.in_project(new.project)).await?;
    }
    tx.commit().await?;
    Ok(entry_id)
}
