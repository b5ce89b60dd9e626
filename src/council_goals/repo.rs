//! SQL for council goals and their coverage by projects.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::domain::project::Status;

/// A goal with the number of (visible) projects linked to it.
#[derive(Debug, Clone)]
pub struct GoalRow {
    pub id: Uuid,
    pub municipality: String,
    pub title: String,
    pub active: bool,
    pub project_count: i64,
}

/// Every goal, by municipality and title, with its project count, in one query.
pub async fn goals(db: &PgPool, visible: Option<&[Uuid]>) -> Result<Vec<GoalRow>, sqlx::Error> {
    sqlx::query_as!(
        GoalRow,
        r#"SELECT g.id, m.name AS municipality, g.title, g.active,
                  (SELECT count(*) FROM project_council_goal pg
                    WHERE pg.council_goal_id = g.id AND ($1::uuid[] IS NULL OR EXISTS
                      (SELECT 1 FROM project_municipality v
                        WHERE v.project_id = pg.project_id AND v.municipality_id = ANY($1))))
                    AS "project_count!"
           FROM council_goal g JOIN municipality m ON m.id = g.municipality_id
           WHERE $1::uuid[] IS NULL OR g.municipality_id = ANY($1)
           ORDER BY m.name COLLATE sv, g.title"#,
        visible,
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone)]
pub struct UnlinkedProject {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
}

/// Visible projects, not cancelled, linked to no council goal.
pub async fn projects_without_goal(
    db: &PgPool,
    visible: Option<&[Uuid]>,
) -> Result<Vec<UnlinkedProject>, sqlx::Error> {
    sqlx::query_as!(
        UnlinkedProject,
        "SELECT p.id, p.name, p.case_number FROM project p \
         WHERE p.status <> $2 \
           AND NOT EXISTS (SELECT 1 FROM project_council_goal pg WHERE pg.project_id = p.id) \
           AND ($1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM project_municipality v \
                WHERE v.project_id = p.id AND v.municipality_id = ANY($1))) \
         ORDER BY p.name",
        visible,
        Status::Cancelled.code(),
    )
    .fetch_all(db)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    municipality_id: Uuid,
    title: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO council_goal (id, municipality_id, title) VALUES ($1, $2, $3)",
        id,
        municipality_id,
        title,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A goal's title and whether it is active.
pub struct GoalState {
    pub title: String,
    pub active: bool,
}

/// A goal's title and whether it is active, locked for a change in the same transaction.
pub async fn find_for_update(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<GoalState>, sqlx::Error> {
    sqlx::query_as!(
        GoalState,
        "SELECT title, active FROM council_goal WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Turns a goal on or off for new links.
pub async fn set_active(
    conn: &mut PgConnection,
    id: Uuid,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE council_goal SET active = $2, version = version + 1 WHERE id = $1",
        id,
        active,
    )
    .execute(conn)
    .await?;
    Ok(())
}
