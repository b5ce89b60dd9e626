//! The benefit register's writes, one function per verb (see `crate::operation` for the shape):
//! save a benefit's follow-up, record a measurement, link the effect goals that evidence it.
//! A benefit taken out of its calculation keeps its history but takes no new follow-up.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    benefits::register::{
        forms::{FollowUpForm, GoalLinksForm, MeasurementForm},
        policy::{check_follow_up, load_visible},
        repo::{self, Benefit, FollowUp},
    },
    domain::number,
    operation::{Actor, Refusal, Submission},
    web::{AppError, format},
};

/// The benefit `id`, locked, if `actor` may follow it up and it is still in its calculation.
async fn load_for_change(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Benefit, Refusal> {
    let (benefit, _) = load_visible(conn, id, &actor.user, true).await?;
    check_follow_up(&actor.user, &benefit)?;
    if benefit.removed {
        return Err(AppError::Conflict(
            "Nyttan är borttagen ur kalkylen och följs inte upp längre.".into(),
        )
        .into());
    }
    Ok(benefit)
}

/// The audited follow-up fields, with the owner by name.
fn audited(f: &FollowUp, people: &[(Uuid, String)]) -> Vec<(&'static str, String)> {
    let owner = f
        .owner
        .and_then(|o| people.iter().find(|(id, _)| *id == o))
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    vec![
        ("owner", owner),
        ("indicator", f.indicator.clone()),
        (
            "baseline",
            f.baseline.map(number::format_quantity).unwrap_or_default(),
        ),
        ("status", f.status.label().to_owned()),
        ("status_reason", f.status_reason.clone()),
    ]
}

/// Saves the owner, indicator, baseline and status over the version the form was based on.
pub async fn update_follow_up(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &FollowUpForm,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let saved = load_for_change(&mut tx, actor, id).await?;
    // A deactivated owner is no longer among the people; the saved one may stay.
    let mut people = repo::people(&mut tx).await?;
    if let (Some(o), Some(name)) = (saved.owner_id, saved.owner.clone())
        && !people.iter().any(|(id, _)| *id == o)
    {
        people.push((o, name));
    }
    let input = form.parse(&people).map_err(Refusal::Invalid)?;
    let before = FollowUp {
        owner: saved.owner_id,
        indicator: saved.indicator.clone(),
        baseline: saved.baseline,
        status: saved.status,
        status_reason: saved.status_reason.clone(),
    };
    let named = people;
    if saved.version != form.version || !repo::update(&mut tx, id, form.version, &input).await? {
        let now = audited(&before, &named)
            .into_iter()
            .map(|(f, v)| format!("{}: {v}", audit::labels::field_label(f)))
            .collect::<Vec<_>>()
            .join(" · ");
        return Err(Refusal::conflict(now));
    }
    let changes = audit::compared(audited(&before, &named), audited(&input, &named));
    let entity = ("benefit", id.to_string());
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "benefit_updated",
        (entity.0, &entity.1),
        saved.project_id,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a measurement of what the benefit realised; returns its id.
pub async fn record_measurement(
    db: &PgPool,
    actor: &Actor,
    (id, submission): (Uuid, Submission),
    form: &MeasurementForm,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let benefit = load_for_change(&mut tx, actor, id).await?;
    let input = form
        .parse(benefit.kind, format::today())
        .map_err(Refusal::Invalid)?;
    let measurement = repo::insert_measurement(&mut tx, id, &input, actor.user.id).await?;
    let mut entry = Entry::change(
        "benefit_measured",
        "benefit",
        id.to_string(),
        "value",
        None,
        Some(format!(
            "{}: {} {}",
            input.measured_on,
            number::format_quantity(input.value),
            benefit.kind.unit()
        )),
    );
    if let Some(project) = benefit.project_id {
        entry = entry.in_project(project);
    }
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(measurement)
}

/// Links the benefit to exactly the ticked effect goals of its project.
pub async fn set_goal_links(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &GoalLinksForm,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let benefit = load_for_change(&mut tx, actor, id).await?;
    let project = benefit.project_id.ok_or(AppError::NotFound)?;
    let goals = repo::goal_links(&mut tx, project, id).await?;
    let ids: Vec<Uuid> = goals.iter().map(|g| g.id).collect();
    let picked = form.parse(&ids).map_err(Refusal::Invalid)?;
    repo::set_goal_links(&mut tx, id, &picked).await?;
    let list = |linked: &dyn Fn(&repo::GoalLink) -> bool| {
        goals
            .iter()
            .filter(|g| linked(g))
            .map(|g| format!("Effektmål {}", g.position))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let changes = [(
        "effect_goals",
        list(&|g| g.linked),
        list(&|g| picked.contains(&g.id)),
    )];
    let entity = ("benefit", id.to_string());
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "benefit_updated",
        (entity.0, &entity.1),
        Some(project),
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
