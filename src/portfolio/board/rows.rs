//! The board's rows as every page of a round shows them: each item with its benefit and the
//! running totals, the cut line where they pass the hours capacity or the budget, and what lies
//! above it per plan. The board, the suggestion and the decision form build on these; the
//! board's script swaps in the rows rendered here, so the cut line is computed in one place.

use askama::Template;

use crate::{
    columns::{Shown, tables},
    domain::{
        money::Money,
        portfolio::{CutLine, cut_line},
        project::Plan,
    },
    portfolio::{
        board::{forms::RankForm, repo::BoardRow},
        rounds::repo::{Frame, Round},
    },
    web::form::FieldErrors,
};

/// A board row with its running totals and whether it falls below the cut line.
pub struct Line {
    pub row: BoardRow,
    pub benefit: String,
    pub cumulative_hours: u64,
    pub cumulative_cost: Money,
    pub below: bool,
    /// The typed position when the page comes back with the user's input.
    pub typed: String,
}

/// The board's rows and the cut line; also what the script swaps in after a save.
#[derive(Template)]
#[template(path = "portfolio/_board_rows.html")]
pub struct Rows {
    pub round: Round,
    pub lines: Vec<Line>,
    /// Index of the first line below the cut line, and why it is there.
    pub cut: Option<(usize, &'static str)>,
    pub ranked: usize,
    pub editable: bool,
    pub errors: FieldErrors,
    /// The columns the user shows.
    pub columns: Shown,
}

impl Rows {
    pub fn new(
        round: Round,
        rows: Vec<BoardRow>,
        typed: Option<&RankForm>,
        editable: bool,
    ) -> Self {
        let ranked_rows: Vec<_> = rows
            .iter()
            .filter(|r| r.rank.is_some())
            .map(BoardRow::demand)
            .collect();
        let line: CutLine = cut_line(&ranked_rows, round.hours(), round.budget());
        let cut = line.first_outside().map(|i| {
            let why = match (line.hours, line.cost) {
                (Some(h), Some(c)) if h == c => {
                    "både kapaciteten i timmar och budgetramen överskrids"
                }
                (Some(h), _) if h == i => "kapaciteten i timmar överskrids",
                _ => "budgetramen överskrids",
            };
            (i, why)
        });
        let (mut hours, mut cost) = (0u64, Money::ZERO);
        let lines = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                if row.rank.is_some() {
                    hours += row.demand().hours;
                    cost = cost + row.cost();
                }
                Line {
                    benefit: match row.valuation.per_effort() {
                        Some(per_effort) => {
                            format!("{} (WSJF {per_effort})", row.valuation.shown())
                        }
                        None => row.valuation.shown(),
                    },
                    cumulative_hours: hours,
                    cumulative_cost: cost,
                    below: row.rank.is_none() || cut.is_some_and(|(c, _)| i >= c),
                    typed: typed
                        .and_then(|f| f.typed(row.number))
                        .unwrap_or_else(|| row.rank.map(|r| r.to_string()).unwrap_or_default()),
                    row,
                }
            })
            .collect::<Vec<_>>();
        Rows {
            ranked: lines.iter().filter(|l| l.row.rank.is_some()).count(),
            round,
            lines,
            cut,
            editable,
            errors: FieldErrors::new(),
            columns: Shown::all(&tables::BOARD),
        }
    }

    /// Keeps the lines of the items `keep` accepts, each with the running totals and the side
    /// of the cut line the whole board gives it: a reader who may see only some items sees
    /// them where the decision put them.
    pub fn retain_items(&mut self, keep: impl Fn(uuid::Uuid) -> bool) {
        let cut = self.cut;
        let mut first_below = None;
        let mut kept = Vec::new();
        for (i, line) in std::mem::take(&mut self.lines).into_iter().enumerate() {
            if keep(line.row.item_id) {
                let ranked_below = line.row.rank.is_some() && cut.is_some_and(|(c, _)| i >= c);
                if first_below.is_none() && ranked_below {
                    first_below = Some(kept.len());
                }
                kept.push(line);
            }
        }
        self.cut = cut.and_then(|(_, why)| first_below.map(|i| (i, why)));
        self.ranked = kept.iter().filter(|l| l.row.rank.is_some()).count();
        self.lines = kept;
    }

    fn is_cut(&self, i: &usize) -> bool {
        self.cut.is_some_and(|(c, _)| c == *i)
    }

    /// Whether the column `key` is on the board: chosen by the user, and the decision only once
    /// there is one.
    pub fn shows(&self, key: &str) -> bool {
        self.columns.shows(key) && (key != "beslut" || self.round.is_decided())
    }

    /// The number of the board's columns, for a row across all of them: the place, the item and
    /// the chosen ones.
    fn columns(&self) -> usize {
        let undecided = usize::from(self.columns.shows("beslut") && !self.round.is_decided());
        1 + self.columns.count() - undecided
    }

    fn cut_reason(&self) -> &'static str {
        self.cut.map_or("", |(_, why)| why)
    }

    /// Whether line `i`'s "up" button moves it: not the first ranked line (an unranked line
    /// moves up into the ranking, last).
    fn moves_up(&self, i: &usize) -> bool {
        self.lines[*i].row.rank.is_none() || *i > 0
    }

    /// Whether line `i`'s "down" button moves it: a ranked line above the last ranked one.
    fn moves_down(&self, i: &usize) -> bool {
        self.lines[*i].row.rank.is_some() && *i + 1 < self.ranked
    }

    fn rank_error(&self, row: &BoardRow) -> Option<&str> {
        self.errors.get(&format!("rank-{}", row.number))
    }
}

/// Hours and cost above the cut line per plan, against the plan's frame.
pub struct PlanUse {
    pub plan: Plan,
    pub hours: u64,
    pub cost: Money,
    pub frame: Option<Frame>,
}

impl PlanUse {
    pub fn over_hours(&self) -> bool {
        self.frame
            .as_ref()
            .and_then(|f| f.hours_capacity)
            .is_some_and(|h| self.hours > u64::try_from(h).unwrap_or(0))
    }
    pub fn over_cost(&self) -> bool {
        self.frame
            .as_ref()
            .and_then(|f| f.budget)
            .is_some_and(|b| self.cost.amount() > b)
    }
}

pub fn plan_use(rows: &Rows, frames: &[Frame]) -> Vec<PlanUse> {
    Plan::ALL
        .iter()
        .map(|plan| {
            let above = rows
                .lines
                .iter()
                .filter(|l| !l.below && l.row.plan == *plan);
            PlanUse {
                plan: *plan,
                hours: above.clone().map(|l| l.row.demand().hours).sum(),
                cost: above.map(|l| l.row.cost()).sum(),
                frame: frames.iter().find(|f| f.plan == *plan).cloned(),
            }
        })
        .collect()
}
