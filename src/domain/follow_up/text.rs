//! The sentences of a period report that its figures decide, worded as in seed 002 but
//! consistently: a revenue deviation is "högre/lägre än budget" with its sign's verdict, and the
//! net costs are never confused with the costs (the seed does that once; we do not copy it).
//! Figures are in mnkr with one decimal; whether a figure is above or below budget is read from
//! the rounded figure, so a sentence never says "0,0 mnkr lägre".

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::{
    follow_up::{Investment, Operating, format_percent},
    money::Money,
};

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// "13 september 2022".
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// The name of a month: "augusti".
pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// "januari–augusti 2022", the period from the start of the year to `through` (a month 1–12).
pub fn period_name(year: i32, through: u32) -> String {
    if through == 1 {
        format!("januari {year}")
    } else {
        format!("januari–{} {year}", month_name(through))
    }
}

/// The two points of the proposal, dated by the attachments' date.
pub fn proposal(attachments_dated: NaiveDate, year: i32) -> [String; 2] {
    let date = long_date(attachments_dated);
    [
        format!("1. Nämnden godkänner periodens rapportering, enligt bilaga 1 daterad {date}."),
        format!(
            "2. Nämnden fastställer handlingsplan med åtgärder för att bidra till en ekonomi i balans {year}, enligt bilaga 2 daterad {date}."
        ),
    ]
}

/// The sign of a figure as shown: rounded to one decimal of a million first.
fn shown_sign(amount: Money) -> std::cmp::Ordering {
    let shown = (amount.amount() / Decimal::from(1_000_000))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    shown.cmp(&Decimal::ZERO)
}

/// A deviation's size as shown: "4,1" (no sign: the words say the direction).
fn size(amount: Money) -> String {
    let shown = amount.format_mnkr();
    shown
        .trim_start_matches(crate::domain::money::MINUS)
        .to_owned()
}

/// "Under perioden var nettokostnaderna … totalt 4,1 mnkr lägre än periodens budgeterade nivå
/// (positiv avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför inte."
/// A negative net deviation says that an action plan is drawn up.
pub fn operating_summary(period: &Operating) -> String {
    let deviation = period.net().deviation;
    let lead = "Under perioden var nettokostnaderna för den löpande verksamheten totalt";
    match shown_sign(deviation) {
        std::cmp::Ordering::Greater => format!(
            "{lead} {} mnkr lägre än periodens budgeterade nivå (positiv avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför inte.",
            size(deviation)
        ),
        std::cmp::Ordering::Less => format!(
            "{lead} {} mnkr högre än periodens budgeterade nivå (negativ avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför (bilaga 2).",
            size(deviation)
        ),
        std::cmp::Ordering::Equal => "Under perioden var nettokostnaderna för den löpande verksamheten i nivå med periodens budgeterade nivå. Handlingsplan med korrigerande åtgärder upprättas därför inte.".to_owned(),
    }
}

/// "Intäkterna var 7,3 mnkr högre än budget (positiv avvikelse). Kostnaderna var 3,2 mnkr
/// högre än budget (negativ avvikelse). Nettokostnaderna var 4,1 mnkr lägre än budget (positiv
/// avvikelse)." Each verdict follows the row's deviation, so revenue above budget is positive
/// and costs above budget are negative.
pub fn deviations(period: &Operating) -> String {
    let sentence = |subject: &str, deviation: Money, above_is_good: bool| {
        let sign = shown_sign(deviation);
        if sign == std::cmp::Ordering::Equal {
            return format!("{subject} var i nivå med budget.");
        }
        let favourable = sign == std::cmp::Ordering::Greater;
        let higher = favourable == above_is_good;
        format!(
            "{subject} var {} mnkr {} än budget ({} avvikelse).",
            size(deviation),
            if higher { "högre" } else { "lägre" },
            if favourable { "positiv" } else { "negativ" },
        )
    };
    [
        sentence("Intäkterna", period.revenue().deviation, true),
        sentence("Kostnaderna", period.costs().deviation, false),
        sentence("Nettokostnaderna", period.net().deviation, false),
    ]
    .join(" ")
}

/// "Den slutgiltiga prognosen för helåret är att IT-center kommer att ha en positiv
/// driftsavvikelse på 2,1 mnkr." `who` names the organisation (as the board's report does).
pub fn forecast(who: &str, full_year: &Operating) -> String {
    let deviation = full_year.net().deviation;
    match shown_sign(deviation) {
        std::cmp::Ordering::Equal => format!(
            "Den slutgiltiga prognosen för helåret är att {who} kommer att hålla budget (ingen driftsavvikelse)."
        ),
        sign => format!(
            "Den slutgiltiga prognosen för helåret är att {who} kommer att ha en {} driftsavvikelse på {} mnkr.",
            if sign == std::cmp::Ordering::Greater {
                "positiv"
            } else {
                "negativ"
            },
            size(deviation)
        ),
    }
}

/// The investment paragraph: "Av det totala investeringsanslaget för året på 12,6 mnkr (4,9
/// årsbudget 2022 plus 7,7 överfört från 2021) har 3,4 mnkr upparbetats under perioden. Enligt
/// prognos kommer 8,6 mnkr av anslaget att upparbetas och bokföras till årets slut."
pub fn investments(year: i32, figures: &Investment) -> String {
    let mut parts = vec![format!(
        "{} årsbudget {year}",
        figures.annual_budget.format_mnkr()
    )];
    if !figures.carried_over.amount().is_zero() {
        parts.push(format!(
            "{} överfört från {}",
            figures.carried_over.format_mnkr(),
            year - 1
        ));
    }
    if !figures.extra_granted.amount().is_zero() {
        parts.push(format!(
            "{} extra beviljat under året",
            figures.extra_granted.format_mnkr()
        ));
    }
    format!(
        "Av det totala investeringsanslaget för året på {} mnkr ({}) har {} mnkr upparbetats under perioden. Enligt prognos kommer {} mnkr av anslaget att upparbetas och bokföras till årets slut.",
        figures.total().format_mnkr(),
        parts.join(" plus "),
        figures.outcome.format_mnkr(),
        figures.forecast.format_mnkr(),
    )
}

/// "Prognosen för helåret är att 8,6 mnkr av anslaget (68 procent) kommer upparbetas och
/// bokföras."
pub fn investment_forecast(figures: &Investment) -> String {
    format!(
        "Prognosen för helåret är att {} mnkr av anslaget ({} procent) kommer upparbetas och bokföras.",
        figures.forecast.format_mnkr(),
        format_percent(figures.forecast_share()),
    )
}
