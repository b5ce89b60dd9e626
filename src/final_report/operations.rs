//! The final report's writes, one function per verb (see `crate::operation` for the shape):
//! saving the text (a correction once decided) and moving the report towards the committee,
//! recording its decision at the end.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::{final_report::ReportStatus, project::Status},
    final_report::{
        forms::{ContentForm, MoveForm},
        loader::load,
        policy,
        repo::{self, Decision, Move},
    },
    operation::{Actor, Refusal},
    projects::{load_visible, repo as projects_repo, repo::Project},
    web::{AppError, form::FieldErrors, format},
};

/// Saves the text as the report's next version and returns its number. Before the decision a
/// save is an edit; after it a correction, which needs its reason and is audited with it.
/// Someone else's save since the form was opened refuses with a conflict.
pub async fn save_text(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &ContentForm,
) -> Result<i32, Refusal> {
    let loaded = load(db, &actor.user, id).await?;
    policy::check_edit(&actor.user, &loaded.project)?;
    form.check_complete()?;
    let decided = repo::is_decided(&mut *db.acquire().await?, id).await?;
    let errors = form.errors(decided);
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    let correction = decided.then_some(form.correction_reason.trim());
    let mut tx = db.begin().await?;
    load_visible(&mut tx, id, &actor.user, true).await?;
    let figures = &loaded.document.figures;
    let by = Some(actor.user.id);
    if !repo::save(
        &mut tx,
        id,
        form.report_version,
        &form.content,
        figures,
        by,
        correction,
    )
    .await?
    {
        return Err(conflict(
            "report_version",
            "Någon annan har sparat slutredovisningen medan du redigerade.",
        ));
    }
    let saved = repo::latest(&mut tx, id).await?.map_or(0, |v| v.number);
    let action = if decided {
        "final_report_corrected"
    } else {
        "final_report_saved"
    };
    let subject = id.to_string();
    let version = (saved > 1).then(|| (saved - 1).to_string());
    let mut entries = vec![Entry::change(
        action,
        "final_report",
        subject.clone(),
        "version",
        version,
        Some(saved.to_string()),
    )];
    if let Some(reason) = correction {
        entries.push(Entry::change(
            action,
            "final_report",
            subject,
            "correction_reason",
            None,
            Some(reason.to_owned()),
        ));
    }
    for entry in entries {
        audit::record(&mut tx, &actor.trail, entry.in_project(id)).await?;
    }
    tx.commit().await?;
    Ok(saved)
}

/// Moves the report to the status the form asks for and returns it. Recording the decision
/// (only the board's secretary, on a complete report of a completed project) locks the decided
/// version and approves the project's final report.
pub async fn move_report(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &MoveForm,
) -> Result<ReportStatus, Refusal> {
    let me = &actor.user;
    // What keeps the draft from being complete, from the same assembly the page shows.
    let missing = load(db, me, id).await?.document.missing;
    let mut tx = db.begin().await?;
    let project = load_visible(&mut tx, id, me, true).await?;
    policy::check_edit(me, &project)?;
    let Some(current) = repo::decision(&mut tx, id).await? else {
        return Err(AppError::Conflict(
            "Spara slutredovisningens text innan den går vidare.".into(),
        )
        .into());
    };
    let to = form.parse(current.status).map_err(Refusal::Invalid)?;
    let mut refusals = if to.status.is_decided() {
        policy::decision_refusals(me, &project, &missing)
    } else {
        Vec::new()
    };
    if current.version != form.report_version {
        refusals.push(
            "Slutredovisningen har ändrats sedan du öppnade sidan. Kontrollera och försök igen."
                .to_owned(),
        );
    }
    if let Some(first) = refusals.into_iter().next() {
        return Err(Refusal::invalid("to", first));
    }
    if !repo::move_to(&mut tx, id, form.report_version, &to, me.id).await? {
        return Err(conflict(
            "to",
            "Slutredovisningen ändrades samtidigt av någon annan.",
        ));
    }
    if to.status.is_decided() {
        approve_project(&mut tx, actor, &project, &to).await?;
    }
    audit_move(&mut tx, actor, id, &current, &to).await?;
    tx.commit().await?;
    Ok(to.status)
}

/// Someone else saved first: the page shows its own notice, the message is for other callers.
fn conflict(field: &str, message: &str) -> Refusal {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    Refusal::Conflict(errors)
}

/// The decision approves the project's final report: the one way to that project status.
async fn approve_project(
    tx: &mut PgConnection,
    actor: &Actor,
    project: &Project,
    to: &Move,
) -> Result<(), Refusal> {
    projects_repo::change_status(
        tx,
        project,
        Status::FinalReportApproved,
        to.meeting_date.unwrap_or(format::today()),
        "Slutredovisningen beslutad",
        actor.user.id,
    )
    .await?;
    let entry = Entry::change(
        "project_status_changed",
        "project",
        project.id.to_string(),
        "status",
        Some(Status::Completed.label().to_owned()),
        Some(Status::FinalReportApproved.label().to_owned()),
    );
    audit::record(tx, &actor.trail, entry.in_project(project.id)).await?;
    Ok(())
}

/// The move in the audit log: the status (with the decision's body, paragraph and date when
/// decided), then each of the meeting and decision fields that changed.
async fn audit_move(
    tx: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    current: &Decision,
    to: &Move,
) -> Result<(), Refusal> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let new = if to.status.is_decided() {
        format!(
            "Beslutad {} {} ({})",
            text(&to.decision_body),
            text(&to.decision_paragraph),
            date(&to.meeting_date)
        )
    } else {
        to.status.label().to_owned()
    };
    let subject = id.to_string();
    let entry = Entry::change(
        "final_report_moved",
        "final_report",
        subject.clone(),
        "status",
        Some(current.status.label().to_owned()),
        Some(new),
    );
    audit::record(tx, &actor.trail, entry.in_project(id)).await?;
    let mut fields = vec![(
        "meeting_date",
        date(&current.meeting_date),
        date(&to.meeting_date),
    )];
    let texts = [
        ("decision_body", &current.decision_body, &to.decision_body),
        (
            "decision_paragraph",
            &current.decision_paragraph,
            &to.decision_paragraph,
        ),
        ("decision_text", &current.decision_text, &to.decision_text),
    ];
    fields.extend(texts.map(|(field, old, new)| (field, text(old), text(new))));
    audit::repo::record_changes(
        tx,
        &actor.trail,
        "final_report_moved",
        ("final_report", &subject),
        Some(id),
        &fields,
    )
    .await?;
    Ok(())
}
