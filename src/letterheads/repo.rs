//! SQL for the municipalities' Word templates.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A stored template as the municipalities page lists it (without its content).
#[derive(Debug, Clone)]
pub struct Stored {
    pub municipality_id: Uuid,
    pub file_name: String,
    pub sha256: String,
    pub size: i32,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn all(conn: &mut PgConnection) -> Result<Vec<Stored>, sqlx::Error> {
    sqlx::query_as!(
        Stored,
        r#"SELECT l.municipality_id, l.file_name, l.sha256,
                  octet_length(l.content) AS "size!", u.display_name AS uploaded_by,
                  l.uploaded_at
             FROM municipality_letterhead l JOIN app_user u ON u.id = l.uploaded_by"#
    )
    .fetch_all(conn)
    .await
}

/// The municipalities that have a template, by name.
pub async fn names(conn: &mut PgConnection) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT m.id, m.name FROM municipality_letterhead l \
         JOIN municipality m ON m.id = l.municipality_id ORDER BY m.name COLLATE sv"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

pub async fn content(
    conn: &mut PgConnection,
    municipality: Uuid,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT content FROM municipality_letterhead WHERE municipality_id = $1",
        municipality
    )
    .fetch_optional(conn)
    .await
}

pub async fn content_of_board(
    conn: &mut PgConnection,
    board: Uuid,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT l.content FROM board b \
         JOIN municipality_letterhead l ON l.municipality_id = b.municipality_id \
         WHERE b.id = $1",
        board
    )
    .fetch_optional(conn)
    .await
}

/// The stored template's file name and checksum (lock the municipality first).
pub async fn current(
    conn: &mut PgConnection,
    municipality: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT file_name, sha256 FROM municipality_letterhead \
         WHERE municipality_id = $1",
        municipality
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.file_name, r.sha256)))
}

pub async fn save(
    conn: &mut PgConnection,
    municipality: Uuid,
    (file_name, content, sha256): (&str, &[u8], &str),
    by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO municipality_letterhead \
           (municipality_id, file_name, content, sha256, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (municipality_id) DO UPDATE SET file_name = EXCLUDED.file_name, \
           content = EXCLUDED.content, sha256 = EXCLUDED.sha256, \
           uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()",
        municipality,
        file_name,
        content,
        sha256,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut PgConnection, municipality: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM municipality_letterhead WHERE municipality_id = $1",
        municipality
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
