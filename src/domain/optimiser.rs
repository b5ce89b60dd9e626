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

use std::cell::OnceCell;

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

/// Nodes after which the search, if still going and the cost limit looks slack, also computes
/// the hours-only ceiling.
const CEILING_AFTER: u64 = 100_000;
/// The most item-by-hour cells the hours-only ceiling may take (time), and the most hours
/// (memory: 16 bytes an hour).
const CEILING_CELLS: u128 = 60_000_000;
const CEILING_HOURS: u64 = 500_000;

/// Each limit is normalised to 2^SCALE_SHIFT units in the bound, so the two can be combined.
const SCALE_SHIFT: u32 = 32;
/// Surrogate multipliers are a / MU_DEN for the hours and (MU_DEN − a) / MU_DEN for the cost.
const MU_DEN: u64 = 1024;

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

/// Why each item is in or out of `selection` under `limits`.
///
/// For an item that must be in (mandatory, or required by a mandatory item) the reason says so
/// whether or not `selection` honours it; otherwise a selection made by hand is described as it
/// is.
pub fn explain(candidates: &[Candidate], limits: Limits, selection: &Selection) -> Vec<Reason> {
    let structure = Structure::new(candidates);
    let n = candidates.len();
    let chosen: Vec<bool> = (0..n)
        .map(|i| selection.chosen.get(i).copied().unwrap_or(false))
        .collect();
    let remaining_hours = u128::from(limits.hours).checked_sub(structure.mandatory_hours);
    let remaining_cost = u128::from(limits.cost).checked_sub(structure.mandatory_cost);
    let mut required_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (j, candidate) in candidates.iter().enumerate() {
        for &r in &candidate.requires {
            if r < n && r != j && !required_by[r].contains(&j) {
                required_by[r].push(j);
            }
        }
    }
    let room = Room::new(candidates, &structure, limits, &chosen, &required_by);
    (0..n)
        .map(|i| {
            let candidate = &candidates[i];
            if structure.forced[i] {
                if candidate.mandatory {
                    return Reason::Mandatory;
                }
                // Forced without being mandatory means a forced item requires it directly.
                return required_by[i]
                    .iter()
                    .copied()
                    .find(|&j| structure.forced[j])
                    .map_or(Reason::Mandatory, Reason::RequiredBy);
            }
            if chosen[i] {
                return required_by[i]
                    .iter()
                    .copied()
                    .find(|&j| chosen[j])
                    .map_or(Reason::Chosen, Reason::RequiredBy);
            }
            if let Some(x) = structure.stuck_on[i] {
                return if x == i {
                    Reason::Blocked
                } else {
                    Reason::NeedsExcluded(x)
                };
            }
            let (Some(remaining_hours), Some(remaining_cost)) = (remaining_hours, remaining_cost)
            else {
                return Reason::MandatoryExceeds {
                    hours: remaining_hours.is_none(),
                    cost: remaining_cost.is_none(),
                };
            };
            if candidate.benefit == 0 {
                return Reason::NoBenefit;
            }
            let group = &structure.closure[i];
            let group_hours: u128 = group.iter().map(|&x| u128::from(candidates[x].hours)).sum();
            let group_cost: u128 = group.iter().map(|&x| u128::from(candidates[x].cost)).sum();
            if group_hours > remaining_hours || group_cost > remaining_cost {
                return Reason::TooLarge {
                    hours: group_hours > remaining_hours,
                    cost: group_cost > remaining_cost,
                };
            }
            room.make_for(i)
        })
        .collect()
}

/// A chosen non-mandatory item with every chosen item that depends on it: removing the item
/// removes them too.
struct Unit {
    root: usize,
    members: Vec<usize>,
    benefit: u128,
}

/// What making room in a selection for one more item takes.
struct Room<'a> {
    candidates: &'a [Candidate],
    structure: &'a Structure,
    limits: Limits,
    chosen: &'a [bool],
    used_hours: u128,
    used_cost: u128,
    units: Vec<Unit>,
}

impl<'a> Room<'a> {
    fn new(
        candidates: &'a [Candidate],
        structure: &'a Structure,
        limits: Limits,
        chosen: &'a [bool],
        required_by: &[Vec<usize>],
    ) -> Self {
        let n = candidates.len();
        let picked = || (0..n).filter(|&x| chosen[x]);
        let used_hours = picked().map(|x| u128::from(candidates[x].hours)).sum();
        let used_cost = picked().map(|x| u128::from(candidates[x].cost)).sum();
        let mut stamp = vec![usize::MAX; n];
        let units = picked()
            .filter(|&j| !structure.forced[j])
            .map(|j| {
                // Nothing forced depends on a non-forced item, so no member is forced.
                let mut members = vec![j];
                stamp[j] = j;
                let mut k = 0;
                while let Some(&x) = members.get(k) {
                    k += 1;
                    for &d in &required_by[x] {
                        if stamp[d] != j && chosen[d] {
                            stamp[d] = j;
                            members.push(d);
                        }
                    }
                }
                let benefit = members
                    .iter()
                    .map(|&x| u128::from(candidates[x].benefit))
                    .sum();
                Unit {
                    root: j,
                    members,
                    benefit,
                }
            })
            .collect();
        Room {
            candidates,
            structure,
            limits,
            chosen,
            used_hours,
            used_cost,
            units,
        }
    }

