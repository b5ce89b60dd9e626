//! SQL for signing in: finding accounts, loading the current user, counting failures.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::web::{CurrentUser, current_user::Grant};

/// What sign-in needs to know about an account.
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub password_hash: String,
    pub active: bool,
}

pub async fn find_credentials(
    db: &PgPool,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, display_name, email, password_hash, active FROM app_user WHERE email = $1",
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(db)
    .await
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    display_name: String,
    roles: Vec<String>,
    municipality_ids: Vec<Option<Uuid>>,
    board_ids: Vec<Option<Uuid>>,
}

/// The statement of [`find_active_user`]; parameter: the user id.
pub const CURRENT_USER_SQL: &str = "SELECT u.id, u.email, u.display_name, \
     coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.id IS NOT NULL), '{}') AS roles, \
     coalesce(array_agg(r.municipality_id ORDER BY r.role) FILTER (WHERE r.id IS NOT NULL), '{}') AS municipality_ids, \
     coalesce(array_agg(r.board_id ORDER BY r.role) FILTER (WHERE r.id IS NOT NULL), '{}') AS board_ids \
     FROM app_user u LEFT JOIN user_role r ON r.user_id = u.id \
     WHERE u.id = $1 AND u.active GROUP BY u.id";

/// The active user with this id and their roles, in one query.
pub async fn find_active_user(db: &PgPool, id: Uuid) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(CURRENT_USER_SQL)
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|row| {
        let grants = row
            .roles
            .iter()
            .zip(row.municipality_ids)
            .zip(row.board_ids)
            // A role the code no longer knows is ignored rather than trusted.
            .filter_map(|((role, municipality_id), board_id)| {
                Some(Grant {
                    role: role.parse().ok()?,
                    municipality_id,
                    board_id,
                })
            })
            .collect();
        CurrentUser {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            grants,
        }
    }))
}

/// Failed sign-ins in the last minute for this account or from this address, whichever is more.
pub async fn recent_failures(db: &PgPool, email: &str, ip: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT greatest( \
            (SELECT count(*) FROM sign_in_failure WHERE email = $1 AND at > now() - interval '1 minute'), \
            (SELECT count(*) FROM sign_in_failure WHERE ip = $2 AND at > now() - interval '1 minute'))",
    )
    .bind(email)
    .bind(ip)
    .fetch_one(db)
    .await
}

/// Counts a failure, and forgets those older than a day (the audit log keeps the record).
pub async fn record_failure(
    conn: &mut PgConnection,
    email: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failure WHERE at < now() - interval '1 day'")
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO sign_in_failure (email, ip) VALUES ($1, $2)")
        .bind(email)
        .bind(ip)
        .execute(conn)
        .await?;
    Ok(())
}
