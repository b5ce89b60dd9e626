//! Who may follow a benefit up: its owner, and IT-center and controllers, who prepare the
//! calculations. Everyone who may see the benefit's project or item reads it. Follow-up stays
//! open after a project's final report: benefits are realised after the project.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    benefits::{
        policy::{SubjectView, load_subject, may_edit},
        register::repo::{self, Benefit},
        repo::Subject,
    },
    domain::role::Role,
    web::Access,
    web::{AppError, CurrentUser},
};

/// Those who may own a benefit, and so follow one up: everyone but the auditor, who reads and
/// changes nothing. The object's side (owner, IT-center or controller) is [`check_follow_up`].
pub const OWNERS: Access = Access::Roles(&[
    Role::Admin,
    Role::ItCenter,
    Role::Controller,
    Role::StrategyGroup,
    Role::CoordinationGroup,
    Role::Secretary,
    Role::HeadOfAdministration,
]);

/// The benefit `id` and its subject, if `user` may see them; `lock` for a write.
pub async fn load_visible(
    conn: &mut PgConnection,
    id: Uuid,
    user: &CurrentUser,
    lock: bool,
) -> Result<(Benefit, SubjectView), AppError> {
    let benefit = repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = Subject::of(benefit.project_id, benefit.item_id, benefit.application_id)
        .ok_or(AppError::NotFound)?;
    let view = load_subject(conn, subject, user).await?;
    Ok((benefit, view))
}

/// Whether `user` may record the follow-up of `benefit`.
pub fn may_follow_up(user: &CurrentUser, benefit: &Benefit) -> bool {
    OWNERS.allows(Some(user)) && (may_edit(user) || benefit.owner_id == Some(user.id))
}

/// Refuses a follow-up by someone who may not record it.
pub fn check_follow_up(user: &CurrentUser, benefit: &Benefit) -> Result<(), AppError> {
    if may_follow_up(user, benefit) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
