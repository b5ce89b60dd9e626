//! The portfolio as a bubble chart: each listed item by its cost (investment and a year's
//! running cost) across and its benefit (0–100 in the round's model) up, its area growing with
//! IT-center's hours and its colour its plan. Whole-number coordinates in a 640 × 340 view box.

use std::cmp::Reverse;

use uuid::Uuid;

use crate::{
    domain::{money::Money, project::Plan, scoring::Valuation},
    portfolio::items::repo::Item,
    web::chart_scale::{nice_top, share},
};

/// Items' valuations by item id (as the list page keeps them).
type Valuations = std::collections::HashMap<Uuid, Valuation>;

const LEFT: i64 = 80;
const RIGHT: i64 = 610;
const TOP: i64 = 30;
const BOTTOM: i64 = 280;
/// The radius of an item without hours and of the one with the most.
const SMALLEST: u64 = 4;
const LARGEST: u64 = 24;

#[derive(Debug)]
pub struct Bubble {
    pub item_id: Uuid,
    pub reference: String,
    pub title: String,
    pub plan: Plan,
    pub cost: Money,
    pub benefit: String,
    pub hours: i32,
    pub x: i64,
    pub y: i64,
    pub r: u64,
}

#[derive(Debug)]
pub struct BubbleChart {
    /// Largest first, so a small item is drawn on top of a large one.
    pub bubbles: Vec<Bubble>,
    /// The cost axis' end.
    pub top_cost: Money,
}

impl BubbleChart {
    pub fn new(items: &[Item], valuations: &Valuations) -> Option<Self> {
        if items.is_empty() {
            return None;
        }
        let cost = |i: &Item| i.investment + i.running_cost;
        let top = nice_top(items.iter().map(cost).max().unwrap_or_default());
        let most_hours = items
            .iter()
            .map(|i| hours(i.effort_hours))
            .max()
            .unwrap_or(0);
        let mut bubbles: Vec<Bubble> = items
            .iter()
            .map(|item| {
                let valuation = valuations.get(&item.id);
                let points = valuation.map_or(0, |v| v.points()).min(10_000);
                Bubble {
                    item_id: item.id,
                    reference: item.reference(),
                    title: item.title.clone(),
                    plan: item.plan,
                    cost: Money::from_stored(cost(item)),
                    benefit: valuation.map(|v| v.shown()).unwrap_or_default(),
                    hours: item.effort_hours,
                    x: LEFT + share(cost(item), top, RIGHT - LEFT),
                    y: BOTTOM - i64::try_from(points).unwrap_or(0) * (BOTTOM - TOP) / 10_000,
                    r: radius(hours(item.effort_hours), most_hours),
                }
            })
            .collect();
        bubbles.sort_by_key(|b| Reverse(b.r));
        Some(Self {
            bubbles,
            top_cost: Money::from_stored(top),
        })
    }

    /// The plans in the chart's legend, each once, in the model's order.
    pub fn plans(&self) -> Vec<Plan> {
        Plan::ALL
            .into_iter()
            .filter(|p| self.bubbles.iter().any(|b| b.plan == *p))
            .collect()
    }
}

fn hours(h: i32) -> u64 {
    u64::try_from(h).unwrap_or(0)
}

/// The radius for `hours` when the most is `most`: the area, not the radius, grows with the
/// hours, so the radius grows with their square root.
fn radius(hours: u64, most: u64) -> u64 {
    if most == 0 {
        return SMALLEST;
    }
    SMALLEST + (LARGEST - SMALLEST) * hours.isqrt() / most.isqrt().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_grows_with_the_hours() {
        assert_eq!(radius(0, 400), SMALLEST);
        assert_eq!(radius(400, 400), LARGEST);
        // A quarter of the hours: half the radius above the smallest.
        assert_eq!(radius(100, 400), SMALLEST + (LARGEST - SMALLEST) / 2);
        assert_eq!(radius(5, 0), SMALLEST);
    }
}
