//! The review's one write: saving the group's notes as a draft, or submitting them (see
//! `crate::operation` for the shape).

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::portfolio::Phase,
    operation::{Actor, Refusal},
    portfolio::{
        reviews::{
            forms::ReviewForm,
            policy::{self, speaks_for},
            repo::{self, Note, ReviewLine},
        },
        scope::load_round,
    },
    web::{AppError, form::FieldErrors},
};

/// What a save did: whether the review was submitted, and for which municipality (its name).
pub struct Saved {
    pub submitted: bool,
    pub municipality: String,
}

/// Saves the notes of `municipality`'s review of round `id` over the version the form showed,
/// and submits the review when the form asks to.
pub async fn save_review(
    db: &PgPool,
    actor: &Actor,
    (id, municipality): (Uuid, Uuid),
    form: &ReviewForm,
) -> Result<Saved, Refusal> {
    let me = &actor.user;
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    // The draft row is created only while the round is under review: afterwards the round's
    // reviews are closed (and, once it is decided, the database refuses any change).
    if speaks_for(me, municipality) && round.phase() == Phase::Review {
        repo::lock(&mut tx, id, municipality).await?;
    }
    let review = repo::find(&mut tx, id, municipality)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_read(me, &review)?;
    policy::check_write(me, &round, &review)?;
    if review.version != form.version {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    let lines = repo::lines(&mut tx, id, municipality).await?;
    let notes = form.parse(&lines).map_err(Refusal::Invalid)?;
    let entity = format!("{id}/{municipality}");
    let changes = changes(&lines, &notes);
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "review_updated",
        ("review", &entity),
        None,
        &changes,
    )
    .await?;
    repo::save_notes(&mut tx, id, municipality, &notes).await?;
    let submitted = form.submit.is_some();
    if submitted {
        repo::submit(&mut tx, id, municipality, me.id).await?;
        let entry = Entry::change(
            "review_submitted",
            "review",
            entity,
            "submitted",
            None,
            Some("ja".into()),
        );
        audit::record(&mut tx, &actor.trail, entry).await?;
    }
    tx.commit().await?;
    Ok(Saved {
        submitted,
        municipality: review.municipality,
    })
}

/// The audited changes of a review, per item: (field, old, new).
fn changes(lines: &[ReviewLine], notes: &[Note]) -> Vec<(&'static str, String, String)> {
    let mut changes = Vec::new();
    for line in lines {
        let note = notes.iter().find(|n| n.item_id == line.item_id);
        let rank = |r: Option<i32>| r.map(|r| r.to_string()).unwrap_or_default();
        let reference = line.reference();
        let new_comment = note.map(|n| n.comment.clone()).unwrap_or_default();
        let new_rank = note.and_then(|n| n.recommended_rank);
        let new_must = note.is_some_and(|n| n.must_have);
        if line.comment != new_comment {
            changes.push((
                "comment",
                format!("{reference}: {}", line.comment),
                format!("{reference}: {new_comment}"),
            ));
        }
        if line.recommended_rank != new_rank {
            changes.push((
                "recommended_rank",
                format!("{reference}: {}", rank(line.recommended_rank)),
                format!("{reference}: {}", rank(new_rank)),
            ));
        }
        if line.must_have != new_must {
            changes.push((
                "must_have",
                format!("{reference}: {}", audit::yes_no(line.must_have)),
                format!("{reference}: {}", audit::yes_no(new_must)),
            ));
        }
    }
    changes
}
