//! What every part of the portfolio loads first: a round or an item the user may see. The
//! route table has admitted the user's role; these add the object's side (an auditor reads a
//! round only once it is decided, a strategy group only the items that concern its
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

/// The round `id`; auditors read a round's working material only once it is decided.
pub async fn load_round(
    conn: &mut PgConnection,
    id: Uuid,
    me: &CurrentUser,
    lock: bool,
) -> Result<Round, AppError> {
    let round = round_repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    if !reads_round(me, round.is_decided()) {
        return Err(AppError::Forbidden);
    }
    Ok(round)
}

/// Whether `me` reads a round that is `decided` or not: an auditor reads a round's working
/// material only once it is decided. Lists show a round the reader may not open without a link.
pub fn reads_round(me: &CurrentUser, decided: bool) -> bool {
    decided || me.roles() != [Role::Auditor]
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
