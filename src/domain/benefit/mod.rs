//! The benefit calculation (nyttokalkyl) of an investment, after the kinds of benefit in ESV's
//! model but simpler and open: every figure is computed here, exactly (`Decimal`, never a
//! float), and can be explained as a person would check it by hand.
//!
//! The model (docs/DESIGN.md, "The benefit calculation"):
//! - the calculation runs over the years 1 ..= `horizon`; year 1 is the year of the investment;
//! - the investment and the internal hours (× the hourly cost) are costs of year 1;
//! - from the year the benefits start (`start`), every year has the running costs and the
//!   monetised benefits: financial (kronor a year, budget-affecting) and redistributable (hours
//!   freed a year × the hourly cost, not budget-affecting); qualitative benefits are rated 1–5
//!   and never monetised;
//! - a year's amounts are discounted to year 1 by the factor 1 / (1 + r)^(year − 1);
//! - net present value = Σ (benefit − cost) × factor; the benefit/cost ratio = Σ benefit × factor
//!   / Σ cost × factor; the payback year = the first year whose cumulative (undiscounted)
//!   benefit − cost is at least zero.

use rust_decimal::Decimal;

pub mod formula;
pub mod register;

/// What a benefit line is worth a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Affects the budget: kronor a year.
    Financial { per_year: Decimal },
    /// Time freed for other work: hours a year, valued at the hourly cost; not budget-affecting.
    Redistributable { hours_per_year: Decimal },
    /// Not monetised: a rating 1–5 with its reason.
    Qualitative { rating: u8, reason: String },
}

/// A benefit for one stakeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Index into [`Inputs::stakeholders`].
    pub stakeholder: usize,
    pub description: String,
    pub kind: Kind,
}

/// The costs of the investment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Costs {
    /// Kronor, in year 1.
    pub investment: Decimal,
    /// Kronor a year, from the year the benefits start.
    pub running_per_year: Decimal,
    /// Hours of the organisation's own staff, in year 1, valued at the hourly cost.
    pub internal_hours: Decimal,
}

/// Everything a calculation is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub stakeholders: Vec<String>,
    pub lines: Vec<Line>,
    pub costs: Costs,
    /// Years the calculation covers, 1 ..= [`MAX_HORIZON`].
    pub horizon: u32,
    /// The real discount rate as a fraction: 0.035 is 3,5 %.
    pub discount_rate: Decimal,
    /// The year (1 ..= horizon) the benefits and the running costs start.
    pub start: u32,
    /// Kronor an hour, for redistributable benefits and internal hours.
    pub hourly_cost: Decimal,
}

/// The longest horizon a calculation may have.
pub const MAX_HORIZON: u32 = 30;

/// A variation of the inputs for the sensitivity table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Base,
    /// Every monetised benefit 20 % lower.
    BenefitsLower,
    /// Every cost 20 % higher.
    CostsHigher,
    /// The benefits and the running costs start one year later.
    StartLater,
}

impl Scenario {
    pub const ALL: [Scenario; 4] = [
        Scenario::Base,
        Scenario::BenefitsLower,
        Scenario::CostsHigher,
        Scenario::StartLater,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Scenario::Base => "Grundkalkyl",
            Scenario::BenefitsLower => "Nyttor −20 %",
            Scenario::CostsHigher => "Kostnader +20 %",
            Scenario::StartLater => "Nyttorna börjar ett år senare",
        }
    }

    /// (benefit factor, cost factor, years of delay).
    fn adjustments(self) -> (Decimal, Decimal, u32) {
        let (one, fifth) = (Decimal::ONE, Decimal::new(2, 1));
        match self {
            Scenario::Base => (one, one, 0),
            Scenario::BenefitsLower => (one - fifth, one, 0),
            Scenario::CostsHigher => (one, one + fifth, 0),
            Scenario::StartLater => (one, one, 1),
        }
    }
}

/// One year of a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: u32,
    pub benefit: Decimal,
    pub cost: Decimal,
    /// 1 / (1 + r)^(year − 1).
    pub factor: Decimal,
    /// Benefit − cost so far, undiscounted.
    pub cumulative_net: Decimal,
}

impl Year {
    pub fn net(&self) -> Decimal {
        self.benefit - self.cost
    }
    pub fn present_net(&self) -> Decimal {
        self.net() * self.factor
    }
}

/// The key figures of a calculation under one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Result {
    pub scenario: Scenario,
    pub years: Vec<Year>,
    pub present_benefit: Decimal,
    pub present_cost: Decimal,
    /// The first year whose cumulative net is at least zero; `None` within the horizon.
    pub payback_year: Option<u32>,
}

impl Result {
    pub fn net_present_value(&self) -> Decimal {
        self.present_benefit - self.present_cost
    }

    /// Present benefit / present cost; `None` without costs.
    pub fn benefit_cost_ratio(&self) -> Option<Decimal> {
        (!self.present_cost.is_zero()).then(|| self.present_benefit / self.present_cost)
    }
}

