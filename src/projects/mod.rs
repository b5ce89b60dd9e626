//! Investment projects: the list, the project page with its tabs, the project form and the
//! project's history.

pub mod economy;
pub mod forms;
pub mod handlers;
pub mod repo;
pub mod scope;
pub mod status;
pub mod views;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::{AppError, CurrentUser};

/// The project `id` if it exists and `user` may see it.
pub async fn load_visible(
    conn: &mut PgConnection,
    id: Uuid,
    user: &CurrentUser,
    lock: bool,
) -> Result<repo::Project, AppError> {
    let project = repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    match scope::visible_municipalities(user) {
        Some(mine) if !project.allocation.iter().any(|a| mine.contains(&a.id)) => {
            Err(AppError::Forbidden)
        }
        _ => Ok(project),
    }
}
