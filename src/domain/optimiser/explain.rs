//! Why each item is in or out of a selection: the reasons [`explain`] gives, and the greedy
//! search for what making room for an item would take.

use super::structure::Structure;
use super::{Candidate, Limits, Reason, SCALE_SHIFT, Selection, saturate};

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
