//! SQL for the report's own text: its fields on the report, and its versions.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::domain::follow_up::written::{Shown, Texts};

/// The report's own text and settings, as the forecast form saves them.
pub struct Fields<'a> {
    pub reporting_unit: &'a str,
    pub attachments_dated: Option<NaiveDate>,
    pub summary_text: &'a str,
    pub operating_text: &'a str,
    pub investment_text: &'a str,
    pub diary_number: Option<&'a str>,
}

/// The report's own text and settings, and the next version.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    input: Fields<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE follow_up SET reporting_unit = $2, attachments_dated = $3, summary_text = $4, \
                operating_text = $5, investment_text = $6, diary_number = $7, \
                version = version + 1 WHERE id = $1",
        id,
        input.reporting_unit,
        input.attachments_dated,
        input.summary_text,
        input.operating_text,
        input.investment_text,
        input.diary_number
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The text and figures of the report's newest version; none before its first.
pub async fn newest(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
) -> Result<Option<(Texts, Shown)>, sqlx::Error> {
    let newest = sqlx::query!(
        r#"SELECT texts AS "texts: Json<Texts>", figures AS "figures: Json<Shown>"
           FROM follow_up_text_version
           WHERE follow_up_id = $1 ORDER BY number DESC LIMIT 1"#,
        follow_up_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(newest.map(|r| (r.texts.0, r.figures.0)))
}

pub struct NewVersion<'a> {
    pub texts: &'a Texts,
    pub figures: &'a Shown,
    pub by: Option<Uuid>,
    pub correction_reason: Option<&'a str>,
}

/// Adds the next version; the caller holds the report's row locked, so numbers do not collide.
pub async fn insert(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
    version: NewVersion<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO follow_up_text_version
             (follow_up_id, number, texts, figures, created_by, correction_reason)
         SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4, $5
         FROM follow_up_text_version WHERE follow_up_id = $1",
        follow_up_id,
        Json(version.texts) as _,
        Json(version.figures) as _,
        version.by,
        version.correction_reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A saved version of the text.
pub struct Version {
    pub number: i32,
    pub texts: Texts,
    pub figures: Shown,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
    pub correction_reason: Option<String>,
}

/// Every version of the report's text, newest first.
pub async fn versions(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
) -> Result<Vec<Version>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT v.number, v.texts AS "texts: Json<Texts>", v.figures AS "figures: Json<Shown>",
                  v.created_at, u.display_name AS "saved_by?", v.correction_reason
           FROM follow_up_text_version v
           LEFT JOIN app_user u ON u.id = v.created_by
           WHERE v.follow_up_id = $1
           ORDER BY v.number DESC"#,
        follow_up_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Version {
            number: r.number,
            texts: r.texts.0,
            figures: r.figures.0,
            saved_at: r.created_at,
            saved_by: r.saved_by,
            correction_reason: r.correction_reason,
        })
        .collect())
}
