//! The order writes, one function per verb (see `crate::operation` for the shape): ordering an
//! item through the gate, registering a waiting order, and marking an item delivered.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::portfolio::ItemStatus,
    operation::{Actor, Refusal},
    portfolio::{
        items::repo::{self as item_repo, Item},
        orders::{
            forms::OrderInput,
            policy,
            repo::{self, NewOrder},
        },
        rounds::repo as round_repo,
        scope::load_visible_item,
    },
    web::AppError,
};

/// What became of an order: registered, or refused by the gate and kept waiting (the reason).
pub enum Ordered {
    Registered { item: String },
    Waiting { reason: String },
}

/// Orders item `id`: registered if the gate allows it, otherwise the refusal is audited and
/// the order kept waiting for prioritisation.
pub async fn order_item(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    input: OrderInput,
) -> Result<Ordered, Refusal> {
    let mut tx = db.begin().await?;
    input.submission.claim(&mut tx, actor).await?;
    round_repo::lock_open(&mut tx).await?;
    let item = load_visible_item(&mut tx, id, &actor.user, true).await?;
    let gate = policy::check_gate(&mut tx, id).await?;
    let order = NewOrder {
        id: Uuid::now_v7(),
        item: id,
        reference: &input.reference,
        note: &input.note,
        requested_by: actor.user.id,
        round: gate.as_ref().ok().copied(),
    };
    repo::insert(&mut tx, &order)
        .await
        .map_err(Refusal::from_constraint)?;
    let (outcome, entry) = match gate {
        Ok(_) => {
            mark_ordered(&mut tx, actor, &item).await?;
            let entry = Entry::change(
                "order_registered",
                "portfolio_order",
                order.id.to_string(),
                "reference",
                None,
                Some(input.reference.clone()),
            );
            let item = item.reference();
            (Ordered::Registered { item }, entry)
        }
        Err(reason) => {
            let entry = Entry::change(
                "order_refused",
                "portfolio_order",
                order.id.to_string(),
                "reason",
                Some(input.reference.clone()),
                Some(reason.clone()),
            );
            (Ordered::Waiting { reason }, entry)
        }
    };
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Registers a waiting order once its item has been prioritised; returns the item's id and
/// what became of the order.
pub async fn register_order(
    db: &PgPool,
    actor: &Actor,
    order: Uuid,
) -> Result<(Uuid, Ordered), Refusal> {
    let mut tx = db.begin().await?;
    let item_id = repo::lock_waiting(&mut tx, order)
        .await?
        .ok_or(AppError::NotFound)?;
    round_repo::lock_open(&mut tx).await?;
    let item = load_visible_item(&mut tx, item_id, &actor.user, true).await?;
    let outcome = match policy::check_gate(&mut tx, item_id).await? {
        Ok(round) => {
            repo::register(&mut tx, order, round).await?;
            mark_ordered(&mut tx, actor, &item).await?;
            let entry = Entry::change(
                "order_registered",
                "portfolio_order",
                order.to_string(),
                "registered",
                Some("väntar".into()),
                Some("registrerad".into()),
            );
            audit::record(&mut tx, &actor.trail, entry).await?;
            Ordered::Registered {
                item: item.reference(),
            }
        }
        Err(reason) => {
            let entry = Entry::change(
                "order_refused",
                "portfolio_order",
                order.to_string(),
                "reason",
                None,
                Some(reason.clone()),
            );
            audit::record(&mut tx, &actor.trail, entry).await?;
            Ordered::Waiting { reason }
        }
    };
    tx.commit().await?;
    Ok((item_id, outcome))
}

/// Moves an ordered item on: it is ordered now, and leaves the open round's agenda if an
/// earlier round's authority let it through.
async fn mark_ordered(conn: &mut PgConnection, actor: &Actor, item: &Item) -> Result<(), Refusal> {
    if item.status.is_done_or_under_way() {
        // A further order of an ordered or delivered item does not move it back.
        return Ok(());
    }
    item_repo::set_status(conn, &[item.id], ItemStatus::Ordered).await?;
    // Ordered on an earlier round's authority, it no longer competes for this quarter's hours
    // and budget.
    if let Some(quarter) = round_repo::withdraw_from_open(conn, item.id).await? {
        let entry = Entry::change(
            "round_item_withdrawn",
            "round",
            item.id.to_string(),
            "agenda",
            Some(format!(
                "{} på dagordningen för {quarter}",
                item.reference()
            )),
            Some("beställd, borttagen från dagordningen".to_owned()),
        );
        audit::record(conn, &actor.trail, entry).await?;
    }
    let entry = status_entry(item, ItemStatus::Ordered);
    audit::record(conn, &actor.trail, entry).await?;
    Ok(())
}

fn status_entry(item: &Item, to: ItemStatus) -> Entry<'static> {
    Entry::change(
        "portfolio_item_status",
        "portfolio_item",
        item.id.to_string(),
        "status",
        Some(item.status.label().to_owned()),
        Some(to.label().to_owned()),
    )
}

/// Marks an ordered item delivered: the end of its way through the portfolio. Returns the
/// item's reference.
pub async fn mark_delivered(db: &PgPool, actor: &Actor, id: Uuid) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let item = load_visible_item(&mut tx, id, &actor.user, true).await?;
    if item.status != ItemStatus::Ordered {
        return Err(AppError::Conflict(format!(
            "{} är inte beställt och kan inte markeras som levererat.",
            item.reference()
        ))
        .into());
    }
    item_repo::set_status(&mut tx, &[id], ItemStatus::Delivered).await?;
    audit::record(
        &mut tx,
        &actor.trail,
        status_entry(&item, ItemStatus::Delivered),
    )
    .await?;
    tx.commit().await?;
    Ok(item.reference())
}
