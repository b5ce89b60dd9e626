//! Prioritisation models (prioriteringsmodeller): how a round values its items. A model is a
//! set of weighted criteria on a scale; each criterion reads its score from one source: one of
//! the four scores every item carries, a score of the model's own, or a figure of the item's
//! benefit calculation. Every model computes the same way, so a person can check any value by
//! hand (docs/DESIGN.md, "Prioritisation models"):
//!
//! - a criterion's share is its score ÷ its highest score;
//! - the value is Σ weight × share ÷ Σ weight, as a percentage 0–100;
//! - a model that ranks by value per effort (WSJF) divides the value, its cost of delay, by
//!   IT-center's effort in hundreds of hours.
//!
//! The optimiser maximises the summed value within the round's frames in every model: per
//! effort is the order of the board, and the knapsack weighs the hours itself.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};
use uuid::Uuid;

use crate::{
    coded_enum,
    domain::{
        number::format_quantity,
        portfolio::{MAX_SCORE, Scores},
    },
};

coded_enum! {
    /// Where a criterion's score comes from.
    pub enum Source {
        Citizen = ("citizen", "Objektets poäng: nytta för invånare (0–5)"),
        Efficiency = ("efficiency", "Objektets poäng: effektivitet och tidsbesparing (0–5)"),
        Necessity = ("necessity", "Objektets poäng: lag- eller säkerhetskrav (0–5)"),
        Strategy = ("strategy", "Objektets poäng: strategisk koppling (0–5)"),
        Scored = ("scored", "Egen poäng i modellen (0 till skalans högsta)"),
        NetPresentValue = ("net_present_value", "Nyttokalkylens nettonuvärde, i steg"),
        QualitativeRating = ("qualitative_rating", "Nyttokalkylens kvalitativa medelbetyg (1–5)"),
    }
}

coded_enum! {
    /// What the board ranks the items by.
    pub enum Ranking {
        Value = ("value", "Nyttovärde"),
        ValuePerEffort = ("value_per_effort", "Nyttovärde per insats (WSJF)"),
    }
}

/// The highest scale a model may have.
pub const MAX_SCALE: u8 = 100;
/// The most criteria a model may have.
pub const MAX_CRITERIA: usize = 12;

impl Ranking {
    /// The ranking as said within a sentence: "… rangordnar efter nyttovärdet".
    pub fn in_sentence(self) -> &'static str {
        match self {
            Ranking::Value => "nyttovärdet",
            Ranking::ValuePerEffort => "nyttovärdet per insats (WSJF)",
        }
    }
}

impl Source {
    /// Whether the score is read from the item's benefit calculation.
    pub fn is_calculated(self) -> bool {
        matches!(self, Source::NetPresentValue | Source::QualitativeRating)
    }

    /// The index of one of the four scores every item carries.
    fn standard(self) -> Option<usize> {
        match self {
            Source::Citizen => Some(0),
            Source::Efficiency => Some(1),
            Source::Necessity => Some(2),
            Source::Strategy => Some(3),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: Uuid,
    pub name: String,
    pub source: Source,
    pub weight: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub id: Uuid,
    pub name: String,
    pub ranking: Ranking,
    /// The highest score of the model's own criteria and of the net present value's steps.
    pub scale_max: u8,
    /// Kronor of net present value per step of the scale.
    pub kronor_per_step: Decimal,
    pub criteria: Vec<Criterion>,
}

/// What an item's benefit calculation says, for the criteria that read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalculationFacts {
    pub net_present_value: Decimal,
    /// The ratings 1–5 of its qualitative benefits.
    pub ratings: Vec<u8>,
}

/// Everything about an item a model may read.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The four scores every item carries.
    pub standard: Scores,
    /// Scores by criterion: the model's own, and in a decided round every score it froze.
    pub stored: HashMap<Uuid, u8>,
    /// Whether `stored` is what a decision froze: then it wins for every criterion. Otherwise
    /// it counts only for the model's own criteria, so that a score kept from when a criterion
    /// was scored by hand is not read after its source changed.
    pub frozen: bool,
    pub calculation: Option<CalculationFacts>,
    pub effort_hours: u64,
}

