//! The bound of the search: a surrogate relaxation of the two limits with the dependencies
//! folded into the weights, its multiplier chosen at the root, and the benefit it still
//! allows (Martello and Toth's U2).

use super::structure::Structure;
use super::{Candidate, MU_DEN, OUT, SCALE_SHIFT, UNDECIDED};

/// The bound's relaxation: the two limits, each normalised to what is left of it, combined
/// into one with multiplier `a` (a surrogate relaxation), and dependencies folded into the
/// weights.
///
/// A requirement hands part of its weight to a dependent that has more benefit per weight,
/// until the two are equally attractive; so the bound no longer counts a dependent as if its
/// requirement came for free. This stays a relaxation: a selection containing the dependent
/// contains the requirement, so the weight handed over is counted once either way, and a
/// selection with only the requirement counts less.
pub(super) struct Relaxation {
    pub(super) a: u64,
    /// Per item, in units where the combined limit is MU_DEN · 2^SCALE_SHIFT.
    pub(super) weight: Vec<u64>,
    /// The branch items (free, with benefit) by benefit per weight, best first. Also the
    /// branching order.
    pub(super) order: Vec<usize>,
}

/// What the relaxations are built from.
pub(super) struct Weights<'a> {
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
    pub(super) fn new(
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
    pub(super) fn best_relaxation(&self) -> Relaxation {
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
pub(super) fn relaxed_benefit(
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
