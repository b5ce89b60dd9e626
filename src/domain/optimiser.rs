//! Suggests a quarter's portfolio for the coordination group: the items that give the most
//! benefit within an hours capacity and a budget, with mandatory items and dependencies
//! respected, the benefit-versus-cost frontier, and a reason for every item being in or out.
//! It advises; the group decides.
//!
//! The selection is exact: a branch and bound over the two-constraint 0/1 knapsack whose bound is
//! the fractional (Dantzig) bound of surrogate relaxations. Only when the search reaches its node
//! limit is the answer merely the best found, and [`Selection::proven_optimal`] says so.
//! All arithmetic is integer; ratios are compared by cross-multiplication.

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

/// Nodes the search for a cheaper selection of the proven benefit may visit.
pub const TIE_NODE_LIMIT: u64 = 500_000;

/// Nodes after which the search, if still going, also computes the hours-only ceiling.
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
    solve(candidates, &structure, limits, node_limit, None)
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
/// whether or not `selection` honours it.
pub fn explain(candidates: &[Candidate], limits: Limits, selection: &Selection) -> Vec<Reason> {
    let structure = Structure::new(candidates);
    let n = candidates.len();
    let chosen = |i: usize| selection.chosen.get(i).copied().unwrap_or(false);
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
            if chosen(i) {
                return required_by[i]
                    .iter()
                    .copied()
                    .find(|&j| chosen(j))
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
            displacement(candidates, &structure, limits, &chosen, &required_by, i)
        })
        .collect()
}

