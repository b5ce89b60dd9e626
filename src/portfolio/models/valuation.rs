//! Items valued in a model outside a round: the item page and the portfolio list read the
//! scores and benefit calculations they need here, in one pass for many items.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::scoring::{Facts, Model, Valuation},
    portfolio::{items::repo::Item, models::repo},
};

/// Each item's valuation in `model`, by item id.
pub async fn of_items(
    conn: &mut PgConnection,
    model: &Model,
    items: &[Item],
) -> Result<HashMap<Uuid, Valuation>, sqlx::Error> {
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let mut own = repo::own_scores(&mut *conn, &ids).await?;
    let calculations = if model.reads_calculation() {
        repo::calculation_facts(conn, &ids).await?
    } else {
        HashMap::new()
    };
    Ok(items
        .iter()
        .map(|item| {
            let facts = Facts {
                standard: item.scores(),
                stored: own.remove(&item.id).unwrap_or_default(),
                frozen: false,
                calculation: calculations.get(&item.id).cloned(),
                effort_hours: u64::try_from(item.effort_hours).unwrap_or(0),
            };
            (item.id, model.value(&facts))
        })
        .collect())
}