/// One criterion's part of a valuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub criterion: Uuid,
    pub name: String,
    pub source: Source,
    pub score: u8,
    pub max: u8,
    pub weight: u8,
    /// How the score was read, when it is derived: "nettonuvärde 450 000 kr ÷ 200 000 kr".
    pub basis: String,
}

/// An item's value in a model, with the parts that make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valuation {
    pub parts: Vec<Part>,
    /// 0–100, exact.
    pub value: Decimal,
    pub ranking: Ranking,
    pub effort_hours: u64,
}

impl Model {
    /// The highest score a criterion of `source` can have in this model.
    pub fn max_of(&self, source: Source) -> u8 {
        match source {
            Source::Scored | Source::NetPresentValue => self.scale_max,
            _ => MAX_SCORE,
        }
    }

    /// Whether any criterion reads the benefit calculation (only then is it loaded).
    pub fn reads_calculation(&self) -> bool {
        self.criteria.iter().any(|c| c.source.is_calculated())
    }

    /// The criteria the business scores for this model (kept in `portfolio_item_score`).
    pub fn own_criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| c.source == Source::Scored)
    }

    /// Values an item. A frozen score wins over reading it again, so a decided round shows
    /// what it was decided with.
    pub fn value(&self, facts: &Facts) -> Valuation {
        let parts = self
            .criteria
            .iter()
            .map(|c| {
                let max = self.max_of(c.source);
                let stored = facts
                    .stored
                    .get(&c.id)
                    .filter(|_| facts.frozen || c.source == Source::Scored);
                let (score, basis) = match stored {
                    Some(score) => (*score, String::new()),
                    None => self.read(c.source, facts),
                };
                Part {
                    criterion: c.id,
                    name: c.name.clone(),
                    source: c.source,
                    score: score.min(max),
                    max,
                    weight: c.weight,
                    basis,
                }
            })
            .collect::<Vec<_>>();
        let total_weight: u32 = parts.iter().map(|p| u32::from(p.weight)).sum();
        let value = if total_weight == 0 {
            Decimal::ZERO
        } else {
            let weighted: Decimal = parts
                .iter()
                .map(|p| Decimal::from(p.weight) * Decimal::from(p.score) / Decimal::from(p.max))
                .sum();
            weighted * Decimal::ONE_HUNDRED / Decimal::from(total_weight)
        };
        Valuation {
            parts,
            value,
            ranking: self.ranking,
            effort_hours: facts.effort_hours,
        }
    }

    /// The score of a criterion that is not stored, and how it was read.
    fn read(&self, source: Source, facts: &Facts) -> (u8, String) {
        if let Some(i) = source.standard() {
            return (facts.standard.0[i], String::new());
        }
        let Some(calculation) = &facts.calculation else {
            let basis = if source.is_calculated() {
                "ingen nyttokalkyl"
            } else {
                "inte poängsatt"
            };
            return (0, basis.to_owned());
        };
        match source {
            Source::NetPresentValue => {
                let npv = calculation.net_present_value;
                let steps = (npv / self.kronor_per_step).floor();
                let score = if steps <= Decimal::ZERO {
                    0
                } else {
                    steps
                        .min(Decimal::from(self.scale_max))
                        .to_u8()
                        .unwrap_or(0)
                };
                (
                    score,
                    format!(
                        "nettonuvärde {} kr ÷ {} kr per steg",
                        format_quantity(npv.round()),
                        format_quantity(self.kronor_per_step.normalize())
                    ),
                )
            }
            Source::QualitativeRating if calculation.ratings.is_empty() => {
                (0, "inga kvalitativa nyttor".to_owned())
            }
            Source::QualitativeRating => {
                let sum: u32 = calculation.ratings.iter().map(|r| u32::from(*r)).sum();
                let mean = Decimal::from(sum) / Decimal::from(calculation.ratings.len());
                let rounded =
                    mean.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
                (
                    rounded.to_u8().unwrap_or(0),
                    match calculation.ratings.len() {
                        1 => format!("1 kvalitativ nytta, betyg {}", format_quantity(mean)),
                        n => format!(
                            "{n} kvalitativa nyttor, medelbetyg {}",
                            format_quantity(mean.round_dp(2))
                        ),
                    },
                )
            }
            _ => (0, "inte poängsatt".to_owned()),
        }
    }
}