    /// What adding `i` with its unchosen requirements would take: nothing ([`Reason::Fits`]) or
    /// removing chosen items, found greedily ([`Reason::Displaces`]).
    fn make_for(&self, i: usize) -> Reason {
        let candidates = self.candidates;
        let n = candidates.len();
        let benefit = |x: usize| u128::from(candidates[x].benefit);
        let hours = |x: usize| u128::from(candidates[x].hours);
        let cost = |x: usize| u128::from(candidates[x].cost);
        let added: Vec<usize> = self.structure.closure[i]
            .iter()
            .copied()
            .filter(|&x| !self.chosen[x])
            .collect();
        let gained: u128 = added.iter().map(|&x| benefit(x)).sum();
        let added_hours: u128 = added.iter().map(|&x| hours(x)).sum();
        let added_cost: u128 = added.iter().map(|&x| cost(x)).sum();
        let short_hours =
            (self.used_hours + added_hours).saturating_sub(u128::from(self.limits.hours));
        let short_cost = (self.used_cost + added_cost).saturating_sub(u128::from(self.limits.cost));
        if short_hours == 0 && short_cost == 0 {
            return Reason::Fits {
                gained: saturate(gained),
            };
        }
        let mut needed = vec![false; n];
        for &x in &self.structure.full_closure[i] {
            needed[x] = true;
        }
        // The share of each short limit an item frees, normalised so the two limits weigh
        // alike; an item larger than a whole limit counts as the whole limit.
        let part = |amount: u128, limit: u64, short: u128| -> u128 {
            if short == 0 {
                return 0;
            }
            let limit = u128::from(limit.max(1));
            (amount.min(limit) << SCALE_SHIFT) / limit
        };
        let share = |x: usize| {
            part(hours(x), self.limits.hours, short_hours)
                + part(cost(x), self.limits.cost, short_cost)
        };
        let mut units: Vec<(&Unit, u128)> = self
            .units
            .iter()
            .filter(|unit| unit.members.iter().all(|&x| !needed[x]))
            .map(|unit| (unit, unit.members.iter().map(|&x| share(x)).sum()))
            .filter(|&(_, freed)| freed > 0)
            .collect();
        // Lowest benefit per freed share first: a/b < c/d  ⇔  a·d < c·b.
        units.sort_by(|(a, a_freed), (b, b_freed)| {
            (a.benefit * b_freed)
                .cmp(&(b.benefit * a_freed))
                .then(a.root.cmp(&b.root))
        });
        let mut removed = vec![false; n];
        let (mut freed_hours, mut freed_cost) = (0_u128, 0_u128);
        for (unit, _) in &units {
            if freed_hours >= short_hours && freed_cost >= short_cost {
                break;
            }
            for &x in &unit.members {
                if !removed[x] {
                    removed[x] = true;
                    freed_hours += hours(x);
                    freed_cost += cost(x);
                }
            }
        }
        if freed_hours < short_hours || freed_cost < short_cost {
            // Unreachable: without every removable item what is left is the mandatory items
            // and part of i's requirements, and those fit with i (TooLarge was ruled out).
            return Reason::TooLarge {
                hours: freed_hours < short_hours,
                cost: freed_cost < short_cost,
            };
        }
        // Put back, most benefit first, whatever the room does not need, as long as it does not
        // need something still removed; so no chosen item left in needs a removed one.
        let mut order: Vec<usize> = (0..n).filter(|&x| removed[x]).collect();
        order.sort_by(|&a, &b| benefit(b).cmp(&benefit(a)).then(a.cmp(&b)));
        loop {
            let mut changed = false;
            for &x in &order {
                let needs_removed = candidates[x]
                    .requires
                    .iter()
                    .any(|&r| r < n && r != x && removed[r]);
                if removed[x]
                    && !needs_removed
                    && freed_hours - hours(x) >= short_hours
                    && freed_cost - cost(x) >= short_cost
                {
                    removed[x] = false;
                    freed_hours -= hours(x);
                    freed_cost -= cost(x);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let remove: Vec<usize> = (0..n).filter(|&x| removed[x]).collect();
        let lost: u128 = remove.iter().map(|&x| benefit(x)).sum();
        Reason::Displaces {
            remove,
            lost: saturate(lost),
            gained: saturate(gained),
        }
    }
}

fn saturate(value: u128) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// What follows from the candidates alone, whatever the limits.
struct Structure {
    /// Mandatory, or required (transitively) by a mandatory item.
    forced: Vec<bool>,
    /// Each item and everything it requires transitively, the item first, nearest first.
    full_closure: Vec<Vec<usize>>,
    /// The non-forced part of `full_closure`: what choosing the item brings in.
    closure: Vec<Vec<usize>>,
    /// For a non-forced item that can never be chosen: the blocked item that stops it (itself
    /// when it is blocked or names a requirement outside the list).
    stuck_on: Vec<Option<usize>>,
    mandatory_hours: u128,
    mandatory_cost: u128,
}

impl Structure {
    fn new(candidates: &[Candidate]) -> Self {
        let n = candidates.len();
        // The stamp (the start item) makes each traversal visit an item once, cycles included.
        let mut stamp = vec![usize::MAX; n];
        let full_closure: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                let mut reach = vec![i];
                stamp[i] = i;
                let mut k = 0;
                while let Some(&x) = reach.get(k) {
                    k += 1;
                    for &r in &candidates[x].requires {
                        if r < n && stamp[r] != i {
                            stamp[r] = i;
                            reach.push(r);
                        }
                    }
                }
                reach
            })
            .collect();
        let mut forced = vec![false; n];
        for (i, candidate) in candidates.iter().enumerate() {
            if candidate.mandatory {
                for &x in &full_closure[i] {
                    forced[x] = true;
                }
            }
        }
        let closure: Vec<Vec<usize>> = full_closure
            .iter()
            .enumerate()
            .map(|(i, reach)| {
                if forced[i] {
                    Vec::new()
                } else {
                    reach.iter().copied().filter(|&x| !forced[x]).collect()
                }
            })
            .collect();
        let stuck =
            |x: usize| candidates[x].blocked || candidates[x].requires.iter().any(|&r| r >= n);
        let stuck_on = closure
            .iter()
            .map(|members| members.iter().copied().find(|&x| stuck(x)))
            .collect();
        let (mut mandatory_hours, mut mandatory_cost) = (0_u128, 0_u128);
        for (candidate, _) in candidates.iter().zip(&forced).filter(|(_, f)| **f) {
            mandatory_hours += u128::from(candidate.hours);
            mandatory_cost += u128::from(candidate.cost);
        }
        Structure {
            forced,
            full_closure,
            closure,
            stuck_on,
            mandatory_hours,
            mandatory_cost,
        }
    }
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

/// The bound's relaxation: the two limits, each normalised to what is left of it, combined
/// into one with multiplier `a` (a surrogate relaxation), and dependencies folded into the
/// weights.
///
/// A requirement hands part of its weight to a dependent that has more benefit per weight,
/// until the two are equally attractive; so the bound no longer counts a dependent as if its
/// requirement came for free. This stays a relaxation: a selection containing the dependent
/// contains the requirement, so the weight handed over is counted once either way, and a
/// selection with only the requirement counts less.
struct Relaxation {
    a: u64,
    /// Per item, in units where the combined limit is MU_DEN · 2^SCALE_SHIFT.
    weight: Vec<u64>,
    /// The branch items (free, with benefit) by benefit per weight, best first. Also the
    /// branching order.
    order: Vec<usize>,
}

/// The problem the search solves: the non-forced items that can be chosen, within what the
/// mandatory items leave.
struct Space<'a> {
    candidates: &'a [Candidate],
    closure: &'a [Vec<usize>],
    rem_hours: u64,
    rem_cost: u64,
    /// Chosen or not by the search; all else is out for good.
    free: Vec<bool>,
    /// Per free item: the free items that require it, transitively.
    dependents: Vec<Vec<usize>>,
    relaxation: Relaxation,
}

impl<'a> Space<'a> {
    fn new(
        candidates: &'a [Candidate],
        structure: &'a Structure,
        rem_hours: u64,
        rem_cost: u64,
    ) -> Self {
        let n = candidates.len();
        let free: Vec<bool> = (0..n)
            .map(|i| {
                if structure.forced[i] || structure.stuck_on[i].is_some() {
                    return false;
                }
                let group = &structure.closure[i];
                let hours: u128 = group.iter().map(|&x| u128::from(candidates[x].hours)).sum();
                let cost: u128 = group.iter().map(|&x| u128::from(candidates[x].cost)).sum();
                hours <= u128::from(rem_hours) && cost <= u128::from(rem_cost)
            })
            .collect();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (d, group) in structure.closure.iter().enumerate() {
            if free[d] {
                for &x in group.iter().filter(|&&x| x != d) {
                    dependents[x].push(d);
                }
            }
        }
        let weights = Weights::new(candidates, structure, &free, rem_hours, rem_cost);
        let relaxation = weights.best_relaxation();
        Space {
            candidates,
            closure: &structure.closure,
            rem_hours,
            rem_cost,
            free,
            dependents,
            relaxation,
        }
    }
}

/// The 0/1 knapsack over exact hours: per number of hours h the best key of a set of exactly
/// h hours (`unreachable` if none), and per item and h (in 64-bit words) whether that set has
/// the item. `unreachable` plus all keys must neither overflow nor reach a real key.
fn best_by_hours<T>(items: &[(usize, T)], capacity: usize, unreachable: T) -> (Vec<T>, Vec<u64>)
where
    T: Copy + Ord + Default + std::ops::Add<Output = T>,
{
    let words = capacity / 64 + 1;
    let mut best = vec![unreachable; capacity + 1];
    best[0] = T::default();
    let mut taken = vec![0_u64; words * items.len()];
    for (row, &(hours, key)) in taken.chunks_exact_mut(words).zip(items) {
        for h in (hours..=capacity).rev() {
            let candidate = best[h - hours] + key;
            if candidate > best[h] {
                best[h] = candidate;
                row[h / 64] |= 1 << (h % 64);
            }
        }
    }
    (best, taken)
}

/// The best selection of non-forced items within `rem_hours` when cost and dependencies are
/// ignored, by dynamic programming over the hours: lexicographically (benefit, then lower
/// cost, then fewer hours) no selection under any budget is better. `None` when it would take
/// too long.
fn hours_ceiling(
    candidates: &[Candidate],
    structure: &Structure,
    rem_hours: u64,
) -> Option<Ceiling> {
    if rem_hours > CEILING_HOURS {
        return None;
    }
    let items: Vec<usize> = (0..candidates.len())
        .filter(|&i| {
            !structure.forced[i]
                && structure.stuck_on[i].is_none()
                && candidates[i].benefit > 0
                && candidates[i].hours <= rem_hours
        })
        .collect();
    let capacity = usize::try_from(rem_hours).ok()?;
    let cells = u128::from(rem_hours + 1) * u128::try_from(items.len()).ok()?;
    if cells > CEILING_CELLS {
        return None;
    }
    let benefit: u128 = items
        .iter()
        .map(|&i| u128::from(candidates[i].benefit))
        .sum();
    let cost: u128 = items.iter().map(|&i| u128::from(candidates[i].cost)).sum();
    // Benefit shifted above every possible cost, minus the cost: one number that orders
    // by benefit, then lower cost, and adds up right.
    let shift = 128 - cost.leading_zeros();
    let keys: Vec<(usize, i128)> = items
        .iter()
        .map(|&i| {
            let candidate = &candidates[i];
            let hours = usize::try_from(candidate.hours).unwrap_or(usize::MAX);
            let key = (i128::from(candidate.benefit) << shift) - i128::from(candidate.cost);
            (hours, key)
        })
        .collect();
    let fits = |bits: u32| shift < bits && benefit < 1 << (bits - shift);
    // The faster 64-bit table when the numbers allow.
    let (best, taken) = if fits(62) {
        let keys: Vec<(usize, i64)> = keys
            .iter()
            .map(|&(h, k)| (h, i64::try_from(k).unwrap_or(0)))
            .collect();
        let (best, taken) = best_by_hours(&keys, capacity, i64::MIN / 2);
        (best.into_iter().map(i128::from).collect(), taken)
    } else if fits(125) {
        best_by_hours(&keys, capacity, i128::MIN / 2)
    } else {
        return None;
    };
    let (hours, top) =
        best.iter().enumerate().fold(
            (0, 0_i128),
            |(bh, bk), (h, &k)| if k > bk { (h, k) } else { (bh, bk) },
        );
    let words = capacity / 64 + 1;
    let mut chosen = vec![false; candidates.len()];
    let mut h = hours;
    for (k, (&i, &(item_hours, _))) in items.iter().zip(&keys).enumerate().rev() {
        if taken[k * words + h / 64] & (1 << (h % 64)) != 0 {
            chosen[i] = true;
            h = h.checked_sub(item_hours)?;
        }
    }
    let benefit = (top + (1 << shift) - 1) >> shift;
    let cost = (benefit << shift) - top;
    Some(Ceiling {
        benefit: u128::try_from(benefit).ok()?,
        cost: u64::try_from(cost).ok()?,
        hours: u64::try_from(hours).ok()?,
        chosen,
    })
}

/// The best selection under the hours limit alone; see [`hours_ceiling`].
struct Ceiling {
    benefit: u128,
    cost: u64,
    hours: u64,
    /// It may break the cost limit or a dependency; if not, it is the answer.
    chosen: Vec<bool>,
}

/// What the relaxations are built from.
struct Weights<'a> {
    candidates: &'a [Candidate],
    free: &'a [bool],
    /// Per free item: the free items that require it directly.
    direct_dependents: Vec<Vec<usize>>,
    /// Free items, requirements before what requires them (cycles aside).
    requirements_first: Vec<usize>,
    /// Hours and cost as shares of what is left, in 2^SCALE_SHIFT units, rounded down so any
    /// selection within the limits stays within the scaled limits.
    scaled_hours: Vec<u64>,
    scaled_cost: Vec<u64>,
    rem_hours: u64,
    rem_cost: u64,
}

