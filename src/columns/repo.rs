//! SQL for the remembered column choices.

use sqlx::PgPool;
use uuid::Uuid;

use crate::db::{Built, MapRow};

pub struct Hidden {
    pub table_key: String,
    pub hidden: Vec<String>,
}

/// The statement of [`hidden`], which the benchmark replays (`page-sql`, see
/// [`crate::db::Built`]).
pub fn hidden_query(user: Uuid) -> Built<impl MapRow<Hidden>> {
    sqlx::query_as!(
        Hidden,
        "SELECT table_key, hidden FROM user_table_columns WHERE user_id = $1",
        user
    )
}

/// Every table's hidden columns for one user.
pub async fn hidden(db: &PgPool, user: Uuid) -> Result<Vec<(String, Vec<String>)>, sqlx::Error> {
    let rows = hidden_query(user).fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| (r.table_key, r.hidden)).collect())
}

/// Stores the user's hidden columns of one table, replacing the earlier choice.
pub async fn save(
    db: &PgPool,
    user: Uuid,
    table: &str,
    hidden: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO user_table_columns (user_id, table_key, hidden) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, table_key) DO UPDATE SET hidden = $3, updated_at = now()",
        user,
        table,
        hidden
    )
    .execute(db)
    .await?;
    Ok(())
}
