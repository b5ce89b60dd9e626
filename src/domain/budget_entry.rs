//! The rules a budget figure is entered under: an amount is required, only a line marked as
//! income or credit (intäkt/kreditering) may be negative, and a budget total above the
//! project's appropriation is saved only once someone has confirmed exactly that total.

use chrono::{Datelike, NaiveDate};

use crate::domain::money::{Money, MoneyError};

/// Why outcome cannot be booked on `month` (its first day) of a project that started `start`
/// (the earliest of its planned and actual start and its appropriation decision, if any is
/// known): a month that has not begun has no outcome yet, and costs from before January of the
/// year before the start (a pre-study's) are not the project's. None when it can.
pub fn implausible_month(
    month: NaiveDate,
    start: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<String> {
    let shown = month.format("%Y-%m");
    if (month.year(), month.month()) > (today.year(), today.month()) {
        return Some(format!(
            "Månad: {shown} har inte börjat. Utfall registreras för en månad som har varit eller pågår."
        ));
    }
    let earliest = start?.year() - 1;
    (month.year() < earliest).then(|| {
        format!(
            "Månad: {shown} ligger före projektet, som startade {}. Utfall kan registreras från {earliest}-01.",
            earliest + 1
        )
    })
}

/// Why a typed budget amount was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotMoney(MoneyError),
    /// Negative on a line not marked as income or credit; carries what was typed.
    Negative(String),
}

/// Parses a line's budget; `income` says whether the line is marked as income or credit.
pub fn budget_amount(input: &str, income: bool) -> Result<Money, AmountError> {
    if input.trim().is_empty() {
        return Err(AmountError::Empty);
    }
    let amount = Money::parse(input).map_err(AmountError::NotMoney)?;
    if amount.is_negative() && !income {
        return Err(AmountError::Negative(input.trim().to_owned()));
    }
    Ok(amount)
}

/// A save that would take the budget total above the appropriation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverAppropriation {
    pub total: Money,
    pub appropriation: Money,
}

impl OverAppropriation {
    /// Some when the total after the save exceeds the appropriation and the save raises it. A
    /// save that lowers a total already over (or leaves it) needs no confirmation: it is not
    /// the decision to go over. No appropriation decided means nothing to exceed.
    pub fn check(before: Money, after: Money, appropriation: Option<Money>) -> Option<Self> {
        let appropriation = appropriation?;
        (after > appropriation && after > before).then_some(Self {
            total: after,
            appropriation,
        })
    }

    /// The question on the form, naming both figures in whole kronor as the table shows them
    /// (thousands would hide an excess below 500 kr).
    pub fn question(&self) -> String {
        format!(
            "Budgeten blir {} kr, över anslaget {} kr. Spara ändå?",
            self.total.format_kr(),
            self.appropriation.format_kr()
        )
    }

    /// What the confirmation posts: the total it confirms, so a confirmation given for one
    /// total does not let a different one through (the user changed a figure, or someone
    /// else saved meanwhile).
    pub fn token(&self) -> String {
        self.total.amount().to_string()
    }

    pub fn confirmed_by(&self, posted: Option<&str>) -> bool {
        posted.is_some_and(|p| p.trim() == self.token())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_is_booked_from_the_year_before_the_start_up_to_the_current_month() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = day(2026, 12, 1);
        let start = Some(day(2021, 3, 1));
        assert_eq!(implausible_month(day(2026, 12, 1), start, today), None);
        assert_eq!(implausible_month(day(2020, 1, 1), start, today), None);
        assert!(
            implausible_month(day(2027, 1, 1), start, today)
                .unwrap()
                .contains("2027-01 har inte börjat")
        );
        assert!(
            implausible_month(day(2019, 12, 1), start, today)
                .unwrap()
                .contains("Utfall kan registreras från 2020-01")
        );
        assert_eq!(implausible_month(day(1999, 1, 1), None, today), None);
    }

    #[test]
    fn an_amount_is_required_and_negative_only_on_income_lines() {
        assert_eq!(budget_amount("  ", false), Err(AmountError::Empty));
        assert_eq!(budget_amount("", true), Err(AmountError::Empty));
        assert_eq!(
            budget_amount("−5 000", false),
            Err(AmountError::Negative("−5 000".into()))
        );
        assert_eq!(budget_amount("-5 tkr", true), Ok(Money::kr(-5_000)));
        assert_eq!(budget_amount("0", false), Ok(Money::ZERO));
        assert_eq!(budget_amount("3,2 mnkr", false), Ok(Money::kr(3_200_000)));
        assert!(matches!(
            budget_amount("tre", false),
            Err(AmountError::NotMoney(_))
        ));
    }

    #[test]
    fn going_over_the_appropriation_needs_the_total_confirmed() {
        let a = Some(Money::kr(5_000_000));
        assert_eq!(
            OverAppropriation::check(Money::kr(4_900_000), Money::kr(5_000_000), a),
            None,
            "exactly the appropriation is inside"
        );
        let over =
            OverAppropriation::check(Money::kr(4_900_000), Money::kr(5_200_000), a).expect("over");
        assert_eq!(
            over.question(),
            "Budgeten blir 5\u{a0}200\u{a0}000 kr, över anslaget 5\u{a0}000\u{a0}000 kr. Spara ändå?"
        );
        assert!(over.confirmed_by(Some("5200000")));
        assert!(!over.confirmed_by(Some("5100000")));
        assert!(!over.confirmed_by(None));
        // Lowering a total that is already over, or no appropriation at all: no question.
        assert_eq!(
            OverAppropriation::check(Money::kr(5_300_000), Money::kr(5_200_000), a),
            None
        );
        assert_eq!(
            OverAppropriation::check(Money::ZERO, Money::kr(9_000_000), None),
            None
        );
    }
}
