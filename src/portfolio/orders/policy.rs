//! The order gate: may an item be ordered now? Only when the latest decided round prioritised
//! it (`domain::portfolio::order_gate` words the refusal). One place for the rule, asked by the
//! order operations and, read only, by the item page.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::portfolio::{Decision, order_gate, order_refusal},
    portfolio::{orders::repo, rounds::repo as round_repo},
};

/// What the gate judges by: the latest decided round (id, quarter) and its decision on `item`.
async fn latest_decision(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Option<(Uuid, String, Option<Decision>)>, sqlx::Error> {
    let Some(latest) = round_repo::latest_decided(conn).await? else {
        return Ok(None);
    };
    let decision = repo::decision(conn, latest.id, item).await?;
    Ok(Some((latest.id, latest.quarter, decision)))
}

/// Checks the gate for `item`: the round that allows ordering it, or the refusal.
pub async fn check_gate(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Result<Uuid, String>, sqlx::Error> {
    Ok(match latest_decision(conn, item).await? {
        Some((id, quarter, decision)) => order_gate(Some((&quarter, decision))).map(|()| id),
        None => Err(order_gate(None).err().unwrap_or_default()),
    })
}

/// Why the gate would refuse registering an order of `item` now (None: it would allow it), so
/// the item page offers "Registrera nu" only where it can succeed. Read only; a refusal is
/// audited when someone actually tries.
pub async fn waiting_reason(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    let latest = latest_decision(conn, item).await?;
    Ok(order_refusal(
        latest.as_ref().map(|(_, q, d)| (q.as_str(), *d)),
    ))
}
