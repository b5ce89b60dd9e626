//! Every figure of a benefit calculation as a person checks it by hand: the formula, the inputs
//! put into it and the result, in Swedish, with amounts in kronor rounded to the öre only here.

use rust_decimal::Decimal;

use super::{Inputs, Kind, Line, Result, Year};
use crate::domain::money::Money;

/// "1 234,56" (kronor, rounded to the öre for reading).
pub fn kr(amount: Decimal) -> String {
    Money::from_stored(amount.round_dp(2)).format_kr()
}

/// "3,5 %" for 0.035.
pub fn percent(rate: Decimal) -> String {
    format!(
        "{} %",
        (rate * Decimal::ONE_HUNDRED)
            .normalize()
            .to_string()
            .replace('.', ",")
    )
}

/// A number as typed in Swedish: "1,05", "100".
fn number(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

/// A line's value a year: "60 000 kr" or "100 h × 500 kr = 50 000 kr" or "betyg 4 (skäl)".
pub fn line_value(inputs: &Inputs, line: &Line) -> String {
    match &line.kind {
        Kind::Financial { per_year } => format!("{} kr per år", kr(*per_year)),
        Kind::Redistributable { hours_per_year } => format!(
            "{} h × {} kr = {} kr per år",
            number(*hours_per_year),
            kr(inputs.hourly_cost),
            kr(inputs.yearly_value(line))
        ),
        Kind::Qualitative { rating, reason } => format!("betyg {rating} av 5: {reason}"),
    }
}

/// Year 1's costs: "investering 100 000 kr + 200 h × 500 kr = 200 000 kr".
pub fn first_year_cost(inputs: &Inputs) -> String {
    let c = &inputs.costs;
    format!(
        "investering {} kr + {} h × {} kr = {} kr",
        kr(c.investment),
        number(c.internal_hours),
        kr(inputs.hourly_cost),
        kr(c.investment + c.internal_hours * inputs.hourly_cost)
    )
}

/// A year's discount factor: "1 / (1 + 5 %)^2 = 0,9070".
pub fn factor(inputs: &Inputs, year: &Year) -> String {
    format!(
        "1 / (1 + {})^{} = {}",
        percent(inputs.discount_rate),
        year.year - 1,
        number(year.factor.round_dp(4))
    )
}

/// Net present value: "Σ (nytta − kostnad) × faktor = (0 − 200 000) × 1 + … = 119 135,55 kr".
pub fn net_present_value(result: &Result) -> String {
    let terms: Vec<String> = result
        .years
        .iter()
        .map(|y| {
            format!(
                "({} − {}) × {}",
                kr(y.benefit),
                kr(y.cost),
                number(y.factor.round_dp(4))
            )
        })
        .collect();
    format!(
        "Σ (nytta − kostnad) × diskonteringsfaktor = {} = {} kr",
        terms.join(" + "),
        kr(result.net_present_value())
    )
}

/// Benefit/cost ratio: "nuvärde av nyttor / nuvärde av kostnader = 390 054,56 / 270 919,01 =
/// 1,44", or why there is none.
pub fn benefit_cost_ratio(result: &Result) -> String {
    match result.benefit_cost_ratio() {
        Some(ratio) => format!(
            "nuvärde av nyttor / nuvärde av kostnader = {} / {} = {}",
            kr(result.present_benefit),
            kr(result.present_cost),
            number(ratio.round_dp(2))
        ),
        None => "ingen kvot: kalkylen har inga kostnader".to_owned(),
    }
}

/// Payback: "år 4: ackumulerat netto −20 000 kr efter år 3 och 70 000 kr efter år 4", or that
/// the calculation does not pay back within its horizon.
pub fn payback(result: &Result) -> String {
    let Some(year) = result.payback_year else {
        let last = result
            .years
            .last()
            .map_or(Decimal::ZERO, |y| y.cumulative_net);
        return format!(
            "återbetalas inte inom kalkylperioden: ackumulerat netto efter år {} är {} kr",
            result.years.len(),
            kr(last)
        );
    };
    let at = |y: u32| result.years[(y - 1) as usize].cumulative_net;
    if year == 1 {
        return format!("år 1: ackumulerat netto {} kr efter år 1", kr(at(1)));
    }
    format!(
        "år {year}: ackumulerat netto {} kr efter år {} och {} kr efter år {year}",
        kr(at(year - 1)),
        year - 1,
        kr(at(year))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::benefit::Scenario;

    #[test]
    fn the_formulas_read_as_a_hand_calculation() {
        let inputs = super::super::tests::by_hand();
        let base = inputs.evaluate(Scenario::Base);
        let nbsp = |s: String| s.replace('\u{a0}', " ");
        assert_eq!(
            nbsp(first_year_cost(&inputs)),
            "investering 100 000 kr + 200 h × 500 kr = 200 000 kr"
        );
        assert_eq!(factor(&inputs, &base.years[2]), "1 / (1 + 5 %)^2 = 0,907");
        assert_eq!(
            nbsp(benefit_cost_ratio(&base)),
            "nuvärde av nyttor / nuvärde av kostnader = 390 054,56 / 270 919,01 = 1,44"
        );
        assert!(
            nbsp(net_present_value(&base))
                .starts_with("Σ (nytta − kostnad) × diskonteringsfaktor = (0 − 200 000) × 1 + "),
            "{}",
            net_present_value(&base)
        );
        assert!(nbsp(net_present_value(&base)).ends_with("= 119 135,55 kr"));
        assert_eq!(
            nbsp(payback(&base)),
            "år 4: ackumulerat netto −20 000 kr efter år 3 och 70 000 kr efter år 4"
        );
        assert_eq!(
            nbsp(line_value(&inputs, &inputs.lines[1])),
            "100 h × 500 kr = 50 000 kr per år"
        );
        assert_eq!(percent(Decimal::new(35, 3)), "3,5 %");
    }
}
