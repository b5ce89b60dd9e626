//! The effect goals' writes, one function per verb (see `crate::operation` for the shape).

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::{effect_goal::Assessment, number},
    goals::{
        forms::{self, GoalForm},
        repo::{self, GoalInput, MeasurementInput},
    },
    operation::{Actor, Refusal, Submission},
    projects::{ensure_open, load_visible},
    web::AppError,
};

/// Adds a goal to an open project; returns its id.
pub async fn create_goal(
    db: &PgPool,
    actor: &Actor,
    (project, submission): (Uuid, Submission),
    input: &GoalInput,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    ensure_open(&load_visible(&mut tx, project, &actor.user, true).await?)?;
    let goal_id = repo::insert(&mut tx, project, input).await?;
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "effect_goal_created",
        ("effect_goal", &goal_id.to_string()),
        Some(project),
        &audit::created(forms::audited(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(goal_id)
}

/// Saves a goal over the version the form was based on.
pub async fn update_goal(
    db: &PgPool,
    actor: &Actor,
    (project, goal_id): (Uuid, Uuid),
    version: i32,
    input: &GoalInput,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    ensure_open(&load_visible(&mut tx, project, &actor.user, true).await?)?;
    let saved = repo::find(&mut tx, project, goal_id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = GoalForm::from_goal(&saved);
    if saved.version != version {
        return Err(Refusal::conflict(format!(
            "Mål: {} · Indikator: {} · Målvärde: {} {} · Bedömning: {}",
            before.goal,
            before.indicator,
            before.target_value,
            before.unit,
            saved.assessment.map_or("ej bedömt", Assessment::label)
        )));
    }
    if !repo::update(&mut tx, goal_id, version, input).await? {
        return Err(
            AppError::Conflict("Effektmålet ändrades samtidigt av någon annan.".into()).into(),
        );
    }
    let old = before
        .parse()
        .map_err(|_| AppError::Internal("stored goal does not parse".into()))?;
    let changes = audit::compared(forms::audited(&old), forms::audited(input));
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "effect_goal_updated",
        ("effect_goal", &goal_id.to_string()),
        Some(project),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a measurement of a goal. Open after the final report too: benefits are followed up
/// after the project.
pub async fn record_measurement(
    db: &PgPool,
    actor: &Actor,
    (project, goal_id): (Uuid, Uuid),
    (input, submission): (&MeasurementInput, Submission),
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    load_visible(&mut tx, project, &actor.user, false).await?;
    repo::find(&mut tx, project, goal_id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let measurement = repo::insert_measurement(&mut tx, goal_id, input, actor.user.id).await?;
    let entry = Entry::change(
        "measurement_created",
        "goal_measurement",
        measurement.to_string(),
        "value",
        None,
        Some(format!(
            "{}: {}",
            input.measured_on,
            number::format_quantity(input.value)
        )),
    )
    .in_project(project);
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(measurement)
}