impl Valuation {
    /// Whole hundredths of a percentage point: what the optimiser sums and maximises.
    pub fn points(&self) -> u64 {
        (self.value * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_u64()
            .unwrap_or(0)
    }

    /// The value with one decimal, as the board shows it (half away from zero, as by hand).
    pub fn shown(&self) -> String {
        format_quantity(one_decimal(self.value))
    }

    /// What the board orders by: the value, or the value as shown per hundred hours of
    /// effort (an item without effort counts one hour), so that the figure checks by hand.
    pub fn priority(&self) -> Decimal {
        match self.ranking {
            Ranking::Value => self.value,
            Ranking::ValuePerEffort => {
                one_decimal(self.value) * Decimal::ONE_HUNDRED
                    / Decimal::from(self.effort_hours.max(1))
            }
        }
    }

    /// The WSJF figure with one decimal, when the model ranks by it.
    pub fn per_effort(&self) -> Option<String> {
        (self.ranking == Ranking::ValuePerEffort)
            .then(|| format_quantity(one_decimal(self.priority())))
    }

    /// The computation as a person would write it down.
    pub fn formula(&self) -> String {
        let terms: Vec<String> = self
            .parts
            .iter()
            .map(|p| format!("{} × {}/{}", p.weight, p.score, p.max))
            .collect();
        let total: u32 = self.parts.iter().map(|p| u32::from(p.weight)).sum();
        let value = format!(
            "({}) ÷ {} × 100 = {}",
            terms.join(" + "),
            total,
            self.shown()
        );
        match self.per_effort() {
            Some(per_effort) => format!(
                "{value}; per insats: {} × 100 ÷ {} timmar = {per_effort}",
                self.shown(),
                self.effort_hours.max(1)
            ),
            None => value,
        }
    }
}

/// One decimal, half away from zero: 46,25 is 46,3, as a person rounds.
pub fn one_decimal(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
}

/// A sum of [`Valuation::points`] as a percentage with one decimal: a selection's value.
pub fn points_shown(points: u64) -> Decimal {
    one_decimal(Decimal::from(points) / Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(n: u128, source: Source, weight: u8) -> Criterion {
        Criterion {
            id: Uuid::from_u128(n),
            name: format!("K{n}"),
            source,
            weight,
        }
    }

    fn model(ranking: Ranking, scale_max: u8, criteria: Vec<Criterion>) -> Model {
        Model {
            id: Uuid::nil(),
            name: "Modell".into(),
            ranking,
            scale_max,
            kronor_per_step: Decimal::from(200_000),
            criteria,
        }
    }

    #[test]
    fn the_four_criteria_give_the_weighted_share_of_the_best() {
        let m = model(
            Ranking::Value,
            5,
            vec![
                criterion(1, Source::Citizen, 40),
                criterion(2, Source::Efficiency, 30),
                criterion(3, Source::Necessity, 20),
                criterion(4, Source::Strategy, 10),
            ],
        );
        let facts = Facts {
            standard: Scores([5, 3, 0, 1]),
            ..Facts::default()
        };
        let v = m.value(&facts);
        // (40×5 + 30×3 + 20×0 + 10×1) / (100 × 5) = 300 / 500 = 60 %.
        assert_eq!(v.value, Decimal::from(60));
        assert_eq!(v.points(), 6000);
        assert_eq!(v.shown(), "60");
        assert_eq!(
            v.formula(),
            "(40 × 5/5 + 30 × 3/5 + 20 × 0/5 + 10 × 1/5) ÷ 100 × 100 = 60"
        );
    }

    #[test]
    fn own_criteria_use_the_models_scale_and_mix_with_the_standard_ones() {
        let m = model(
            Ranking::Value,
            10,
            vec![
                criterion(1, Source::Scored, 1),
                criterion(2, Source::Citizen, 1),
            ],
        );
        let facts = Facts {
            standard: Scores([4, 0, 0, 0]),
            stored: HashMap::from([(Uuid::from_u128(1), 7)]),
            ..Facts::default()
        };
        // (1 × 7/10 + 1 × 4/5) / 2 = (0.7 + 0.8) / 2 = 75 %.
        assert_eq!(m.value(&facts).value, Decimal::from(75));
        let unscored = m.value(&Facts::default());
        assert_eq!(unscored.value, Decimal::ZERO);
        assert_eq!(unscored.parts[0].basis, "inte poängsatt");
    }

    #[test]
    fn the_calculation_model_reads_steps_of_npv_and_the_mean_rating() {
        let m = model(
            Ranking::Value,
            5,
            vec![
                criterion(1, Source::NetPresentValue, 70),
                criterion(2, Source::QualitativeRating, 30),
            ],
        );
        let facts = Facts {
            calculation: Some(CalculationFacts {
                net_present_value: Decimal::from(650_000),
                ratings: vec![4, 5],
            }),
            ..Facts::default()
        };
        let v = m.value(&facts);
        // 650 000 / 200 000 = 3.25 → 3 steps; mean 4.5 → 5. (70 × 3/5 + 30 × 5/5) / 100 = 72 %.
        assert_eq!((v.parts[0].score, v.parts[1].score), (3, 5));
        assert_eq!(v.value, Decimal::from(72));
        assert_eq!(
            v.parts[0].basis,
            "nettonuvärde 650\u{a0}000 kr ÷ 200\u{a0}000 kr per steg"
        );
        assert_eq!(v.parts[1].basis, "2 kvalitativa nyttor, medelbetyg 4,5");
        // A large value stops at the scale's top; a negative one scores nothing.
        let big = Facts {
            calculation: Some(CalculationFacts {
                net_present_value: Decimal::from(9_000_000),
                ratings: vec![],
            }),
            ..Facts::default()
        };
        assert_eq!(m.value(&big).parts[0].score, 5);
        let negative = Facts {
            calculation: Some(CalculationFacts {
                net_present_value: Decimal::from(-300_000),
                ratings: vec![],
            }),
            ..Facts::default()
        };
        assert_eq!(m.value(&negative).value, Decimal::ZERO);
        assert_eq!(
            m.value(&Facts::default()).parts[0].basis,
            "ingen nyttokalkyl"
        );
    }

    #[test]
    fn a_stored_score_wins_so_a_decided_round_keeps_its_figures() {
        let m = model(
            Ranking::Value,
            5,
            vec![criterion(1, Source::NetPresentValue, 1)],
        );
        let mut facts = Facts {
            stored: HashMap::from([(Uuid::from_u128(1), 2)]),
            calculation: Some(CalculationFacts {
                net_present_value: Decimal::from(1_000_000),
                ratings: vec![],
            }),
            frozen: true,
            ..Facts::default()
        };
        assert_eq!(m.value(&facts).value, Decimal::from(40));
        // Outside a decided round a stored score counts only where the model scores by hand:
        // one left from when the criterion was scored is not read after its source changed.
        facts.frozen = false;
        assert_eq!(m.value(&facts).value, Decimal::from(100));
    }

    #[test]
    fn wsjf_divides_the_cost_of_delay_by_hundreds_of_hours() {
        let m = model(
            Ranking::ValuePerEffort,
            20,
            vec![
                criterion(1, Source::Scored, 1),
                criterion(2, Source::Scored, 1),
                criterion(3, Source::Scored, 1),
            ],
        );
        let facts = |hours| Facts {
            stored: HashMap::from([
                (Uuid::from_u128(1), 13),
                (Uuid::from_u128(2), 8),
                (Uuid::from_u128(3), 3),
            ]),
            effort_hours: hours,
            ..Facts::default()
        };
        let v = m.value(&facts(400));
        // (13 + 8 + 3) / 60 = 40 %; per 100 hours: 40 / 4 = 10.
        assert_eq!(v.value, Decimal::from(40));
        assert_eq!(v.priority(), Decimal::from(10));
        assert_eq!(v.per_effort().as_deref(), Some("10"));
        assert!(m.value(&facts(100)).priority() > v.priority());
        assert_eq!(m.value(&facts(0)).priority(), Decimal::from(4000));
        // The shown value per effort: 40 × 100 ÷ 120 = 33,33… → 33,3; and 11,65 shows as 11,7,
        // so 11,7 × 100 ÷ 120 = 9,75 → 9,8.
        assert_eq!(m.value(&facts(120)).per_effort().as_deref(), Some("33,3"));
    }

    #[test]
    fn selections_sum_points_and_show_one_decimal() {
        assert_eq!(points_shown(12_345), Decimal::new(1235, 1));
    }
}
