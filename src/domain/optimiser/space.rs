//! The problem the search solves: the non-forced items it may choose within what the
//! mandatory items leave of the limits, their dependents, and the relaxation for the bound.

use super::Candidate;
use super::bounds::{Relaxation, Weights};
use super::structure::Structure;

/// The problem the search solves: the non-forced items that can be chosen, within what the
/// mandatory items leave.
pub(super) struct Space<'a> {
    pub(super) candidates: &'a [Candidate],
    pub(super) closure: &'a [Vec<usize>],
    pub(super) rem_hours: u64,
    pub(super) rem_cost: u64,
    /// Chosen or not by the search; all else is out for good.
    pub(super) free: Vec<bool>,
    /// Per free item: the free items that require it, transitively.
    pub(super) dependents: Vec<Vec<usize>>,
    pub(super) relaxation: Relaxation,
}

impl<'a> Space<'a> {
    pub(super) fn new(
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
