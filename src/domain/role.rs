//! The roles a user may hold, as the governance model names them.

use std::{fmt, str::FromStr};

/// One role. A user may hold several; some are bound to a municipality or to boards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Admin,
    ItCenter,
    Controller,
    /// Bound to one municipality.
    StrategyGroup,
    CoordinationGroup,
    /// Bound to one or more boards.
    Secretary,
    /// Reads everything, changes nothing.
    Auditor,
}

/// What a role is bound to, besides the role itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    None,
    Municipality,
    Board,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::ItCenter,
        Role::Controller,
        Role::StrategyGroup,
        Role::CoordinationGroup,
        Role::Secretary,
        Role::Auditor,
    ];

    /// The name stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ItCenter => "it_center",
            Role::Controller => "controller",
            Role::StrategyGroup => "strategy_group",
            Role::CoordinationGroup => "coordination_group",
            Role::Secretary => "secretary",
            Role::Auditor => "auditor",
        }
    }

    /// The name users see.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administratör",
            Role::ItCenter => "IT-center",
            Role::Controller => "Controller",
            Role::StrategyGroup => "IT-strategigrupp",
            Role::CoordinationGroup => "Samordningsgrupp",
            Role::Secretary => "Nämndsekreterare",
            Role::Auditor => "Revisor/läsare",
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            Role::StrategyGroup => Scope::Municipality,
            Role::Secretary => Scope::Board,
            _ => Scope::None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A role code that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("okänd roll: {0}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert_eq!(
            "superuser".parse::<Role>(),
            Err(UnknownRole("superuser".into()))
        );
    }
}
