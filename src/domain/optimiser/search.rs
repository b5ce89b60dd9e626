//! The depth-first branch and bound over the non-forced items: include an item with its
//! requirements, then exclude it with its dependents, pruned by the bound and the ceiling.

use std::cell::OnceCell;

use super::bounds::relaxed_benefit;
use super::ceiling::Ceiling;
use super::space::Space;
use super::{IN, MU_DEN, OUT, TIE_NODE_LIMIT, UNDECIDED};

/// Nodes after which the search, if still going and the cost limit looks slack, also computes
/// the hours-only ceiling.
const CEILING_AFTER: u64 = 100_000;

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
pub(super) struct Incumbent {
    pub(super) benefit: u128,
    pub(super) cost: u64,
    pub(super) hours: u64,
    pub(super) chosen: Vec<bool>,
}

/// Depth-first branch and bound: each branch item, in the relaxation's order, is included
/// (with its requirements) before it is excluded (with its dependents).
pub(super) struct Search<'a> {
    pub(super) space: &'a Space<'a>,
    pub(super) state: Vec<u8>,
    /// Items whose state changed, undone back to a mark on backtracking.
    pub(super) trail: Vec<usize>,
    pub(super) hours: u64,
    pub(super) cost: u64,
    /// The relaxed weight of the items in.
    pub(super) weight: u64,
    pub(super) benefit: u128,
    pub(super) best: Incumbent,
    /// Once computed: no selection is better than this (benefit, cost, hours).
    pub(super) ceiling: Option<(u128, u64, u64)>,
    /// Where the ceiling is computed, once, if the search takes long.
    pub(super) ceiling_source: Option<CeilingSource<'a>>,
    /// Once proven: no selection has more benefit than this.
    pub(super) most: Option<u128>,
    /// Looking for a cheaper selection of the proven benefit (the second phase).
    pub(super) ties: bool,
    pub(super) nodes: u64,
    pub(super) node_limit: u64,
    pub(super) aborted: bool,
}

impl<'a> Search<'a> {
    pub(super) fn new(space: &'a Space<'a>, node_limit: u64) -> Self {
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
    pub(super) fn apply(&mut self, ceiling: &Ceiling) {
        self.offer(&ceiling.chosen);
        self.ceiling = Some((ceiling.benefit, ceiling.cost, ceiling.hours));
    }

    /// Takes the free part of `chosen` as incumbent if it is a valid selection here and better.
    pub(super) fn offer(&mut self, chosen: &[bool]) {
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
    pub(super) fn greedy(&mut self) {
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
    pub(super) fn fix_at_root(&mut self) {
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
    pub(super) fn settle_ties(&mut self) -> bool {
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
    pub(super) fn branch(&mut self) {
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
