//! What may happen to a round in its phase: settings and weights change until it is decided,
//! items are taken in only while it is compiled, and the phase moves forward one step at a
//! time up to the meeting (deciding is the decision form's).

use crate::{
    domain::portfolio::Phase,
    operation::Refusal,
    portfolio::{rounds::repo::Round, scope::ensure_open},
    web::AppError,
};

/// May the round's settings and weights change now?
pub fn check_change(round: &Round) -> Result<(), Refusal> {
    ensure_open(round).map_err(Refusal::Failed)
}

/// May items be taken onto the round's agenda now?
pub fn check_take_items(round: &Round) -> Result<(), Refusal> {
    if round.phase() == Phase::Compiling {
        Ok(())
    } else {
        Err(
            AppError::Conflict("Objekt tas in i omgången bara medan den sammanställs.".into())
                .into(),
        )
    }
}

/// The phase the round may move to from here by the phase button.
pub fn next_phase(round: &Round) -> Result<Phase, Refusal> {
    check_change(round)?;
    round
        .phase()
        .next()
        .filter(|to| *to != Phase::Decided)
        .ok_or_else(|| AppError::Conflict("Omgången beslutas med beslutsformuläret.".into()).into())
}
