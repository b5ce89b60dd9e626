//! Who reads and who writes a review. A draft belongs to its municipality's strategy group;
//! once submitted, those who prepare the meeting read it. Only the group writes, and only
//! while the round is under review and the review not yet submitted.

use uuid::Uuid;

use crate::{
    domain::{portfolio::Phase, role::Role},
    portfolio::{reviews::repo::ReviewStatus, rounds::repo::Round},
    web::{AppError, CurrentUser},
};

/// Whether `user` is a strategy-group member of `municipality`.
pub fn speaks_for(user: &CurrentUser, municipality: Uuid) -> bool {
    user.grants
        .iter()
        .any(|g| g.role == Role::StrategyGroup && g.municipality_id == Some(municipality))
}

/// Those who prepare the meeting read every submitted review. A strategy group reads only its
/// own: another municipality's review is about items that do not concern it.
pub fn reads_reviews(me: &CurrentUser) -> bool {
    [
        Role::ItCenter,
        Role::CoordinationGroup,
        Role::Admin,
        Role::Auditor,
    ]
    .iter()
    .any(|r| me.has_role(*r))
}

/// May `me` read the review?
pub fn check_read(me: &CurrentUser, review: &ReviewStatus) -> Result<(), AppError> {
    let municipality = review.municipality_id;
    if speaks_for(me, municipality) || (review.submitted_at.is_some() && reads_reviews(me)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Is the review open for its group to write: under review, not yet submitted?
pub fn is_open(round: &Round, review: &ReviewStatus) -> bool {
    round.phase() == Phase::Review && review.submitted_at.is_none()
}

/// May `me` save the review now? Another municipality's submitted review is readable, never
/// writable.
pub fn check_write(me: &CurrentUser, round: &Round, review: &ReviewStatus) -> Result<(), AppError> {
    if !speaks_for(me, review.municipality_id) {
        return Err(AppError::Forbidden);
    }
    if !is_open(round, review) {
        return Err(AppError::Conflict(
            "Beredningen är inte öppen längre: den är inskickad eller omgången har gått vidare."
                .into(),
        ));
    }
    Ok(())
}
