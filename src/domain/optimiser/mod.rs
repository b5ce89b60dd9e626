//! Suggests a quarter's portfolio for the coordination group: the items that give the most
//! benefit within an hours capacity and a budget, with mandatory items and dependencies
//! respected, the benefit-versus-cost frontier, and a reason for every item being in or out.
//! It advises; the group decides.
//!
//! The selection is exact: a depth-first branch and bound over the two-constraint 0/1 knapsack.
//! Its bound combines the two limits into one (a surrogate relaxation whose multiplier is chosen
//! at the root), folds the dependencies into the weights, and around the first item that does
//! not fit takes Martello and Toth's U2 rather than the plain fractional bound. Items the bound
//! settles are fixed at the root; when the cost limit is slack and the search is slow, a dynamic
//! programme over the hours gives a ceiling, and often the answer. Only when the search reaches
//! its node limit is the answer merely the best found, and [`Selection::proven_optimal`] says
//! so. All arithmetic is integer; ratios are compared by cross-multiplication.
//!
//! By concern: `structure` (what follows from the candidates alone), `space` (the problem the
//! search solves within the limits), `bounds` (the relaxation and its bound), `ceiling` (the
//! hours-only dynamic programme), `search` (the branch and bound) and `explain` (the reasons).

mod bounds;
mod ceiling;
mod explain;
mod search;
mod space;
mod structure;
#[cfg(test)]
mod tests;

use std::cell::OnceCell;

use ceiling::{Ceiling, hours_ceiling};
use search::Search;
use space::Space;
use structure::Structure;

pub use explain::explain;

/// One item the optimiser may choose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate {
    /// Benefit points (the weighted score); 0 means it is only ever chosen as a requirement.
    pub benefit: u64,
    /// Effort in hours.
    pub hours: u64,
    /// Cost in öre.
    pub cost: u64,
    /// A legal or security necessity: always chosen, with everything it requires.
    pub mandatory: bool,
    /// Indices of candidates that must be chosen too if this one is. Chains are followed; a
    /// cycle simply makes its members require each other. An index outside the list is a
    /// requirement outside the round, so it blocks the item like [`Candidate::blocked`].
    pub requires: Vec<usize>,
    /// Depends on something outside the round that is not done: never chosen, nor anything
    /// requiring it, unless it is mandatory or required by a mandatory item (mandatory wins).
    pub blocked: bool,
}

/// The capacity of the quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub hours: u64,
    /// In öre.
    pub cost: u64,
}

/// A suggested selection and how sure the optimiser is of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Per candidate, in the order given.
    pub chosen: Vec<bool>,
    /// Totals of the chosen items (saturating at `u64::MAX`, which real portfolios never near).
    pub benefit: u64,
    pub hours: u64,
    pub cost: u64,
    /// No selection within the limits has more benefit. False only when the search reached its
    /// node limit; the selection is then the best found.
    pub proven_optimal: bool,
    /// Also, no selection with as much benefit costs less, or as much in fewer hours. Among
    /// selections of equal benefit the cheaper (then the one with fewer hours) is always
    /// preferred, but proving that none cheaper exists has a node limit of its own, which
    /// strongly correlated portfolios can reach. Implies `proven_optimal`.
    pub cheapest_proven: bool,
    /// False when the mandatory items and what they require exceed a limit on their own; then
    /// nothing else is chosen and the totals exceed that limit.
    pub mandatory_fit: bool,
    /// Search nodes visited, for load measurements.
    pub nodes: u64,
}

/// Why an item is in or out of a selection. Each reason states only what the numbers show.
///
/// The selection's optimality is proven by the search (see [`Selection::proven_optimal`]);
/// [`Reason::Displaces`] is a greedy illustration of what making room would take, not a proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// In: a legal or security necessity.
    Mandatory,
    /// In: the chosen (or mandatory) item with this index requires it directly. Says nothing
    /// about whether it would have been chosen on its own.
    RequiredBy(usize),
    /// In, and nothing chosen requires it: chosen for its own benefit.
    Chosen,
    /// Out: depends on something outside the round that is not done (or names a requirement
    /// that is not in the list).
    Blocked,
    /// Out: requires, directly or through a chain, the item with this index, which is
    /// [`Reason::Blocked`].
    NeedsExcluded(usize),
    /// Out: the mandatory items alone already exceed these limits, so nothing else is added.
    MandatoryExceeds { hours: bool, cost: bool },
    /// Out: it has no benefit of its own.
    NoBenefit,
    /// Out: it and its non-mandatory requirements do not fit, even next to the mandatory items
    /// alone, within the limits marked true.
    TooLarge { hours: bool, cost: bool },
    /// Out: to make room for it and its unchosen requirements, these chosen items (ascending
    /// indices) would have to go, losing `lost` benefit to gain `gained`.
    ///
    /// The items are picked greedily, lowest benefit per freed share of the short limits
    /// first, and then trimmed of any not needed; a removal losing less may exist. When the
    /// selection is proven optimal no removal loses less than `gained`, so `lost >= gained`
    /// here; with `lost < gained` the swap would be an improvement, which can happen only for
    /// a selection that is not proven optimal or was not made by the optimiser.
    Displaces {
        remove: Vec<usize>,
        lost: u64,
        gained: u64,
    },
    /// Out, although it and its unchosen requirements would fit in what is left, adding
    /// `gained` benefit. Never the case for an optimal selection.
    Fits { gained: u64 },
}

