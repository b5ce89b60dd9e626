//! The project's writes, one function per verb (see `crate::operation` for the shape): create,
//! update the general fields, change the status, update the appropriation.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    benefits,
    domain::{project::Status, text},
    operation::{Actor, Refusal, Submission},
    projects::{
        choices::{self, Choices},
        ensure_open,
        forms::{EconomyForm, EconomyInput, ProjectForm, ProjectInput, StatusForm, optional_date},
        load_visible, repo,
    },
    web::{AppError, form::FieldErrors, format},
};

/// A project starts as an idea, a pre-study or an already decided investment; later statuses
/// are reached through status changes, each recorded.
pub const INITIAL_STATUSES: [Status; 3] = [Status::Idea, Status::PreStudy, Status::Decided];

/// Registers a project with its first status record; returns its id.
pub async fn create_project(
    db: &PgPool,
    actor: &Actor,
    choices: &Choices,
    (input, submission): (&ProjectInput, Submission),
) -> Result<Uuid, Refusal> {
    if !INITIAL_STATUSES.contains(&input.status) {
        return Err(Refusal::invalid(
            "status",
            "Ett nytt projekt börjar som idé, förstudie eller beslutat.",
        ));
    }
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let id = repo::insert(&mut tx, input, actor.user.id, format::today())
        .await
        .map_err(Refusal::from_constraint)?;
    submission.created(&mut tx, id).await?;
    let mut created = audit::created(choices.audited(input));
    created.push(("status", String::new(), input.status.label().to_owned()));
    record_changes(tx, actor, "project_created", id, &created).await?;
    Ok(id)
}

/// Saves the general fields over the version the form was based on.
pub async fn update_project(
    db: &PgPool,
    actor: &Actor,
    choices: &Choices,
    id: Uuid,
    form: &ProjectForm,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let saved = load_visible(&mut tx, id, &actor.user, true).await?;
    ensure_open(&saved)?;
    let input = form.parse(choices).map_err(Refusal::Invalid)?;
    let before = choices::form_from(&saved);
    if saved.version != form.version {
        return Err(Refusal::conflict(choices.describe(&before)));
    }
    if !repo::update(&mut tx, id, form.version, &input)
        .await
        .map_err(Refusal::from_constraint)?
    {
        return Err(
            AppError::Conflict("Projektet ändrades samtidigt av någon annan.".into()).into(),
        );
    }
    let changes = match before.parse(choices) {
        Ok(before) => audit::compared(choices.audited(&before), choices.audited(&input)),
        // A saved project that no longer passes today's checks: log every field as new.
        Err(_) => choices
            .audited(&input)
            .into_iter()
            .map(|(field, new)| (field, String::from("?"), new))
            .collect(),
    };
    record_changes(tx, actor, "project_updated", id, &changes).await?;
    Ok(())
}

