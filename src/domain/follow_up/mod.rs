//! The figures of a board's period follow-up (uppföljningstillfälle, seed 002): the operating
//! table "Intäkter och kostnader" for the period and the full year, the investment table against
//! the year's total appropriation, and the implementation rate. Everything is computed on exact
//! kronor; rounding happens only when a figure is shown (`Money::format_mnkr`), so a shown
//! deviation may differ from the difference of two shown figures (the seed's 50,4 − 43,0 = 7,3).
//!
//! Signs follow DOMAIN.md: a revenue deviation is actual − budget, a cost or net deviation is
//! budget − actual, so a positive deviation is always favourable; net is costs − revenue.

pub mod action_plan;
pub mod shares;
pub mod spread;
pub mod text;
pub mod written;

use std::{iter::Sum, ops::Add};

use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::{
    money::{MINUS, Money},
    number::group,
};

crate::coded_enum! {
    /// Where a board's report stands at an occasion. A board that has not started has no report
    /// (shown as "Ej påbörjad").
    pub enum FollowUpStatus {
        InProgress = ("in_progress", "Pågår"),
        Submitted = ("submitted", "Inlämnad"),
        Decided = ("decided", "Beslutad"),
    }
}

/// The label of a board's status at an occasion, "Ej påbörjad" without a report.
pub fn status_label(status: Option<FollowUpStatus>) -> &'static str {
    status.map_or("Ej påbörjad", FollowUpStatus::label)
}

/// The rule printed under every table of the report.
pub const ROUNDING_NOTE: &str = "Beloppen visas i miljoner kronor avrundade till en decimal. \
Summor och avvikelser är beräknade på exakta belopp och avrundade först därefter, så en avvikelse \
kan skilja sig från skillnaden mellan två avrundade belopp.";

/// Revenue and costs of one activity (verksamhet) or of a whole board, budget against what
/// happened: the outcome for a period, or the forecast for the full year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Operating {
    pub revenue_budget: Money,
    pub revenue_actual: Money,
    pub cost_budget: Money,
    pub cost_actual: Money,
}

/// One row of the operating table: budget, outcome or forecast, and the deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub budget: Money,
    pub actual: Money,
    pub deviation: Money,
}

impl Operating {
    pub fn revenue(&self) -> Row {
        Row {
            budget: self.revenue_budget,
            actual: self.revenue_actual,
            deviation: self.revenue_actual - self.revenue_budget,
        }
    }

    pub fn costs(&self) -> Row {
        Row {
            budget: self.cost_budget,
            actual: self.cost_actual,
            deviation: self.cost_budget - self.cost_actual,
        }
    }

    /// Costs minus revenue; its deviation is budget − actual like a cost's.
    pub fn net(&self) -> Row {
        let budget = self.cost_budget - self.revenue_budget;
        let actual = self.cost_actual - self.revenue_actual;
        Row {
            budget,
            actual,
            deviation: budget - actual,
        }
    }

    /// The table's three rows with their labels, in the seed's order.
    pub fn rows(&self) -> [(&'static str, Row); 3] {
        [
            ("Intäkter", self.revenue()),
            ("Kostnader", self.costs()),
            ("Netto", self.net()),
        ]
    }
}

impl Add for Operating {
    type Output = Operating;
    fn add(self, o: Operating) -> Operating {
        Operating {
            revenue_budget: self.revenue_budget + o.revenue_budget,
            revenue_actual: self.revenue_actual + o.revenue_actual,
            cost_budget: self.cost_budget + o.cost_budget,
            cost_actual: self.cost_actual + o.cost_actual,
        }
    }
}

impl Sum for Operating {
    fn sum<I: Iterator<Item = Operating>>(iter: I) -> Operating {
        iter.fold(Operating::default(), Add::add)
    }
}

/// A project's (or a board's) investment figures for one year at one follow-up occasion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Investment {
    /// The year's own budget (årsbudget).
    pub annual_budget: Money,
    /// Granted in addition during the year.
    pub extra_granted: Money,
    /// Unspent appropriation carried over from the year before (decided at its year-end).
    pub carried_over: Money,
    /// Outcome from the start of the year to the end of the period.
    pub outcome: Money,
    /// The full-year forecast.
    pub forecast: Money,
}

impl Investment {
    /// "Extra beviljat + överfört under året".
    pub fn added_during_year(&self) -> Money {
        self.extra_granted + self.carried_over
    }

    /// "Totalt anslag för året": annual budget + extra granted + carried over.
    pub fn total(&self) -> Money {
        self.annual_budget + self.added_during_year()
    }

    /// Outcome − total appropriation (negative: not yet spent).
    pub fn period_deviation(&self) -> Money {
        self.outcome - self.total()
    }

    /// Forecast − total appropriation.
    pub fn forecast_deviation(&self) -> Money {
        self.forecast - self.total()
    }

    /// The share of the appropriation the forecast uses, in percent; none without an
    /// appropriation.
    pub fn forecast_share(&self) -> Option<Decimal> {
        percent(self.forecast, self.total())
    }

    /// What is left unspent at the year's end by the forecast: what may be proposed for
    /// carry-over to the next year (never negative).
    pub fn unspent(&self) -> Money {
        let left = self.total() - self.forecast;
        if left.is_negative() {
            Money::ZERO
        } else {
            left
        }
    }
}

impl Add for Investment {
    type Output = Investment;
    fn add(self, o: Investment) -> Investment {
        Investment {
            annual_budget: self.annual_budget + o.annual_budget,
            extra_granted: self.extra_granted + o.extra_granted,
            carried_over: self.carried_over + o.carried_over,
            outcome: self.outcome + o.outcome,
            forecast: self.forecast + o.forecast,
        }
    }
}

impl Sum for Investment {
    fn sum<I: Iterator<Item = Investment>>(iter: I) -> Investment {
        iter.fold(Investment::default(), Add::add)
    }
}

/// The implementation rate (genomförandegrad): a year's investment outcome divided by its total
/// appropriation, in percent. Auditors judge a municipality by it.
pub fn implementation_rate(outcome: Money, total_appropriation: Money) -> Option<Decimal> {
    percent(outcome, total_appropriation)
}

/// `part / whole` in percent, exact; none when `whole` is zero.
pub fn percent(part: Money, whole: Money) -> Option<Decimal> {
    (!whole.amount().is_zero()).then(|| part.amount() * Decimal::ONE_HUNDRED / whole.amount())
}

/// A percentage in whole percent, rounded half away from zero: `68`; "–" when there is none.
pub fn format_percent(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "–".to_owned(),
        |v| {
            let whole = v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
            let digits = group(&whole.abs().trunc().to_string());
            if whole.is_sign_negative() && !whole.is_zero() {
                format!("{MINUS}{digits}")
            } else {
                digits
            }
        },
    )
}

#[cfg(test)]
mod tests;
