//! Who reads which board's follow-up: controllers, IT-center, the coordination group and
//! auditors read every board's; a secretary (with no other role) only their own boards'.
//! The route table admits these roles; this adds the board's scope, in one place.

use uuid::Uuid;

use crate::{
    domain::role::Role,
    projects::scope::{is_secretary_of, only_secretary},
    web::{Access, AppError, CurrentUser},
};

/// The roles that read follow-ups (the route table's gate and the start page's panel).
pub const READERS: Access = Access::Roles(&[
    Role::Controller,
    Role::ItCenter,
    Role::CoordinationGroup,
    Role::Secretary,
    Role::Auditor,
]);

pub fn may_read(me: &CurrentUser, board: Uuid) -> bool {
    !only_secretary(me) || is_secretary_of(me, board)
}

pub fn check_read(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    if may_read(me, board) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The boards a user's overview is limited to: a secretary's own, else none (all boards).
pub fn board_scope(me: &CurrentUser) -> Option<Vec<Uuid>> {
    only_secretary(me).then(|| me.grants.iter().filter_map(|g| g.board_id).collect())
}

/// Controllers write the forecasts, comments and text of every board's report.
pub fn may_write(me: &CurrentUser, _board: Uuid) -> bool {
    me.has_role(Role::Controller)
}

pub fn check_write(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    if may_write(me, board) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