impl<'a> Weights<'a> {
    fn new(
        candidates: &'a [Candidate],
        structure: &Structure,
        free: &'a [bool],
        rem_hours: u64,
        rem_cost: u64,
    ) -> Self {
        let n = candidates.len();
        let mut direct_dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (d, candidate) in candidates.iter().enumerate() {
            if free[d] {
                for &r in &candidate.requires {
                    if free.get(r) == Some(&true) && r != d && !direct_dependents[r].contains(&d) {
                        direct_dependents[r].push(d);
                    }
                }
            }
        }
        // Without cycles a requirement's closure is strictly smaller than its dependent's.
        let mut requirements_first: Vec<usize> = (0..n).filter(|&i| free[i]).collect();
        requirements_first.sort_by_key(|&i| (structure.closure[i].len(), i));
        let scale = |amount: u64, limit: u64| -> u64 {
            if limit == 0 {
                return 0;
            }
            let scaled = (u128::from(amount) << SCALE_SHIFT) / u128::from(limit);
            u64::try_from(scaled).unwrap_or(u64::MAX)
        };
        let scaled = |amount: fn(&Candidate) -> u64, limit: u64| -> Vec<u64> {
            candidates
                .iter()
                .zip(free)
                .map(|(c, &f)| if f { scale(amount(c), limit) } else { 0 })
                .collect()
        };
        Weights {
            candidates,
            free,
            direct_dependents,
            requirements_first,
            scaled_hours: scaled(|c| c.hours, rem_hours),
            scaled_cost: scaled(|c| c.cost, rem_cost),
            rem_hours,
            rem_cost,
        }
    }

    fn benefit(&self, i: usize) -> u128 {
        u128::from(self.candidates[i].benefit)
    }

    /// Best benefit per weight first: b_i/w_i > b_j/w_j  ⇔  b_i·w_j > b_j·w_i.
    fn by_rate(&self, weight: &[u64], items: &mut [usize]) {
        items.sort_unstable_by(|&i, &j| {
            let left = self.benefit(i) * u128::from(weight[j]);
            let right = self.benefit(j) * u128::from(weight[i]);
            right.cmp(&left).then(i.cmp(&j))
        });
    }

    fn relaxation(&self, a: u64) -> Relaxation {
        let mut weight: Vec<u64> = self
            .scaled_hours
            .iter()
            .zip(&self.scaled_cost)
            .map(|(&h, &c)| a * h + (MU_DEN - a) * c)
            .collect();
        for &r in &self.requirements_first {
            let mut takers = self.direct_dependents[r].clone();
            self.by_rate(&weight, &mut takers);
            for d in takers {
                let surplus = (self.benefit(d) * u128::from(weight[r]))
                    .checked_sub(self.benefit(r) * u128::from(weight[d]))
                    .filter(|&s| s > 0);
                let Some(surplus) = surplus else {
                    continue;
                };
                // b_d/(w_d + δ) = b_r/(w_r − δ); a positive surplus means b_d > 0.
                let delta = surplus / (self.benefit(r) + self.benefit(d));
                let delta = u64::try_from(delta).unwrap_or(u64::MAX).min(weight[r]);
                weight[r] -= delta;
                weight[d] += delta;
            }
        }
        let mut order: Vec<usize> = (0..self.candidates.len())
            .filter(|&i| self.free[i] && self.candidates[i].benefit > 0)
            .collect();
        self.by_rate(&weight, &mut order);
        Relaxation { a, weight, order }
    }

