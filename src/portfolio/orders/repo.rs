//! SQL for orders and the rounds an item has been on: the item page's history and orders, the
//! waiting orders of IT-center's start page, and registering an order.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use sqlx::PgConnection;

use crate::domain::portfolio::{Decision, Phase};

/// An item's place in one round: rank and decision.
#[derive(Debug, Clone)]
pub struct RoundDecision {
    pub round_id: Uuid,
    pub quarter: String,
    pub phase: Phase,
    pub rank: Option<i32>,
    pub decision: Option<Decision>,
    pub decision_quarter: Option<String>,
    pub decision_reason: String,
}

impl RoundDecision {
    pub fn decision_label(&self) -> &'static str {
        self.decision.map_or("–", Decision::label)
    }

    pub fn is_decided(&self) -> bool {
        self.phase == Phase::Decided
    }
}

/// The rounds an item has been on, newest first.
pub async fn history(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Vec<RoundDecision>, sqlx::Error> {
    sqlx::query_as!(
        RoundDecision,
        r#"SELECT r.id AS round_id, r.quarter, r.phase AS "phase: Phase", ri.rank,
                  ri.decision AS "decision: Decision", ri.decision_quarter, ri.decision_reason
           FROM round_item ri JOIN round r ON r.id = ri.round_id
           WHERE ri.item_id = $1 ORDER BY r.quarter DESC"#,
        item
    )
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: Uuid,
    pub item_id: Uuid,
    pub item_number: i32,
    pub item_title: String,
    pub reference: String,
    pub note: String,
    pub requested_by: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub registered_at: Option<DateTime<Utc>>,
    pub round_quarter: Option<String>,
}

impl Order {
    pub fn item_reference(&self) -> String {
        crate::domain::portfolio::item_reference(self.item_number)
    }
    pub fn requested(&self) -> String {
        crate::web::format::date_time(self.requested_at)
    }
}

/// The `SELECT` of [`Order`], written once, followed by the rest of the statement.
macro_rules! select_orders {
    ($tail:tt $(, $arg:expr)*) => {
        sqlx::query_as!(
            Order,
            r#"SELECT o.id, o.item_id, i.number AS item_number, i.title AS item_title,
                      o.reference, o.note, u.display_name AS "requested_by?",
                      o.requested_at,
                      o.registered_at, r.quarter AS "round_quarter?"
               FROM portfolio_order o JOIN portfolio_item i ON i.id = o.item_id
               LEFT JOIN app_user u ON u.id = o.requested_by
               LEFT JOIN round r ON r.id = o.round_id "# + $tail
            $(, $arg)*
        )
    };
}

pub async fn of_item(conn: &mut PgConnection, item: Uuid) -> Result<Vec<Order>, sqlx::Error> {
    select_orders!("WHERE o.item_id = $1 ORDER BY o.requested_at DESC", item)
        .fetch_all(conn)
        .await
}

/// Orders waiting for prioritisation, oldest first, for IT-center's start page.
pub async fn waiting(conn: &mut PgConnection) -> Result<Vec<Order>, sqlx::Error> {
    select_orders!("WHERE o.registered_at IS NULL ORDER BY o.requested_at")
        .fetch_all(conn)
        .await
}

/// The decision `round` took on `item`, if it had the item on its agenda and decided it.
pub async fn decision(
    conn: &mut PgConnection,
    round: Uuid,
    item: Uuid,
) -> Result<Option<Decision>, sqlx::Error> {
    let decision = sqlx::query_scalar!(
        r#"SELECT decision AS "decision: Decision" FROM round_item
           WHERE round_id = $1 AND item_id = $2"#,
        round,
        item
    )
    .fetch_optional(conn)
    .await?;
    Ok(decision.flatten())
}

/// An order as asked for: registered on `round`'s authority, or waiting when there is none.
pub struct NewOrder<'a> {
    pub id: Uuid,
    pub item: Uuid,
    pub reference: &'a str,
    pub note: &'a str,
    pub requested_by: Uuid,
    pub round: Option<Uuid>,
}

pub async fn insert(conn: &mut PgConnection, order: &NewOrder<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!("INSERT INTO portfolio_order (id, item_id, reference, note, requested_by, round_id, registered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::uuid IS NULL THEN NULL ELSE now() END)", order.id, order.item, order.reference, order.note, order.requested_by, order.round)
    .execute(conn)
    .await?;
    Ok(())
}

/// The item of a waiting order, locked for its registration; None when there is no such
/// order or it is registered already.
pub async fn lock_waiting(
    conn: &mut PgConnection,
    order: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT item_id FROM portfolio_order WHERE id = $1 AND registered_at IS NULL FOR UPDATE",
        order
    )
    .fetch_optional(conn)
    .await
}

/// Registers a waiting order on `round`'s authority.
pub async fn register(
    conn: &mut PgConnection,
    order: Uuid,
    round: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE portfolio_order SET round_id = $2, registered_at = now() WHERE id = $1",
        order,
        round
    )
    .execute(conn)
    .await?;
    Ok(())
}
