//! SQL for signing in: finding accounts, loading the current user, throttling attempts.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    db::{Built, MapRow},
    web::{CurrentUser, current_user::Grant},
};

/// What sign-in needs to know about an account.
#[derive(Debug)]
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
    sqlx::query_as!(
        Credentials,
        "SELECT id, display_name, email, password_hash, active FROM app_user WHERE email = $1",
        email.trim().to_lowercase()
    )
    .fetch_optional(db)
    .await
}

/// A row of [`current_user_query`]: the user with one of their grants, or with none (all three
/// `None`) when they hold no role. One row per grant rather than arrays aggregated in the
/// statement: the three ordered aggregates were half of PostgreSQL's time for the lookup, which
/// every signed-in request and every API call makes.
pub struct UserGrantRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub sessions_valid_after: i64,
    pub role: Option<String>,
    pub municipality_id: Option<Uuid>,
    pub board_id: Option<Uuid>,
}

impl UserGrantRow {
    fn grant(&self) -> Option<Grant> {
        Some(Grant {
            // A role the code no longer knows is ignored rather than trusted.
            role: self.role.as_deref()?.parse().ok()?,
            municipality_id: self.municipality_id,
            board_id: self.board_id,
        })
    }
}

/// The user the rows of [`current_user_query`] describe, with their grants in the order of
/// their role codes; `None` when there are no rows (no such active user).
pub fn user_of(rows: Vec<UserGrantRow>) -> Option<CurrentUser> {
    let mut grants: Vec<Grant> = rows.iter().filter_map(UserGrantRow::grant).collect();
    grants.sort_by_key(|g| g.role.code());
    let first = rows.into_iter().next()?;
    Some(CurrentUser {
        id: first.id,
        email: first.email,
        display_name: first.display_name,
        sessions_valid_after: first.sessions_valid_after,
        grants,
    })
}

/// The statement of [`find_active_user`], which the benchmark replays (`page-sql`, see
/// [`crate::db::Built`]). The API's token lookup (`api_tokens::repo::caller_query`) reads the
/// same columns.
pub fn current_user_query(id: Uuid) -> Built<impl MapRow<UserGrantRow>> {
    sqlx::query_as!(
        UserGrantRow,
        r#"SELECT u.id, u.email, u.display_name,
             floor(extract(epoch FROM u.sessions_valid_after))::bigint AS "sessions_valid_after!",
             r.role AS "role?", r.municipality_id AS "municipality_id?", r.board_id AS "board_id?"
           FROM app_user u LEFT JOIN user_role r ON r.user_id = u.id
           WHERE u.id = $1 AND u.active"#,
        id
    )
}

/// The active user with this id and their roles, in one query.
pub async fn find_active_user(db: &PgPool, id: Uuid) -> Result<Option<CurrentUser>, sqlx::Error> {
    let rows = current_user_query(id).fetch_all(db).await?;
    Ok(user_of(rows))
}

/// Attempts of one pair of account and address checked without delay; after the last of them
/// the next waits [`FIRST_DELAY_SECS`], and each one after that twice as long as the one before,
/// up to [`MAX_DELAY_SECS`].
pub const FREE_ATTEMPTS: i32 = 5;
pub const FIRST_DELAY_SECS: i32 = 15;
pub const MAX_DELAY_SECS: i32 = 900;

/// Whether an attempt may be checked now, or how many seconds until it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Allowed,
    Wait(i64),
}

/// Claims an attempt for the pair, counted as a failure until [`forget_attempts`] clears it. One
/// statement reads and counts, so parallel requests cannot all slip past the same count: each
/// one either moves the counter on or finds the pair waiting. A pair quiet for a day starts over.
pub async fn claim_attempt(db: &PgPool, email: &str, ip: &str) -> Result<Claim, sqlx::Error> {
    let claimed: Option<i32> = sqlx::query_scalar!("WITH pruned AS (DELETE FROM sign_in_throttle \
             WHERE updated_at < clock_timestamp() - interval '1 day' AND email <> $1) \
         INSERT INTO sign_in_throttle AS t (email, ip, failures, next_attempt_at) \
         VALUES ($1, $2, 1, clock_timestamp()) \
         ON CONFLICT (email, ip) DO UPDATE SET \
             failures = CASE WHEN t.updated_at < clock_timestamp() - interval '1 day' \
                             THEN 1 ELSE t.failures + 1 END, \
             next_attempt_at = clock_timestamp() + make_interval(secs => CASE \
                 WHEN t.updated_at < clock_timestamp() - interval '1 day' OR t.failures + 1 < $3 \
                 THEN 0 ELSE least($5::int4::float8, $4::int4::float8 * 2 ^ (t.failures + 1 - $3)) END), \
             updated_at = clock_timestamp() \
         WHERE t.next_attempt_at <= clock_timestamp() \
         RETURNING t.failures", email, ip, FREE_ATTEMPTS, FIRST_DELAY_SECS, MAX_DELAY_SECS)
    .fetch_optional(db)
    .await?;
    if claimed.is_some() {
        return Ok(Claim::Allowed);
    }
    let wait: Option<i64> = sqlx::query_scalar!(
        "SELECT ceil(extract(epoch FROM next_attempt_at - clock_timestamp()))::bigint AS \"wait!\" \
         FROM sign_in_throttle WHERE email = $1 AND ip = $2",
        email,
        ip
    )
    .fetch_optional(db)
    .await?;
    Ok(Claim::Wait(wait.unwrap_or(1).max(1)))
}

/// A successful sign-in clears the pair's count.
pub async fn forget_attempts(
    conn: &mut PgConnection,
    email: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM sign_in_throttle WHERE email = $1 AND ip = $2",
        email,
        ip
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Role;

    fn row(role: Option<&str>, municipality_id: Option<Uuid>) -> UserGrantRow {
        UserGrantRow {
            id: Uuid::nil(),
            email: "a@example.se".into(),
            display_name: "A".into(),
            sessions_valid_after: 7,
            role: role.map(str::to_owned),
            municipality_id,
            board_id: None,
        }
    }

    #[test]
    fn the_rows_of_a_user_become_one_user_with_their_grants_in_role_order() {
        let kommun = Uuid::now_v7();
        let user = user_of(vec![
            row(Some("strategy_group"), Some(kommun)),
            row(Some("no_such_role"), None),
            row(Some("auditor"), None),
        ])
        .expect("a user");
        assert_eq!(
            (user.email.as_str(), user.sessions_valid_after),
            ("a@example.se", 7)
        );
        let roles: Vec<_> = user.grants.iter().map(|g| g.role).collect();
        assert_eq!(roles, [Role::Auditor, Role::StrategyGroup]);
        assert_eq!(user.grants[1].municipality_id, Some(kommun));
    }

    #[test]
    fn a_user_without_roles_has_no_grants_and_no_rows_is_no_user() {
        let user = user_of(vec![row(None, None)]).expect("a user");
        assert!(user.grants.is_empty());
        assert!(user_of(Vec::new()).is_none());
    }
}
