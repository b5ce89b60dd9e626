//! Creating and revoking a user's own API tokens (see `crate::operation` for the shape).

use chrono::Utc;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    api_tokens::{
        forms::TokenForm,
        repo::{self, NewToken, Token},
        secret::Secret,
    },
    audit,
    domain::role::Role,
    operation::{Actor, Refusal},
    web::{Access, AppError, format},
};

/// Those whose token may write: the roles the API's write endpoints admit (outcome:
/// controllers; portfolio items: IT-center). Anyone else's writing token could only be refused.
pub const WRITERS: Access = Access::Roles(&[Role::Controller, Role::ItCenter]);

/// A token just created: the secret, shown once, and its row.
#[derive(Debug)]
pub struct Created {
    pub secret: Secret,
    pub token: Token,
}

/// The audited facts of a token (never the token or its hash).
fn audited(token: &Token) -> Vec<(&'static str, String)> {
    vec![
        ("name", token.name.clone()),
        ("prefix", token.prefix.clone()),
        ("access", access_label(token.can_write).to_owned()),
        ("expires_at", format::date_time(token.expires_at)),
    ]
}

pub fn access_label(can_write: bool) -> &'static str {
    if can_write {
        "Läsa och skriva"
    } else {
        "Läsa"
    }
}

pub async fn create(db: &PgPool, actor: &Actor, form: &TokenForm) -> Result<Created, Refusal> {
    let input = form.parse().map_err(Refusal::Invalid)?;
    if input.can_write && !WRITERS.allows(Some(&actor.user)) {
        return Err(Refusal::invalid(
            "access",
            "Behörighet: Dina roller ändrar inget genom API:t, så nyckeln kan bara läsa.",
        ));
    }
    let secret = Secret::generate();
    let id = Uuid::now_v7();
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let new = NewToken {
        id,
        user: actor.user.id,
        name: &input.name,
        hash: &secret.hash(),
        prefix: &secret.shown(),
        can_write: input.can_write,
        days: input.days,
    };
    let token = repo::insert(&mut tx, &new).await?;
    form.submission.created(&mut tx, id).await?;
    let fields = audit::created(audited(&token));
    let entity = ("api_token", id.to_string());
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "api_token_created",
        (entity.0, &entity.1),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(Created { secret, token })
}

/// Revokes the user's own token `id`; returns its name. A token already revoked or expired says so.
pub async fn revoke(db: &PgPool, actor: &Actor, id: Uuid) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let token = repo::find_for_update(&mut tx, actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !token.is_active(Utc::now()) {
        return Err(Refusal::conflict(format!(
            "API-nyckeln {} gäller redan inte längre.",
            token.name
        )));
    }
    repo::revoke(&mut tx, id, actor.user.id).await?;
    let change = audit::repo::Entry::change(
        "api_token_revoked",
        "api_token",
        id.to_string(),
        "revoked_at",
        None,
        Some(format::date_time(Utc::now())),
    );
    audit::record(&mut tx, &actor.trail, change).await?;
    tx.commit().await?;
    Ok(token.name)
}
