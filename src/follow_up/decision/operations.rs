//! The report's status changes, one function per verb (see `crate::operation` for the shape).

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::follow_up::FollowUpStatus,
    follow_up::{
        decision::{
            forms::{CorrectionInput, DecisionInput},
            repo::{self, Decision, Locked},
        },
        policy, report, texts,
    },
    operation::{Actor, Refusal},
    web::AppError,
};

const STALE: &str = "Någon annan har ändrat rapporten sedan du öppnade sidan, så inget sparades. Jämför med rapporten som den är nu och försök igen; det du skrev i ett formulär finns kvar.";

/// The started report of `board` at `occasion`, locked, at the version the form was based on.
async fn locked(
    conn: &mut PgConnection,
    board: Uuid,
    occasion: Uuid,
    version: i32,
) -> Result<Locked, Refusal> {
    let Some(locked) = repo::lock(&mut *conn, board, occasion).await? else {
        // No report yet: an unknown board or occasion is not found, a known one not started.
        report::load(&mut *conn, board, occasion)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(AppError::Conflict("Rapporten är inte påbörjad.".to_owned()).into());
    };
    if locked.version != version {
        return Err(Refusal::conflict(STALE));
    }
    Ok(locked)
}

async fn audit_status(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    from: FollowUpStatus,
    to: FollowUpStatus,
) -> Result<(), sqlx::Error> {
    let entry = Entry::change(
        "follow_up_status",
        "follow_up",
        id.to_string(),
        "status",
        Some(from.label().to_owned()),
        Some(to.label().to_owned()),
    );
    audit::record(conn, &actor.trail, entry).await
}

/// The controller hands a complete report in progress to the board. Refused while anything is
/// missing (the list says what).
pub async fn submit(
    db: &PgPool,
    actor: &Actor,
    at: (Uuid, Uuid),
    version: i32,
) -> Result<(), Refusal> {
    let step = Step {
        from: FollowUpStatus::InProgress,
        to: FollowUpStatus::Submitted,
        otherwise: "Rapporten är redan inlämnad.",
    };
    move_report(db, actor, at, version, step).await
}

/// The controller takes a submitted report back to change it; not once the board decided.
pub async fn withdraw(
    db: &PgPool,
    actor: &Actor,
    at: (Uuid, Uuid),
    version: i32,
) -> Result<(), Refusal> {
    let step = Step {
        from: FollowUpStatus::Submitted,
        to: FollowUpStatus::InProgress,
        otherwise: "Bara en inlämnad rapport kan återtas.",
    };
    move_report(db, actor, at, version, step).await
}

/// A controller's move of the report from one status to another.
struct Step {
    from: FollowUpStatus,
    to: FollowUpStatus,
    /// Why not, when the report is not in `from`.
    otherwise: &'static str,
}

async fn move_report(
    db: &PgPool,
    actor: &Actor,
    (occasion, board): (Uuid, Uuid),
    version: i32,
    step: Step,
) -> Result<(), Refusal> {
    policy::check_write(&actor.user, board)?;
    let mut tx = db.begin().await?;
    let locked = locked(&mut tx, board, occasion, version).await?;
    if locked.status != step.from {
        return Err(AppError::Conflict(step.otherwise.to_owned()).into());
    }
    if step.to == FollowUpStatus::Submitted {
        let report = report::load(&mut tx, board, occasion)
            .await?
            .ok_or(AppError::NotFound)?;
        if !report.is_complete() {
            return Err(Refusal::invalid(
                "submit",
                format!(
                    "Rapporten kan inte lämnas in förrän den är komplett. Det saknas: {}.",
                    report.missing.join("; ")
                ),
            ));
        }
    }
    repo::set_status(&mut tx, locked.id, step.to).await?;
    audit_status(&mut tx, actor, locked.id, locked.status, step.to).await?;
    tx.commit().await?;
    Ok(())
}

