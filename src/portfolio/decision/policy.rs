//! When a round may be decided: during its prioritisation meeting, by the coordination group
//! (the route table's gate); the form and the save both ask here.

use crate::{domain::portfolio::Phase, portfolio::rounds::repo::Round, web::AppError};

/// May `round` be decided now?
pub fn check_decide(round: &Round) -> Result<(), AppError> {
    if round.phase() == Phase::Meeting {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "Omgång {} beslutas under prioriteringsmötet (nu: {}).",
            round.quarter,
            round.phase().label().to_lowercase()
        )))
    }
}
