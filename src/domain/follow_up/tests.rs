//! Seed 002's tables and sentences from exact kronor, and a second period with the opposite
//! signs, so neither the figures nor the words are the seed's by accident.

use chrono::NaiveDate;

use super::{text, *};

fn kr(tkr: i64) -> Money {
    Money::kr(tkr * 1_000)
}

/// Gemensamma servicenämnden, January–August 2022, in exact kronor (10 000 kr steps) whose
/// displayed figures are the seed's.
fn seed_period() -> Operating {
    Operating {
        revenue_budget: kr(43_010),
        revenue_actual: kr(50_350),
        cost_budget: kr(42_970),
        cost_actual: kr(46_170),
    }
}

fn seed_full_year() -> Operating {
    Operating {
        revenue_budget: kr(64_450),
        revenue_actual: kr(63_450),
        cost_budget: kr(64_450),
        cost_actual: kr(61_350),
    }
}

fn seed_investment() -> Investment {
    Investment {
        annual_budget: kr(4_850),
        extra_granted: Money::ZERO,
        carried_over: kr(7_700),
        outcome: kr(3_350),
        forecast: kr(8_550),
    }
}

fn shown(op: &Operating) -> Vec<[String; 4]> {
    op.rows()
        .iter()
        .map(|(label, row)| {
            [
                (*label).to_owned(),
                row.budget.format_mnkr(),
                row.actual.format_mnkr(),
                row.deviation.format_mnkr(),
            ]
        })
        .collect()
}

#[test]
fn the_operating_table_shows_the_seeds_figures() {
    let m = "\u{2212}";
    assert_eq!(
        shown(&seed_period()),
        [
            ["Intäkter", "43,0", "50,4", "7,3"],
            ["Kostnader", "43,0", "46,2", &format!("{m}3,2")],
            ["Netto", "0,0", &format!("{m}4,2"), "4,1"],
        ]
        .map(|r| r.map(str::to_owned))
    );
    assert_eq!(
        shown(&seed_full_year()),
        [
            ["Intäkter", "64,5", "63,5", &format!("{m}1,0")],
            ["Kostnader", "64,5", "61,4", "3,1"],
            ["Netto", "0,0", &format!("{m}2,1"), "2,1"],
        ]
        .map(|r| r.map(str::to_owned))
    );
}

#[test]
fn activities_sum_to_the_board_before_rounding() {
    // Three activities of 14 350 000 kr revenue each: 14,4 shown three times, 43,1 in total.
    let activity = Operating {
        revenue_budget: kr(14_350),
        ..Operating::default()
    };
    let total: Operating = [activity; 3].into_iter().sum();
    assert_eq!(activity.revenue().budget.format_mnkr(), "14,4");
    assert_eq!(total.revenue().budget.format_mnkr(), "43,1");
}

#[test]
fn the_investment_table_shows_the_seeds_figures() {
    let i = seed_investment();
    let m = "\u{2212}";
    let cells = [
        i.annual_budget.format_mnkr(),
        i.added_during_year().format_mnkr(),
        i.total().format_mnkr(),
        i.outcome.format_mnkr(),
        i.period_deviation().format_mnkr(),
        i.forecast.format_mnkr(),
        i.forecast_deviation().format_mnkr(),
        format_percent(i.forecast_share()),
    ];
    assert_eq!(
        cells,
        [
            "4,9",
            "7,7",
            "12,6",
            "3,4",
            &format!("{m}9,2"),
            "8,6",
            &format!("{m}4,0"),
            "68"
        ]
        .map(str::to_owned)
    );
    assert_eq!(i.unspent(), kr(4_000));
    assert_eq!(
        format_percent(implementation_rate(i.outcome, i.total())),
        "27"
    );
    assert_eq!(
        format_percent(implementation_rate(i.outcome, Money::ZERO)),
        "–"
    );
}

