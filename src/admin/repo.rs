//! SQL for user administration.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    admin::forms::{Bindings, GrantInput, UserInput},
    db::{Built, MapRow},
    domain::role::Role,
};

#[derive(Debug, Clone, serde::Deserialize)]
pub struct MunicipalityRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct BoardRef {
    pub id: Uuid,
    pub name: String,
    pub municipality: String,
}

/// The municipalities and boards roles can be bound to.
#[derive(Debug, Clone)]
pub struct Reference {
    pub municipalities: Vec<MunicipalityRef>,
    pub boards: Vec<BoardRef>,
}

/// A row of [`Reference::query`]: a municipality, or a board with its municipality's name. (The
/// columns of a `UNION` come back as possibly null, hence the `!`, which also names the column.)
pub struct ReferenceRow {
    id: Uuid,
    name: String,
    municipality: Option<String>,
}

impl Reference {
    /// The statement of [`Reference::load`], which the benchmark replays (`page-sql`, see
    /// [`crate::db::Built`]): both lists in one round trip, as plain rows (building them as
    /// JSON objects cost more than reading them). Municipalities first (they have no
    /// municipality of their own) by name, then boards by municipality and name, in Swedish
    /// order.
    pub fn query() -> Built<impl MapRow<ReferenceRow>> {
        sqlx::query_as!(
            ReferenceRow,
            r#"SELECT m.id AS "id!", m.name COLLATE sv AS "name!",
                      NULL::text COLLATE sv AS municipality
               FROM municipality m
               UNION ALL
               SELECT b.id, b.name, m.name FROM board b JOIN municipality m ON m.id = b.municipality_id
               ORDER BY municipality NULLS FIRST, "name!""#
        )
    }

    /// The municipalities of `visible` (all with `None`) as (id, name), for the filters and forms
    /// that offer a choice of municipality.
    pub async fn municipalities_of<'c>(
        db: impl sqlx::PgExecutor<'c>,
        visible: Option<&[Uuid]>,
    ) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
        Ok(Self::load(db)
            .await?
            .municipalities
            .into_iter()
            .filter(|m| visible.is_none_or(|v| v.contains(&m.id)))
            .map(|m| (m.id, m.name))
            .collect())
    }

    pub async fn load<'c>(db: impl sqlx::PgExecutor<'c>) -> Result<Self, sqlx::Error> {
        let rows = Self::query().fetch_all(db).await?;
        let mut reference = Self {
            municipalities: Vec::new(),
            boards: Vec::new(),
        };
        for ReferenceRow {
            id,
            name,
            municipality,
        } in rows
        {
            match municipality {
                None => reference.municipalities.push(MunicipalityRef { id, name }),
                Some(municipality) => reference.boards.push(BoardRef {
                    id,
                    name,
                    municipality,
                }),
            }
        }
        Ok(reference)
    }

    /// Grants as the audit log and the conflict message show them, e.g.
    /// "IT-strategigrupp (Ludvika); Nämndsekreterare (Kommunstyrelsen, Norrtälje)".
    pub fn describe(&self, grants: &[GrantInput]) -> String {
        let mut parts: Vec<String> = grants
            .iter()
            .map(|g| {
                let bound = g
                    .municipality_id
                    .and_then(|id| {
                        self.municipalities
                            .iter()
                            .find(|m| m.id == id)
                            .map(|m| m.name.clone())
                    })
                    .or_else(|| {
                        g.board_id.and_then(|id| {
                            self.boards
                                .iter()
                                .find(|b| b.id == id)
                                .map(|b| format!("{}, {}", b.name, b.municipality))
                        })
                    });
                match bound {
                    Some(bound) => format!("{} ({bound})", g.role.label()),
                    None => g.role.label().to_owned(),
                }
            })
            .collect();
        parts.sort();
        parts.join("; ")
    }
}

impl Bindings for Reference {
    fn municipality(&self, text: &str) -> Option<Uuid> {
        self.municipalities
            .iter()
            .map(|m| m.id)
            .find(|id| id.to_string() == text)
    }

    fn board(&self, text: &str) -> Option<Uuid> {
        self.boards
            .iter()
            .map(|b| b.id)
            .find(|id| id.to_string() == text)
    }
}

