//! SQL for one investment project: what its page shows and the writes of the project form (the
//! list is `list_repo`). Every page is a fixed number of queries, whatever the number of rows (a
//! test counts them).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool, types::Json};
use uuid::Uuid;

use crate::{
    db::{Built, MapRow},
    domain::project::{Plan, Status},
    projects::forms::{EconomyInput, ProjectInput},
};

/// A project as its pages show it.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub project_number: Option<String>,
    pub board_id: Uuid,
    pub board: String,
    pub board_municipality: String,
    pub project_manager: Option<String>,
    pub plan: Plan,
    pub status: Status,
    pub description: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub appropriation: Option<Decimal>,
    pub decision_body: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_paragraph: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    /// `[{"id", "name", "percent"}]`, by name.
    pub allocation: Json<Vec<Allocation>>,
    /// `[{"id", "title", "municipality"}]`.
    pub council_goals: Json<Vec<LinkedGoal>>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Allocation {
    pub id: Uuid,
    pub name: String,
    pub percent: Decimal,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct LinkedGoal {
    pub id: Uuid,
    pub title: String,
    pub municipality: String,
}

/// Runs the statement of [`find`] with `$tail` (a row lock, or nothing) appended.
macro_rules! select_project {
    ($tail:literal, $id:expr) => {
        sqlx::query_as!(
            Project,
            r#"SELECT p.id, p.name, p.case_number, p.project_number, p.board_id, b.name AS board,
                  bm.name AS board_municipality, p.project_manager, p.plan AS "plan: Plan",
                  p.status AS "status: Status", p.description,
                  p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.appropriation,
                  p.decision_body, p.decision_date, p.decision_paragraph, p.version, p.updated_at,
                  coalesce((SELECT json_agg(json_build_object('id', m.id, 'name', m.name,
                                    'percent', pm.allocation_percent::text) ORDER BY m.name COLLATE sv)
                            FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id
                            WHERE pm.project_id = p.id), '[]') AS "allocation!: Json<Vec<Allocation>>",
                  coalesce((SELECT json_agg(json_build_object('id', g.id, 'title', g.title,
                                    'municipality', gm.name) ORDER BY gm.name, g.title)
                            FROM project_council_goal pg JOIN council_goal g ON g.id = pg.council_goal_id
                            JOIN municipality gm ON gm.id = g.municipality_id
                            WHERE pg.project_id = p.id), '[]') AS "council_goals!: Json<Vec<LinkedGoal>>"
               FROM project p JOIN board b ON b.id = p.board_id
               JOIN municipality bm ON bm.id = b.municipality_id
               WHERE p.id = $1"# + $tail,
            $id
        )
    };
}

/// The statement of [`find`] without the lock, replayed by `page-sql` ([`crate::db::Built`]).
pub fn find_query(id: Uuid) -> Built<impl MapRow<Project>> {
    select_project!("", id)
}

/// One project with its allocation key and council goals, in one query. `lock` takes a row lock
/// for a write that follows in the same transaction.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Project>, sqlx::Error> {
    if !lock {
        return find_query(id).fetch_optional(conn).await;
    }
    select_project!(" FOR UPDATE OF p", id)
        .fetch_optional(conn)
        .await
}

/// A council goal the project form offers.
#[derive(Debug, Clone)]
pub struct CouncilGoal {
    pub id: Uuid,
    pub title: String,
    pub municipality: String,
    /// Retired goals are offered only to projects already linked to them, so an edit never
    /// drops a link silently.
    pub active: bool,
}

/// Every council goal, by municipality and title.
pub async fn council_goals(db: &PgPool) -> Result<Vec<CouncilGoal>, sqlx::Error> {
    sqlx::query_as!(
        CouncilGoal,
        "SELECT g.id, g.title, m.name AS municipality, g.active FROM council_goal g \
         JOIN municipality m ON m.id = g.municipality_id \
         ORDER BY m.name COLLATE sv, g.title"
    )
    .fetch_all(db)
    .await
}

/// Runs `$sql` with the leading parameters given and then the project form's fields, in the
/// order both statements below list them: one list for the insert and the update.
macro_rules! with_project_fields {
    ($sql:literal, $($lead:expr),+; $input:expr) => {
        sqlx::query!(
            $sql,
            $($lead,)+
            $input.name,
            $input.case_number.as_str(),
            $input.project_number,
            $input.board_id,
            $input.project_manager,
            $input.plan.code(),
            $input.description,
            $input.planned_start,
            $input.planned_end,
            $input.actual_start,
            $input.actual_end,
        )
    };
}

