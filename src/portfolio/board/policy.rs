//! Who ranks: the coordination group, during the prioritisation meeting.

use crate::{
    domain::{portfolio::Phase, role::Role},
    portfolio::rounds::repo::Round,
    web::{AppError, CurrentUser},
};

/// May `me` change the ranking of `round` now?
pub fn may_rank(me: &CurrentUser, round: &Round) -> bool {
    me.has_role(Role::CoordinationGroup) && round.phase() == Phase::Meeting
}

/// The refusal when `me` may not rank `round` now.
pub fn check_rank(me: &CurrentUser, round: &Round) -> Result<(), AppError> {
    if may_rank(me, round) {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "Omgång {} rangordnas bara under prioriteringsmötet (nu: {}).",
            round.quarter,
            round.phase().in_sentence()
        )))
    }
}
