//! The statements of a report's way to the board: its status, the decision with its frozen
//! figures, the corrections, and the carry-over proposals decided with it.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::follow_up::FollowUpStatus;

/// A started report, locked for a change of status.
pub struct Locked {
    pub id: Uuid,
    pub status: FollowUpStatus,
    pub version: i32,
}

pub async fn lock(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion_id: Uuid,
) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as!(
        Locked,
        r#"SELECT id, status AS "status: FollowUpStatus", version FROM follow_up
           WHERE board_id = $1 AND occasion_id = $2 FOR UPDATE"#,
        board_id,
        occasion_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: FollowUpStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE follow_up SET status = $2, version = version + 1 WHERE id = $1",
        id,
        status as FollowUpStatus
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What the board decided, with the figures as it saw them (JSON).
pub struct Decision<'a> {
    pub body: &'a str,
    pub decided_on: NaiveDate,
    pub paragraph: &'a str,
    pub decided_by: Uuid,
    pub frozen: &'a str,
}

/// Records the decision, freezes the figures and decides the report's carry-over proposals.
pub async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    decision: Decision<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE follow_up SET status = $2, decision_body = $3, decided_on = $4, \
                decision_paragraph = $5, decided_by = $6, decided_snapshot = $7::text::jsonb, \
                version = version + 1 \
         WHERE id = $1",
        id,
        FollowUpStatus::Decided as FollowUpStatus,
        decision.body,
        decision.decided_on,
        decision.paragraph,
        decision.decided_by,
        decision.frozen
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE carry_over SET decided = true WHERE follow_up_id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The corrected text of a decided report, with the reason, as one new version.
pub async fn correct(
    conn: &mut PgConnection,
    id: Uuid,
    texts: [&str; 3],
    reason: &str,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    let [summary, operating, investment] = texts;
    sqlx::query!(
        "UPDATE follow_up SET summary_text = $2, operating_text = $3, investment_text = $4, \
                version = version + 1 WHERE id = $1",
        id,
        summary,
        operating,
        investment
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO follow_up_correction (id, follow_up_id, reason, corrected_by) \
         VALUES ($1, $2, $3, $4)",
        Uuid::now_v7(),
        id,
        reason,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A correction as the report lists it.
pub struct Correction {
    pub reason: String,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

pub async fn corrections(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
) -> Result<Vec<Correction>, sqlx::Error> {
    sqlx::query_as!(
        Correction,
        r#"SELECT c.reason, u.display_name AS by, c.corrected_at AS at
           FROM follow_up_correction c JOIN app_user u ON u.id = c.corrected_by
           WHERE c.follow_up_id = $1 ORDER BY c.corrected_at"#,
        follow_up_id
    )
    .fetch_all(conn)
    .await
}
