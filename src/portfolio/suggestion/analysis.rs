//! The numbers behind the suggestion: the round's items as the optimiser sees them (cost in
//! öre, benefit in whole points), the best selection within the frames with a reason for every
//! item, the frontier at thirteen cost frames, and where each lands on the chart.

use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        optimiser::{self, Candidate, Limits, Reason, Selection},
        portfolio::{ItemStatus, item_reference},
        scoring::points_shown,
    },
    portfolio::{
        board::{repo::BoardRow, rows::Rows},
        rounds::repo::Round,
    },
    web::AppError,
};

/// Öre in a krona: the optimiser counts cost in öre, exactly.
const ORE: Decimal = Decimal::ONE_HUNDRED;

pub fn ore(amount: Money) -> u64 {
    (amount.amount() * ORE)
        .trunc()
        .try_into()
        .unwrap_or(u64::MAX)
}

pub fn kronor(ore: u64) -> Money {
    Money::from_stored(Decimal::from(ore) / ORE)
}

/// The round's items as the optimiser sees them. A dependency outside the round is met when
/// the item it names is prioritised, ordered or delivered; otherwise it blocks.
pub fn candidates(rows: &[BoardRow]) -> Vec<Candidate> {
    let index = |id: &Uuid| rows.iter().position(|r| r.item_id == *id);
    rows.iter()
        .map(|row| {
            let mut requires = Vec::new();
            let mut blocked = false;
            for d in &row.dependencies.0 {
                match index(&d.id) {
                    Some(i) => requires.push(i),
                    None => {
                        let met =
                            d.status == ItemStatus::Prioritised || d.status.is_done_or_under_way();
                        blocked |= !met;
                    }
                }
            }
            Candidate {
                benefit: row.valuation.points(),
                hours: row.demand().hours,
                cost: ore(row.cost()),
                mandatory: row.is_mandatory(),
                requires,
                blocked,
            }
        })
        .collect()
}

/// One item of the suggestion with its reason in words.
pub struct Explained {
    pub row: BoardRow,
    pub chosen: bool,
    pub benefit: Decimal,
    pub reason: String,
}

/// A point of the frontier, in kronor and benefit, with its place on the chart.
pub struct Point {
    /// The cost frame the point was computed for (the frontier's table shows it).
    pub limit: Money,
    pub cost: Money,
    pub benefit: Decimal,
    pub hours: u64,
    pub x: i64,
    pub y: i64,
}

/// The chart's drawing area in SVG units: left, top, width, height.
pub const PLOT: (i64, i64, i64, i64) = (90, 20, 520, 240);

fn place(cost: u64, benefit: u64, max_cost: u64, max_benefit: u64) -> (i64, i64) {
    let (left, top, width, height) = PLOT;
    let scale = |v: u64, max: u64, span: i64| -> i64 {
        if max == 0 {
            0
        } else {
            i64::try_from(u128::from(v) * u128::try_from(span).unwrap_or(0) / u128::from(max))
                .unwrap_or(span)
        }
    };
    (
        left + scale(cost, max_cost, width),
        top + height - scale(benefit, max_benefit, height),
    )
}

/// Words for a reason; `name` gives an item's reference by index. Benefit is said on the same
/// 0–100 scale per item as the table shows.
fn words(reason: &Reason, name: &dyn Fn(usize) -> String, c: &Candidate) -> String {
    let benefit = |points: &u64| crate::domain::number::format_quantity(points_shown(*points));
    // What taking the item in would gain: its own benefit, or with what it requires that is not
    // chosen yet, which then says so.
    let with_requirements = |gained: u64| {
        if gained > c.benefit {
            format!(
                " tillsammans med det det bygger på (objektets egen nytta {})",
                benefit(&c.benefit)
            )
        } else {
            String::new()
        }
    };
    let limits = |hours: bool, cost: bool| match (hours, cost) {
        (true, true) => "varken timmarna eller budgetramen räcker",
        (true, false) => "timmarna räcker inte",
        _ => "budgetramen räcker inte",
    };
    match reason {
        Reason::Mandatory => "Med: tvingande (lag eller säkerhet), alltid med.".to_owned(),
        Reason::RequiredBy(i) => format!("Med: {} bygger på det.", name(*i)),
        Reason::Chosen => format!(
            "Med: bidrar till största möjliga nytta inom ramarna ({} timmar, {} kr).",
            c.hours,
            kronor(c.cost).format_kr()
        ),
        Reason::Blocked => {
            "Utanför: bygger på ett objekt som varken är med i omgången eller prioriterat."
                .to_owned()
        }
        Reason::NeedsExcluded(i) => format!("Utanför: kräver {}, som inte kan tas med.", name(*i)),
        Reason::MandatoryExceeds { hours, cost } => format!(
            "Utanför: de tvingande objekten ryms inte själva ({}).",
            limits(*hours, *cost)
        ),
        Reason::NoBenefit => "Utanför: ingen nytta i nyttovärderingen.".to_owned(),
        Reason::TooLarge { hours, cost } => format!(
            "Utanför: ryms inte ens bredvid de tvingande objekten ({}).",
            limits(*hours, *cost)
        ),
        Reason::Displaces {
            remove,
            lost,
            gained,
        } => format!(
            "Utanför: för att få plats skulle {} behöva strykas, med nytta {} mot {}{}.",
            remove
                .iter()
                .map(|i| name(*i))
                .collect::<Vec<_>>()
                .join(", "),
            benefit(lost),
            benefit(gained),
            with_requirements(*gained)
        ),
        Reason::Fits { gained } => format!(
            "Utanför, fast det ryms: skulle ge nytta {} till{}.",
            benefit(gained),
            with_requirements(*gained)
        ),
    }
}

