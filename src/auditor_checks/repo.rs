//! SQL for the auditors' checks: goal linkage, grants, board activity and the implementation
//! rate, each scoped to one municipality or all.

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::{fund::ApplicationStatus, project::Status};

/// Something a check lists: what it is, where, its name and a link target.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: Uuid,
    pub municipality: String,
    pub name: String,
}

/// Active council goals served by no project and no grant.
pub async fn goals_without_work(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT g.id, m.name AS municipality, g.title AS name
           FROM council_goal g JOIN municipality m ON m.id = g.municipality_id
           WHERE g.active AND ($1::uuid IS NULL OR g.municipality_id = $1)
             AND NOT EXISTS (SELECT 1 FROM project_council_goal pg
                              JOIN project p ON p.id = pg.project_id
                             WHERE pg.council_goal_id = g.id AND p.status <> $2)
             AND NOT EXISTS (SELECT 1 FROM fund_application_council_goal ag
                              JOIN fund_application a ON a.id = ag.application_id
                             WHERE ag.council_goal_id = g.id AND a.status = $3)
           ORDER BY m.name COLLATE sv, g.title COLLATE sv"#,
        municipality,
        Status::Cancelled.code(),
        ApplicationStatus::Granted.code()
    )
    .fetch_all(conn)
    .await
}

/// Projects (not cancelled) serving `municipality` that are linked to no council goal; the
/// municipality named is the one with the largest share.
pub async fn projects_without_goal(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT p.id, (SELECT m.name FROM project_municipality pm
                          JOIN municipality m ON m.id = pm.municipality_id
                         WHERE pm.project_id = p.id
                         ORDER BY pm.allocation_percent DESC, m.name LIMIT 1) AS "municipality!",
                  p.name || ' (' || p.case_number || ')' AS "name!"
           FROM project p
           WHERE p.status <> $2
             AND NOT EXISTS (SELECT 1 FROM project_council_goal pg WHERE pg.project_id = p.id)
             AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM project_municipality pm
                   WHERE pm.project_id = p.id AND pm.municipality_id = $1))
           ORDER BY p.name COLLATE sv"#,
        municipality,
        Status::Cancelled.code()
    )
    .fetch_all(conn)
    .await
}

/// Granted applications to the fund linked to no council goal.
pub async fn grants_without_goal(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT a.id, m.name AS municipality,
                  a.title || ' (' || a.department || ', ' || f.year || ')' AS "name!"
           FROM fund_application a JOIN fund f ON f.id = a.fund_id
           JOIN municipality m ON m.id = f.municipality_id
           WHERE a.status = $2 AND ($1::uuid IS NULL OR f.municipality_id = $1)
             AND NOT EXISTS (SELECT 1 FROM fund_application_council_goal ag
                              WHERE ag.application_id = a.id)
           ORDER BY m.name COLLATE sv, f.year, a.title COLLATE sv"#,
        municipality,
        ApplicationStatus::Granted.code()
    )
    .fetch_all(conn)
    .await
}

/// The fund's strategic directions that no council goal supports, with a fund to link to.
pub async fn directions_without_goal(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT (SELECT f.id FROM fund f WHERE f.municipality_id = d.municipality_id
                    ORDER BY f.year DESC LIMIT 1) AS "id!",
                  m.name AS municipality, d.name
           FROM fund_direction d JOIN municipality m ON m.id = d.municipality_id
           WHERE ($1::uuid IS NULL OR d.municipality_id = $1)
             AND NOT EXISTS (SELECT 1 FROM fund_direction_council_goal dg
                              WHERE dg.direction_id = d.id)
             AND EXISTS (SELECT 1 FROM fund f WHERE f.municipality_id = d.municipality_id)
           ORDER BY m.name COLLATE sv, d.position"#,
        municipality
    )
    .fetch_all(conn)
    .await
}

/// Granted applications with no follow-up (`fund_grant_figures`).
pub async fn grants_without_follow_up(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT a.id, m.name AS municipality,
                  a.title || ' (' || a.department || ', ' || f.year || ')' AS "name!"
           FROM fund_grant_figures g
           JOIN fund_application a ON a.id = g.application_id
           JOIN fund f ON f.id = a.fund_id
           JOIN municipality m ON m.id = f.municipality_id
           WHERE NOT g.followed_up AND ($1::uuid IS NULL OR f.municipality_id = $1)
           ORDER BY m.name COLLATE sv, f.year, a.title COLLATE sv"#,
        municipality
    )
    .fetch_all(conn)
    .await
}

/// A board's investment appropriation and outcome in a year (`board_year_investment`, the
/// figures of the period follow-up's implementation rate).
#[derive(Debug, Clone)]
pub struct BoardYear {
    pub board_id: Uuid,
    pub board: String,
    pub municipality: String,
    pub year: i32,
    pub appropriation: Decimal,
    pub outcome: Decimal,
}

pub async fn board_years(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
) -> Result<Vec<BoardYear>, sqlx::Error> {
    sqlx::query_as!(
        BoardYear,
        r#"SELECT b.id AS board_id, b.name AS board, m.name AS municipality, y.year,
                  y.appropriation, y.outcome
           FROM board_year_investment y JOIN board b ON b.id = y.board_id
           JOIN municipality m ON m.id = b.municipality_id
           WHERE y.granted AND ($1::uuid IS NULL OR b.municipality_id = $1)
           ORDER BY y.year DESC, m.name COLLATE sv, b.name COLLATE sv"#,
        municipality
    )
    .fetch_all(conn)
    .await
}

/// Boards with neither a digitalisation activity (a project of theirs, neither an idea nor
/// cancelled, running in the year or with an appropriation for it) nor an action plan (a
/// measure in one of their follow-ups of the year).
pub async fn boards_without_activity(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
    year: i32,
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT b.id, m.name AS municipality, b.name
           FROM board b JOIN municipality m ON m.id = b.municipality_id
           WHERE ($1::uuid IS NULL OR b.municipality_id = $1)
             AND NOT EXISTS (
               SELECT 1 FROM project p
                WHERE p.board_id = b.id AND p.status <> ALL($3)
                  AND (EXISTS (SELECT 1 FROM project_year y
                                WHERE y.project_id = p.id AND y.year = $2)
                       OR (extract(year FROM coalesce(p.actual_start, p.planned_start)) <= $2
                           AND coalesce(extract(year FROM coalesce(p.actual_end, p.planned_end)), $2) >= $2)))
             AND NOT EXISTS (
               SELECT 1 FROM action_measure am
                 JOIN follow_up fu ON fu.id = am.follow_up_id
                 JOIN follow_up_occasion o ON o.id = fu.occasion_id
                WHERE fu.board_id = b.id AND o.year = $2)
           ORDER BY m.name COLLATE sv, b.name COLLATE sv"#,
        municipality,
        year,
        &[Status::Idea.code().to_owned(), Status::Cancelled.code().to_owned()]
    )
    .fetch_all(conn)
    .await
}
