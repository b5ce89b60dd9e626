//! The budget / outcome / deviation table as the seed prints it, ready for a template or a
//! document: every cell already formatted, blank where the seed leaves it blank.

use crate::{
    budget::repo::Line,
    domain::{budget, money::Money},
};

pub struct TableRow {
    pub label: String,
    pub budget: String,
    pub outcome: String,
    pub deviation: String,
    /// For a colour hint: the deviation is unfavourable (over budget).
    pub over_budget: bool,
}

pub struct BudgetTable {
    pub rows: Vec<TableRow>,
    /// "3 200 000 inkl VA" and, when a sub-entity is excluded, "2 700 000 exkl VA".
    pub total_budget: Vec<String>,
    pub total_outcome: String,
    pub total_deviation: String,
    pub totals: budget::Totals,
}

impl BudgetTable {
    pub fn new(lines: &[Line]) -> Self {
        let figures: Vec<budget::LineFigures> = lines.iter().map(Line::figures).collect();
        let rows = lines
            .iter()
            .zip(&figures)
            .map(|(line, f)| {
                let deviation = f.deviation();
                TableRow {
                    label: line.label(),
                    budget: f.budget.format_kr(),
                    outcome: f.outcome.map(Money::format_kr).unwrap_or_default(),
                    deviation: deviation.map(Money::format_kr).unwrap_or_default(),
                    over_budget: deviation.is_some_and(Money::is_negative),
                }
            })
            .collect();
        let totals = budget::totals(&figures);
        let total_budget = match &totals.budget_excluding {
            Some((excluding, label)) => vec![
                format!("{} inkl {label}", totals.budget_including.format_kr()),
                format!("{} exkl {label}", excluding.format_kr()),
            ],
            None => vec![totals.budget_including.format_kr()],
        };
        BudgetTable {
            rows,
            total_budget,
            total_outcome: totals.outcome.map(Money::format_kr).unwrap_or_default(),
            total_deviation: totals.deviation.format_kr(),
            totals,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
