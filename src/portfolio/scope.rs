//! What every part of the portfolio loads first: a round or an item the user may see. The
//! route table has admitted the user's role; these add the object's side (a strategy group
//! reads the board only once the round is decided, and only the items that concern its
//! municipality). This module imports none of the parts that use it.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::role::Role,
    portfolio::{
        items::repo::{self as item_repo, Item},
        rounds::repo::{self as round_repo, Round},
    },
    projects::scope,
    web::{AppError, CurrentUser},
};

/// The round `id`. Who may read which of its pages is the route table's (and for the board,
/// [`reads_board`]).
pub async fn load_round(conn: &mut PgConnection, id: Uuid, lock: bool) -> Result<Round, AppError> {
    round_repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether `me` reads the ranking board of a round that is `decided` or not. Those who run the
/// rounds, the administrator and the auditor (who reads everything) always; a strategy group
/// once the round is decided, when the order is the coordination group's decision and no longer
/// its working material, to see where its recommendations ended up.
pub fn reads_board(me: &CurrentUser, decided: bool) -> bool {
    let always = [
        Role::Admin,
        Role::ItCenter,
        Role::CoordinationGroup,
        Role::Auditor,
    ];
    always.iter().any(|r| me.has_role(*r)) || (decided && me.has_role(Role::StrategyGroup))
}

/// The municipalities `me` speaks for as a strategy group (whatever other roles they hold).
pub fn strategy_municipalities(me: &CurrentUser) -> Vec<Uuid> {
    me.grants
        .iter()
        .filter(|g| g.role == Role::StrategyGroup)
        .filter_map(|g| g.municipality_id)
        .collect()
}

/// Refuses any change to a decided round: it is the authority until the next one.
pub fn ensure_open(round: &Round) -> Result<(), AppError> {
    if round.is_decided() {
        Err(AppError::Conflict(format!(
            "Omgång {} är beslutad och kan inte ändras.",
            round.quarter
        )))
    } else {
        Ok(())
    }
}

/// The item `id` if it exists and `user` may see it: strategy-group members see the items
/// that concern their municipality and those shared by all.
pub async fn load_visible_item(
    conn: &mut PgConnection,
    id: Uuid,
    user: &CurrentUser,
    lock: bool,
) -> Result<Item, AppError> {
    let item = item_repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    match scope::visible_municipalities(user) {
        Some(mine)
            if !item.municipalities.0.is_empty()
                && !item.municipalities.0.iter().any(|m| mine.contains(&m.id)) =>
        {
            Err(AppError::Forbidden)
        }
        _ => Ok(item),
    }
}