    /// The relaxation whose bound at the root is lowest (close to the surrogate dual): a
    /// coarse grid of multipliers, then a descent with halving steps.
    fn best_relaxation(&self) -> Relaxation {
        let state: Vec<u8> = self
            .free
            .iter()
            .map(|&f| if f { UNDECIDED } else { OUT })
            .collect();
        let bound = |relaxation: &Relaxation| {
            relaxed_benefit(
                self.candidates,
                relaxation,
                &state,
                (self.rem_hours, self.rem_cost),
                0,
                0,
                u128::MAX,
            )
        };
        let mut best = self.relaxation(MU_DEN / 2);
        let mut best_bound = bound(&best);
        let consider = |a: u64, best: &mut Relaxation, best_bound: &mut u128| {
            let relaxation = self.relaxation(a);
            let value = bound(&relaxation);
            if value < *best_bound {
                *best_bound = value;
                *best = relaxation;
            }
        };
        for a in (0..=MU_DEN).step_by(128).filter(|&a| a != MU_DEN / 2) {
            consider(a, &mut best, &mut best_bound);
        }
        let mut step = 64;
        while step > 0 {
            let centre = best.a;
            for a in [centre.saturating_sub(step), (centre + step).min(MU_DEN)] {
                if a != centre {
                    consider(a, &mut best, &mut best_bound);
                }
            }
            if best.a == centre {
                step /= 2;
            }
        }
        best
    }
}

const UNDECIDED: u8 = 0;
const IN: u8 = 1;
const OUT: u8 = 2;

/// The benefit the undecided items could still add in `relaxation`, with `left` (hours,
/// cost) of the true limits and `used_weight` of the relaxed one taken, counting no further
/// than `enough` (beyond which the caller does not care). Dependencies among the undecided
/// items are only in the weights.
///
/// Items go in whole by benefit per weight from `start` on (items before it are decided); an
/// item that alone exceeds what is left of either true limit is skipped, as it cannot be
/// added. The first item that does not fit is either out, and the room left is at best
/// filled at the next item's rate, or in, and the weight it lacks comes out of the items
/// taken at no less than the last one's rate: the larger of the two (Martello and Toth's U2),
/// rounded down because benefits are integers.
fn relaxed_benefit(
    candidates: &[Candidate],
    relaxation: &Relaxation,
    state: &[u8],
    left: (u64, u64),
    used_weight: u64,
    start: usize,
    enough: u128,
) -> u128 {
    let Some(room) = (MU_DEN << SCALE_SHIFT).checked_sub(used_weight) else {
        return 0;
    };
    let mut room = u128::from(room);
    let eligible = |i: usize| {
        let candidate = &candidates[i];
        state[i] == UNDECIDED && candidate.hours <= left.0 && candidate.cost <= left.1
    };
    let benefit = |i: usize| u128::from(candidates[i].benefit);
    let weight = |i: usize| u128::from(relaxation.weight[i]);
    let order = relaxation.order.get(start..).unwrap_or_default();
    let mut got = 0_u128;
    let mut last: Option<usize> = None;
    for (k, &i) in order.iter().enumerate() {
        if !eligible(i) {
            continue;
        }
        if weight(i) <= room {
            room -= weight(i);
            got += benefit(i);
            last = Some(i);
            if got >= enough {
                return got;
            }
            continue;
        }
        let without = order
            .get(k + 1..)
            .unwrap_or_default()
            .iter()
            .find(|&&x| eligible(x))
            .map_or(0, |&x| benefit(x) * room / weight(x));
        let with = last
            .filter(|&p| weight(p) > 0)
            .and_then(|p| {
                let lacking = weight(i) - room;
                benefit(i).checked_sub((lacking * benefit(p)).div_ceil(weight(p)))
            })
            .unwrap_or(0);
        return got + without.max(with);
    }
    got
}

/// A shared cell for the hours-only ceiling and how to fill it.
type CeilingSource<'a> = (
    &'a OnceCell<Option<Ceiling>>,
    &'a dyn Fn() -> Option<Ceiling>,
);

/// Where the depth-first search stands at one node.
struct Frame {
    /// Where in the branching order to look for the next undecided item.
    pos: usize,
    /// The item branched on, once chosen.
    item: usize,
    /// The trail length before branching, to undo back to.
    mark: usize,
    /// See [`Search::visit`].
    as_parent: bool,
    step: Step,
}

impl Frame {
    fn enter(pos: usize, as_parent: bool) -> Self {
        Frame {
            pos,
            item: 0,
            mark: 0,
            as_parent,
            step: Step::Enter,
        }
    }
}

/// What a frame does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Visit the node and branch with the item included.
    Enter,
    /// The branch with the item included is done: now exclude it.
    Included,
    /// Both branches are done.
    Excluded,
}

/// The best selection of non-forced items found so far.
struct Incumbent {
    benefit: u128,
    cost: u64,
    hours: u64,
    chosen: Vec<bool>,
}

/// Depth-first branch and bound: each branch item, in the relaxation's order, is included
/// (with its requirements) before it is excluded (with its dependents).
struct Search<'a> {
    space: &'a Space<'a>,
    state: Vec<u8>,
    /// Items whose state changed, undone back to a mark on backtracking.
    trail: Vec<usize>,
    hours: u64,
    cost: u64,
    /// The relaxed weight of the items in.
    weight: u64,
    benefit: u128,
    best: Incumbent,
    /// Once computed: no selection is better than this (benefit, cost, hours).
    ceiling: Option<(u128, u64, u64)>,
    /// Where the ceiling is computed, once, if the search takes long.
    ceiling_source: Option<CeilingSource<'a>>,
    /// Once proven: no selection has more benefit than this.
    most: Option<u128>,
    /// Looking for a cheaper selection of the proven benefit (the second phase).
    ties: bool,
    nodes: u64,
    node_limit: u64,
    aborted: bool,
}

impl<'a> Search<'a> {
    fn new(space: &'a Space<'a>, node_limit: u64) -> Self {
        Search {
            space,
            state: space
                .free
                .iter()
                .map(|&f| if f { UNDECIDED } else { OUT })
                .collect(),
            trail: Vec::new(),
            hours: 0,
            cost: 0,
            weight: 0,
            benefit: 0,
            best: Incumbent {
                benefit: 0,
                cost: 0,
                hours: 0,
                chosen: vec![false; space.free.len()],
            },
            ceiling: None,
            ceiling_source: None,
            most: None,
            ties: false,
            nodes: 0,
            node_limit,
            aborted: false,
        }
    }

    /// Uses the hours-only ceiling: as a bound, and its selection as incumbent if it is valid.
    fn apply(&mut self, ceiling: &Ceiling) {
        self.offer(&ceiling.chosen);
        self.ceiling = Some((ceiling.benefit, ceiling.cost, ceiling.hours));
    }

    /// Takes the free part of `chosen` as incumbent if it is a valid selection here and better.
    fn offer(&mut self, chosen: &[bool]) {
        let space = self.space;
        let n = self.state.len();
        let pick = |i: usize| chosen.get(i).copied().unwrap_or(false) && space.free[i];
        let closed = (0..n)
            .filter(|&i| pick(i))
            .all(|i| space.closure[i].iter().all(|&x| pick(x)));
        let (mut benefit, mut hours, mut cost) = (0_u128, 0_u128, 0_u128);
        for i in (0..n).filter(|&i| pick(i)) {
            benefit += u128::from(space.candidates[i].benefit);
            hours += u128::from(space.candidates[i].hours);
            cost += u128::from(space.candidates[i].cost);
        }
        let (Ok(hours), Ok(cost)) = (u64::try_from(hours), u64::try_from(cost)) else {
            return;
        };
        let best = &self.best;
        let better = (benefit, best.cost, best.hours) > (best.benefit, cost, hours);
        if closed && better && hours <= space.rem_hours && cost <= space.rem_cost {
            self.best = Incumbent {
                benefit,
                cost,
                hours,
                chosen: (0..n).map(pick).collect(),
            };
        }
    }

