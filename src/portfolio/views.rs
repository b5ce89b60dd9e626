//! Small display helpers shared by the portfolio's pages.

use rust_decimal::Decimal;

use crate::domain::money::Money;

/// An amount in whole kronor as the portfolio shows estimates: `1 200 000`.
pub fn kr(amount: impl std::borrow::Borrow<Decimal>) -> String {
    Money::from_stored(amount.borrow().round()).format_kr()
}

/// A number of hours grouped by thousands: `1 200`.
pub fn hours(hours: impl ToString) -> String {
    crate::domain::number::group(&hours.to_string())
}
