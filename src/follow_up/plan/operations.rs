//! The action plan's writes, one function per verb (see `crate::operation` for the shape).

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::follow_up::FollowUpStatus,
    follow_up::{
        plan::{
            forms::MeasureInput,
            repo::{self, PlanMeasure},
        },
        policy, repo as report_repo,
    },
    operation::{Actor, Refusal},
    web::AppError,
};

/// Where a measure is: (occasion, board, measure).
pub type At = (Uuid, Uuid, Uuid);

const NOT_IN_PROGRESS: &str = "Handlingsplanen kan bara ändras medan rapporten pågår. Återta en inlämnad rapport för att ändra den.";
/// A button pressed on a plan that no longer shows the measure as it is.
const CHANGED_SINCE: &str = "Åtgärden har ändrats sedan du öppnade handlingsplanen. Inget gjordes; se hur den ser ut nu och försök igen.";
const STALE: &str = "Någon annan har ändrat åtgärden sedan du öppnade den. Det du skrev finns kvar nedan; jämför och spara igen om ditt ska gälla.";

fn refused(message: &str) -> Refusal {
    AppError::Conflict(message.to_owned()).into()
}

async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    change: (&str, Option<String>, Option<String>),
) -> Result<(), sqlx::Error> {
    record_as(conn, actor, "action_measure_saved", id, change).await
}

async fn record_as(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    id: Uuid,
    (field, old, new): (&str, Option<String>, Option<String>),
) -> Result<(), sqlx::Error> {
    let entry = Entry::change(action, "action_measure", id.to_string(), field, old, new);
    audit::record(conn, &actor.trail, entry).await
}

/// Each field of a measure as the audit log shows it.
fn fields(m: &MeasureInput, number: i32) -> [(&'static str, Option<String>); 11] {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    [
        ("reference", Some(format!("{}.{number}", m.group))),
        ("activity", Some(m.activity.clone())),
        ("description", Some(m.description.clone())),
        ("goal", Some(m.goal.clone())),
        ("decided_by", m.decided_by.map(|d| d.label().to_owned())),
        ("decided_on", date(m.decided_on)),
        ("stage", m.stage.map(|s| s.label().to_owned())),
        ("go_live", date(m.go_live)),
        ("effect_period", Some(m.effect_period.format_kr())),
        ("effect_forecast", Some(m.effect_forecast.format_kr())),
        ("in_forecast", Some(audit::yes_no(m.in_forecast))),
    ]
}

fn saved_as_input(saved: &PlanMeasure) -> MeasureInput {
    let m = &saved.measure;
    MeasureInput {
        submission: crate::operation::Submission::fresh(),
        version: saved.version,
        group: i32::from(m.group),
        number: Some(i32::from(m.number)),
        activity: m.activity.clone(),
        description: m.description.clone(),
        goal: m.goal.clone(),
        decided_by: m.decided_by,
        decided_on: m.decided_on,
        stage: m.stage,
        go_live: m.go_live,
        effect_period: m.effect_period,
        effect_forecast: m.effect_forecast,
        in_forecast: m.in_forecast,
    }
}

