use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// The calculation worked by hand in docs/DESIGN.md: 100 000 kr invested and 200 internal hours
/// in year 1, 20 000 kr a year to run, 60 000 kr a year saved and 100 hours a year freed from
/// year 2, at 500 kr an hour, over five years at 5 %.
pub(super) fn by_hand() -> Inputs {
    Inputs {
        stakeholders: vec!["Invånare".into(), "IT-center".into()],
        lines: vec![
            Line {
                stakeholder: 1,
                description: "Lägre licenskostnad".into(),
                kind: Kind::Financial {
                    per_year: d("60000"),
                },
            },
            Line {
                stakeholder: 0,
                description: "Kortare handläggning".into(),
                kind: Kind::Redistributable {
                    hours_per_year: d("100"),
                },
            },
            Line {
                stakeholder: 0,
                description: "Enklare kontakt med kommunen".into(),
                kind: Kind::Qualitative {
                    rating: 4,
                    reason: "Färre steg i e-tjänsten".into(),
                },
            },
        ],
        costs: Costs {
            investment: d("100000"),
            running_per_year: d("20000"),
            internal_hours: d("200"),
        },
        horizon: 5,
        discount_rate: d("0.05"),
        start: 2,
        hourly_cost: d("500"),
    }
}

#[test]
fn the_calculation_by_hand() {
    let inputs = by_hand();
    assert!(inputs.problems().is_empty());
    let base = inputs.evaluate(Scenario::Base);
    let nets: Vec<Decimal> = base.years.iter().map(Year::net).collect();
    assert_eq!(
        nets,
        [d("-200000"), d("90000"), d("90000"), d("90000"), d("90000")]
    );
    assert_eq!(base.years[2].factor, Decimal::ONE / d("1.1025"));
    assert_eq!(base.present_benefit.round_dp(2), d("390054.56"));
    assert_eq!(base.present_cost.round_dp(2), d("270919.01"));
    assert_eq!(base.net_present_value().round_dp(2), d("119135.55"));
    assert_eq!(
        base.benefit_cost_ratio().map(|r| r.round_dp(4)),
        Some(d("1.4397"))
    );
    // −200 000, −110 000, −20 000, +70 000: paid back in year 4.
    assert_eq!(base.payback_year, Some(4));
    assert_eq!(
        inputs.per_stakeholder(),
        [
            ("Invånare".to_owned(), d("50000")),
            ("IT-center".to_owned(), d("60000"))
        ]
    );
}

#[test]
fn the_sensitivity_table_by_hand() {
    let table = by_hand().sensitivity();
    let figures: Vec<(Scenario, Decimal, Option<u32>)> = table
        .iter()
        .map(|r| {
            (
                r.scenario,
                r.net_present_value().round_dp(2),
                r.payback_year,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (Scenario::Base, d("119135.55"), Some(4)),
            (Scenario::BenefitsLower, d("41124.63"), Some(4)),
            (Scenario::CostsHigher, d("64951.74"), Some(4)),
            (Scenario::StartLater, d("33421.26"), Some(5)),
        ]
    );
}

#[test]
fn inputs_out_of_bounds_are_named_by_field() {
    let mut inputs = by_hand();
    inputs.horizon = 0;
    inputs.discount_rate = d("-0.01");
    inputs.costs.running_per_year = d("-1");
    inputs.lines.push(Line {
        stakeholder: 9,
        description: "Ingen".into(),
        kind: Kind::Qualitative {
            rating: 6,
            reason: " ".into(),
        },
    });
    let fields: Vec<&str> = inputs.problems().iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            "horizon",
            "start",
            "discount_rate",
            "costs",
            "lines",
            "lines",
            "lines"
        ]
    );
}

fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..10_000_000, 0u32..3).prop_map(|(n, scale)| Decimal::new(n, scale))
}

prop_compose! {
    fn inputs()(
        horizon in 1u32..=MAX_HORIZON,
        start_offset in 0u32..MAX_HORIZON,
        rate in 0i64..=200,
        investment in amount(),
        running in amount(),
        hours in amount(),
        hourly in amount(),
        financial in proptest::collection::vec(amount(), 0..4),
        freed in proptest::collection::vec(amount(), 0..4),
    ) -> Inputs {
        let mut lines: Vec<Line> = financial
            .into_iter()
            .map(|per_year| Line { stakeholder: 0, description: "f".into(), kind: Kind::Financial { per_year } })
            .collect();
        lines.extend(freed.into_iter().map(|hours_per_year| Line {
            stakeholder: 0,
            description: "r".into(),
            kind: Kind::Redistributable { hours_per_year },
        }));
        Inputs {
            stakeholders: vec!["Intressent".into()],
            lines,
            costs: Costs { investment, running_per_year: running, internal_hours: hours },
            horizon,
            discount_rate: Decimal::new(rate, 3),
            start: 1 + start_offset % horizon,
            hourly_cost: hourly,
        }
    }
}

proptest! {
    #[test]
    fn without_discounting_the_present_value_is_the_plain_sum(mut i in inputs()) {
        i.discount_rate = Decimal::ZERO;
        let base = i.evaluate(Scenario::Base);
        let last = base.years.last().expect("a year").cumulative_net;
        prop_assert_eq!(base.net_present_value(), last);
    }

    #[test]
    fn higher_costs_or_lower_benefits_never_raise_the_present_value(i in inputs()) {
        let table = i.sensitivity();
        let base = table[0].net_present_value();
        prop_assert!(table[1].net_present_value() <= base);
        prop_assert!(table[2].net_present_value() <= base);
    }

    #[test]
    fn later_years_weigh_less(i in inputs()) {
        let base = i.evaluate(Scenario::Base);
        for pair in base.years.windows(2) {
            prop_assert!(pair[1].factor <= pair[0].factor);
        }
        prop_assert_eq!(base.years.first().map(|y| y.factor), Some(Decimal::ONE));
    }

    #[test]
    fn the_payback_year_is_the_first_with_benefit_and_nothing_left_to_recover(i in inputs()) {
        let base = i.evaluate(Scenario::Base);
        match base.payback_year {
            Some(year) => {
                let at = &base.years[(year - 1) as usize];
                prop_assert!(at.cumulative_net >= Decimal::ZERO && !at.benefit.is_zero());
                for earlier in &base.years[..(year - 1) as usize] {
                    prop_assert!(earlier.cumulative_net < Decimal::ZERO || earlier.benefit.is_zero());
                }
            }
            None => {
                for y in &base.years {
                    prop_assert!(y.cumulative_net < Decimal::ZERO || y.benefit.is_zero());
                }
            }
        }
    }
}
