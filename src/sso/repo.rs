//! SQL of single sign-on: accounts known by the provider's subject, and the table from groups to
//! roles.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{admin::forms::GrantInput, domain::role::Role};

/// An account as signing in through the provider needs it.
#[derive(Debug)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub active: bool,
}

/// Serialises the sign-ins of one subject until the transaction ends.
pub async fn lock_subject(
    conn: &mut PgConnection,
    (issuer, subject): (&str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtextextended($1 || ' ' || $2, 0))",
        issuer,
        subject
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

/// The account tied to this subject, locked for the sign-in's transaction.
pub async fn find_account(
    conn: &mut PgConnection,
    (issuer, subject): (&str, &str),
) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as!(
        Account,
        "SELECT id, email, display_name, active FROM app_user \
         WHERE sso_issuer = $1 AND sso_subject = $2 FOR UPDATE",
        issuer,
        subject,
    )
    .fetch_optional(conn)
    .await
}

/// A new account for the subject, without a password of its own.
pub async fn insert_account(
    conn: &mut PgConnection,
    (issuer, subject): (&str, &str),
    email: &str,
    display_name: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO app_user (id, email, display_name, password_hash, sso_issuer, sso_subject) \
         VALUES ($1, $2, $3, '', $4, $5)",
        id,
        email,
        display_name,
        issuer,
        subject,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Takes the provider's name and address for the account.
pub async fn update_account(
    conn: &mut PgConnection,
    id: Uuid,
    (email, display_name): (&str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE app_user SET email = $2, display_name = $3, version = version + 1, \
                updated_at = now() \
         WHERE id = $1 AND (email, display_name) IS DISTINCT FROM ($2, $3)",
        id,
        email,
        display_name,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The roles the user's groups map to, in the order the grants sort.
pub async fn grants_of_groups(
    conn: &mut PgConnection,
    groups: &[String],
) -> Result<Vec<GrantInput>, sqlx::Error> {
    let mut grants = sqlx::query_as!(
        GrantInput,
        r#"SELECT DISTINCT role AS "role: Role", municipality_id, board_id
           FROM sso_group_role WHERE group_name = ANY($1)"#,
        groups
    )
    .fetch_all(conn)
    .await?;
    grants.sort();
    Ok(grants)
}

/// A row of the administrator's table.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub id: Uuid,
    pub group_name: String,
    pub grant: GrantInput,
}

pub async fn list_mappings(conn: &mut PgConnection) -> Result<Vec<Mapping>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id, group_name, role AS "role: Role", municipality_id, board_id
           FROM sso_group_role ORDER BY group_name COLLATE sv, role, id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Mapping {
            id: r.id,
            group_name: r.group_name,
            grant: GrantInput {
                role: r.role,
                municipality_id: r.municipality_id,
                board_id: r.board_id,
            },
        })
        .collect())
}

pub async fn insert_mapping(
    conn: &mut PgConnection,
    group_name: &str,
    grant: &GrantInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO sso_group_role (id, group_name, role, municipality_id, board_id) \
         VALUES ($1, $2, $3, $4, $5)",
        id,
        group_name,
        grant.role.code(),
        grant.municipality_id,
        grant.board_id,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Deletes the row; returns what it said, `None` when it was already gone.
pub async fn delete_mapping(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Mapping>, sqlx::Error> {
    let row = sqlx::query!(
        r#"DELETE FROM sso_group_role WHERE id = $1
           RETURNING group_name, role AS "role: Role", municipality_id, board_id"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Mapping {
        id,
        group_name: r.group_name,
        grant: GrantInput {
            role: r.role,
            municipality_id: r.municipality_id,
            board_id: r.board_id,
        },
    }))
}