impl Inputs {
    /// A line's monetised value a year (zero for a qualitative one).
    pub fn yearly_value(&self, line: &Line) -> Decimal {
        match &line.kind {
            Kind::Financial { per_year } => *per_year,
            Kind::Redistributable { hours_per_year } => *hours_per_year * self.hourly_cost,
            Kind::Qualitative { .. } => Decimal::ZERO,
        }
    }

    /// The monetised benefit of a year when the benefits start at `start`.
    fn benefit_in(&self, year: u32, start: u32) -> Decimal {
        if year < start {
            return Decimal::ZERO;
        }
        self.lines.iter().map(|l| self.yearly_value(l)).sum()
    }

    /// The cost of a year when the running costs start at `start`.
    fn cost_in(&self, year: u32, start: u32) -> Decimal {
        let once = if year == 1 {
            self.costs.investment + self.costs.internal_hours * self.hourly_cost
        } else {
            Decimal::ZERO
        };
        let running = if year >= start {
            self.costs.running_per_year
        } else {
            Decimal::ZERO
        };
        once + running
    }

    /// 1 / (1 + r)^(year − 1), exact to `Decimal`'s 28 digits.
    pub fn discount_factor(&self, year: u32) -> Decimal {
        let base = Decimal::ONE + self.discount_rate;
        let power = (1..year).fold(Decimal::ONE, |p, _| p * base);
        Decimal::ONE / power
    }

    /// The calculation under `scenario`.
    pub fn evaluate(&self, scenario: Scenario) -> Result {
        let (benefit_factor, cost_factor, delay) = scenario.adjustments();
        let start = self.start.saturating_add(delay);
        let mut cumulative = Decimal::ZERO;
        let mut payback_year = None;
        let years: Vec<Year> = (1..=self.horizon)
            .map(|year| {
                let benefit = self.benefit_in(year, start) * benefit_factor;
                let cost = self.cost_in(year, start) * cost_factor;
                cumulative += benefit - cost;
                if payback_year.is_none() && cumulative >= Decimal::ZERO && !benefit.is_zero() {
                    payback_year = Some(year);
                }
                Year {
                    year,
                    benefit,
                    cost,
                    factor: self.discount_factor(year),
                    cumulative_net: cumulative,
                }
            })
            .collect();
        Result {
            scenario,
            present_benefit: years.iter().map(|y| y.benefit * y.factor).sum(),
            present_cost: years.iter().map(|y| y.cost * y.factor).sum(),
            payback_year,
            years,
        }
    }

    /// The sensitivity table: every scenario, the base first.
    pub fn sensitivity(&self) -> Vec<Result> {
        Scenario::ALL.iter().map(|&s| self.evaluate(s)).collect()
    }

    /// Each stakeholder's monetised benefit a year once the benefits have started, in the order
    /// of [`Inputs::stakeholders`].
    pub fn per_stakeholder(&self) -> Vec<(String, Decimal)> {
        self.stakeholders
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let sum = self
                    .lines
                    .iter()
                    .filter(|l| l.stakeholder == i)
                    .map(|l| self.yearly_value(l))
                    .sum();
                (name.clone(), sum)
            })
            .collect()
    }

    /// What is wrong with the inputs, per field, in Swedish; empty when nothing is.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if !(1..=MAX_HORIZON).contains(&self.horizon) {
            problems.push((
                "horizon",
                format!("Kalkylperioden ska vara 1–{MAX_HORIZON} år."),
            ));
        }
        if !(1..=self.horizon.max(1)).contains(&self.start) {
            problems.push((
                "start",
                "Året då nyttorna börjar ska ligga inom kalkylperioden.".to_owned(),
            ));
        }
        if self.discount_rate < Decimal::ZERO || self.discount_rate > Decimal::new(2, 1) {
            problems.push(("discount_rate", "Kalkylräntan ska vara 0–20 %.".to_owned()));
        }
        if self.hourly_cost < Decimal::ZERO {
            problems.push((
                "hourly_cost",
                "Timkostnaden kan inte vara negativ.".to_owned(),
            ));
        }
        let negative = [
            self.costs.investment,
            self.costs.running_per_year,
            self.costs.internal_hours,
        ]
        .iter()
        .any(|c| c.is_sign_negative() && !c.is_zero());
        if negative {
            problems.push((
                "costs",
                "Kostnader och timmar kan inte vara negativa.".to_owned(),
            ));
        }
        for line in &self.lines {
            if line.stakeholder >= self.stakeholders.len() {
                problems.push(("lines", "En nytta saknar intressent.".to_owned()));
            }
            match &line.kind {
                Kind::Redistributable { hours_per_year } if hours_per_year.is_sign_negative() => {
                    problems.push(("lines", "Timmar kan inte vara negativa.".to_owned()));
                }
                Kind::Qualitative { rating, reason } => {
                    if !(1..=5).contains(rating) {
                        problems.push(("lines", "Betyget ska vara 1–5.".to_owned()));
                    }
                    if reason.trim().is_empty() {
                        problems.push(("lines", "Ett betyg behöver sitt skäl.".to_owned()));
                    }
                }
                _ => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests;
