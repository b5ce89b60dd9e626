//! SQL for the municipalities' settings.

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Settings {
    pub id: Uuid,
    pub name: String,
    pub hourly_cost: Option<Decimal>,
    pub hourly_cost_source: String,
    pub version: i32,
}

pub async fn all(conn: &mut PgConnection) -> Result<Vec<Settings>, sqlx::Error> {
    sqlx::query_as!(
        Settings,
        "SELECT id, name, hourly_cost, hourly_cost_source, version FROM municipality \
         ORDER BY name COLLATE sv"
    )
    .fetch_all(conn)
    .await
}

pub async fn find_for_update(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Settings>, sqlx::Error> {
    sqlx::query_as!(
        Settings,
        "SELECT id, name, hourly_cost, hourly_cost_source, version FROM municipality \
         WHERE id = $1 FOR NO KEY UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    (hourly_cost, source): (Option<Decimal>, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE municipality SET hourly_cost = $2, hourly_cost_source = $3, version = version + 1 \
         WHERE id = $1",
        id,
        hourly_cost,
        source
    )
    .execute(conn)
    .await?;
    Ok(())
}
