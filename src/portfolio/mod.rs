//! The digitalisation portfolio (seed 002): IT-center's items in four plans, the quarterly
//! rounds in which the strategy groups review them and the coordination group ranks and
//! decides, and the order gate that lets only prioritised items be ordered.

pub mod board;
pub mod board_repo;
pub mod comparison;
pub mod decision;
pub mod import;
pub mod item_forms;
pub mod item_repo;
pub mod items;
pub mod orders;
pub mod protocol;
pub mod protocol_docx;
pub mod protocol_xlsx;
pub mod review;
pub mod review_repo;
pub mod round_forms;
pub mod round_repo;
pub mod rounds;
pub mod suggestion;
pub mod views;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    projects::scope,
    web::{AppError, CurrentUser},
};

/// The item `id` if it exists and `user` may see it: strategy-group members see the items
/// that concern their municipality and those shared by all.
pub async fn load_visible_item(
    conn: &mut PgConnection,
    id: Uuid,
    user: &CurrentUser,
    lock: bool,
) -> Result<item_repo::Item, AppError> {
    let item = item_repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    match scope::visible_municipalities(user) {
        Some(mine)
            if !item.municipalities.0.is_empty()
                && !item.municipalities.0.iter().any(|m| mine.contains(&m.id)) =>
        {
            Err(AppError::Forbidden)
        }
        _ => Ok(item),
    }
}
