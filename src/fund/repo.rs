//! SQL for the digitalisation fund: funds with their yearly figures, directions, applications
//! with their decisions and follow-ups.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::domain::fund::ApplicationStatus;

/// A fund year with what was granted, spent and realised, and how many grants were followed up.
#[derive(Debug, Clone)]
pub struct FundYear {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub municipality: String,
    pub year: i32,
    pub amount: Decimal,
    pub version: i32,
    pub granted: Decimal,
    pub grants: i64,
    pub followed_up: i64,
    /// Granted money of the grants with a realised benefit.
    pub granted_realised: Decimal,
    pub spent: Decimal,
    /// Kronor: measured financial benefits, and measured hours × the calculation's hourly cost.
    pub realised: Decimal,
}

/// Every fund year of `visible` municipalities (all with `None`), newest first.
pub async fn fund_years(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
) -> Result<Vec<FundYear>, sqlx::Error> {
    select_funds(conn, visible, None).await
}

/// The fund year `id` with its figures.
pub async fn fund_year(conn: &mut PgConnection, id: Uuid) -> Result<Option<FundYear>, sqlx::Error> {
    Ok(select_funds(conn, None, Some(id)).await?.pop())
}

/// The fund years of `visible` municipalities, or only fund `only`: one statement for both, so
/// a fund's own page sums only its own grants.
async fn select_funds(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
    only: Option<Uuid>,
) -> Result<Vec<FundYear>, sqlx::Error> {
    sqlx::query_as!(
        FundYear,
        r#"SELECT f.id, f.municipality_id, m.name AS municipality, f.year, f.amount, f.version,
                  coalesce(sum(g.amount_granted), 0) AS "granted!",
                  count(g.application_id) AS "grants!",
                  count(g.application_id) FILTER (WHERE g.followed_up) AS "followed_up!",
                  coalesce(sum(g.amount_granted) FILTER (WHERE g.realised > 0), 0)
                    AS "granted_realised!",
                  coalesce(sum(g.spent), 0) AS "spent!",
                  coalesce(sum(g.realised), 0) AS "realised!"
           FROM fund f JOIN municipality m ON m.id = f.municipality_id
           LEFT JOIN fund_grant_figures g ON g.fund_id = f.id
           WHERE ($1::uuid[] IS NULL OR f.municipality_id = ANY($1))
             AND ($2::uuid IS NULL OR f.id = $2)
           GROUP BY f.id, m.name
           ORDER BY f.year DESC, m.name COLLATE sv"#,
        visible,
        only
    )
    .fetch_all(conn)
    .await
}

/// Locks fund `id` for a grant in the same transaction, so that two grants at once cannot
/// together exceed it.
pub async fn lock_fund(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT 1 AS one FROM fund WHERE id = $1 FOR NO KEY UPDATE",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(())
}

pub async fn insert_fund(
    conn: &mut PgConnection,
    municipality: Uuid,
    year: i32,
    amount: Decimal,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO fund (id, municipality_id, year, amount) VALUES ($1, $2, $3, $4)",
        id,
        municipality,
        year,
        amount
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A direction with the council goals it serves: `[{"id", "name"}]`.
#[derive(Debug, Clone)]
pub struct Direction {
    pub id: Uuid,
    pub position: i32,
    pub name: String,
    pub goals: Json<Vec<crate::portfolio::items::repo::Link>>,
}

pub async fn directions(
    conn: &mut PgConnection,
    municipality: Uuid,
) -> Result<Vec<Direction>, sqlx::Error> {
    sqlx::query_as!(
        Direction,
        r#"SELECT d.id, d.position, d.name,
                  coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.title)
                                            ORDER BY g.title COLLATE sv)
                            FROM fund_direction_council_goal dg
                            JOIN council_goal g ON g.id = dg.council_goal_id
                            WHERE dg.direction_id = d.id), '[]') AS "goals!: Json<Vec<crate::portfolio::items::repo::Link>>"
           FROM fund_direction d WHERE d.municipality_id = $1 ORDER BY d.position"#,
        municipality
    )
    .fetch_all(conn)
    .await
}

pub async fn insert_direction(
    conn: &mut PgConnection,
    municipality: Uuid,
    name: &str,
    goals: &[Uuid],
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO fund_direction (id, municipality_id, position, name) \
         SELECT $1, $2, coalesce(max(position), 0) + 1, $3 FROM fund_direction \
         WHERE municipality_id = $2",
        id,
        municipality,
        name
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO fund_direction_council_goal (direction_id, council_goal_id) \
         SELECT $1, g FROM unnest($2::uuid[]) AS g",
        id,
        goals
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// An application as the fund's list and its page show it.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: Uuid,
    pub fund_id: Uuid,
    pub municipality_id: Uuid,
    pub municipality: String,
    pub year: i32,
    pub direction_id: Uuid,
    pub direction: String,
    pub title: String,
    pub department: String,
    pub description: String,
    pub amount_applied: Decimal,
    pub project_id: Option<Uuid>,
    pub project: Option<String>,
    pub status: ApplicationStatus,
    pub amount_granted: Option<Decimal>,
    pub decision_reason: String,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<String>,
    pub version: i32,
    pub goals: Json<Vec<crate::portfolio::items::repo::Link>>,
    pub followed_up: bool,
    pub spent: Decimal,
    pub realised: Decimal,
}

