//! A create form's one-time id. Every form that creates something carries a hidden
//! `submission` field with a UUID made when the form is rendered. The create operation claims
//! it ([`Submission::claim`]) in the same transaction as its insert, so a second post of the same
//! form (a double click, a reload of a slow answer, a retried request) finds it claimed, saves
//! nothing and is answered like the first success ([`crate::web::Page::sent_before`]). A refused
//! post rolls its claim back with everything else, so the form can be corrected and sent again.
//! A post without the field (a hand-made request) gets a fresh id: it is not deduplicated, and
//! it is not refused either.

use std::fmt;

use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    operation::{Actor, Refusal},
    web::AppError,
};

/// How long a claim is kept: far longer than anyone leaves a form open and posts it twice.
const KEPT_DAYS: i32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Submission(Uuid);

impl Submission {
    /// A new id, for a form about to be rendered.
    pub fn fresh() -> Self {
        Submission(Uuid::new_v4())
    }

    /// The id a client chose itself: an API call's `Idempotency-Key`.
    pub fn keyed(id: Uuid) -> Self {
        Submission(id)
    }

    /// Claims the id for `actor` inside the create operation's transaction, before anything is
    /// written. Refused with [`Refusal::AlreadySent`] when a post of the same form has been
    /// saved; while that post's transaction is still open, this waits for it, so two posts at
    /// once cannot both save.
    pub async fn claim(self, conn: &mut PgConnection, actor: &Actor) -> Result<(), Refusal> {
        let claimed = sqlx::query!(
            "INSERT INTO form_submission (id, user_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
            self.0,
            actor.user.id
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if claimed {
            return Ok(());
        }
        let first = sqlx::query!(
            "SELECT user_id, created FROM form_submission WHERE id = $1",
            self.0
        )
        .fetch_one(conn)
        .await?;
        if first.user_id != actor.user.id {
            // Someone else's id: nothing of theirs is told, not even that it exists.
            return Err(AppError::BadRequest(
                "Formulärets id kan inte användas. Ladda om sidan och försök igen.".into(),
            )
            .into());
        }
        Err(Refusal::AlreadySent(first.created))
    }

    /// Notes what the first post created, so that a second post is answered with its page.
    pub async fn created(self, conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "UPDATE form_submission SET created = $2 WHERE id = $1",
            self.0,
            id
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}

impl Default for Submission {
    /// A fresh id: for a form about to be rendered, and for a post that sent none.
    fn default() -> Self {
        Submission::fresh()
    }
}

impl fmt::Display for Submission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Deletes the claims older than [`KEPT_DAYS`]; returns how many.
pub async fn delete_old(db: &PgPool) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query!(
        "DELETE FROM form_submission WHERE at < now() - make_interval(days => $1)",
        KEPT_DAYS
    )
    .execute(db)
    .await?;
    Ok(deleted.rows_affected())
}
