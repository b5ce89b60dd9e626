//! Who may read, edit, export and decide a final report: the one place these rules live, so
//! every route under `/projekt/{id}/slutredovisning` asks the same questions.
//!
//! A secretary reads and exports the drafts of their own boards. Another board's report becomes
//! readable once it is decided, because the protocol is then a public document. Everyone else
//! who may see the project (its municipality's strategy group, IT-center, controllers, the
//! coordination group, administrators and auditors) reads it.

use sqlx::PgConnection;

use crate::{
    domain::role::Role,
    final_report::repo,
    projects::repo::Project,
    web::{AppError, CurrentUser},
};

pub use crate::projects::scope::is_secretary_of;

/// IT-center and controllers, and secretaries of the project's own board.
pub fn may_edit(me: &CurrentUser, project: &Project) -> bool {
    me.has_role(Role::ItCenter)
        || me.has_role(Role::Controller)
        || is_secretary_of(me, project.board_id)
}

/// Only the board's secretary records the committee's decision.
pub fn may_record_decision(me: &CurrentUser, project: &Project) -> bool {
    is_secretary_of(me, project.board_id)
}

/// Reading covers the page, its versions, the protocol extract and the Word and PDF exports.
pub fn may_read(me: &CurrentUser, project: &Project, decided: bool) -> bool {
    crate::projects::scope::reads_final_report(me, project.board_id, decided)
}

/// Refuses `me` the project's final report unless they may read it.
pub async fn check_read(
    conn: &mut PgConnection,
    me: &CurrentUser,
    project: &Project,
) -> Result<(), AppError> {
    let decided = repo::decision(conn, project.id)
        .await?
        .is_some_and(|d| d.status == "decided");
    if may_read(me, project, decided) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
