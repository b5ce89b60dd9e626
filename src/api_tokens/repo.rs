//! SQL for API tokens: a user's list, creating and revoking, and the lookup of a presented
//! token's hash on every API call.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    auth::repo::{UserGrantRow, user_of},
    db::{Built, MapRow},
    web::{CurrentUser, current_user::ApiCaller},
};

/// A token as its user's list shows it.
#[derive(Debug, Clone)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub can_write: bool,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Made before the user's sessions were last ended (a password reset, a deactivation),
    /// which ended it too.
    pub ended: bool,
}

impl Token {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && !self.ended && self.expires_at > now
    }
}

pub async fn list(conn: &mut PgConnection, user: Uuid) -> Result<Vec<Token>, sqlx::Error> {
    sqlx::query_as!(
        Token,
        r#"SELECT t.id, t.name, t.prefix, t.can_write, t.created_at, t.expires_at, t.revoked_at,
                  t.created_at <= u.sessions_valid_after AS "ended!"
           FROM api_token t JOIN app_user u ON u.id = t.user_id
           WHERE t.user_id = $1 ORDER BY t.created_at DESC, t.id"#,
        user
    )
    .fetch_all(conn)
    .await
}

/// A new token's row.
pub struct NewToken<'a> {
    pub id: Uuid,
    pub user: Uuid,
    pub name: &'a str,
    pub hash: &'a [u8],
    pub prefix: &'a str,
    pub can_write: bool,
    pub days: i64,
}

pub async fn insert(conn: &mut PgConnection, new: &NewToken<'_>) -> Result<Token, sqlx::Error> {
    sqlx::query_as!(
        Token,
        "INSERT INTO api_token (id, user_id, name, token_hash, prefix, can_write, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int)) \
         RETURNING id, name, prefix, can_write, created_at, expires_at, revoked_at, false AS \"ended!\"",
        new.id,
        new.user,
        new.name,
        new.hash,
        new.prefix,
        new.can_write,
        i32::try_from(new.days).unwrap_or(i32::MAX)
    )
    .fetch_one(conn)
    .await
}

/// The user's token `id`, locked for its revocation.
pub async fn find_for_update(
    conn: &mut PgConnection,
    user: Uuid,
    id: Uuid,
) -> Result<Option<Token>, sqlx::Error> {
    sqlx::query_as!(
        Token,
        r#"SELECT t.id, t.name, t.prefix, t.can_write, t.created_at, t.expires_at, t.revoked_at,
                  t.created_at <= u.sessions_valid_after AS "ended!"
           FROM api_token t JOIN app_user u ON u.id = t.user_id
           WHERE t.id = $1 AND t.user_id = $2 FOR UPDATE OF t"#,
        id,
        user
    )
    .fetch_optional(conn)
    .await
}

pub async fn revoke(conn: &mut PgConnection, id: Uuid, by: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE api_token SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL",
        id,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A row of [`caller_query`]: the token and, as in `auth::repo::current_user_query`, its user
/// with one of their grants.
pub struct CallerRow {
    token_id: Uuid,
    can_write: bool,
    id: Uuid,
    email: String,
    display_name: String,
    sessions_valid_after: i64,
    role: Option<String>,
    municipality_id: Option<Uuid>,
    board_id: Option<Uuid>,
}

/// The caller a presented token stands for: valid (neither expired nor revoked), its user
/// active, and made after the user's sessions were last ended (a password reset or a
/// deactivation ends the tokens too); with the user and their roles of the moment, as for a
/// session. Every API call asks this, so it is one statement rather than the token's and then
/// the user's.
pub async fn caller(
    db: &PgPool,
    hash: [u8; 32],
) -> Result<Option<(ApiCaller, CurrentUser)>, sqlx::Error> {
    let rows = caller_query(hash).fetch_all(db).await?;
    let Some(token) = rows.first().map(|row| ApiCaller {
        token_id: row.token_id,
        can_write: row.can_write,
    }) else {
        return Ok(None);
    };
    let rows = rows.into_iter().map(|row| UserGrantRow {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        sessions_valid_after: row.sessions_valid_after,
        role: row.role,
        municipality_id: row.municipality_id,
        board_id: row.board_id,
    });
    Ok(user_of(rows.collect()).map(|user| (token, user)))
}

/// The statement of [`caller`], which the benchmark replays (`page-sql api-list`).
pub fn caller_query(hash: [u8; 32]) -> Built<impl MapRow<CallerRow>> {
    sqlx::query_as!(
        CallerRow,
        r#"SELECT t.id AS token_id, t.can_write, u.id, u.email, u.display_name,
             floor(extract(epoch FROM u.sessions_valid_after))::bigint AS "sessions_valid_after!",
             r.role AS "role?", r.municipality_id AS "municipality_id?", r.board_id AS "board_id?"
           FROM api_token t JOIN app_user u ON u.id = t.user_id
             LEFT JOIN user_role r ON r.user_id = u.id
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.active
             AND t.created_at > u.sessions_valid_after"#,
        &hash[..]
    )
}
