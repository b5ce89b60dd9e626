//! The "suggest" action: the selection with the most benefit within the round's hours capacity
//! and budget (mandatory items in, dependencies respected), the efficient frontier of benefit
//! versus cost as an accessible chart, and a reason for every item being in or out. The group
//! may apply it as the ranking, edit it on the board, or ignore it; the tool never decides.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use rust_decimal::Decimal;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor},
    domain::{
        money::Money,
        optimiser::{self, Candidate, Limits, Reason, Selection},
        portfolio::{ItemStatus, Phase, Weights, item_reference},
        role::Role,
    },
    portfolio::{
        board_repo::{self, BoardRow},
        round_repo::Round,
        rounds::load_round,
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
    },
};

/// Öre in a krona: the optimiser counts cost in öre, exactly.
const ORE: Decimal = Decimal::ONE_HUNDRED;

fn ore(amount: Money) -> u64 {
    (amount.amount() * ORE)
        .trunc()
        .try_into()
        .unwrap_or(u64::MAX)
}

fn kronor(ore: u64) -> Money {
    Money::from_stored(Decimal::from(ore) / ORE)
}

/// The round's items as the optimiser sees them. A dependency outside the round is met when
/// the item it names is prioritised, ordered or delivered; otherwise it blocks.
pub fn candidates(rows: &[BoardRow], weights: Weights) -> Vec<Candidate> {
    let index = |id: &Uuid| rows.iter().position(|r| r.item_id == *id);
    rows.iter()
        .map(|row| {
            let mut requires = Vec::new();
            let mut blocked = false;
            for d in &row.dependencies.0 {
                match index(&d.id) {
                    Some(i) => requires.push(i),
                    None => {
                        let met = ItemStatus::from_code(&d.status).is_some_and(|s| {
                            s == ItemStatus::Prioritised || s.is_done_or_under_way()
                        });
                        blocked |= !met;
                    }
                }
            }
            Candidate {
                benefit: row.scores().points(weights),
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

#[derive(Template)]
#[template(path = "portfolio/suggestion.html")]
struct SuggestionView {
    chrome: Chrome,
    round: Round,
    selection: Selection,
    items: Vec<Explained>,
    frontier: Vec<Point>,
    /// The board's current selection (above the cut line), for comparison.
    current: Point,
    suggested: Point,
    /// Where the budget frame stands on the cost axis, and the benefit at the top of the chart.
    budget_x: i64,
    top_benefit: Decimal,
    benefit_total: Decimal,
    can_apply: bool,
}

impl SuggestionView {
    fn money(&self, ore: impl std::borrow::Borrow<u64>) -> String {
        kronor(*ore.borrow()).format_kr()
    }
    fn hours(&self, h: impl ToString) -> String {
        crate::portfolio::views::hours(h)
    }
    fn num(&self, value: impl std::borrow::Borrow<Decimal>) -> String {
        crate::domain::number::format_quantity(*value.borrow())
    }
    /// A marker's label above it, kept inside the drawing.
    fn above(&self, p: &Point) -> i64 {
        (p.y - 12).max(14)
    }
    fn below(&self, p: &Point) -> i64 {
        (p.y + 22).min(256)
    }
    fn items_chosen(&self) -> usize {
        self.items.iter().filter(|e| e.chosen).count()
    }
    fn polyline(&self) -> String {
        self.frontier
            .iter()
            .map(|p| format!("{},{}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The chart's drawing area in SVG units: left, top, width, height.
const PLOT: (i64, i64, i64, i64) = (90, 20, 520, 240);

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
fn words(
    reason: &Reason,
    name: &dyn Fn(usize) -> String,
    c: &Candidate,
    weights: Weights,
) -> String {
    let benefit =
        |points: &u64| crate::domain::number::format_quantity(weights.percent_of(*points));
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
            "Utanför: för att få plats skulle {} behöva strykas, med nytta {} mot objektets {}.",
            remove
                .iter()
                .map(|i| name(*i))
                .collect::<Vec<_>>()
                .join(", "),
            benefit(lost),
            benefit(gained)
        ),
        Reason::Fits { gained } => {
            format!(
                "Utanför, fast det ryms: skulle ge nytta {} till.",
                benefit(gained)
            )
        }
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

async fn load(
    state: &AppState,
    me: &CurrentUser,
    id: Uuid,
) -> Result<(Round, Vec<BoardRow>), AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, me, false).await?;
    let rows = board_repo::rows(&mut conn, id).await?;
    Ok((round, rows))
}

fn limits(round: &Round) -> Limits {
    Limits {
        hours: round.hours(),
        cost: ore(round.budget()),
    }
}

pub async fn show_suggestion(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (round, rows) = load(&state, &me, id).await?;
    let weights = round.weights();
    let candidates = candidates(&rows, weights);
    let limits = limits(&round);
    let everything: u64 = candidates.iter().map(|c| c.cost).sum();
    let budget_points = budgets(limits.cost, everything);
    let (selection, reasons, frontier) = {
        let candidates = candidates.clone();
        let budget_points = budget_points.clone();
        tokio::task::spawn_blocking(move || {
            let selection = optimiser::optimise(&candidates, limits);
            let reasons = optimiser::explain(&candidates, limits, &selection);
            let frontier = optimiser::frontier(&candidates, limits.hours, &budget_points);
            (selection, reasons, frontier)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    };
    // The board's current selection: the ranked items above the cut line.
    let board = crate::portfolio::board::Rows::new(round.clone(), rows.clone(), None, false);
    let current: Vec<bool> = board.lines.iter().map(|l| !l.below).collect();
    let sum = |chosen: &[bool], f: &dyn Fn(&Candidate) -> u64| -> u64 {
        candidates
            .iter()
            .zip(chosen)
            .filter(|(_, c)| **c)
            .map(|(x, _)| f(x))
            .sum()
    };
    let current_totals = (
        sum(&current, &|c| c.cost),
        sum(&current, &|c| c.benefit),
        sum(&current, &|c| c.hours),
    );
    let max_cost = frontier
        .iter()
        .map(|s| s.cost)
        .chain([current_totals.0, selection.cost, limits.cost])
        .max()
        .unwrap_or(0);
    let max_benefit = frontier
        .iter()
        .map(|s| s.benefit)
        .chain([current_totals.1, selection.benefit])
        .max()
        .unwrap_or(0);
    let point = |limit: u64, cost: u64, benefit: u64, hours: u64| {
        let (x, y) = place(cost, benefit, max_cost, max_benefit);
        Point {
            limit: kronor(limit),
            cost: kronor(cost),
            benefit: weights.percent_of(benefit),
            hours,
            x,
            y,
        }
    };
    let name = |i: usize| {
        rows.get(i)
            .map(|r| item_reference(r.number))
            .unwrap_or_default()
    };
    let items = rows
        .iter()
        .zip(&reasons)
        .zip(&candidates)
        .enumerate()
        .map(|(i, ((row, reason), c))| Explained {
            row: row.clone(),
            chosen: selection.chosen.get(i).copied().unwrap_or(false),
            benefit: row.scores().percent(weights),
            reason: words(reason, &name, c, weights),
        })
        .collect();
    let view = SuggestionView {
        chrome,
        can_apply: me.has_role(Role::CoordinationGroup) && round.phase() == Phase::Meeting,
        benefit_total: weights.percent_of(selection.benefit),
        budget_x: place(limits.cost, 0, max_cost, max_benefit).0,
        top_benefit: weights.percent_of(max_benefit),
        frontier: distinct(&budget_points, &frontier)
            .into_iter()
            .map(|(limit, s)| point(limit, s.cost, s.benefit, s.hours))
            .collect(),
        current: point(
            limits.cost,
            current_totals.0,
            current_totals.1,
            current_totals.2,
        ),
        suggested: point(
            limits.cost,
            selection.cost,
            selection.benefit,
            selection.hours,
        ),
        selection,
        items,
        round,
    };
    Ok(Html(view.render()?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    pub ranking_version: i32,
}

/// Makes the suggestion the ranking: the suggested items ranked in the order the board had
/// them, the rest unranked, so nothing the suggestion left out lands above the cut line.
/// Audited as any ranking change; the group edits it on the board as usual.
pub async fn apply_suggestion(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let round = load_round(&mut tx, id, &me, true).await?;
    if round.phase() != Phase::Meeting {
        return Err(AppError::Conflict(
            "Förslaget kan bara användas under prioriteringsmötet.".into(),
        ));
    }
    let rows = board_repo::rows(&mut tx, id).await?;
    let candidates = candidates(&rows, round.weights());
    let limits = limits(&round);
    let selection = tokio::task::spawn_blocking(move || optimiser::optimise(&candidates, limits))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // Rows come ranked first, so numbering the chosen ones in row order keeps the board's order.
    let mut place = 0u32;
    let ranks: Vec<(Uuid, Option<u32>)> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let chosen = selection.chosen.get(i).copied().unwrap_or(false);
            place += u32::from(chosen);
            (row.item_id, chosen.then_some(place))
        })
        .collect();
    let Some(_) = board_repo::save_ranks(&mut tx, id, form.ranking_version, &ranks).await? else {
        return Err(AppError::Conflict(
            "Rangordningen ändrades av någon annan efter att förslaget räknades fram. Öppna förslaget igen."
                .into(),
        ));
    };
    let changes = crate::portfolio::board::rank_changes(&rows, &ranks);
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "ranking_from_suggestion",
        ("round", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(
            "Förslaget är nu rangordningen. Justera den på tavlan om gruppen vill annat.",
        ),
    )
    .await?;
    Ok(Redirect::to(&format!("/omgangar/{id}/rangordning")).into_response())
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
    fn chart_coordinates_grow_right_and_up() {
        let (left, top, width, height) = PLOT;
        assert_eq!(place(0, 0, 100, 100), (left, top + height));
        assert_eq!(place(100, 100, 100, 100), (left + width, top));
        assert_eq!(place(50, 0, 0, 0), (left, top + height));
    }
}