/// Adds a measure to the board's report at the occasion, starting the report if the board had
/// not. A blank number takes the next free one in the group.
pub async fn create_measure(
    db: &PgPool,
    actor: &Actor,
    (occasion, board): (Uuid, Uuid),
    input: &MeasureInput,
) -> Result<Uuid, Refusal> {
    policy::check_write(&actor.user, board)?;
    let mut tx = db.begin().await?;
    input.submission.claim(&mut tx, actor).await?;
    report_repo::header(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    let (follow_up, _, status, _) = report_repo::lock_or_create(&mut tx, board, occasion).await?;
    if status != FollowUpStatus::InProgress {
        return Err(refused(NOT_IN_PROGRESS));
    }
    let number = match input.number {
        Some(n) => n,
        None => repo::next_number(&mut tx, follow_up, input.group).await?,
    };
    let id = repo::insert(&mut tx, follow_up, number, input)
        .await
        .map_err(Refusal::from_constraint)?;
    for (field, value) in fields(input, number) {
        if value.as_deref().is_some_and(|v| !v.is_empty()) {
            record(&mut tx, actor, id, (field, None, value)).await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Saves a changed measure. Any change withdraws its approval: what the head of administration
/// approved is no longer what stands. Returns whether an approval was withdrawn; `None` when
/// nothing changed.
pub async fn update_measure(
    db: &PgPool,
    actor: &Actor,
    at: At,
    input: &MeasureInput,
) -> Result<Option<bool>, Refusal> {
    policy::check_write(&actor.user, at.1)?;
    let mut tx = db.begin().await?;
    let (saved, status) = repo::lock(&mut tx, at).await?.ok_or(AppError::NotFound)?;
    if status != FollowUpStatus::InProgress {
        return Err(refused(NOT_IN_PROGRESS));
    }
    if saved.version != input.version {
        return Err(Refusal::conflict(STALE));
    }
    let number = input.number.unwrap_or(i32::from(saved.measure.number));
    let old = fields(&saved_as_input(&saved), i32::from(saved.measure.number));
    let new = fields(input, number);
    let changed: Vec<_> = old
        .into_iter()
        .zip(new)
        .filter(|((_, o), (_, n))| o != n)
        .map(|((field, o), (_, n))| (field, o, n))
        .collect();
    if changed.is_empty() {
        return Ok(None);
    }
    repo::update(&mut tx, at.2, number, input)
        .await
        .map_err(Refusal::from_constraint)?;
    for change in changed {
        record(&mut tx, actor, at.2, change).await?;
    }
    let withdrawn = saved.approved_by.is_some();
    if withdrawn {
        let change = (
            "approved",
            Some(audit::yes_no(true)),
            Some(audit::yes_no(false)),
        );
        record(&mut tx, actor, at.2, change).await?;
    }
    tx.commit().await?;
    Ok(Some(withdrawn))
}

/// Removes a measure from the plan, as the controller saw it (`version`): a measure changed or
/// approved since is not removed unseen. Every field's last value is audited, so the log keeps
/// what was removed. `None` when it was already removed (a second click).
pub async fn delete_measure(
    db: &PgPool,
    actor: &Actor,
    at: At,
    version: i32,
) -> Result<Option<String>, Refusal> {
    policy::check_write(&actor.user, at.1)?;
    let mut tx = db.begin().await?;
    let Some((saved, status)) = repo::lock(&mut tx, at).await? else {
        // Gone, or never this board's: the plan says which.
        report_repo::header(&mut tx, at.1, at.0)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(None);
    };
    if status != FollowUpStatus::InProgress {
        return Err(refused(NOT_IN_PROGRESS));
    }
    if saved.version != version {
        return Err(Refusal::conflict(CHANGED_SINCE));
    }
    repo::delete(&mut tx, at.2).await?;
    let mut removed = fields(&saved_as_input(&saved), i32::from(saved.measure.number)).to_vec();
    removed.push(("approved", Some(audit::yes_no(saved.approved_by.is_some()))));
    for (field, old) in removed {
        record_as(
            &mut tx,
            actor,
            "action_measure_removed",
            at.2,
            (field, old, None),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(saved.measure.reference()))
}

/// The board's head of administration approves a measure (`true`) or withdraws the approval,
/// as they saw it (`version`), while the report is in progress: an approval changes the
/// full-year forecast, so a submitted report is taken back first. Returns the measure's
/// reference; `None` when it already was so.
pub async fn set_approval(
    db: &PgPool,
    actor: &Actor,
    at: At,
    (approve, version): (bool, i32),
) -> Result<Option<String>, Refusal> {
    let mut tx = db.begin().await?;
    // An unknown measure is not found before another board's is forbidden.
    let (saved, status) = repo::lock(&mut tx, at).await?.ok_or(AppError::NotFound)?;
    policy::check_approve(&actor.user, at.1)?;
    if status != FollowUpStatus::InProgress {
        return Err(Refusal::conflict(
            "Rapporten är inlämnad eller beslutad: godkännanden ändras bara medan rapporten pågår. En inlämnad rapport återtas av controllern.",
        ));
    }
    if saved.approved_by.is_some() == approve {
        return Ok(None);
    }
    if saved.version != version {
        return Err(Refusal::conflict(CHANGED_SINCE));
    }
    repo::set_approval(&mut tx, at.2, approve.then_some(actor.user.id)).await?;
    let change = (
        "approved",
        Some(audit::yes_no(!approve)),
        Some(audit::yes_no(approve)),
    );
    record(&mut tx, actor, at.2, change).await?;
    tx.commit().await?;
    Ok(Some(saved.measure.reference()))
}