/// A row of the user list.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub title: String,
    pub active: bool,
    pub roles: Vec<Role>,
}

impl UserSummary {
    pub fn role_labels(&self) -> String {
        let mut labels: Vec<&str> = self.roles.iter().map(|r| r.label()).collect();
        labels.dedup();
        labels.join(", ")
    }
}

pub async fn list_users(db: &PgPool) -> Result<Vec<UserSummary>, sqlx::Error> {
    sqlx::query_as!(
        UserSummary,
        r#"SELECT u.id, u.email, u.display_name, u.title, u.active,
                  coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.id IS NOT NULL), '{}')
                      AS "roles!: Vec<Role>"
           FROM app_user u LEFT JOIN user_role r ON r.user_id = u.id
           GROUP BY u.id ORDER BY u.active DESC, u.display_name, u.email"#
    )
    .fetch_all(db)
    .await
}

/// A user as the edit form starts from.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub title: String,
    pub active: bool,
    pub version: i32,
    pub grants: Vec<GrantInput>,
    /// Signs in through the municipality's OpenID provider, which sets the roles.
    pub sso: bool,
}

struct UserRow {
    id: Uuid,
    email: String,
    display_name: String,
    title: String,
    active: bool,
    version: i32,
    sso: bool,
}

/// The user and roles; pass a transaction to read them `FOR UPDATE` before changing them.
pub async fn find_user(
    conn: &mut PgConnection,
    id: Uuid,
    for_update: bool,
) -> Result<Option<UserDetail>, sqlx::Error> {
    if for_update {
        sqlx::query!(
            "SELECT 1 AS locked FROM app_user WHERE id = $1 FOR UPDATE",
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    let row = sqlx::query_as!(
        UserRow,
        r#"SELECT id, email, display_name, title, active, version,
                  sso_subject IS NOT NULL AS "sso!" FROM app_user WHERE id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut grants = sqlx::query_as!(
        GrantInput,
        r#"SELECT role AS "role: Role", municipality_id, board_id FROM user_role WHERE user_id = $1"#,
        id
    )
    .fetch_all(conn)
    .await?;
    grants.sort();
    Ok(Some(UserDetail {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        title: row.title,
        active: row.active,
        version: row.version,
        grants,
        sso: row.sso,
    }))
}

pub async fn insert_user(
    conn: &mut PgConnection,
    input: &UserInput,
    password_hash: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO app_user (id, email, display_name, title, password_hash) \
         VALUES ($1, $2, $3, $4, $5)",
        id,
        input.email.as_str(),
        input.display_name,
        input.title,
        password_hash,
    )
    .execute(&mut *conn)
    .await?;
    replace_grants(conn, id, &input.grants).await?;
    Ok(id)
}

/// Saves the form over the version it was based on; `false` when someone else saved first.
pub async fn update_user(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    input: &UserInput,
    password_hash: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE app_user SET email = $3, display_name = $4, title = $5, \
                password_hash = coalesce($6, password_hash), version = version + 1, updated_at = now(), \
                sessions_valid_after = CASE WHEN $6::text IS NULL THEN sessions_valid_after ELSE now() END \
         WHERE id = $1 AND version = $2",
        id,
        version,
        input.email.as_str(),
        input.display_name,
        input.title,
        password_hash,
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    replace_grants(conn, id, &input.grants).await?;
    Ok(true)
}

/// Activates or deactivates over the version it was based on; `false` when it moved.
pub async fn set_active(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    active: bool,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE app_user SET active = $3, version = version + 1, updated_at = now(), \
         sessions_valid_after = now() WHERE id = $1 AND version = $2",
        id,
        version,
        active,
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

pub async fn replace_grants(
    conn: &mut PgConnection,
    user_id: Uuid,
    grants: &[GrantInput],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM user_role WHERE user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    for grant in grants {
        sqlx::query!(
            "INSERT INTO user_role (id, user_id, role, municipality_id, board_id) \
             VALUES ($1, $2, $3, $4, $5)",
            Uuid::now_v7(),
            user_id,
            grant.role.code(),
            grant.municipality_id,
            grant.board_id,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
