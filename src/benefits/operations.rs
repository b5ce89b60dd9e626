//! The benefit calculation's writes, one function per verb (see `crate::operation` for the
//! shape): create a calculation, save its settings, add a stakeholder, add and remove a benefit.
//! Each takes the calculation's row lock, asks the policy and audits the change. The settings
//! carry the calculation's version, so a settings form based on older settings is refused;
//! stakeholders and benefits are added and removed one by one and never overwrite each other.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit,
    benefits::{
        forms::{self, LineForm},
        policy::{self, SubjectView},
        repo::{self, Calculation, Settings, Subject},
    },
    domain::number,
    operation::{Actor, Refusal, Submission},
    web::AppError,
};

/// The calculation `id`, locked, with its subject checked open to `actor`'s change.
async fn load_for_change(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<(Calculation, SubjectView), Refusal> {
    let calculation = repo::find(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = policy::load_subject(conn, calculation.subject(), &actor.user).await?;
    policy::check_edit(&actor.user, &subject)?;
    Ok((calculation, subject))
}

async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    (action, entity, entity_id): (&str, &str, Uuid),
    subject: Subject,
    changes: &[(&str, String, String)],
) -> Result<(), sqlx::Error> {
    let id = entity_id.to_string();
    let entity = (entity, id.as_str());
    audit::repo::record_changes(
        conn,
        &actor.trail,
        action,
        entity,
        subject.project(),
        changes,
    )
    .await
}

/// Starts the calculation of `subject`; returns its id. A subject has one calculation: a second
/// start answers with the one that exists.
pub async fn create_calculation(
    db: &PgPool,
    actor: &Actor,
    (subject, submission): (Subject, Submission),
    settings: &Settings,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let view = policy::load_subject(&mut tx, subject, &actor.user).await?;
    policy::check_edit(&actor.user, &view)?;
    if let Some(existing) = repo::of_subject(&mut tx, subject).await? {
        return Ok(existing);
    }
    let id = repo::insert(&mut tx, subject, settings).await?;
    let changes = audit::created(forms::audited(settings));
    let at = ("benefit_calculation_created", "benefit_calculation", id);
    record(&mut tx, actor, at, subject, &changes).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the settings and costs over the version the form was based on.
pub async fn update_settings(
    db: &PgPool,
    actor: &Actor,
    (id, version): (Uuid, i32),
    settings: &Settings,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let (saved, _) = load_for_change(&mut tx, actor, id).await?;
    let before = saved.settings();
    if saved.version != version || !repo::update(&mut tx, id, version, settings).await? {
        let now = forms::audited(&before)
            .into_iter()
            .map(|(f, v)| format!("{}: {v}", audit::labels::field_label(f)))
            .collect::<Vec<_>>()
            .join(" · ");
        return Err(Refusal::conflict(now));
    }
    let changes = audit::compared(forms::audited(&before), forms::audited(settings));
    let at = ("benefit_calculation_updated", "benefit_calculation", id);
    record(&mut tx, actor, at, saved.subject(), &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a stakeholder to the calculation.
pub async fn add_stakeholder(
    db: &PgPool,
    actor: &Actor,
    (id, submission): (Uuid, Submission),
    name: &str,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let (saved, _) = load_for_change(&mut tx, actor, id).await?;
    let stakeholder = repo::insert_stakeholder(&mut tx, id, name)
        .await
        .map_err(Refusal::from_constraint)?;
    repo::touch(&mut tx, id).await?;
    let changes = [("stakeholder", String::new(), name.to_owned())];
    let at = ("benefit_stakeholder_added", "benefit_calculation", id);
    record(&mut tx, actor, at, saved.subject(), &changes).await?;
    tx.commit().await?;
    Ok(stakeholder)
}

/// The audited values of a benefit line.
fn line_audited(calculation: &Calculation, line: &repo::NewLine) -> Vec<(&'static str, String)> {
    let value = match (line.amount, line.rating) {
        (Some(a), _) => format!("{} {}", number::format_quantity(a), line.kind.unit()),
        (None, Some(r)) => format!("betyg {r}: {}", line.rating_reason),
        (None, None) => String::new(),
    };
    vec![
        (
            "stakeholder",
            calculation
                .stakeholder_name(&line.stakeholder_id)
                .to_owned(),
        ),
        ("description", line.description.clone()),
        ("kind", line.kind.label().to_owned()),
        ("value", value),
    ]
}

/// Adds a benefit line (and so an entry of the benefit register); returns its id.
pub async fn add_line(
    db: &PgPool,
    actor: &Actor,
    (id, submission): (Uuid, Submission),
    form: &LineForm,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let (saved, _) = load_for_change(&mut tx, actor, id).await?;
    let stakeholders: Vec<Uuid> = saved.stakeholders.iter().map(|s| s.id).collect();
    let line = form.parse(&stakeholders).map_err(Refusal::Invalid)?;
    let benefit = repo::insert_line(&mut tx, id, &line).await?;
    repo::touch(&mut tx, id).await?;
    let changes = audit::created(line_audited(&saved, &line));
    let at = ("benefit_created", "benefit", benefit);
    record(&mut tx, actor, at, saved.subject(), &changes).await?;
    tx.commit().await?;
    Ok(benefit)
}

/// Takes a benefit out of the calculation and the register; returns its description.
pub async fn remove_line(
    db: &PgPool,
    actor: &Actor,
    (id, benefit): (Uuid, Uuid),
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let (saved, _) = load_for_change(&mut tx, actor, id).await?;
    let line = saved
        .benefits
        .iter()
        .find(|b| b.id == benefit)
        .ok_or(AppError::NotFound)?;
    if !repo::remove_line(&mut tx, id, benefit).await? {
        return Err(AppError::NotFound.into());
    }
    repo::touch(&mut tx, id).await?;
    let changes = [("removed", audit::yes_no(false), audit::yes_no(true))];
    let at = ("benefit_removed", "benefit", benefit);
    record(&mut tx, actor, at, saved.subject(), &changes).await?;
    tx.commit().await?;
    Ok(line.description.clone())
}