/// Inserts a new project with its allocation key, council goals and first status record;
/// returns its id.
pub async fn insert(
    conn: &mut PgConnection,
    input: &ProjectInput,
    by: Uuid,
    today: NaiveDate,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    with_project_fields!(
        "INSERT INTO project (id, status, name, case_number, project_number, board_id, \
         project_manager, plan, description, planned_start, planned_end, actual_start, actual_end) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        id,
        input.status.code();
        input
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO project_status_change (id, project_id, from_status, to_status, changed_on, \
         changed_by, comment) VALUES ($1, $2, NULL, $3, $4, $5, 'Projektet registrerades')",
        Uuid::now_v7(),
        id,
        input.status.code(),
        today,
        by,
    )
    .execute(&mut *conn)
    .await?;
    replace_links(conn, id, input).await?;
    Ok(id)
}

/// Updates the general fields if the row is still at `version`; false when it moved.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    input: &ProjectInput,
) -> Result<bool, sqlx::Error> {
    let updated = with_project_fields!(
        "UPDATE project SET name = $3, case_number = $4, project_number = $5, board_id = $6, \
         project_manager = $7, plan = $8, description = $9, planned_start = $10, \
         planned_end = $11, actual_start = $12, actual_end = $13, version = version + 1, \
         updated_at = now() WHERE id = $1 AND version = $2",
        id,
        version;
        input
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if updated {
        replace_links(conn, id, input).await?;
    }
    Ok(updated)
}

/// Writes the allocation key and council goals. Allocation rows that stay are kept: rewritten,
/// their foreign-key checks deadlocked with a rename of the municipality (see its trigger).
async fn replace_links(
    conn: &mut PgConnection,
    id: Uuid,
    input: &ProjectInput,
) -> Result<(), sqlx::Error> {
    let (municipalities, shares): (Vec<Uuid>, Vec<Decimal>) =
        input.allocation.iter().copied().unzip();
    sqlx::query!(
        "DELETE FROM project_municipality WHERE project_id = $1 AND municipality_id <> ALL($2)",
        id,
        &municipalities
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO project_municipality AS pm (project_id, municipality_id, allocation_percent) \
         SELECT $1, m, s FROM unnest($2::uuid[], $3::numeric[]) AS t(m, s) \
         ON CONFLICT (project_id, municipality_id) DO UPDATE \
         SET allocation_percent = excluded.allocation_percent \
         WHERE pm.allocation_percent <> excluded.allocation_percent",
        id,
        &municipalities,
        &shares,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM project_council_goal WHERE project_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO project_council_goal (project_id, council_goal_id) \
         SELECT $1, g FROM unnest($2::uuid[]) AS g",
        id,
        &input.council_goals,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Updates the economic fields if the row is still at `version`; false when it moved.
pub async fn update_economy(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    input: &EconomyInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE project SET appropriation = $3, decision_body = $4, decision_date = $5, \
         decision_paragraph = $6, version = version + 1, updated_at = now() \
         WHERE id = $1 AND version = $2",
        id,
        version,
        input.appropriation.map(|m| m.amount()),
        input.decision_body,
        input.decision_date,
        input.decision_paragraph,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the project to `to` if it is still at its version, and records the change.
pub async fn change_status(
    conn: &mut PgConnection,
    project: &Project,
    to: Status,
    changed_on: NaiveDate,
    comment: &str,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE project SET status = $3, version = version + 1, updated_at = now() \
         WHERE id = $1 AND version = $2",
        project.id,
        project.version,
        to.code(),
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query!(
        "INSERT INTO project_status_change (id, project_id, from_status, to_status, changed_on, \
         changed_by, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        Uuid::now_v7(),
        project.id,
        project.status.code(),
        to.code(),
        changed_on,
        by,
        comment,
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// One recorded status change.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub changed_on: NaiveDate,
    pub changed_by: Option<String>,
    pub comment: String,
}

/// The date of the project's latest status change, if any.
pub async fn latest_status_date(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT max(changed_on) AS latest FROM project_status_change
           WHERE project_id = $1"#,
        id
    )
    .fetch_one(conn)
    .await
}

/// The statement of [`status_changes`], replayed by `page-sql` ([`crate::db::Built`]).
pub fn status_changes_query(id: Uuid) -> Built<impl MapRow<StatusChange>> {
    sqlx::query_as!(
        StatusChange,
        r#"SELECT c.from_status AS "from_status: Status", c.to_status AS "to_status: Status",
                  c.changed_on, u.display_name AS "changed_by?", c.comment
           FROM project_status_change c LEFT JOIN app_user u ON u.id = c.changed_by
           WHERE c.project_id = $1 ORDER BY c.changed_at DESC"#,
        id
    )
}

/// A project's status changes, newest first.
pub async fn status_changes(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<StatusChange>, sqlx::Error> {
    status_changes_query(id).fetch_all(conn).await
}