/// The board's secretary records the decision on a submitted report. Its figures are frozen as
/// they stand and its carry-over proposals decided; from then on only its text is corrected.
pub async fn decide(
    db: &PgPool,
    actor: &Actor,
    (occasion, board): (Uuid, Uuid),
    input: DecisionInput,
) -> Result<(), Refusal> {
    policy::check_decide(&actor.user, board)?;
    let mut tx = db.begin().await?;
    let locked = locked(&mut tx, board, occasion, input.version).await?;
    if locked.status == FollowUpStatus::Decided {
        // A second click or a second tab: the form answers with the decision recorded.
        return Err(Refusal::conflict("Nämndens beslut är redan infört."));
    }
    if locked.status != FollowUpStatus::Submitted {
        return Err(AppError::Conflict(
            "Rapporten måste lämnas in av controllern innan beslutet kan föras in.".to_owned(),
        )
        .into());
    }
    let report = report::load(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    let frozen = report
        .freeze()
        .map_err(|e| AppError::Internal(format!("freezing the report: {e}")))?;
    let decision = Decision {
        body: &input.body,
        decided_on: input.decided_on,
        paragraph: &input.paragraph,
        decided_by: actor.user.id,
        frozen: &frozen,
    };
    repo::decide(&mut tx, locked.id, decision).await?;
    audit_status(
        &mut tx,
        actor,
        locked.id,
        locked.status,
        FollowUpStatus::Decided,
    )
    .await?;
    for (field, value) in [
        ("decision_body", input.body.clone()),
        ("decided_on", input.decided_on.to_string()),
        ("decision_paragraph", input.paragraph.clone()),
    ] {
        let entry = Entry::change(
            "follow_up_decided",
            "follow_up",
            locked.id.to_string(),
            field,
            None,
            Some(value),
        );
        audit::record(&mut tx, &actor.trail, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A controller corrects a decided report's text, giving the reason; each changed text is
/// audited with its old and new value and the reason is listed on the report.
pub async fn correct(
    db: &PgPool,
    actor: &Actor,
    (occasion, board): (Uuid, Uuid),
    input: CorrectionInput,
) -> Result<(), Refusal> {
    policy::check_write(&actor.user, board)?;
    let mut tx = db.begin().await?;
    let locked = locked(&mut tx, board, occasion, input.version).await?;
    if locked.status != FollowUpStatus::Decided {
        return Err(AppError::Conflict(
            "Bara en beslutad rapport rättas; ändra annars texten direkt.".to_owned(),
        )
        .into());
    }
    let saved = report::load(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?
        .header;
    let changes: Vec<_> = [
        ("summary_text", &saved.summary_text, &input.summary_text),
        (
            "operating_text",
            &saved.operating_text,
            &input.operating_text,
        ),
        (
            "investment_text",
            &saved.investment_text,
            &input.investment_text,
        ),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .collect();
    if changes.is_empty() {
        return Err(Refusal::invalid(
            "summary_text",
            "Texten är oförändrad: det finns inget att rätta.",
        ));
    }
    let texts = [
        input.summary_text.as_str(),
        input.operating_text.as_str(),
        input.investment_text.as_str(),
    ];
    repo::correct(&mut tx, locked.id, texts, &input.reason, actor.user.id).await?;
    let corrected = report::load(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    texts::record_version(
        &mut tx,
        locked.id,
        &corrected,
        Some(actor.user.id),
        Some(&input.reason),
    )
    .await?;
    for (field, old, new) in changes {
        let entry = Entry::change(
            "follow_up_corrected",
            "follow_up",
            locked.id.to_string(),
            field,
            Some(old.clone()),
            Some(new.clone()),
        );
        audit::record(&mut tx, &actor.trail, entry).await?;
    }
    let reason = Entry::change(
        "follow_up_corrected",
        "follow_up",
        locked.id.to_string(),
        "correction_reason",
        None,
        Some(input.reason.clone()),
    );
    audit::record(&mut tx, &actor.trail, reason).await?;
    tx.commit().await?;
    Ok(())
}
