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

/// Refuses a change to what a decided final report is built on: once the committee approved the
/// final report, the project's figures, goals and facts are the record. Measurements of effect
/// goals stay open, since benefits are followed up after the project.
pub fn ensure_open(project: &repo::Project) -> Result<(), AppError> {
    if project.status == crate::domain::project::Status::FinalReportApproved.code() {
        Err(AppError::Conflict(
            "Projektets slutredovisning är godkänd och uppgifterna är låsta. Ändringar görs som en \
             rättelse av slutredovisningen."
                .into(),
        ))
    } else {
        Ok(())
    }
}