#[test]
fn the_seeds_sentences_come_from_the_figures() {
    let date = NaiveDate::from_ymd_opt(2022, 9, 13).expect("date");
    assert_eq!(
        text::proposal(date, 2022),
        [
            "1. Nämnden godkänner periodens rapportering, enligt bilaga 1 daterad 13 september 2022.",
            "2. Nämnden fastställer handlingsplan med åtgärder för att bidra till en ekonomi i balans 2022, enligt bilaga 2 daterad 13 september 2022.",
        ]
    );
    assert_eq!(
        text::operating_summary(&seed_period()),
        "Under perioden var nettokostnaderna för den löpande verksamheten totalt 4,1 mnkr lägre än periodens budgeterade nivå (positiv avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför inte."
    );
    assert_eq!(
        text::deviations(&seed_period()),
        "Intäkterna var 7,3 mnkr högre än budget (positiv avvikelse). Kostnaderna var 3,2 mnkr högre än budget (negativ avvikelse). Nettokostnaderna var 4,1 mnkr lägre än budget (positiv avvikelse)."
    );
    assert_eq!(
        text::forecast("IT-center (innan resultatjustering)", &seed_full_year()),
        "Den slutgiltiga prognosen för helåret är att IT-center (innan resultatjustering) kommer att ha en positiv driftsavvikelse på 2,1 mnkr."
    );
    assert_eq!(
        text::investments(2022, &seed_investment()),
        "Av det totala investeringsanslaget för året på 12,6 mnkr (4,9 årsbudget 2022 plus 7,7 överfört från 2021) har 3,4 mnkr upparbetats under perioden. Enligt prognos kommer 8,6 mnkr av anslaget att upparbetas och bokföras till årets slut."
    );
    assert_eq!(
        text::investment_forecast(&seed_investment()),
        "Prognosen för helåret är att 8,6 mnkr av anslaget (68 procent) kommer upparbetas och bokföras."
    );
    assert_eq!(text::period_name(2022, 8), "januari–augusti 2022");
}

#[test]
fn a_period_over_budget_reads_the_other_way() {
    // Revenue below budget and costs above: every verdict turns, and an action plan is drawn up.
    let period = Operating {
        revenue_budget: kr(20_000),
        revenue_actual: kr(18_760),
        cost_budget: kr(30_000),
        cost_actual: kr(31_040),
    };
    assert_eq!(period.net().deviation, -kr(2_280));
    assert_eq!(
        text::operating_summary(&period),
        "Under perioden var nettokostnaderna för den löpande verksamheten totalt 2,3 mnkr högre än periodens budgeterade nivå (negativ avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför (bilaga 2)."
    );
    assert_eq!(
        text::deviations(&period),
        "Intäkterna var 1,2 mnkr lägre än budget (negativ avvikelse). Kostnaderna var 1,0 mnkr högre än budget (negativ avvikelse). Nettokostnaderna var 2,3 mnkr högre än budget (negativ avvikelse)."
    );
    assert_eq!(
        text::forecast("Servicenämnden", &period),
        "Den slutgiltiga prognosen för helåret är att Servicenämnden kommer att ha en negativ driftsavvikelse på 2,3 mnkr."
    );
    let with_extra = Investment {
        annual_budget: kr(3_000),
        extra_granted: kr(500),
        carried_over: Money::ZERO,
        outcome: kr(3_900),
        forecast: kr(4_200),
    };
    assert_eq!(
        text::investments(2024, &with_extra),
        "Av det totala investeringsanslaget för året på 3,5 mnkr (3,0 årsbudget 2024 plus 0,5 extra beviljat under året) har 3,9 mnkr upparbetats under perioden. Enligt prognos kommer 4,2 mnkr av anslaget att upparbetas och bokföras till årets slut."
    );
    assert_eq!(with_extra.unspent(), Money::ZERO);
    assert_eq!(format_percent(with_extra.forecast_share()), "120");
}

#[test]
fn a_deviation_that_rounds_to_nothing_is_in_line_with_budget() {
    let period = Operating {
        revenue_budget: kr(10_000),
        revenue_actual: kr(10_040),
        cost_budget: kr(10_000),
        cost_actual: kr(10_030),
    };
    assert!(text::operating_summary(&period).contains("i nivå med periodens budgeterade nivå"));
    assert!(text::deviations(&period).starts_with("Intäkterna var i nivå med budget."));
    assert!(text::forecast("IT-center", &period).contains("hålla budget"));
}
