//! Which projects a user may see: strategy-group members see the projects of their own
//! municipality (shared ones included); every other role reads all projects.

use uuid::Uuid;

use crate::{domain::role::Role, web::CurrentUser};

/// `None`: every project. `Some(ids)`: only projects serving one of these municipalities.
pub fn visible_municipalities(user: &CurrentUser) -> Option<Vec<Uuid>> {
    let reads_all = user.grants.iter().any(|g| g.role != Role::StrategyGroup);
    if reads_all {
        return None;
    }
    Some(
        user.grants
            .iter()
            .filter_map(|g| g.municipality_id)
            .collect(),
    )
}

/// Whether `user` is the secretary of `board`.
pub fn is_secretary_of(user: &CurrentUser, board: Uuid) -> bool {
    user.grants
        .iter()
        .any(|g| g.role == Role::Secretary && g.board_id == Some(board))
}

/// Whether the secretary role is all `user` holds: such a user's reach is their own boards.
pub fn only_secretary(user: &CurrentUser) -> bool {
    user.grants.iter().all(|g| g.role == Role::Secretary)
}

/// Whether `user` reads the final report of a project of `board`: a secretary (with no other
/// role) only their own boards' until the committee has decided, everyone else always. Here, beside
/// project visibility, so that the project's tabs and the final report's pages ask the same rule.
pub fn reads_final_report(user: &CurrentUser, board: Uuid, decided: bool) -> bool {
    !only_secretary(user) || decided || is_secretary_of(user, board)
}