/// What adding `i` with its unchosen requirements to the selection would take.
fn displacement(
    candidates: &[Candidate],
    structure: &Structure,
    limits: Limits,
    chosen: &dyn Fn(usize) -> bool,
    required_by: &[Vec<usize>],
    i: usize,
) -> Reason {
    let n = candidates.len();
    let added: Vec<usize> = structure.closure[i]
        .iter()
        .copied()
        .filter(|&x| !chosen(x))
        .collect();
    let gained: u128 = added
        .iter()
        .map(|&x| u128::from(candidates[x].benefit))
        .sum();
    let used_hours: u128 = (0..n)
        .filter(|&x| chosen(x))
        .map(|x| u128::from(candidates[x].hours))
        .sum();
    let used_cost: u128 = (0..n)
        .filter(|&x| chosen(x))
        .map(|x| u128::from(candidates[x].cost))
        .sum();
    let added_hours: u128 = added.iter().map(|&x| u128::from(candidates[x].hours)).sum();
    let added_cost: u128 = added.iter().map(|&x| u128::from(candidates[x].cost)).sum();
    let short_hours = (used_hours + added_hours).saturating_sub(u128::from(limits.hours));
    let short_cost = (used_cost + added_cost).saturating_sub(u128::from(limits.cost));
    if short_hours == 0 && short_cost == 0 {
        return Reason::Fits {
            gained: saturate(gained),
        };
    }

    // Removing an item removes whatever chosen item depends on it, so removals come in units.
    let needed_by_i = {
        let mut mark = vec![false; n];
        for &x in &structure.full_closure[i] {
            mark[x] = true;
        }
        mark
    };
    let removable = |x: usize| chosen(x) && !structure.forced[x] && !needed_by_i[x];
    let unit = |j: usize| -> Vec<usize> {
        let mut seen = vec![false; n];
        let mut members = vec![j];
        seen[j] = true;
        let mut k = 0;
        while let Some(&x) = members.get(k) {
            k += 1;
            for &d in &required_by[x] {
                if !seen[d] && chosen(d) {
                    seen[d] = true;
                    members.push(d);
                }
            }
        }
        members
    };
    // The share of each short limit an item frees, normalised so the two limits weigh alike;
    // an item larger than a whole limit counts as the whole limit.
    let share = |x: usize| -> u128 {
        let part = |amount: u64, limit: u64, short: u128| -> u128 {
            if short == 0 {
                return 0;
            }
            let limit = u128::from(limit.max(1));
            (u128::from(amount).min(limit) << SCALE_SHIFT) / limit
        };
        part(candidates[x].hours, limits.hours, short_hours)
            + part(candidates[x].cost, limits.cost, short_cost)
    };
    let mut units: Vec<(u128, u128, usize, Vec<usize>)> = (0..n)
        .filter(|&j| removable(j))
        .filter_map(|j| {
            let members = unit(j);
            // A unit reaching something that may not be removed is not a unit that can go.
            if members.iter().any(|&x| !removable(x)) {
                return None;
            }
            let benefit: u128 = members
                .iter()
                .map(|&x| u128::from(candidates[x].benefit))
                .sum();
            let freed: u128 = members.iter().map(|&x| share(x)).sum();
            (freed > 0).then_some((benefit, freed, j, members))
        })
        .collect();
    // Lowest benefit per freed share first: a/b < c/d  ⇔  a·d < c·b.
    units.sort_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)).then_with(|| a.2.cmp(&b.2)));
    let mut removed = vec![false; n];
    let (mut freed_hours, mut freed_cost) = (0_u128, 0_u128);
    for (_, _, _, members) in &units {
        if freed_hours >= short_hours && freed_cost >= short_cost {
            break;
        }
        for &x in members {
            if !removed[x] {
                removed[x] = true;
                freed_hours += u128::from(candidates[x].hours);
                freed_cost += u128::from(candidates[x].cost);
            }
        }
    }
    if freed_hours < short_hours || freed_cost < short_cost {
        // Only for a selection that breaks the dependency rules: no honest removal to show.
        return Reason::TooLarge {
            hours: freed_hours < short_hours,
            cost: freed_cost < short_cost,
        };
    }
    // Put back, most benefit first, whatever is not needed for the room and does not need
    // something still removed.
    let mut order: Vec<usize> = (0..n).filter(|&x| removed[x]).collect();
    order.sort_by(|&a, &b| {
        candidates[b]
            .benefit
            .cmp(&candidates[a].benefit)
            .then(a.cmp(&b))
    });
    loop {
        let mut changed = false;
        for &x in &order {
            if !removed[x] {
                continue;
            }
            let hours = u128::from(candidates[x].hours);
            let cost = u128::from(candidates[x].cost);
            let needs_removed = candidates[x]
                .requires
                .iter()
                .any(|&r| r < n && r != x && removed[r]);
            if !needs_removed
                && freed_hours - hours >= short_hours
                && freed_cost - cost >= short_cost
            {
                removed[x] = false;
                freed_hours -= hours;
                freed_cost -= cost;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let remove: Vec<usize> = (0..n).filter(|&x| removed[x]).collect();
    let lost: u128 = remove
        .iter()
        .map(|&x| u128::from(candidates[x].benefit))
        .sum();
    Reason::Displaces {
        remove,
        lost: saturate(lost),
        gained: saturate(gained),
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
        let mut selection = selection_of(candidates, structure.forced.clone(), true, false, 0);
        selection.cheapest_proven = true;
        return selection;
    };
    let space = Space::new(candidates, structure, rem_hours, rem_cost);
    let mut search = Search::new(&space, node_limit);
    if let Some(start) = start {
        search.offer(start);
    }
    search.greedy();
    search.fix_at_root();
    search.branch(0);
    let proven_optimal = !search.aborted;
    if std::env::var_os("OPT_DEBUG").is_some() {
        eprintln!(
            "end phase1 best {} {} {} nodes {}",
            search.best.benefit, search.best.cost, search.best.hours, search.nodes
        );
    }
    let cheapest_proven = proven_optimal && search.settle_ties();
    let mut chosen = structure.forced.clone();
    for (c, b) in chosen.iter_mut().zip(&search.best.chosen) {
        *c |= *b;
    }
    let mut selection = selection_of(candidates, chosen, proven_optimal, true, search.nodes);
    selection.cheapest_proven = cheapest_proven;
    selection
}

fn selection_of(
    candidates: &[Candidate],
    chosen: Vec<bool>,
    proven_optimal: bool,
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
        proven_optimal,
        cheapest_proven: false,
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

    /// An upper bound on every selection, lexicographically (benefit, then lower cost, then
    /// fewer hours): the best selection under the hours limit alone, dependencies ignored,
    /// by dynamic programming over the hours. `None` when that would take too long.
    fn hours_ceiling(&self) -> Option<(u128, u64, u64)> {
        let items: Vec<&Candidate> = (0..self.candidates.len())
            .filter(|&i| self.free[i] && self.candidates[i].benefit > 0)
            .map(|i| &self.candidates[i])
            .collect();
        if self.rem_hours > CEILING_HOURS {
            return None;
        }
        let capacity = usize::try_from(self.rem_hours).ok()?;
        let cells = u128::from(self.rem_hours + 1) * u128::try_from(items.len()).ok()?;
        let benefit: u128 = items.iter().map(|c| u128::from(c.benefit)).sum();
        let cost: u128 = items.iter().map(|c| u128::from(c.cost)).sum();
        // Benefit above 64 bits and cost below make one key that orders and adds correctly.
        if cells > CEILING_CELLS || benefit >= 1 << 62 || cost >= 1 << 63 {
            return None;
        }
        let key = |c: &Candidate| (i128::from(c.benefit) << 64) - i128::from(c.cost);
        // best[h]: the best key of a set of exactly h hours.
        let mut best = vec![i128::MIN; capacity + 1];
        best[0] = 0;
        for item in items {
            let Ok(hours) = usize::try_from(item.hours) else {
                continue;
            };
            let add = key(item);
            for h in (hours..=capacity).rev() {
                let from = best[h - hours];
                if from != i128::MIN && from + add > best[h] {
                    best[h] = from + add;
                }
            }
        }
        let (hours, top) =
            best.iter().enumerate().fold(
                (0, 0_i128),
                |(bh, bk), (h, &k)| if k > bk { (h, k) } else { (bh, bk) },
            );
        let benefit = u128::try_from((top + (1 << 63)) >> 64).ok()?;
        let cost = u64::try_from(i128::try_from(benefit << 64).ok()? - top).ok()?;
        Some((benefit, cost, u64::try_from(hours).ok()?))
    }
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
        items.sort_by(|&i, &j| {
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
    ceiling_tried: bool,
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
            ceiling_tried: false,
            most: None,
            ties: false,
            nodes: 0,
            node_limit,
            aborted: false,
        }
    }

    /// Takes the free part of `chosen` as incumbent if it is a valid selection here.
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
        if closed && hours <= space.rem_hours && cost <= space.rem_cost {
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
        loop {
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

    /// After the benefit is proven the most, searches anew (with its own node limit) for a
    /// selection of that benefit that costs less or takes fewer hours; true if the search
    /// finished, so that none exists. The root fixings assumed a strict improvement, so they
    /// are undone first.
    fn settle_ties(&mut self) -> bool {
        self.undo(0);
        self.most = Some(self.best.benefit);
        self.ties = true;
        self.node_limit = self.nodes.saturating_add(TIE_NODE_LIMIT);
        self.fix_at_root();
        self.branch(0);
        !self.aborted
    }

    fn branch(&mut self, mut pos: usize) {
        if self.aborted {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.node_limit {
            self.aborted = true;
            return;
        }
        if self.nodes >= CEILING_AFTER && !self.ceiling_tried {
            self.ceiling_tried = true;
            self.ceiling = self.space.hours_ceiling();
            if std::env::var_os("OPT_DEBUG").is_some() {
                eprintln!(
                    "ceiling {:?} best {} {} {}",
                    self.ceiling, self.best.benefit, self.best.cost, self.best.hours
                );
            }
        }
        self.record();
        let order = &self.space.relaxation.order;
        while order.get(pos).is_some_and(|&i| self.state[i] != UNDECIDED) {
            pos += 1;
        }
        let Some(&i) = order.get(pos) else {
            return;
        };
        if self.hopeless(pos) {
            return;
        }
        let mark = self.trail.len();
        if self.include(i) {
            self.branch(pos + 1);
            self.undo(mark);
        }
        self.exclude(i);
        self.branch(pos + 1);
        self.undo(mark);
    }

    /// Keeps the current selection if it beats the incumbent: more benefit, or as much at a
    /// lower cost, or as much at the same cost in fewer hours.
    fn record(&mut self) {
        let best = &self.best;
        if (self.benefit, best.cost, best.hours) > (best.benefit, self.cost, self.hours) {
            self.best = Incumbent {
                benefit: self.benefit,
                cost: self.cost,
                hours: self.hours,
                chosen: self.state.iter().map(|&s| s == IN).collect(),
            };
        }
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
