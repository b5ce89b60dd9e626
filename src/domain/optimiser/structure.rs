//! What follows from the candidates alone, whatever the limits: which items are forced in,
//! what each brings along, which can never be chosen.

use super::Candidate;

/// What follows from the candidates alone, whatever the limits.
pub(super) struct Structure {
    /// Mandatory, or required (transitively) by a mandatory item.
    pub(super) forced: Vec<bool>,
    /// Each item and everything it requires transitively, the item first, nearest first.
    pub(super) full_closure: Vec<Vec<usize>>,
    /// The non-forced part of `full_closure`: what choosing the item brings in.
    pub(super) closure: Vec<Vec<usize>>,
    /// For a non-forced item that can never be chosen: the blocked item that stops it (itself
    /// when it is blocked or names a requirement outside the list).
    pub(super) stuck_on: Vec<Option<usize>>,
    pub(super) mandatory_hours: u128,
    pub(super) mandatory_cost: u128,
}

impl Structure {
    pub(super) fn new(candidates: &[Candidate]) -> Self {
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
