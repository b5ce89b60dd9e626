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
