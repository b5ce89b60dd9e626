//! Saving the carry-over proposals (see `crate::operation` for the shape), with their statements.

use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::{follow_up::FollowUpStatus, money::Money},
    follow_up::{carry_over::forms::CarryOverInput, policy, repo, report},
    operation::{Actor, Refusal},
    web::{AppError, form::FieldErrors},
};

/// Saves the proposals of the board's year-end report: an amount sets a project's proposal, a
/// blank removes it. Each amount is at most what the project has not spent of its appropriation.
pub async fn save_carry_over(
    db: &PgPool,
    actor: &Actor,
    (occasion, board): (Uuid, Uuid),
    input: CarryOverInput,
) -> Result<(), Refusal> {
    policy::check_write(&actor.user, board)?;
    let mut tx = db.begin().await?;
    let header = repo::header(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    if !header.occasion.is_year_end() {
        return Err(AppError::Conflict(
            "Överföring till nästa år föreslås vid årets sista uppföljningstillfälle.".to_owned(),
        )
        .into());
    }
    let (id, version, status, created) = repo::lock_or_create(&mut tx, board, occasion).await?;
    if status != FollowUpStatus::InProgress {
        return Err(AppError::Conflict(policy::NOT_IN_PROGRESS.to_owned()).into());
    }
    if input.version != if created { 0 } else { version } {
        return Err(Refusal::conflict(
            "Någon annan har sparat rapporten sedan du öppnade sidan. Det du skrev finns kvar nedan.",
        ));
    }
    let saved = report::load(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    let year = saved.year();
    let mut errors = FieldErrors::new();
    let mut changes = Vec::new();
    for proposal in &input.proposals {
        let Some(project) = saved.projects.iter().find(|p| p.id == proposal.project) else {
            errors.add("project", "Formuläret är inaktuellt. Ladda om sidan.");
            continue;
        };
        let limit = project.carry_over_limit();
        if proposal.amount.is_some_and(|a| a > limit) {
            errors.add(
                format!("amount-{}", project.id),
                format!(
                    "Överföring för {}: högst {} kr, det som inte har upparbetats av anslaget.",
                    project.title(),
                    limit.format_kr()
                ),
            );
        } else if proposal.amount != project.proposed_carry_over {
            changes.push((project, proposal.amount));
        }
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    for (project, amount) in &changes {
        set(&mut tx, (project.id, year), amount.map(Money::amount), id).await?;
        let entry = Entry::change(
            "carry_over_proposed",
            "project",
            project.id.to_string(),
            "carry_over_proposal",
            project.proposed_carry_over.map(Money::format_kr),
            amount.map(Money::format_kr),
        )
        .in_project(project.id);
        audit::record(&mut tx, &actor.trail, entry).await?;
    }
    if !changes.is_empty() {
        sqlx::query!(
            "UPDATE follow_up SET version = version + 1 WHERE id = $1",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets (or with `None` removes) the project's undecided proposal from `year`, made at the
/// report `follow_up_id`. A carry-over already decided is never touched here.
async fn set(
    conn: &mut PgConnection,
    (project_id, year): (Uuid, i32),
    amount: Option<Decimal>,
    follow_up_id: Uuid,
) -> Result<(), Refusal> {
    let changed = match amount {
        Some(amount) => sqlx::query!(
            "INSERT INTO carry_over (project_id, from_year, amount, follow_up_id) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (project_id, from_year) DO UPDATE \
             SET amount = EXCLUDED.amount, follow_up_id = EXCLUDED.follow_up_id \
             WHERE NOT carry_over.decided",
            project_id,
            year,
            amount,
            follow_up_id
        )
        .execute(conn)
        .await?
        .rows_affected(),
        None => sqlx::query!(
            "DELETE FROM carry_over WHERE project_id = $1 AND from_year = $2 AND NOT decided",
            project_id,
            year
        )
        .execute(conn)
        .await?
        .rows_affected(),
    };
    if changed == 0 && amount.is_some() {
        return Err(AppError::Conflict(format!(
            "Överföringen från {year} för projektet är redan beslutad och kan inte ändras."
        ))
        .into());
    }
    Ok(())
}
