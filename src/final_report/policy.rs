//! Who may read, edit, export, decide and batch a final report: the one place these rules live,
//! so every route under `/projekt/{id}/slutredovisning` asks the same questions.
//!
//! A secretary reads and exports the drafts of their own boards. Another board's report becomes
//! readable once it is decided, because the protocol is then a public document. Everyone else
//! who may see the project (its municipality's strategy group, IT-center, controllers, the
//! coordination group, administrators and auditors) reads it. Whether a user is the secretary of
//! a board is `projects::scope`'s rule, shared with the project's tabs.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::{project::Status, role::Role},
    final_report::repo,
    projects::{
        repo::Project,
        scope::{is_secretary_of, only_secretary, reads_final_report},
    },
    web::{AppError, CurrentUser},
};

/// IT-center and controllers, and secretaries of the project's own board.
pub fn may_edit(me: &CurrentUser, project: &Project) -> bool {
    me.has_role(Role::ItCenter)
        || me.has_role(Role::Controller)
        || is_secretary_of(me, project.board_id)
}

/// Refuses `me` the edit form, a save and a move unless they may edit.
pub fn check_edit(me: &CurrentUser, project: &Project) -> Result<(), AppError> {
    if may_edit(me, project) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Only the board's secretary records the committee's decision.
pub fn may_record_decision(me: &CurrentUser, project: &Project) -> bool {
    is_secretary_of(me, project.board_id)
}

/// Why `me` may not record the committee's decision on the report now, in the order the form
/// shows them (empty: they may). `missing` is what keeps the draft from being complete.
pub fn decision_refusals(me: &CurrentUser, project: &Project, missing: &[String]) -> Vec<String> {
    let mut refusals = Vec::new();
    if !may_record_decision(me, project) {
        refusals.push("Bara nämndens sekreterare registrerar beslutet.".to_owned());
    }
    if !missing.is_empty() {
        refusals.push(format!(
            "Slutredovisningen är ofullständig och kan inte beslutas: {}",
            missing.join(" ")
        ));
    }
    if project.status != Status::Completed {
        refusals.push(
            "Projektet måste ha status Avslutat innan slutredovisningen beslutas.".to_owned(),
        );
    }
    refusals
}

/// Reading covers the page, its versions, the protocol extract and the Word and PDF exports.
pub fn may_read(me: &CurrentUser, project: &Project, decided: bool) -> bool {
    reads_final_report(me, project.board_id, decided)
}

/// Refuses `me` the project's final report unless they may read it.
pub async fn check_read(
    conn: &mut PgConnection,
    me: &CurrentUser,
    project: &Project,
) -> Result<(), AppError> {
    let decided = repo::is_decided(conn, project.id).await?;
    if may_read(me, project, decided) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The boards whose drafts `me` lists and downloads by meeting: a secretary's own boards, or
/// all (`None`) for everyone else.
pub fn meeting_boards(me: &CurrentUser) -> Option<Vec<Uuid>> {
    if only_secretary(me) {
        Some(me.grants.iter().filter_map(|g| g.board_id).collect())
    } else {
        None
    }
}

/// Refuses `me` a meeting's batch of another board than their own.
pub fn check_batch(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    if meeting_boards(me).is_some_and(|mine| !mine.contains(&board)) {
        Err(AppError::Forbidden)
    } else {
        Ok(())
    }
}
