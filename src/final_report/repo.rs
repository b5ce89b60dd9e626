//! SQL for final-report drafts and their versions.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::{
    domain::final_report::ReportStatus,
    final_report::content::{Content, Figures},
};

/// The newest version of a project's draft.
#[derive(Debug, Clone)]
pub struct Version {
    pub number: i32,
    pub status: ReportStatus,
    pub report_version: i32,
    pub content: Json<Content>,
    pub figures: Json<Figures>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub correction_reason: Option<String>,
}

pub async fn latest(
    conn: &mut PgConnection,
    project_id: Uuid,
) -> Result<Option<Version>, sqlx::Error> {
    numbered(conn, project_id, None).await
}

/// Version `number` of a draft, or the newest when `None`.
pub async fn numbered(
    conn: &mut PgConnection,
    project_id: Uuid,
    number: Option<i32>,
) -> Result<Option<Version>, sqlx::Error> {
    Ok(select_versions(conn, project_id, number, Some(1))
        .await?
        .pop())
}

/// Every version of a draft, newest first: number, who, when, and the text.
pub async fn versions(
    conn: &mut PgConnection,
    project_id: Uuid,
) -> Result<Vec<Version>, sqlx::Error> {
    select_versions(conn, project_id, None, None).await
}

/// Versions of a draft, newest first: only `number` when given, at most `limit` (all when
/// `None`: `LIMIT NULL` is no limit).
async fn select_versions(
    conn: &mut PgConnection,
    project_id: Uuid,
    number: Option<i32>,
    limit: Option<i64>,
) -> Result<Vec<Version>, sqlx::Error> {
    sqlx::query_as!(
        Version,
        r#"SELECT v.number, r.status AS "status: ReportStatus", r.version AS report_version,
                  v.content AS "content: Json<Content>", v.figures AS "figures: Json<Figures>",
                  u.display_name AS "created_by?", v.created_at, v.correction_reason
           FROM final_report r JOIN final_report_version v ON v.project_id = r.project_id
           LEFT JOIN app_user u ON u.id = v.created_by
           WHERE r.project_id = $1 AND ($2::int IS NULL OR v.number = $2)
           ORDER BY v.number DESC LIMIT $3"#,
        project_id,
        number,
        limit,
    )
    .fetch_all(conn)
    .await
}

/// Saves `content` as the next version if the draft is still at `report_version` (0 when
/// there is no draft yet); false when someone saved meanwhile.
pub async fn save(
    conn: &mut PgConnection,
    project_id: Uuid,
    report_version: i32,
    content: &Content,
    figures: &Figures,
    by: Option<Uuid>,
    correction: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let moved = if report_version == 0 {
        sqlx::query!(
            "INSERT INTO final_report (project_id) VALUES ($1) ON CONFLICT DO NOTHING",
            project_id
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
    } else {
        // Before the decision a save is an edit; after it, only a correction with a reason.
        sqlx::query!(
            "UPDATE final_report SET version = version + 1 WHERE project_id = $1 AND version = $2 \
             AND (status = $4) = ($3::text IS NOT NULL)",
            project_id,
            report_version,
            correction,
            ReportStatus::Decided as ReportStatus,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
    };
    if moved != 1 {
        return Ok(false);
    }
    sqlx::query!(
        "INSERT INTO final_report_version (id, project_id, number, content, figures, created_by, \
         correction_reason) SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6 \
         FROM final_report_version WHERE project_id = $2",
        Uuid::now_v7(),
        project_id,
        Json(content) as _,
        Json(figures) as _,
        by,
        correction,
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// Where a draft is on its way to the committee.
#[derive(Debug, Clone)]
pub struct Decision {
    pub status: ReportStatus,
    pub version: i32,
    pub meeting_date: Option<NaiveDate>,
    pub decision_body: Option<String>,
    pub decision_paragraph: Option<String>,
    pub decision_text: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_version: Option<i32>,
}

pub async fn decision(
    conn: &mut PgConnection,
    project_id: Uuid,
) -> Result<Option<Decision>, sqlx::Error> {
    sqlx::query_as!(
        Decision,
        r#"SELECT status AS "status: ReportStatus", version,
                  meeting_date, decision_body, decision_paragraph,
                  decision_text, decided_at, decided_version
           FROM final_report WHERE project_id = $1"#,
        project_id,
    )
    .fetch_optional(conn)
    .await
}

/// Whether the project's report is decided (false when there is none yet).
pub async fn is_decided(conn: &mut PgConnection, project_id: Uuid) -> Result<bool, sqlx::Error> {
    Ok(decision(conn, project_id)
        .await?
        .is_some_and(|d| d.status.is_decided()))
}

/// A checked move of the draft.
pub struct Move {
    pub status: ReportStatus,
    pub meeting_date: Option<NaiveDate>,
    pub decision_body: Option<String>,
    pub decision_paragraph: Option<String>,
    pub decision_text: Option<String>,
}

/// Moves the draft if it is still at `version` and not decided; false otherwise.
pub async fn move_to(
    conn: &mut PgConnection,
    project_id: Uuid,
    version: i32,
    to: &Move,
    by: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE final_report SET status = $3, meeting_date = $4, decision_body = $5, \
         decision_paragraph = $6, decision_text = $7, \
         decided_by = CASE WHEN $3 = $9 THEN $8::uuid END, \
         decided_at = CASE WHEN $3 = $9 THEN now() END, \
         decided_version = CASE WHEN $3 = $9 THEN (SELECT max(number) \
           FROM final_report_version WHERE project_id = $1) END, version = version + 1 \
         WHERE project_id = $1 AND version = $2 AND status <> $9",
        project_id,
        version,
        to.status as ReportStatus,
        to.meeting_date as Option<NaiveDate>,
        to.decision_body.as_deref(),
        to.decision_paragraph.as_deref(),
        to.decision_text.as_deref(),
        by,
        ReportStatus::Decided as ReportStatus,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A draft in the overview of drafts by meeting.
#[derive(Debug, Clone)]
pub struct Listed {
    pub project_id: Uuid,
    pub name: String,
    pub case_number: String,
    pub board_id: Uuid,
    pub board: String,
    pub status: ReportStatus,
    pub meeting_date: Option<NaiveDate>,
    pub decision_paragraph: Option<String>,
}

/// Drafts of the given boards (all boards when `None`), by meeting date (undated first) and
/// case number.
pub async fn listed(
    conn: &mut PgConnection,
    boards: Option<&[Uuid]>,
    visible: Option<&[Uuid]>,
) -> Result<Vec<Listed>, sqlx::Error> {
    sqlx::query_as!(
        Listed,
        r#"SELECT r.project_id, p.name, p.case_number, p.board_id,
                  b.name || ', ' || m.name AS "board!", r.status AS "status: ReportStatus",
                  r.meeting_date, r.decision_paragraph
           FROM final_report r JOIN project p ON p.id = r.project_id
           JOIN board b ON b.id = p.board_id JOIN municipality m ON m.id = b.municipality_id
           WHERE ($1::uuid[] IS NULL OR p.board_id = ANY($1))
             AND ($2::uuid[] IS NULL OR EXISTS (SELECT 1 FROM project_municipality v
                  WHERE v.project_id = p.id AND v.municipality_id = ANY($2)))
           ORDER BY r.meeting_date NULLS FIRST, p.case_number"#,
        boards,
        visible,
    )
    .fetch_all(conn)
    .await
}
