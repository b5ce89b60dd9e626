//! Which projects a user may read and change. The route table admits the roles; this adds the
//! object's side: the project must be one the user may see (`scope`), and still open, since a
//! decided final report is the record. Budget, goals and the final report ask the same rules.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::project::Status,
    projects::{repo, scope},
    web::{AppError, CurrentUser},
};

/// The project `id` if it exists and `user` may see it; `lock` for a write that follows in the
/// same transaction.
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

/// The project `id` for a form that changes it: visible to `user` and still open. A locked
/// project's edit pages answer with the reason instead of a form that cannot be saved.
pub async fn load_open(
    conn: &mut PgConnection,
    id: Uuid,
    user: &CurrentUser,
) -> Result<repo::Project, AppError> {
    let project = load_visible(conn, id, user, false).await?;
    ensure_open(&project)?;
    Ok(project)
}

/// Refuses a change to what a decided final report is built on: once the committee approved the
/// final report, the project's figures, goals and facts are the record. Measurements of effect
/// goals stay open, since benefits are followed up after the project.
pub fn ensure_open(project: &repo::Project) -> Result<(), AppError> {
    if project.status == Status::FinalReportApproved {
        Err(AppError::Conflict(
            "Projektets slutredovisning är godkänd och uppgifterna är låsta. Ändringar görs som en \
             rättelse av slutredovisningen."
                .into(),
        ))
    } else {
        Ok(())
    }
}
