//! When a round may be decided: during its prioritisation meeting, by the coordination group
//! (the route table's gate); the form and the save both ask here.

use crate::{
    domain::{portfolio::Phase, role::Role},
    portfolio::rounds::repo::Round,
    web::{AppError, CurrentUser},
};

/// May `me` open the decision form of `round` now? The coordination group, during the meeting:
/// the round page links the form only then, since anyone else would be refused.
pub fn may_decide(me: &CurrentUser, round: &Round) -> bool {
    me.has_role(Role::CoordinationGroup) && check_decide(round).is_ok()
}

/// May `round` be decided now?
pub fn check_decide(round: &Round) -> Result<(), AppError> {
    if round.phase() == Phase::Meeting {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "Omgång {} beslutas under prioriteringsmötet (nu: {}).",
            round.quarter,
            round.phase().in_sentence()
        )))
    }
}