    /// Seeds the incumbent: the items in branching order, each taken if it fits.
    fn greedy(&mut self) {
        let space = self.space;
        let mark = self.trail.len();
        for &i in &space.relaxation.order {
            if self.state[i] == UNDECIDED {
                self.include(i);
            }
        }
        self.record();
        self.undo(mark);
    }

    /// Fixes each branch item that the bound shows cannot be in (or out of) anything better
    /// than the incumbent, until nothing changes. Selections better than the incumbent must
    /// agree with every fixing, so the fixings hold together.
    fn fix_at_root(&mut self) {
        let space = self.space;
        while self.nodes <= self.node_limit {
            let mut changed = false;
            for &j in &space.relaxation.order {
                if self.state[j] != UNDECIDED {
                    continue;
                }
                self.nodes += 2;
                let mark = self.trail.len();
                let can_in = self.include(j) && {
                    self.record();
                    !self.hopeless(0)
                };
                self.undo(mark);
                self.exclude(j);
                self.record();
                let can_out = !self.hopeless(0);
                self.undo(mark);
                if !can_in {
                    self.exclude(j);
                    changed = true;
                } else if !can_out {
                    changed |= self.include(j);
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// After the benefit is proven the most, searches anew (with part of the node limit) for a
    /// selection of that benefit that costs less or takes fewer hours; true if the search
    /// finished, so that none exists. The root fixings assumed a strict improvement, so they
    /// are undone first.
    fn settle_ties(&mut self) -> bool {
        self.undo(0);
        self.most = Some(self.best.benefit);
        self.ties = true;
        self.node_limit = self
            .node_limit
            .min(self.nodes.saturating_add(TIE_NODE_LIMIT));
        self.fix_at_root();
        self.branch();
        !self.aborted
    }

    /// Searches the tree below the current state, depth first, on a stack of its own rather
    /// than the thread's (a portfolio of thousands of items must not overflow it).
    fn branch(&mut self) {
        let base = self.trail.len();
        let mut stack = vec![Frame::enter(0, false)];
        while let Some(frame) = stack.last_mut() {
            match frame.step {
                Step::Enter => {
                    self.nodes += 1;
                    if self.nodes > self.node_limit {
                        self.aborted = true;
                        break;
                    }
                    let Some((pos, i)) = self.visit(frame.pos, frame.as_parent) else {
                        stack.pop();
                        continue;
                    };
                    let mark = self.trail.len();
                    *frame = Frame {
                        pos,
                        item: i,
                        mark,
                        as_parent: false,
                        step: Step::Included,
                    };
                    if self.include(i) {
                        // A lone item that fits the true limits fits the relaxed one too (its
                        // weight is no more than its share of the limits), so the bound took
                        // it first and whole.
                        let alone = self.trail.len() == mark + 1;
                        stack.push(Frame::enter(pos + 1, alone));
                    }
                }
                Step::Included => {
                    self.undo(frame.mark);
                    self.exclude(frame.item);
                    frame.step = Step::Excluded;
                    let pos = frame.pos + 1;
                    stack.push(Frame::enter(pos, false));
                }
                Step::Excluded => {
                    self.undo(frame.mark);
                    stack.pop();
                }
            }
        }
        self.undo(base);
    }

    /// Visits a node: records it, and returns the item to branch on (with its position) unless
    /// the subtree is empty or hopeless.
    ///
    /// `as_parent` says the node only added the item its parent's bound took first and whole,
    /// so that bound holds here as well (less whatever no longer fits the true limits, which
    /// the next check catches): like Martello and Toth's forward steps, a dive along the
    /// bound's own choice is not checked again item by item.
    fn visit(&mut self, mut pos: usize, as_parent: bool) -> Option<(usize, usize)> {
        // The ceiling ignores the cost, so it is reached only when the cost limit is slack,
        // which shows as a bound leaning (almost) wholly on the hours.
        if self.nodes >= CEILING_AFTER
            && self.space.relaxation.a >= MU_DEN - MU_DEN / 16
            && self.ceiling.is_none()
            && let Some((cell, compute)) = self.ceiling_source.take()
            && let Some(ceiling) = cell.get_or_init(compute)
        {
            self.apply(ceiling);
        }
        // A better incumbent raises the bar the parent's bound was checked against.
        let improved = self.record();
        let as_parent = as_parent && !improved;
        let order = &self.space.relaxation.order;
        while order.get(pos).is_some_and(|&i| self.state[i] != UNDECIDED) {
            pos += 1;
        }
        let i = *order.get(pos)?;
        (as_parent || !self.hopeless(pos)).then_some((pos, i))
    }

    /// Keeps the current selection if it beats the incumbent: more benefit, or as much at a
    /// lower cost, or as much at the same cost in fewer hours.
    fn record(&mut self) -> bool {
        let best = &self.best;
        let better = (self.benefit, best.cost, best.hours) > (best.benefit, self.cost, self.hours);
        if better {
            self.best = Incumbent {
                benefit: self.benefit,
                cost: self.cost,
                hours: self.hours,
                chosen: self.state.iter().map(|&s| s == IN).collect(),
            };
        }
        better
    }

    /// No completion of the current node can beat the incumbent.
    fn hopeless(&self, pos: usize) -> bool {
        let best = &self.best;
        if self.ceiling == Some((best.benefit, best.cost, best.hours)) {
            return true;
        }
        // Only while settling ties can a completion that merely equals the incumbent's
        // benefit win, and only if it is cheaper already: completions add cost and hours.
        let cheaper = (self.cost, self.hours) < (best.cost, best.hours);
        let target = best.benefit + u128::from(!(self.ties && cheaper));
        let most = self.most.into_iter().chain(self.ceiling.map(|c| c.0)).min();
        if most.is_some_and(|most| target > most) {
            return true;
        }
        let Some(gap) = target.checked_sub(self.benefit).filter(|&g| g > 0) else {
            return false;
        };
        let space = self.space;
        let left = (space.rem_hours - self.hours, space.rem_cost - self.cost);
        let bound = relaxed_benefit(
            space.candidates,
            &space.relaxation,
            &self.state,
            left,
            self.weight,
            pos,
            gap,
        );
        bound < gap
    }

    /// Adds `i` and its undecided requirements, if none is excluded and they fit.
    fn include(&mut self, i: usize) -> bool {
        let space = self.space;
        let (mut hours, mut cost) = (0_u64, 0_u64);
        for &x in &space.closure[i] {
            match self.state[x] {
                OUT => return false,
                UNDECIDED => {
                    hours = hours.saturating_add(space.candidates[x].hours);
                    cost = cost.saturating_add(space.candidates[x].cost);
                }
                _ => {}
            }
        }
        if hours > space.rem_hours - self.hours || cost > space.rem_cost - self.cost {
            return false;
        }
        for &x in &space.closure[i] {
            if self.state[x] == UNDECIDED {
                self.state[x] = IN;
                self.trail.push(x);
                let candidate = &space.candidates[x];
                self.hours += candidate.hours;
                self.cost += candidate.cost;
                self.weight += space.relaxation.weight[x];
                self.benefit += u128::from(candidate.benefit);
            }
        }
        true
    }

    /// Rules out `i` and everything that requires it.
    fn exclude(&mut self, i: usize) {
        self.state[i] = OUT;
        self.trail.push(i);
        for &d in &self.space.dependents[i] {
            if self.state[d] == UNDECIDED {
                self.state[d] = OUT;
                self.trail.push(d);
            }
        }
    }

    fn undo(&mut self, mark: usize) {
        let space = self.space;
        while self.trail.len() > mark {
            let Some(x) = self.trail.pop() else {
                break;
            };
            if self.state[x] == IN {
                let candidate = &space.candidates[x];
                self.hours -= candidate.hours;
                self.cost -= candidate.cost;
                self.weight -= space.relaxation.weight[x];
                self.benefit -= u128::from(candidate.benefit);
            }
            self.state[x] = UNDECIDED;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn item(benefit: u64, hours: u64, cost: u64) -> Candidate {
        Candidate {
            benefit,
            hours,
            cost,
            ..Candidate::default()
        }
    }

    fn mandatory(mut candidate: Candidate) -> Candidate {
        candidate.mandatory = true;
        candidate
    }

    fn requiring(mut candidate: Candidate, requires: &[usize]) -> Candidate {
        candidate.requires = requires.to_vec();
        candidate
    }

    fn blocked(mut candidate: Candidate) -> Candidate {
        candidate.blocked = true;
        candidate
    }

    fn limits(hours: u64, cost: u64) -> Limits {
        Limits { hours, cost }
    }

    fn chosen(selection: &Selection) -> Vec<usize> {
        (0..selection.chosen.len())
            .filter(|&i| selection.chosen[i])
            .collect()
    }

    /// The rules, checked from scratch: forced items in; a chosen item's requirements in; no
    /// blocked (or dangling) non-forced item in; within the limits when the forced items fit,
    /// else nothing but them; totals right.
    fn check_valid(candidates: &[Candidate], limits: Limits, selection: &Selection) {
        let n = candidates.len();
        assert_eq!(selection.chosen.len(), n);
        let structure = Structure::new(candidates);
        for (i, candidate) in candidates.iter().enumerate() {
            if structure.forced[i] {
                assert!(selection.chosen[i], "forced item {i} left out");
            }
            if selection.chosen[i] {
                for &r in candidate.requires.iter().filter(|&&r| r < n) {
                    assert!(
                        selection.chosen[r],
                        "{i} chosen without its requirement {r}"
                    );
                }
                if !structure.forced[i] {
                    assert!(!candidate.blocked, "blocked item {i} chosen");
                    assert!(candidate.requires.iter().all(|&r| r < n));
                }
            }
        }
        let sum = |f: fn(&Candidate) -> u64| -> u64 {
            (0..n)
                .filter(|&i| selection.chosen[i])
                .map(|i| f(&candidates[i]))
                .sum()
        };
        assert_eq!(selection.benefit, sum(|c| c.benefit));
        assert_eq!(selection.hours, sum(|c| c.hours));
        assert_eq!(selection.cost, sum(|c| c.cost));
        let fits = structure.mandatory_hours <= u128::from(limits.hours)
            && structure.mandatory_cost <= u128::from(limits.cost);
        assert_eq!(selection.mandatory_fit, fits);
        if fits {
            assert!(selection.hours <= limits.hours && selection.cost <= limits.cost);
        } else {
            assert_eq!(selection.chosen, structure.forced);
        }
    }

    /// The best (benefit, −cost, −hours) over every subset that keeps the rules.
    fn brute_force(candidates: &[Candidate], limits: Limits) -> (u64, u64, u64) {
        let n = candidates.len();
        assert!(n <= 24);
        let structure = Structure::new(candidates);
        let bit = |i: usize| 1_u32 << i;
        let forced: u32 = (0..n).filter(|&i| structure.forced[i]).map(bit).sum();
        let needs: Vec<u32> = candidates
            .iter()
            .map(|c| {
                c.requires
                    .iter()
                    .filter(|&&r| r < n)
                    .map(|&r| bit(r))
                    .fold(0, |a, b| a | b)
            })
            .collect();
        let allowed: u32 = (0..n)
            .filter(|&i| !candidates[i].blocked && candidates[i].requires.iter().all(|&r| r < n))
            .map(bit)
            .fold(0, |a, b| a | b)
            | forced;
        let totals = |set: u32| {
            (0..n)
                .filter(|&i| set & bit(i) != 0)
                .fold((0, 0, 0), |(b, h, c), i| {
                    let x = &candidates[i];
                    (b + x.benefit, h + x.hours, c + x.cost)
                })
        };
        let (_, forced_hours, forced_cost) = totals(forced);
        if forced_hours > limits.hours || forced_cost > limits.cost {
            return totals(forced);
        }
        let free = allowed & !forced;
        let mut best: Option<(u64, u64, u64)> = None;
        let mut sub = 0_u32;
        loop {
            let set = forced | sub;
            let closed = (0..n).all(|i| set & bit(i) == 0 || needs[i] & !set == 0);
            let (b, h, c) = totals(set);
            if closed && h <= limits.hours && c <= limits.cost {
                let better = best.is_none_or(|(bb, bh, bc)| (b, bc, bh) > (bb, c, h));
                if better {
                    best = Some((b, h, c));
                }
            }
            if sub == free {
                break;
            }
            sub = (sub.wrapping_sub(free)) & free;
        }
        best.unwrap()
    }

    #[test]
    fn mandatory_items_are_always_in() {
        let candidates = vec![
            item(100, 10, 10),
            mandatory(item(1, 5, 5)),
            item(90, 10, 10),
        ];
        let selection = optimise(&candidates, limits(15, 15));
        assert_eq!(chosen(&selection), vec![0, 1]);
        assert!(selection.mandatory_fit && selection.proven_optimal);
        check_valid(&candidates, limits(15, 15), &selection);
    }

    #[test]
    fn mandatory_items_over_capacity_take_nothing_else_along() {
        let candidates = vec![
            mandatory(item(5, 30, 1)),
            requiring(mandatory(item(5, 1, 1)), &[3]),
            item(100, 0, 0),
            item(0, 10, 10),
        ];
        let selection = optimise(&candidates, limits(35, 100));
        assert!(!selection.mandatory_fit);
        assert_eq!(chosen(&selection), vec![0, 1, 3]);
        assert_eq!((selection.hours, selection.cost), (41, 12));
        check_valid(&candidates, limits(35, 100), &selection);
        let reasons = explain(&candidates, limits(35, 100), &selection);
        assert_eq!(reasons[3], Reason::RequiredBy(1));
        assert_eq!(
            reasons[2],
            Reason::MandatoryExceeds {
                hours: true,
                cost: false
            }
        );
    }

    #[test]
    fn a_chosen_item_brings_its_requirements_along_the_chain() {
        let candidates = vec![
            requiring(item(50, 2, 2), &[1]),
            requiring(item(0, 3, 3), &[2]),
            item(0, 1, 1),
            item(20, 5, 5),
        ];
        let selection = optimise(&candidates, limits(6, 6));
        assert_eq!(chosen(&selection), vec![0, 1, 2]);
        assert_eq!(selection.benefit, 50);
        // Without room for the chain, the item alone does not go in.
        let selection = optimise(&candidates, limits(5, 5));
        assert_eq!(chosen(&selection), vec![3]);
        let reasons = explain(&candidates, limits(5, 5), &selection);
        assert_eq!(
            reasons[0],
            Reason::TooLarge {
                hours: true,
                cost: true
            }
        );
        assert_eq!(reasons[1], Reason::NoBenefit);
    }

    #[test]
    fn blocked_items_and_what_requires_them_stay_out_unless_mandatory() {
        let candidates = vec![
            blocked(item(100, 1, 1)),
            requiring(item(100, 1, 1), &[0]),
            item(1, 1, 1),
            requiring(item(100, 1, 1), &[99]),
            blocked(item(1, 1, 1)),
            requiring(mandatory(item(1, 1, 1)), &[4]),
        ];
        let selection = optimise(&candidates, limits(10, 10));
        assert_eq!(chosen(&selection), vec![2, 4, 5]);
        let reasons = explain(&candidates, limits(10, 10), &selection);
        assert_eq!(reasons[0], Reason::Blocked);
        assert_eq!(reasons[1], Reason::NeedsExcluded(0));
        assert_eq!(reasons[3], Reason::Blocked);
        assert_eq!(reasons[4], Reason::RequiredBy(5));
        assert_eq!(reasons[5], Reason::Mandatory);
    }

    #[test]
    fn a_cycle_goes_in_or_out_as_a_whole() {
        let candidates = vec![
            requiring(item(10, 2, 2), &[1]),
            requiring(item(10, 2, 2), &[2]),
            requiring(item(10, 2, 2), &[0]),
            item(25, 5, 5),
        ];
        let selection = optimise(&candidates, limits(6, 6));
        assert_eq!(chosen(&selection), vec![0, 1, 2]);
        let selection = optimise(&candidates, limits(5, 6));
        assert_eq!(chosen(&selection), vec![3]);
    }

    #[test]
    fn two_limits_beat_the_greedy_choice() {
        // Greedy by benefit per combined size takes 0 first and then nothing fits; the
        // optimum is 1 + 2 (hand-checked over all eight subsets).
        let candidates = vec![item(60, 6, 2), item(40, 4, 5), item(40, 5, 4)];
        let selection = optimise(&candidates, limits(9, 9));
        assert_eq!(chosen(&selection), vec![1, 2]);
        assert_eq!(
            (selection.benefit, selection.hours, selection.cost),
            (80, 9, 9)
        );
        assert!(selection.proven_optimal && selection.cheapest_proven);
    }

    #[test]
    fn equal_benefit_goes_to_the_cheaper_then_the_smaller() {
        let candidates = vec![
            item(10, 5, 9),
            item(10, 5, 7),
            item(10, 6, 7),
            item(10, 4, 8),
        ];
        let selection = optimise(&candidates, limits(6, 9));
        assert_eq!(chosen(&selection), vec![1]);
        assert!(selection.cheapest_proven);
    }

    #[test]
    fn zero_benefit_items_are_only_chosen_as_requirements() {
        let candidates = vec![item(0, 1, 1), item(0, 0, 0)];
        let selection = optimise(&candidates, limits(10, 10));
        assert!(chosen(&selection).is_empty());
        let reasons = explain(&candidates, limits(10, 10), &selection);
        assert_eq!(reasons, vec![Reason::NoBenefit, Reason::NoBenefit]);
    }

    #[test]
    fn the_node_limit_still_gives_a_valid_selection() {
        let candidates: Vec<Candidate> = (0..40_u64)
            .map(|i| item(10 + i % 7 * 3, 5 + i % 11, 7 + i % 5 * 2))
            .collect();
        let selection = optimise_with_node_limit(&candidates, limits(60, 60), 1);
        assert!(!selection.proven_optimal && !selection.cheapest_proven);
        assert!(selection.benefit > 0);
        check_valid(&candidates, limits(60, 60), &selection);
    }

    #[test]
    fn explains_a_small_portfolio() {
        let candidates = vec![
            mandatory(item(5, 2, 2)),        // 0
            item(30, 3, 3),                  // 1
            requiring(item(40, 2, 2), &[3]), // 2
            item(1, 1, 1),                   // 3
            item(20, 4, 4),                  // 4
            item(10, 20, 1),                 // 5
            blocked(item(50, 1, 1)),         // 6
            requiring(item(50, 1, 1), &[6]), // 7
            item(0, 1, 1),                   // 8
        ];
        let limits = limits(10, 10);
        let selection = optimise(&candidates, limits);
        // 0 (mandatory) + 1 + 2 + 3 = 8 hours; 4 does not fit beside them.
        assert_eq!(chosen(&selection), vec![0, 1, 2, 3]);
        let reasons = explain(&candidates, limits, &selection);
        assert_eq!(reasons[0], Reason::Mandatory);
        assert_eq!(reasons[1], Reason::Chosen);
        assert_eq!(reasons[2], Reason::Chosen);
        assert_eq!(reasons[3], Reason::RequiredBy(2));
        // Room for 4 (2 hours and 2 öre short): dropping 1 loses 10 benefit per hour freed, 2
        // loses 20, and 3 (which takes 2 along) 41 for 3 hours: 1 goes, and is enough.
        assert_eq!(
            reasons[4],
            Reason::Displaces {
                remove: vec![1],
                lost: 30,
                gained: 20
            }
        );
        assert_eq!(
            reasons[5],
            Reason::TooLarge {
                hours: true,
                cost: false
            }
        );
        assert_eq!(reasons[6], Reason::Blocked);
        assert_eq!(reasons[7], Reason::NeedsExcluded(6));
        assert_eq!(reasons[8], Reason::NoBenefit);

        // A selection made by hand, with room left.
        let mut by_hand = selection.clone();
        by_hand.chosen[1] = false;
        assert_eq!(
            explain(&candidates, limits, &by_hand)[4],
            Reason::Fits { gained: 20 }
        );
    }

    #[test]
    fn frontier_points_come_in_the_order_asked() {
        let candidates = vec![item(10, 1, 100), item(15, 1, 300), item(4, 1, 50)];
        let points = frontier(&candidates, 2, &[400, 0, 150, 100]);
        let benefits: Vec<u64> = points.iter().map(|p| p.benefit).collect();
        assert_eq!(benefits, vec![25, 0, 14, 10]);
    }

    #[test]
    fn the_hours_ceiling_is_the_best_under_hours_alone() {
        let candidates = vec![item(6, 3, 5), item(6, 3, 4), item(5, 2, 1), item(4, 2, 9)];
        let structure = Structure::new(&candidates);
        let ceiling = hours_ceiling(&candidates, &structure, 5).unwrap();
        assert_eq!((ceiling.benefit, ceiling.cost, ceiling.hours), (11, 5, 5));
        assert_eq!(ceiling.chosen, vec![false, true, true, false]);
    }

    /// Random portfolios: requirements point to items generated earlier (so no cycles), and
    /// the items are then shuffled so that requirements point anywhere.
    fn portfolio(
        items: std::ops::RangeInclusive<usize>,
    ) -> impl Strategy<Value = (Vec<Candidate>, Limits)> {
        items
            .prop_flat_map(|n| {
                let items = prop::collection::vec(
                    (
                        0_u64..25,
                        0_u64..12,
                        0_u64..12,
                        0_u8..12,
                        0_u8..12,
                        prop::collection::vec(any::<u16>(), 0..3),
                    ),
                    n,
                );
                let places = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
                (items, places, 0_u64..=100, 0_u64..=100)
            })
            .prop_map(|(items, places, hours_share, cost_share)| {
                let n = items.len();
                let mut candidates = vec![Candidate::default(); n];
                for (k, (benefit, hours, cost, mandatory, blocked, requires)) in
                    items.into_iter().enumerate()
                {
                    let requires = if k == 0 {
                        Vec::new()
                    } else {
                        requires
                            .iter()
                            .filter(|&&r| r % 3 != 0)
                            .map(|&r| places[usize::from(r) % k])
                            .collect()
                    };
                    candidates[places[k]] = Candidate {
                        benefit: benefit.saturating_sub(4),
                        hours,
                        cost,
                        mandatory: mandatory == 0,
                        requires,
                        blocked: blocked == 0,
                    };
                }
                let hours: u64 = candidates.iter().map(|c| c.hours).sum();
                let cost: u64 = candidates.iter().map(|c| c.cost).sum();
                let limits = Limits {
                    hours: hours * hours_share / 100,
                    cost: cost * cost_share / 100,
                };
                (candidates, limits)
            })
    }

    /// Every reason's claim, checked against the numbers.
    fn check_reasons(candidates: &[Candidate], limits: Limits, selection: &Selection) {
        let n = candidates.len();
        let structure = Structure::new(candidates);
        let reasons = explain(candidates, limits, selection);
        assert_eq!(reasons.len(), n);
        for (i, reason) in reasons.iter().enumerate() {
            let in_ = selection.chosen[i];
            match reason {
                Reason::Mandatory => assert!(in_ && candidates[i].mandatory),
                Reason::RequiredBy(j) => {
                    assert!(in_ && selection.chosen[*j] && candidates[*j].requires.contains(&i));
                }
                Reason::Chosen => assert!(in_ && !candidates[i].mandatory),
                Reason::Blocked => assert!(!in_),
                Reason::NeedsExcluded(j) => {
                    assert!(!in_ && !selection.chosen[*j]);
                    assert!(structure.full_closure[i].contains(j));
                    assert_eq!(reasons[*j], Reason::Blocked);
                }
                Reason::MandatoryExceeds { .. } => assert!(!in_ && !selection.mandatory_fit),
                Reason::NoBenefit => assert!(!in_ && candidates[i].benefit == 0),
                Reason::TooLarge { hours, cost } => {
                    assert!(!in_ && (*hours || *cost));
                    let group = &structure.closure[i];
                    let h: u128 = group.iter().map(|&x| u128::from(candidates[x].hours)).sum();
                    let c: u128 = group.iter().map(|&x| u128::from(candidates[x].cost)).sum();
                    let over_h = h + structure.mandatory_hours > u128::from(limits.hours);
                    let over_c = c + structure.mandatory_cost > u128::from(limits.cost);
                    assert_eq!((*hours, *cost), (over_h, over_c));
                }
                Reason::Displaces {
                    remove,
                    lost,
                    gained,
                } => {
                    assert!(!in_);
                    // The swap it describes keeps the rules and the limits...
                    let mut swapped = selection.chosen.clone();
                    for &x in remove {
                        assert!(selection.chosen[x] && !structure.forced[x]);
                        swapped[x] = false;
                    }
                    for &x in &structure.closure[i] {
                        swapped[x] = true;
                    }
                    let after = selection_of(candidates, swapped, (true, true), true, 0);
                    check_valid(candidates, limits, &after);
                    let lost_now: u64 = remove.iter().map(|&x| candidates[x].benefit).sum();
                    assert_eq!(*lost, lost_now);
                    assert_eq!(after.benefit + lost, selection.benefit + gained);
                    // ...and it would not improve a proven optimum.
                    if selection.proven_optimal {
                        assert!(lost >= gained);
                    }
                }
                Reason::Fits { gained } => {
                    assert!(!in_ && !selection.proven_optimal && *gained > 0);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn small_portfolios_get_the_brute_force_optimum((candidates, limits) in portfolio(0..=12)) {
            let selection = optimise(&candidates, limits);
            check_valid(&candidates, limits, &selection);
            prop_assert!(selection.proven_optimal && selection.cheapest_proven);
            let (benefit, hours, cost) = brute_force(&candidates, limits);
            prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
            check_reasons(&candidates, limits, &selection);
        }

        #[test]
        fn mandatory_items_are_in_and_limits_kept((candidates, limits) in portfolio(0..=40)) {
            let selection = optimise(&candidates, limits);
            check_valid(&candidates, limits, &selection);
            for (i, candidate) in candidates.iter().enumerate() {
                prop_assert!(!candidate.mandatory || selection.chosen[i]);
            }
            check_reasons(&candidates, limits, &selection);
        }

        #[test]
        fn the_frontier_never_falls((candidates, limits) in portfolio(0..=14), steps in prop::collection::vec(0_u64..40, 1..8)) {
            let budgets: Vec<u64> = steps.iter().scan(0, |total, step| { *total += step; Some(*total) }).collect();
            let points = frontier(&candidates, limits.hours, &budgets);
            prop_assert_eq!(points.len(), budgets.len());
            for (point, &budget) in points.iter().zip(&budgets) {
                let limits = Limits { hours: limits.hours, cost: budget };
                check_valid(&candidates, limits, point);
                prop_assert_eq!(point.benefit, optimise(&candidates, limits).benefit);
            }
            for pair in points.windows(2) {
                prop_assert!(pair[0].benefit <= pair[1].benefit);
            }
        }

        #[test]
        fn a_known_ceiling_changes_nothing((candidates, limits) in portfolio(0..=12)) {
            let structure = Structure::new(&candidates);
            let rem_hours = limits.hours.saturating_sub(u64::try_from(structure.mandatory_hours).unwrap_or(u64::MAX));
            let ceiling = OnceCell::from(hours_ceiling(&candidates, &structure, rem_hours));
            let selection = solve(&candidates, &structure, limits, NODE_LIMIT, None, &ceiling);
            check_valid(&candidates, limits, &selection);
            let (benefit, hours, cost) = brute_force(&candidates, limits);
            prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
        }
    }

    /// The best (benefit, −cost, −hours) of a portfolio without dependencies, by a table over
    /// hours and cost: best[h][c] is the most benefit within h hours and cost c.
    fn by_table(candidates: &[Candidate], limits: Limits) -> (u64, u64, u64) {
        let forced: Vec<&Candidate> = candidates.iter().filter(|c| c.mandatory).collect();
        let hours: u64 = forced.iter().map(|c| c.hours).sum();
        let cost: u64 = forced.iter().map(|c| c.cost).sum();
        let benefit: u64 = forced.iter().map(|c| c.benefit).sum();
        if hours > limits.hours || cost > limits.cost {
            return (benefit, hours, cost);
        }
        let (h_max, c_max) = (
            usize::try_from(limits.hours - hours).unwrap(),
            usize::try_from(limits.cost - cost).unwrap(),
        );
        let mut best = vec![vec![0_u64; c_max + 1]; h_max + 1];
        for item in candidates.iter().filter(|c| !c.mandatory && !c.blocked) {
            let (ih, ic) = (
                usize::try_from(item.hours).unwrap(),
                usize::try_from(item.cost).unwrap(),
            );
            for h in (ih..=h_max).rev() {
                for c in (ic..=c_max).rev() {
                    best[h][c] = best[h][c].max(best[h - ih][c - ic] + item.benefit);
                }
            }
        }
        let most = best[h_max][c_max];
        let c_min = (0..=c_max).find(|&c| best[h_max][c] == most).unwrap();
        let h_min = (0..=h_max).find(|&h| best[h][c_min] == most).unwrap();
        (
            benefit + most,
            hours + u64::try_from(h_min).unwrap(),
            cost + u64::try_from(c_min).unwrap(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(60))]

        #[test]
        fn medium_portfolios_match_a_table_over_hours_and_cost(
            (mut candidates, _) in portfolio(20..=45),
            hours_share in 5_u64..60,
            cost_share in 5_u64..60,
        ) {
            for candidate in &mut candidates {
                candidate.requires.clear();
            }
            let hours: u64 = candidates.iter().map(|c| c.hours).sum();
            let cost: u64 = candidates.iter().map(|c| c.cost).sum();
            let limits = Limits { hours: hours * hours_share / 100, cost: cost * cost_share / 100 };
            let selection = optimise(&candidates, limits);
            check_valid(&candidates, limits, &selection);
            prop_assert!(selection.proven_optimal && selection.cheapest_proven);
            let (benefit, hours, cost) = by_table(&candidates, limits);
            prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        #[test]
        fn larger_portfolios_get_the_brute_force_optimum((candidates, limits) in portfolio(17..=20)) {
            let selection = optimise(&candidates, limits);
            check_valid(&candidates, limits, &selection);
            let (benefit, hours, cost) = brute_force(&candidates, limits);
            prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
        }
    }
}
