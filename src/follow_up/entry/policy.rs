//! Who enters the follow-up's data: controllers enter every board's figures (the same rule as
//! the forecasts, `follow_up::policy::may_write`); the occasions of a year are the same for
//! every board and are set by controllers and administrators.

use uuid::Uuid;

use crate::{
    domain::role::Role,
    follow_up::policy,
    web::{Access, AppError, CurrentUser},
};

/// The roles that set the occasions of a year (the route table's gate).
pub const OCCASION_WRITERS: Access = Access::Roles(&[Role::Controller, Role::Admin]);

/// Whether `me` enters `board`'s activities, budget, outcome, key and appropriations.
pub fn may_enter(me: &CurrentUser, board: Uuid) -> bool {
    policy::may_write(me, board)
}

pub fn check_enter(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    policy::check_write(me, board)
}

/// Whether `me` is shown the links to the data entry at all (the overview's and the report's
/// "Underlag").
pub fn may_enter_any(me: &CurrentUser) -> bool {
    me.has_role(Role::Controller)
}

pub fn check_occasions(me: &CurrentUser) -> Result<(), AppError> {
    if OCCASION_WRITERS.allows(Some(me)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
