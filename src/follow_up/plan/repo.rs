//! The action plan's statements: its measures with who approved them, and their changes.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::follow_up::{
        FollowUpStatus,
        action_plan::{DecidedBy, Measure, Stage},
    },
    follow_up::plan::forms::MeasureInput,
};

/// A measure as the plan page lists it and the edit form starts from: the measure and what only
/// the page needs (its id, who approved it and when, its version for the edit form).
#[derive(Debug, Clone)]
pub struct PlanMeasure {
    pub id: Uuid,
    pub measure: Measure,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// The [`Measure`] of a row with `action_measure`'s columns of the same names (`approved` the
/// approval's presence), whichever statement read it.
macro_rules! stored_measure {
    ($row:ident) => {
        $crate::domain::follow_up::action_plan::Measure {
            group: u8::try_from($row.group_number).unwrap_or(1),
            number: u8::try_from($row.number).unwrap_or(1),
            activity: $row.activity,
            description: $row.description,
            goal: $row.goal,
            decided_by: $row.decided_by,
            decided_on: $row.decided_on,
            stage: $row.stage,
            go_live: $row.go_live,
            effect_period: $crate::domain::money::Money::from_stored($row.effect_period),
            effect_forecast: $crate::domain::money::Money::from_stored($row.effect_forecast),
            in_forecast: $row.in_forecast,
            approved: $row.approved,
        }
    };
}
pub(crate) use stored_measure;

/// The plan of the board's report at the occasion, in its order.
pub async fn measures(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion_id: Uuid,
) -> Result<Vec<PlanMeasure>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT a.id, a.group_number, a.number, a.activity, a.description, a.goal,
                  a.decided_by AS "decided_by: DecidedBy", a.decided_on, a.stage AS "stage: Stage",
                  a.go_live, a.effect_period, a.effect_forecast, a.in_forecast,
                  a.approved_at IS NOT NULL AS "approved!",
                  u.display_name AS "approved_by?", a.approved_at, a.version
           FROM action_measure a
           JOIN follow_up f ON f.id = a.follow_up_id
           LEFT JOIN app_user u ON u.id = a.approved_by
           WHERE f.board_id = $1 AND f.occasion_id = $2
           ORDER BY a.group_number, a.number"#,
        board_id,
        occasion_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanMeasure {
            id: r.id,
            approved_by: r.approved_by,
            approved_at: r.approved_at,
            version: r.version,
            measure: stored_measure!(r),
        })
        .collect())
}

/// One measure of the board's report at the occasion, locked with its report for a change;
/// none when it is not in that report.
pub async fn lock(
    conn: &mut PgConnection,
    (occasion_id, board_id, id): (Uuid, Uuid, Uuid),
) -> Result<Option<(PlanMeasure, FollowUpStatus)>, sqlx::Error> {
    let status = sqlx::query_scalar!(
        r#"SELECT f.status AS "status: FollowUpStatus" FROM follow_up f
           JOIN action_measure a ON a.follow_up_id = f.id
           WHERE a.id = $1 AND f.board_id = $2 AND f.occasion_id = $3
           FOR UPDATE OF f, a"#,
        id,
        board_id,
        occasion_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(status) = status else {
        return Ok(None);
    };
    let measure = measures(conn, board_id, occasion_id)
        .await?
        .into_iter()
        .find(|m| m.id == id);
    Ok(measure.map(|m| (m, status)))
}

/// The next free number in a group of the report's plan.
pub async fn next_number(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
    group: i32,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(max(number), 0) + 1 AS "next!" FROM action_measure
           WHERE follow_up_id = $1 AND group_number = $2"#,
        follow_up_id,
        group
    )
    .fetch_one(conn)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
    number: i32,
    m: &MeasureInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO action_measure (id, follow_up_id, group_number, number, activity, \
                description, goal, decided_by, decided_on, stage, go_live, effect_period, \
                effect_forecast, in_forecast) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        id,
        follow_up_id,
        m.group,
        number,
        m.activity,
        m.description,
        m.goal,
        m.decided_by as Option<DecidedBy>,
        m.decided_on,
        m.stage as Option<Stage>,
        m.go_live,
        m.effect_period.amount(),
        m.effect_forecast.amount(),
        m.in_forecast
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Saves a changed measure as its next version; a change withdraws an approval.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    number: i32,
    m: &MeasureInput,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE action_measure SET group_number = $2, number = $3, activity = $4, \
                description = $5, goal = $6, decided_by = $7, decided_on = $8, stage = $9, \
                go_live = $10, effect_period = $11, effect_forecast = $12, in_forecast = $13, \
                approved_by = NULL, approved_at = NULL, version = version + 1 \
         WHERE id = $1",
        id,
        m.group,
        number,
        m.activity,
        m.description,
        m.goal,
        m.decided_by as Option<DecidedBy>,
        m.decided_on,
        m.stage as Option<Stage>,
        m.go_live,
        m.effect_period.amount(),
        m.effect_forecast.amount(),
        m.in_forecast
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM action_measure WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Approves (by `by`) or, with `None`, withdraws the approval.
pub async fn set_approval(
    conn: &mut PgConnection,
    id: Uuid,
    by: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE action_measure SET approved_by = $2, \
                approved_at = CASE WHEN $2::uuid IS NULL THEN NULL ELSE now() END, \
                version = version + 1 WHERE id = $1",
        id,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}
