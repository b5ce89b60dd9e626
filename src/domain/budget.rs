//! The budget-versus-outcome table of a project, as the final report shows it (seed 000):
//! per line budget, outcome and deviation (budget − outcome, positive is favourable), and a total
//! row that shows the budget both including and excluding a sub-entity that withdrew.

use crate::domain::money::Money;

crate::coded_enum! {
    /// Where an outcome entry came from.
    pub enum OutcomeSource {
        Manual = ("manual", "Manuell"),
        Import = ("import", "Import"),
        /// An imported entry reversed when its batch was undone.
        Reversal = ("reversal", "Återföring"),
        /// Booked by another system through the JSON API, with its user's token.
        Api = ("api", "API"),
    }
}

/// A sub-entity some lines belong to (e.g. "VA-bolaget", shown in totals as "VA").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubEntity {
    pub name: String,
    pub short_name: String,
    /// Left out of the totals that are compared with the outcome.
    pub excluded: bool,
}

/// One budget line with its outcome; `outcome` is `None` when nothing has been booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFigures {
    pub budget: Money,
    pub outcome: Option<Money>,
    pub sub_entity: Option<SubEntity>,
}

impl LineFigures {
    fn excluded(&self) -> bool {
        self.sub_entity.as_ref().is_some_and(|s| s.excluded)
    }

    /// Budget − outcome; a line without outcome deviates by its whole budget, as in the seed.
    /// A line of an excluded sub-entity has no deviation: it is not followed up.
    pub fn deviation(&self) -> Option<Money> {
        (!self.excluded()).then(|| self.budget - self.outcome.unwrap_or(Money::ZERO))
    }
}

/// The total row. `budget_excluding` is set only when some sub-entity is excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub budget_including: Money,
    pub budget_excluding: Option<(Money, String)>,
    /// Short names of the excluded sub-entities, for "inkl VA".
    pub excluded_label: String,
    pub outcome: Option<Money>,
    pub deviation: Money,
}

/// Totals computed from the exact parts, never from rounded ones.
pub fn totals(lines: &[LineFigures]) -> Totals {
    let budget_including: Money = lines.iter().map(|l| l.budget).sum();
    let counted: Vec<&LineFigures> = lines.iter().filter(|l| !l.excluded()).collect();
    let budget_counted: Money = counted.iter().map(|l| l.budget).sum();
    let outcomes: Vec<Money> = counted.iter().filter_map(|l| l.outcome).collect();
    let outcome = (!outcomes.is_empty()).then(|| outcomes.iter().copied().sum());
    let mut excluded_names: Vec<&str> = Vec::new();
    for sub in lines
        .iter()
        .filter(|l| l.excluded())
        .filter_map(|l| l.sub_entity.as_ref())
    {
        if !excluded_names.contains(&sub.short_name.as_str()) {
            excluded_names.push(&sub.short_name);
        }
    }
    let excluded_label = excluded_names.join(" och ");
    Totals {
        budget_including,
        budget_excluding: (!excluded_names.is_empty())
            .then(|| (budget_counted, excluded_label.clone())),
        excluded_label,
        outcome,
        deviation: budget_counted - outcome.unwrap_or(Money::ZERO),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn line(budget: i64, outcome: Option<i64>, excluded_va: bool) -> LineFigures {
        LineFigures {
            budget: Money::kr(budget),
            outcome: outcome.map(Money::kr),
            sub_entity: excluded_va.then(|| SubEntity {
                name: "VA-bolaget".into(),
                short_name: "VA".into(),
                excluded: true,
            }),
        }
    }

    #[test]
    fn seed_000_table() {
        let lines = [
            line(700_000, Some(719_000), false),
            line(700_000, Some(504_000), false),
            line(100_000, None, false),
            line(700_000, Some(386_659), false),
            line(500_000, Some(1_026_200), false),
            line(350_000, None, true),
            line(150_000, None, true),
        ];
        let deviations: Vec<Option<Money>> = lines.iter().map(LineFigures::deviation).collect();
        assert_eq!(
            deviations,
            [
                Some(Money::kr(-19_000)),
                Some(Money::kr(196_000)),
                Some(Money::kr(100_000)),
                Some(Money::kr(313_341)),
                Some(Money::kr(-526_200)),
                None,
                None
            ]
        );
        let t = totals(&lines);
        assert_eq!(t.budget_including, Money::kr(3_200_000));
        assert_eq!(
            t.budget_excluding,
            Some((Money::kr(2_700_000), "VA".into()))
        );
        assert_eq!(t.outcome, Some(Money::kr(2_635_859)));
        assert_eq!(t.deviation, Money::kr(64_141));
    }

    #[test]
    fn no_outcome_at_all_is_blank_not_zero() {
        let t = totals(&[line(100, None, false)]);
        assert_eq!(t.outcome, None);
        assert_eq!(t.deviation, Money::kr(100));
        assert_eq!(t.budget_excluding, None);
    }

    proptest! {
        /// The total deviation is the sum of the line deviations, and equals counted budget
        /// minus outcome, whatever the lines.
        #[test]
        fn total_deviation_is_the_sum_of_line_deviations(
            lines in prop::collection::vec(
                (-10_000_000_000_i64..10_000_000_000, prop::option::of(-10_000_000_000_i64..10_000_000_000), any::<bool>()),
                0..30,
            )
        ) {
            let lines: Vec<LineFigures> = lines
                .into_iter()
                .map(|(b, o, x)| LineFigures {
                    budget: Money::new(rust_decimal::Decimal::new(b, 2)).unwrap(),
                    outcome: o.map(|o| Money::new(rust_decimal::Decimal::new(o, 2)).unwrap()),
                    sub_entity: x.then(|| SubEntity { name: "B".into(), short_name: "B".into(), excluded: true }),
                })
                .collect();
            let t = totals(&lines);
            let sum: Money = lines.iter().filter_map(LineFigures::deviation).sum();
            prop_assert_eq!(t.deviation, sum);
            let all: Money = lines.iter().map(|l| l.budget).sum();
            prop_assert_eq!(t.budget_including, all);
            let counted = t.budget_excluding.map(|(b, _)| b).unwrap_or(all);
            prop_assert_eq!(counted - t.outcome.unwrap_or(Money::ZERO), t.deviation);
        }
    }
}