macro_rules! select_applications {
    ($tail:literal $(, $arg:expr)*) => {
        sqlx::query_as!(
            Application,
            r#"SELECT a.id, a.fund_id, f.municipality_id, m.name AS municipality, f.year,
                      a.direction_id, d.name AS direction, a.title, a.department, a.description,
                      a.amount_applied, a.project_id, p.name AS "project?",
                      a.status AS "status: ApplicationStatus", a.amount_granted,
                      a.decision_reason, a.decided_on, a.decided_by, a.version,
                      coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.title)
                                                ORDER BY g.title COLLATE sv)
                                FROM fund_application_council_goal ag
                                JOIN council_goal g ON g.id = ag.council_goal_id
                                WHERE ag.application_id = a.id), '[]')
                        AS "goals!: Json<Vec<crate::portfolio::items::repo::Link>>",
                      coalesce(x.followed_up, false) AS "followed_up!",
                      coalesce(x.spent, 0) AS "spent!",
                      coalesce(x.realised, 0) AS "realised!"
               FROM fund_application a
               JOIN fund f ON f.id = a.fund_id
               JOIN municipality m ON m.id = f.municipality_id
               JOIN fund_direction d ON d.id = a.direction_id
               LEFT JOIN project p ON p.id = a.project_id
               LEFT JOIN fund_grant_figures x ON x.application_id = a.id "# + $tail
            $(, $arg)*
        )
    };
}

/// The applications of fund `fund`: granted ones without follow-up first, then by title.
pub async fn applications(
    conn: &mut PgConnection,
    fund: Uuid,
) -> Result<Vec<Application>, sqlx::Error> {
    select_applications!(
        "WHERE a.fund_id = $1 \
         ORDER BY (a.status = 'granted' AND NOT coalesce(x.followed_up, false)) DESC, \
                  a.title COLLATE sv, a.id",
        fund
    )
    .fetch_all(conn)
    .await
}

pub async fn application(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Application>, sqlx::Error> {
    if lock {
        sqlx::query!(
            "SELECT 1 AS one FROM fund_application WHERE id = $1 FOR NO KEY UPDATE",
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    select_applications!("WHERE a.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// A checked new application.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub direction_id: Uuid,
    pub title: String,
    pub department: String,
    pub description: String,
    pub amount_applied: Decimal,
    pub project_id: Option<Uuid>,
    pub goals: Vec<Uuid>,
}

pub async fn insert_application(
    conn: &mut PgConnection,
    fund: Uuid,
    a: &NewApplication,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO fund_application (id, fund_id, direction_id, title, department, description, \
           amount_applied, project_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        fund,
        a.direction_id,
        a.title,
        a.department,
        a.description,
        a.amount_applied,
        a.project_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO fund_application_council_goal (application_id, council_goal_id) \
         SELECT $1, g FROM unnest($2::uuid[]) AS g",
        id,
        &a.goals
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Records the decision over `version`; false when the application moved on since.
pub async fn decide(
    conn: &mut PgConnection,
    (id, version): (Uuid, i32),
    (status, granted, reason): (ApplicationStatus, Option<Decimal>, &str),
    (on, by): (NaiveDate, &str),
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE fund_application SET status = $3, amount_granted = $4, decision_reason = $5, \
           decided_on = $6, decided_by = $7, version = version + 1 \
         WHERE id = $1 AND version = $2",
        id,
        version,
        status.code(),
        granted,
        reason,
        on,
        by
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct FollowUp {
    pub followed_on: NaiveDate,
    pub spent: Option<Decimal>,
    pub comment: String,
    pub recorded_by: Option<String>,
}

pub async fn follow_ups(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Vec<FollowUp>, sqlx::Error> {
    sqlx::query_as!(
        FollowUp,
        r#"SELECT f.followed_on, f.spent, f.comment, u.display_name AS "recorded_by?"
           FROM fund_follow_up f LEFT JOIN app_user u ON u.id = f.recorded_by
           WHERE f.application_id = $1 ORDER BY f.followed_on, f.recorded_at"#,
        application
    )
    .fetch_all(conn)
    .await
}

pub async fn insert_follow_up(
    conn: &mut PgConnection,
    application: Uuid,
    (on, spent, comment): (NaiveDate, Option<Decimal>, &str),
    by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO fund_follow_up (id, application_id, followed_on, spent, comment, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        application,
        on,
        spent,
        comment,
        by
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Projects an application of `municipality`'s fund may be carried by: those that serve the
/// municipality alone, so that their outcome is the fund's money spent. (id, "name (case
/// number)").
pub async fn projects(
    conn: &mut PgConnection,
    municipality: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT p.id, p.name || ' (' || p.case_number || ')' AS \"label!\" FROM project p \
         WHERE EXISTS (SELECT 1 FROM project_municipality pm \
                        WHERE pm.project_id = p.id AND pm.municipality_id = $1) \
           AND NOT EXISTS (SELECT 1 FROM project_municipality pm \
                            WHERE pm.project_id = p.id AND pm.municipality_id <> $1) \
         ORDER BY p.name COLLATE sv",
        municipality
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.label)).collect())
}

/// The active council goals of `municipality`: (id, title).
pub async fn council_goals(
    conn: &mut PgConnection,
    municipality: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT id, title FROM council_goal WHERE municipality_id = $1 AND active \
         ORDER BY title COLLATE sv",
        municipality
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
}
