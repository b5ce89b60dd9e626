//! The roles a user may hold, as the governance model names them.

use std::str::FromStr;

crate::coded_enum! {
    /// One role. A user may hold several; some are bound to a municipality or to boards.
    pub enum Role {
        Admin = ("admin", "Administratör"),
        ItCenter = ("it_center", "IT-center"),
        Controller = ("controller", "Controller"),
        /// Bound to one municipality.
        StrategyGroup = ("strategy_group", "IT-strategigrupp"),
        CoordinationGroup = ("coordination_group", "Samordningsgrupp"),
        /// Bound to one or more boards.
        Secretary = ("secretary", "Nämndsekreterare"),
        /// Bound to one or more boards: approves their action-plan measures.
        HeadOfAdministration = ("head_of_administration", "Förvaltningschef"),
        /// Reads everything, changes nothing.
        Auditor = ("auditor", "Revisor/läsare"),
    }
}

/// What a role is bound to, besides the role itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    None,
    Municipality,
    Board,
}

impl Role {
    pub fn scope(self) -> Scope {
        match self {
            Role::StrategyGroup => Scope::Municipality,
            Role::Secretary | Role::HeadOfAdministration => Scope::Board,
            _ => Scope::None,
        }
    }
}

/// A role code that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("okänd roll: {0}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::from_code(s).ok_or_else(|| UnknownRole(s.to_owned()))
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
