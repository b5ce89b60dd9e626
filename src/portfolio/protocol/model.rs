//! The protocol of a decided round: its decisions per plan with totals, built once from the
//! round's frozen agenda; `docx` and `xlsx` write it to Word and to Excel.

use rust_decimal::Decimal;

use crate::{
    domain::{
        money::Money,
        portfolio::{Decision, item_reference},
        project::Plan,
    },
    portfolio::{board::repo::BoardRow, rounds::repo::Round},
};

/// One decided item.
#[derive(Debug, Clone)]
pub struct Line {
    pub rank: Option<i32>,
    pub reference: String,
    pub title: String,
    pub municipalities: String,
    pub hours: u64,
    pub investment: Money,
    pub running_cost: Money,
    pub cost: Money,
    /// 0–100 with one decimal, in the round's prioritisation model.
    pub benefit: Decimal,
    /// The value per hundred hours, when the model ranks by it (WSJF), as the board shows it.
    pub per_effort: Option<String>,
    pub decision: Decision,
    pub quarter: String,
    pub reason: String,
}

/// Decisions per outcome, with the prioritised items' hours and cost.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub label: String,
    pub prioritised: usize,
    pub hours: u64,
    pub cost: Money,
    pub postponed: usize,
    pub rejected: usize,
}

impl Tally {
    fn add(&mut self, line: &Line) {
        match line.decision {
            Decision::Prioritised => {
                self.prioritised += 1;
                self.hours += line.hours;
                self.cost = self.cost + line.cost;
            }
            Decision::Postponed => self.postponed += 1,
            Decision::Rejected => self.rejected += 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub plan: Plan,
    pub lines: Vec<Line>,
    pub tally: Tally,
}

#[derive(Debug, Clone)]
pub struct Protocol {
    pub quarter: String,
    pub meeting: String,
    pub decided: String,
    pub decided_by: String,
    pub hours_capacity: u64,
    pub budget: Money,
    /// The prioritisation model the items were valued with.
    pub model: String,
    pub sections: Vec<Section>,
    pub total: Tally,
}

impl Protocol {
    pub fn title(&self) -> String {
        format!(
            "Protokoll: prioritering av digitaliseringsportföljen {}",
            self.quarter
        )
    }

    /// The sentence under the title: who decided, when, within which frames.
    pub fn preamble(&self) -> String {
        format!(
            "Samordningsgruppen beslutade vid prioriteringsmötet {} om {} objekt. Beslutet \
             registrerades {} av {}. Omgångens ramar: {} timmar och {} kr (investering plus ett \
             års driftkostnad). Objekten värderades med prioriteringsmodellen {}.",
            self.meeting,
            self.total.prioritised + self.total.postponed + self.total.rejected,
            self.decided,
            self.decided_by,
            crate::domain::number::group(&self.hours_capacity.to_string()),
            self.budget.format_kr(),
            self.model
        )
    }

    /// What the prioritised items take of the frames.
    pub fn conclusion(&self) -> String {
        format!(
            "Prioriterade: {} objekt, {} timmar och {} kr. Uppskjutna: {}. Avslagna: {}. Den \
             senast beslutade omgången avgör vad som får beställas.",
            self.total.prioritised,
            crate::domain::number::group(&self.total.hours.to_string()),
            self.total.cost.format_kr(),
            self.total.postponed,
            self.total.rejected
        )
    }
}

/// The protocol of a decided round from its agenda.
pub fn build(round: &Round, model: &str, rows: &[BoardRow]) -> Protocol {
    let line = |row: &BoardRow| Line {
        rank: row.rank,
        reference: item_reference(row.number),
        title: row.title.clone(),
        municipalities: row.municipalities.clone(),
        hours: row.demand().hours,
        investment: Money::from_stored(row.investment),
        running_cost: Money::from_stored(row.running_cost),
        cost: row.cost(),
        benefit: crate::domain::scoring::one_decimal(row.valuation.value),
        per_effort: row.valuation.per_effort(),
        decision: row.decision.unwrap_or(Decision::Postponed),
        quarter: row.decision_quarter.clone().unwrap_or_default(),
        reason: row.decision_reason.clone(),
    };
    let mut total = Tally {
        label: "Totalt".to_owned(),
        ..Tally::default()
    };
    let sections = Plan::ALL
        .iter()
        .map(|plan| {
            let lines: Vec<Line> = rows.iter().filter(|r| r.plan == *plan).map(line).collect();
            let mut tally = Tally {
                label: plan.label().to_owned(),
                ..Tally::default()
            };
            for l in &lines {
                tally.add(l);
                total.add(l);
            }
            Section {
                plan: *plan,
                lines,
                tally,
            }
        })
        .collect();
    Protocol {
        quarter: round.quarter.clone(),
        meeting: round
            .meeting_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        decided: round.decided().unwrap_or_default(),
        decided_by: round.decided_by_name().unwrap_or_default().to_owned(),
        hours_capacity: round.hours(),
        budget: round.budget(),
        model: model.to_owned(),
        sections,
        total,
    }
}