/// Nodes the search visits before it settles for the best selection found.
pub const NODE_LIMIT: u64 = 2_000_000;

/// Of those, the most that the search for a cheaper selection of the proven benefit may take.
pub const TIE_NODE_LIMIT: u64 = 500_000;

/// Each limit is normalised to 2^SCALE_SHIFT units in the bound, so the two can be combined.
const SCALE_SHIFT: u32 = 32;
/// Surrogate multipliers are a / MU_DEN for the hours and (MU_DEN − a) / MU_DEN for the cost.
const MU_DEN: u64 = 1024;

/// An item's state in the search (and in the bound).
const UNDECIDED: u8 = 0;
const IN: u8 = 1;
const OUT: u8 = 2;

/// The most benefit under `limits`, mandatory items and dependencies respected.
pub fn optimise(candidates: &[Candidate], limits: Limits) -> Selection {
    optimise_with_node_limit(candidates, limits, NODE_LIMIT)
}

/// As [`optimise`], with the search stopped after `node_limit` nodes.
pub fn optimise_with_node_limit(
    candidates: &[Candidate],
    limits: Limits,
    node_limit: u64,
) -> Selection {
    let structure = Structure::new(candidates);
    solve(
        candidates,
        &structure,
        limits,
        node_limit,
        None,
        &OnceCell::new(),
    )
}

/// Best selections at each of `budgets` (in öre) with the same hours limit: points on the
/// efficient frontier of benefit versus cost, in the order the budgets were given.
///
/// The benefit never decreases with the budget, even if a search reaches its node limit,
/// because each budget's search starts from the selection of the next smaller budget.
pub fn frontier(candidates: &[Candidate], hours: u64, budgets: &[u64]) -> Vec<Selection> {
    let structure = Structure::new(candidates);
    let mut by_budget: Vec<usize> = (0..budgets.len()).collect();
    by_budget.sort_by_key(|&k| budgets[k]);
    let mut out: Vec<Option<Selection>> = vec![None; budgets.len()];
    let mut previous: Option<Vec<bool>> = None;
    // The same hours limit for every budget, so one hours-only ceiling serves them all.
    let ceiling = OnceCell::new();
    for k in by_budget {
        let limits = Limits {
            hours,
            cost: budgets[k],
        };
        let selection = solve(
            candidates,
            &structure,
            limits,
            NODE_LIMIT,
            previous.as_deref(),
            &ceiling,
        );
        if selection.mandatory_fit {
            previous = Some(selection.chosen.clone());
        }
        out[k] = Some(selection);
    }
    out.into_iter().flatten().collect()
}

fn saturate(value: u128) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// The search over the non-forced items, with `start` (a selection for the same candidates)
/// as the first incumbent when it is within `limits`.
fn solve(
    candidates: &[Candidate],
    structure: &Structure,
    limits: Limits,
    node_limit: u64,
    start: Option<&[bool]>,
    ceiling: &OnceCell<Option<Ceiling>>,
) -> Selection {
    let remaining = (
        u128::from(limits.hours)
            .checked_sub(structure.mandatory_hours)
            .and_then(|r| u64::try_from(r).ok()),
        u128::from(limits.cost)
            .checked_sub(structure.mandatory_cost)
            .and_then(|r| u64::try_from(r).ok()),
    );
    let (Some(rem_hours), Some(rem_cost)) = remaining else {
        let forced = structure.forced.clone();
        return selection_of(candidates, forced, (true, true), false, 0);
    };
    let space = Space::new(candidates, structure, rem_hours, rem_cost);
    let mut search = Search::new(&space, node_limit);
    let compute_ceiling = || hours_ceiling(candidates, structure, rem_hours);
    search.ceiling_source = Some((ceiling, &compute_ceiling));
    if let Some(Some(known)) = ceiling.get() {
        search.apply(known);
    }
    if let Some(start) = start {
        search.offer(start);
    }
    search.greedy();
    search.fix_at_root();
    search.branch();
    let proven_optimal = !search.aborted;
    let cheapest_proven = proven_optimal && search.settle_ties();
    let mut chosen = structure.forced.clone();
    for (c, b) in chosen.iter_mut().zip(&search.best.chosen) {
        *c |= *b;
    }
    let proven = (proven_optimal, cheapest_proven);
    selection_of(candidates, chosen, proven, true, search.nodes)
}

/// `proven` is (`proven_optimal`, `cheapest_proven`).
fn selection_of(
    candidates: &[Candidate],
    chosen: Vec<bool>,
    proven: (bool, bool),
    mandatory_fit: bool,
    nodes: u64,
) -> Selection {
    let (mut benefit, mut hours, mut cost) = (0_u128, 0_u128, 0_u128);
    for (candidate, _) in candidates.iter().zip(&chosen).filter(|(_, c)| **c) {
        benefit += u128::from(candidate.benefit);
        hours += u128::from(candidate.hours);
        cost += u128::from(candidate.cost);
    }
    Selection {
        chosen,
        benefit: saturate(benefit),
        hours: saturate(hours),
        cost: saturate(cost),
        proven_optimal: proven.0,
        cheapest_proven: proven.1,
        mandatory_fit,
        nodes,
    }
}
