//! A strategy group's review of a round: a comment on each item that concerns its municipality,
//! a recommended order of its top items and a "must for us" flag. A draft is the group's own;
//! once submitted, everyone preparing the meeting reads it, and it no longer changes.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{portfolio::Phase, role::Role, text},
    portfolio::{
        review_repo::{self, Note, ReviewLine, ReviewStatus, speaks_for},
        round_repo::Round,
        rounds::load_round,
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::{FieldErrors, nth},
    },
};

/// The review form: one entry per line, in the page's order. `must_have` lists the checked
/// items' ids.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub item: Vec<String>,
    #[serde(default)]
    pub comment: Vec<String>,
    #[serde(default)]
    pub rank: Vec<String>,
    #[serde(default)]
    pub must_have: Vec<String>,
    #[serde(default)]
    pub version: i32,
    /// Present when the group submits the review rather than saving a draft.
    #[serde(default)]
    pub submit: Option<String>,
}

impl ReviewForm {
    fn from_lines(lines: &[ReviewLine], version: i32) -> Self {
        ReviewForm {
            item: lines.iter().map(|l| l.item_id.to_string()).collect(),
            comment: lines.iter().map(|l| l.comment.clone()).collect(),
            rank: lines
                .iter()
                .map(|l| {
                    l.recommended_rank
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            must_have: lines
                .iter()
                .filter(|l| l.must_have)
                .map(|l| l.item_id.to_string())
                .collect(),
            version,
            submit: None,
        }
    }

    /// What was typed for `item`: (comment, rank, must have).
    pub fn typed(&self, item: &Uuid) -> (&str, &str, bool) {
        let key = item.to_string();
        let i = self.item.iter().position(|x| *x == key);
        (
            nth(&self.comment, i),
            nth(&self.rank, i),
            self.must_have.contains(&key),
        )
    }

    /// Checks every line against the items the group may review.
    fn parse(&self, lines: &[ReviewLine]) -> Result<Vec<Note>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut notes = Vec::new();
        let mut ranks_seen: Vec<(i32, String)> = Vec::new();
        for line in lines {
            let (comment, rank, must_have) = self.typed(&line.item_id);
            let reference = line.reference();
            let comment = e.check(
                format!("comment-{}", line.item_id),
                text::bounded(comment, 4000, false),
            );
            let rank = match rank.trim() {
                "" => Some(None),
                typed => match typed.parse::<i32>() {
                    Ok(r) if (1..=1000).contains(&r) => {
                        if let Some((_, other)) = ranks_seen.iter().find(|(seen, _)| *seen == r) {
                            e.add(
                                format!("rank-{}", line.item_id),
                                format!("{reference}: plats {r} är redan given till {other}."),
                            );
                        }
                        ranks_seen.push((r, reference.clone()));
                        Some(Some(r))
                    }
                    _ => {
                        e.add(
                            format!("rank-{}", line.item_id),
                            format!(
                                "{reference}: ”{typed}” är ingen plats. Ange ett heltal från 1."
                            ),
                        );
                        None
                    }
                },
            };
            if let (Some(comment), Some(recommended_rank)) = (comment, rank) {
                notes.push(Note {
                    item_id: line.item_id,
                    comment,
                    recommended_rank,
                    must_have,
                });
            }
        }
        if e.is_empty() { Ok(notes) } else { Err(e) }
    }
}

#[derive(Template)]
#[template(path = "portfolio/review.html")]
struct ReviewView {
    chrome: Chrome,
    round: Round,
    review: ReviewStatus,
    lines: Vec<ReviewLine>,
    form: ReviewForm,
    errors: FieldErrors,
    conflict: bool,
    editable: bool,
}

/// Those who prepare the meeting read every submitted review. A strategy group reads only its
/// own: another municipality's review is about items that do not concern it.
pub fn reads_reviews(me: &CurrentUser) -> bool {
    [
        Role::ItCenter,
        Role::CoordinationGroup,
        Role::Admin,
        Role::Auditor,
    ]
    .iter()
    .any(|r| me.has_role(*r))
}

/// Loads the round and the review, refusing a draft to anyone but the municipality's own group.
/// With `lock`, the review is created if needed and locked for a save.
async fn load(
    conn: &mut sqlx::PgConnection,
    (id, municipality): (Uuid, Uuid),
    me: &CurrentUser,
    lock: bool,
) -> Result<(Round, ReviewStatus), AppError> {
    let round = load_round(conn, id, me, lock).await?;
    // The draft row is created only while the round is under review: afterwards the round's
    // reviews are closed (and, once it is decided, the database refuses any change).
    if lock && speaks_for(me, municipality) && round.phase() == Phase::Review {
        review_repo::lock(conn, id, municipality).await?;
    }
    let review = review_repo::find(conn, id, municipality)
        .await?
        .ok_or(AppError::NotFound)?;
    let may_read =
        speaks_for(me, municipality) || (review.submitted_at.is_some() && reads_reviews(me));
    if !may_read {
        return Err(AppError::Forbidden);
    }
    Ok((round, review))
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    ids: (Uuid, Uuid),
    form: Option<ReviewForm>,
    (errors, conflict): (FieldErrors, bool),
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let (round, review) = load(&mut conn, ids, me, false).await?;
    let lines = review_repo::lines(&mut conn, ids.0, ids.1).await?;
    let editable =
        speaks_for(me, ids.1) && review.submitted_at.is_none() && round.phase() == Phase::Review;
    let status = crate::web::form::status(&errors, conflict);
    let view = ReviewView {
        chrome,
        // What was typed comes back with the saved version, so saving again is deliberate.
        form: match form {
            Some(typed) => ReviewForm {
                version: review.version,
                ..typed
            },
            None => ReviewForm::from_lines(&lines, review.version),
        },
        conflict,
        round,
        review,
        lines,
        errors,
        editable,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn show_review(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    render(&state, chrome, &me, ids, None, (FieldErrors::new(), false)).await
}

pub async fn update_review(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path((id, municipality)): Path<(Uuid, Uuid)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let (round, review) = load(&mut tx, (id, municipality), &me, true).await?;
    // Another municipality's submitted review is readable, never writable.
    if !speaks_for(&me, municipality) {
        return Err(AppError::Forbidden);
    }
    if round.phase() != Phase::Review || review.submitted_at.is_some() {
        return Err(AppError::Conflict(
            "Beredningen är inte öppen längre: den är inskickad eller omgången har gått vidare."
                .into(),
        ));
    }
    if review.version != form.version {
        drop(tx);
        return render(
            &state,
            chrome,
            &me,
            (id, municipality),
            Some(form),
            (FieldErrors::new(), true),
        )
        .await;
    }
    let lines = review_repo::lines(&mut tx, id, municipality).await?;
    let notes = match form.parse(&lines) {
        Ok(notes) => notes,
        Err(errors) => {
            drop(tx);
            return render(
                &state,
                chrome,
                &me,
                (id, municipality),
                Some(form),
                (errors, false),
            )
            .await;
        }
    };
    let actor = Actor::user(&me, &client);
    let changes = changes(&lines, &notes);
    let entity = format!("{id}/{municipality}");
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "review_updated",
        ("review", &entity),
        None,
        &changes,
    )
    .await?;
    review_repo::save_notes(&mut tx, id, municipality, &notes).await?;
    let submitted = form.submit.is_some();
    if submitted {
        review_repo::submit(&mut tx, id, municipality, me.id).await?;
        let entry = Entry::change(
            "review_submitted",
            "review",
            entity,
            "submitted",
            None,
            Some("ja".into()),
        );
        audit::repo::record(&mut tx, &actor, entry).await?;
    }
    tx.commit().await?;
    let message = if submitted {
        format!(
            "Beredningen för {} är inskickad till samordningsgruppen.",
            review.municipality
        )
    } else {
        "Utkastet är sparat. Det syns bara för er strategigrupp tills ni skickar in det.".to_owned()
    };
    flash::push(&session, Flash::success(message)).await?;
    Ok(Redirect::to(&format!("/omgangar/{id}/beredning/{municipality}")).into_response())
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
