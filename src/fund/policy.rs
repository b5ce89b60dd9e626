//! Who may read and keep the fund: everyone reads the funds of the municipalities they see;
//! controllers and IT-center register funds, directions, applications, decisions and
//! follow-ups (the decision itself is the responsible body's, named on it).

use uuid::Uuid;

use crate::{
    domain::role::Role,
    projects::scope,
    web::{Access, AppError, CurrentUser},
};

/// Those who keep the fund's records.
pub const WRITERS: Access = Access::Roles(&[Role::Controller, Role::ItCenter]);

/// Refuses `user` a fund of a municipality they may not see.
pub fn check_visible(user: &CurrentUser, municipality: Uuid) -> Result<(), AppError> {
    match scope::visible_municipalities(user) {
        Some(mine) if !mine.contains(&municipality) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// Whether `user` keeps the fund's records (a page shows its forms only then).
pub fn may_write(user: &CurrentUser) -> bool {
    WRITERS.allows(Some(user))
}