/// Moves the project to the status the form asks for, if the status machine allows it
/// ([`Status::change_to`]: no manual change reaches a status of another workflow), dated no
/// later than today and no earlier than the previous change. The form's own checks and the
/// project's answer together, as one list of messages. Returns the new status.
pub async fn change_status(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &StatusForm,
) -> Result<Status, Refusal> {
    let mut tx = db.begin().await?;
    let project = load_visible(&mut tx, id, &actor.user, true).await?;
    let mut errors = FieldErrors::new();
    let to = match Status::from_code(&form.status) {
        None => {
            errors.add("status", "Välj en ny status.");
            None
        }
        Some(to) => errors.check("status", project.status.change_to(to)),
    };
    if project.version != form.version {
        errors.add(
            "status",
            "Projektet har ändrats sedan du öppnade sidan. Kontrollera uppgifterna och försök igen.",
        );
    }
    let date = errors.check("changed_on", optional_date(&form.changed_on));
    let comment = errors.check("status_comment", text::bounded(&form.comment, 2000, false));
    let (Some(to), Some(date), Some(comment)) = (to, date, comment) else {
        return Err(Refusal::Invalid(errors));
    };
    let today = format::today();
    let date = date.unwrap_or(today);
    let previous = repo::latest_status_date(&mut tx, id).await?;
    if date > today {
        errors.add(
            "changed_on",
            "En statusändring registreras när den har skett: datumet ligger i framtiden.",
        );
    } else if let Some(previous) = previous.filter(|p| date < *p) {
        errors.add(
            "changed_on",
            format!("Datumet ligger före föregående statusändring ({previous})."),
        );
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    if !repo::change_status(&mut tx, &project, to, date, &comment, actor.user.id).await? {
        return Err(
            AppError::Conflict("Projektet ändrades samtidigt av någon annan.".into()).into(),
        );
    }
    let entry = Entry::change(
        "project_status_changed",
        "project",
        id.to_string(),
        "status",
        Some(project.status.label().to_owned()),
        Some(format!("{} ({date})", to.label())),
    )
    .in_project(id);
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(to)
}

/// Saves the appropriation and its decision over the version the form was based on.
pub async fn update_economy(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &EconomyForm,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let saved = load_visible(&mut tx, id, &actor.user, true).await?;
    ensure_open(&saved)?;
    let input = form.parse().map_err(Refusal::Invalid)?;
    // A decision is registered once it is taken (checked when the date changes, so a date saved
    // before this rule does not block saving the other fields).
    if input.decision_date != saved.decision_date
        && input.decision_date.is_some_and(|d| d > format::today())
    {
        return Err(Refusal::invalid(
            "decision_date",
            "Beslutsdatum: beslutet registreras när det är fattat, och datumet ligger i framtiden.",
        ));
    }
    let before = choices::economy_form_from(&saved)
        .parse()
        .map_err(|_| AppError::Internal("stored economy does not parse".into()))?;
    if saved.version != form.version {
        let saved_now = choices::economy_audited(&before)
            .iter()
            .map(|(f, v)| format!("{}: {v}", audit::labels::field_label(f)))
            .collect::<Vec<_>>()
            .join(" · ");
        return Err(Refusal::conflict(saved_now));
    }
    if !repo::update_economy(&mut tx, id, form.version, &input).await? {
        return Err(
            AppError::Conflict("Projektet ändrades samtidigt av någon annan.".into()).into(),
        );
    }
    let changes = audit::compared(
        choices::economy_audited(&before),
        choices::economy_audited(&input),
    );
    if let Some(decision) = appropriation_decided(&before, &input) {
        let subject = benefits::repo::Subject::Project(id);
        benefits::freeze::freeze_for_decision(&mut tx, &actor.trail, subject, &decision).await?;
    }
    record_changes(tx, actor, "project_economy_updated", id, &changes).await?;
    Ok(())
}

/// The decision a saved appropriation records, when it is a new one: an appropriation with its
/// decision date, whose amount or date changed. It freezes the project's benefit calculation.
fn appropriation_decided(before: &EconomyInput, after: &EconomyInput) -> Option<String> {
    let (Some(amount), Some(date)) = (after.appropriation, after.decision_date) else {
        return None;
    };
    if before.appropriation == after.appropriation && before.decision_date == after.decision_date {
        return None;
    }
    let body = after.decision_body.as_deref().unwrap_or("beslutande organ");
    let paragraph = after
        .decision_paragraph
        .as_deref()
        .map(|p| format!(" {p}"))
        .unwrap_or_default();
    Some(format!(
        "Investeringsanslag {} kr beslutat av {body} {date}{paragraph}",
        amount.format_kr()
    ))
}

/// Writes the changed fields of project `id` to the audit log under `action`, then commits.
async fn record_changes(
    mut tx: Transaction<'_, Postgres>,
    actor: &Actor,
    action: &str,
    id: Uuid,
    changes: &[(&str, String, String)],
) -> Result<(), sqlx::Error> {
    let subject = id.to_string();
    let entity = ("project", subject.as_str());
    audit::repo::record_changes(&mut tx, &actor.trail, action, entity, Some(id), changes).await?;
    tx.commit().await
}