/// Öre in a thousand kronor: the frontier's frames are whole thousands.
const TKR: u64 = 100_000;

/// The budgets the frontier is drawn at: twelve steps of whole thousands of kronor up to the
/// larger of the budget and the cost of everything, and the budget itself.
fn budgets(limit: u64, everything: u64) -> Vec<u64> {
    let top = limit.max(everything).max(1);
    let step = top.div_ceil(12).div_ceil(TKR) * TKR;
    let mut points: Vec<u64> = (1..=12u64).map(|k| step * k).collect();
    points.push(limit);
    points.sort_unstable();
    points.dedup();
    points
}

/// The frontier's points with the smallest frame that reaches each: a larger frame that buys
/// nothing more is not a new point.
fn distinct<'a>(budgets: &[u64], frontier: &'a [Selection]) -> Vec<(u64, &'a Selection)> {
    let mut points: Vec<(u64, &Selection)> = budgets.iter().copied().zip(frontier).collect();
    points.sort_by_key(|(limit, _)| *limit);
    points.dedup_by_key(|(_, s)| (s.cost, s.benefit));
    points
}

pub fn limits(round: &Round) -> Limits {
    Limits {
        hours: round.hours(),
        cost: ore(round.budget()),
    }
}

/// The suggestion for a round and how it compares with the board's ranking.
pub struct Analysis {
    pub selection: Selection,
    pub items: Vec<Explained>,
    pub frontier: Vec<Point>,
    /// The board's current selection (above the cut line), for comparison.
    pub current: Point,
    pub suggested: Point,
    /// Where the budget frame stands on the cost axis, and the benefit at the top of the chart.
    pub budget_x: i64,
    /// The cost at the right end of the axis: the largest any point or marker reaches.
    pub axis_cost: Money,
    pub top_benefit: Decimal,
    pub benefit_total: Decimal,
}

