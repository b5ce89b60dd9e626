//! Who keeps prioritisation models and when one may change: the administrator defines them,
//! everyone signed in reads them (a valuation is open to whoever it concerns), IT-center scores
//! the items, and a model a decided round used never changes again.

use crate::{
    domain::role::Role,
    operation::Refusal,
    portfolio::models::repo::Record,
    web::{Access, AppError},
};

/// Those who define models.
pub const WRITERS: Access = Access::Roles(&[Role::Admin]);

/// Those who score items on a model's own criteria, as they do on the four standard ones.
pub const SCORERS: Access = Access::Roles(&[Role::ItCenter]);

/// May the model's settings and criteria change? Not once a decided round used it.
pub fn check_change(record: &Record) -> Result<(), Refusal> {
    if record.is_frozen() {
        return Err(AppError::Conflict(format!(
            "Modellen användes när omgång {} beslutades och kan inte ändras. Gör en kopia och ändra den.",
            record.decided_in.join(", ")
        ))
        .into());
    }
    Ok(())
}
