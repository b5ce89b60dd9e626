//! Saving a municipality's hourly cost (see `crate::operation` for the shape), with its form.

use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    admin::municipalities::repo,
    audit,
    domain::{money::Money, number, text},
    operation::{Actor, Refusal},
    web::{AppError, form::FieldErrors},
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HourlyCostForm {
    #[serde(default)]
    pub hourly_cost: String,
    #[serde(default)]
    pub hourly_cost_source: String,
    #[serde(default)]
    pub version: i32,
}

impl HourlyCostForm {
    /// The cost (none when left empty) and its source, which a cost needs.
    pub fn parse(&self) -> Result<(Option<Decimal>, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let cost = if self.hourly_cost.trim().is_empty() {
            Some(None)
        } else {
            match Money::parse(&self.hourly_cost) {
                Ok(m) if !m.is_negative() && m.amount() < Decimal::from(100_000_000) => {
                    Some(Some(m.amount()))
                }
                Ok(_) => {
                    e.add("hourly_cost", "Timkostnaden ska vara 0–99 999 999 kr.");
                    None
                }
                Err(err) => {
                    e.add("hourly_cost", err.to_string());
                    None
                }
            }
        };
        let source = e.check(
            "hourly_cost_source",
            text::bounded(&self.hourly_cost_source, 500, false),
        );
        if matches!(cost, Some(Some(_))) && source.as_deref().is_some_and(|s| s.trim().is_empty()) {
            e.add(
                "hourly_cost_source",
                "Ange källan: varifrån timkostnaden kommer, så att kalkylerna kan granskas.",
            );
        }
        match (cost, source) {
            (Some(cost), Some(source)) if e.is_empty() => Ok((cost, source)),
            _ => Err(e),
        }
    }
}

fn shown(cost: Option<Decimal>) -> String {
    cost.map(number::format_quantity).unwrap_or_default()
}

/// Saves the hourly cost of municipality `id` over the version the form was based on; returns
/// the municipality's name.
pub async fn save_hourly_cost(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &HourlyCostForm,
) -> Result<String, Refusal> {
    let (cost, source) = form.parse().map_err(Refusal::Invalid)?;
    let mut tx = db.begin().await?;
    let saved = repo::find_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if saved.version != form.version {
        return Err(Refusal::conflict(format!(
            "{}: {} kr ({})",
            saved.name,
            shown(saved.hourly_cost),
            saved.hourly_cost_source
        )));
    }
    repo::update(&mut tx, id, (cost, &source)).await?;
    let changes = [
        ("hourly_cost", shown(saved.hourly_cost), shown(cost)),
        ("hourly_cost_source", saved.hourly_cost_source, source),
    ];
    let entity = ("municipality", id.to_string());
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "municipality_updated",
        (entity.0, &entity.1),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(saved.name)
}