/// The optimiser's work, off the threads that answer other requests: the best selection, the
/// reason for each item, and the frontier at `budget_points`.
async fn optimise(
    candidates: Vec<Candidate>,
    limits: Limits,
    budget_points: Vec<u64>,
) -> Result<(Selection, Vec<Reason>, Vec<Selection>), AppError> {
    tokio::task::spawn_blocking(move || {
        let selection = optimiser::optimise(&candidates, limits);
        let reasons = optimiser::explain(&candidates, limits, &selection);
        let frontier = optimiser::frontier(&candidates, limits.hours, &budget_points);
        (selection, reasons, frontier)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// Sums one figure over the chosen candidates.
fn sum(candidates: &[Candidate], chosen: &[bool], figure: fn(&Candidate) -> u64) -> u64 {
    candidates
        .iter()
        .zip(chosen)
        .filter(|(_, c)| **c)
        .map(|(x, _)| figure(x))
        .sum()
}

/// The chart's scale: the largest cost and benefit any marker or point reaches.
struct Scale {
    max_cost: u64,
    max_benefit: u64,
}

impl Scale {
    fn point(&self, limit: u64, cost: u64, benefit: u64, hours: u64) -> Point {
        let (x, y) = place(cost, benefit, self.max_cost, self.max_benefit);
        Point {
            limit: kronor(limit),
            cost: kronor(cost),
            benefit: points_shown(benefit),
            hours,
            x,
            y,
        }
    }
}

/// Every item with whether it is chosen and why, in words.
fn explained(
    rows: &[BoardRow],
    reasons: &[Reason],
    candidates: &[Candidate],
    selection: &Selection,
) -> Vec<Explained> {
    let name = |i: usize| {
        rows.get(i)
            .map(|r| item_reference(r.number))
            .unwrap_or_default()
    };
    rows.iter()
        .zip(reasons)
        .zip(candidates)
        .enumerate()
        .map(|(i, ((row, reason), c))| Explained {
            row: row.clone(),
            chosen: selection.chosen.get(i).copied().unwrap_or(false),
            benefit: crate::domain::scoring::one_decimal(row.valuation.value),
            reason: words(reason, &name, c),
        })
        .collect()
}

/// The suggestion for `round` from its board rows.
pub async fn analyse(round: &Round, rows: &[BoardRow]) -> Result<Analysis, AppError> {
    let candidates = candidates(rows);
    let limits = limits(round);
    let everything: u64 = candidates.iter().map(|c| c.cost).sum();
    let budget_points = budgets(limits.cost, everything);
    let (selection, reasons, frontier) =
        optimise(candidates.clone(), limits, budget_points.clone()).await?;
    // The board's current selection: the ranked items above the cut line.
    let board = Rows::new(round.clone(), rows.to_vec(), None, false);
    let current: Vec<bool> = board.lines.iter().map(|l| !l.below).collect();
    let current_totals = (
        sum(&candidates, &current, |c| c.cost),
        sum(&candidates, &current, |c| c.benefit),
        sum(&candidates, &current, |c| c.hours),
    );
    let scale = Scale {
        max_cost: frontier
            .iter()
            .map(|s| s.cost)
            .chain([current_totals.0, selection.cost, limits.cost])
            .max()
            .unwrap_or(0),
        max_benefit: frontier
            .iter()
            .map(|s| s.benefit)
            .chain([current_totals.1, selection.benefit])
            .max()
            .unwrap_or(0),
    };
    Ok(Analysis {
        items: explained(rows, &reasons, &candidates, &selection),
        benefit_total: points_shown(selection.benefit),
        budget_x: place(limits.cost, 0, scale.max_cost, scale.max_benefit).0,
        axis_cost: kronor(scale.max_cost),
        top_benefit: points_shown(scale.max_benefit),
        frontier: distinct(&budget_points, &frontier)
            .into_iter()
            .map(|(limit, s)| scale.point(limit, s.cost, s.benefit, s.hours))
            .collect(),
        current: scale.point(
            limits.cost,
            current_totals.0,
            current_totals.1,
            current_totals.2,
        ),
        suggested: scale.point(
            limits.cost,
            selection.cost,
            selection.benefit,
            selection.hours,
        ),
        selection,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_is_drawn_up_to_everything_and_at_the_budget() {
        let points = budgets(50 * TKR + 50, 120 * TKR);
        assert_eq!(points.len(), 13);
        assert_eq!(points.last(), Some(&(120 * TKR)));
        assert!(points.contains(&(50 * TKR + 50)));
        assert!(
            points
                .iter()
                .filter(|p| **p != 50 * TKR + 50)
                .all(|p| p % TKR == 0)
        );
    }

    #[test]
    fn a_gain_that_includes_what_the_item_requires_says_so() {
        let item = Candidate {
            benefit: 5_400,
            ..Candidate::default()
        };
        let name = |_: usize| "P-002".to_owned();
        let fits = words(&Reason::Fits { gained: 11_700 }, &name, &item);
        assert_eq!(
            fits,
            "Utanför, fast det ryms: skulle ge nytta 117 till tillsammans med det det bygger på \
             (objektets egen nytta 54)."
        );
        let alone = words(&Reason::Fits { gained: 5_400 }, &name, &item);
        assert_eq!(alone, "Utanför, fast det ryms: skulle ge nytta 54 till.");
    }

    #[test]
    fn chart_coordinates_grow_right_and_up() {
        let (left, top, width, height) = PLOT;
        assert_eq!(place(0, 0, 100, 100), (left, top + height));
        assert_eq!(place(100, 100, 100, 100), (left + width, top));
        assert_eq!(place(50, 0, 0, 0), (left, top + height));
    }
}
