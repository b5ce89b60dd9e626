//! Amounts of money in SEK, exact to the öre, as people in Swedish municipalities write them:
//! `3 200 000`, `3 200 000,50`, `−19 000`, `3,2 mnkr`, `2 636 tkr`. Parsing refuses anything
//! else rather than guess; formatting uses a non-breaking space between thousands and a real
//! minus sign, so a figure never wraps and never reads as a hyphen.

use std::{
    fmt::{self, Write},
    iter::Sum,
    ops,
};

use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::number::{self, NumberError, group};

/// The most integer digits `NUMERIC(14,2)` holds.
const MAX_INTEGER_DIGITS: usize = 12;
/// The typographic minus sign used for negative figures.
pub const MINUS: char = '\u{2212}';

/// An amount in kronor with at most two decimals and at most twelve integer digits.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(Decimal);

/// Why a typed amount was refused; the message completes "<field>: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error(
        "”{0}” är inget belopp. Skriv till exempel 3 200 000, 3 200 000,50, 3,2 mnkr eller 2 636 tkr."
    )]
    NotANumber(String),
    #[error("”{0}” har fler än två decimaler (ören).")]
    TooPrecise(String),
    #[error("”{0}” är för stort: högst 12 siffror före decimalkommat.")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An exact amount; `None` when it does not fit the öre or twelve integer digits.
    pub fn new(amount: Decimal) -> Option<Self> {
        let amount = amount.normalize();
        (amount.scale() <= 2 && integer_digits(amount) <= MAX_INTEGER_DIGITS)
            .then_some(Money(amount))
    }

    /// A value read from a `NUMERIC(14,2)` column: the column's type already guarantees the
    /// bounds `new` checks.
    pub fn from_stored(amount: Decimal) -> Self {
        Money(amount.normalize())
    }

    /// Whole kronor, for seed data and tests.
    pub fn kr(amount: i64) -> Self {
        Money(Decimal::from(amount))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Parses what a person typed (see the module documentation). Empty input is an error;
    /// optional fields check for emptiness first.
    pub fn parse(input: &str) -> Result<Self, MoneyError> {
        let text = input.trim();
        let quoted = || super::text::excerpt(text);
        let (number, (multiplier, unit_digits)) = split_unit(text);
        let value =
            number::parse(number, MAX_INTEGER_DIGITS - unit_digits).map_err(|e| match e {
                NumberError::NotANumber => MoneyError::NotANumber(quoted()),
                NumberError::TooLarge => MoneyError::TooLarge(quoted()),
            })?;
        let value = (value * multiplier).normalize();
        if value.scale() > 2 {
            return Err(MoneyError::TooPrecise(quoted()));
        }
        Money::new(value).ok_or_else(|| MoneyError::TooLarge(quoted()))
    }

    /// Kronor as in the seed's tables: `3 200 000`, `−19 000`, `1 234,50` (ören only when
    /// there are any).
    pub fn format_kr(self) -> String {
        let rounded = self
            .0
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let has_ore = !rounded.fract().is_zero();
        let text = if has_ore {
            format!("{:.2}", rounded.abs())
        } else {
            rounded.abs().trunc().to_string()
        };
        signed(self.is_negative(), &group(&text))
    }

    /// Thousands of kronor, rounded half away from zero: 2 635 859 kr → `2 636`.
    pub fn format_tkr(self) -> String {
        self.format_scaled(3, 0)
    }

    /// Millions of kronor with one decimal: 3 200 000 kr → `3,2`.
    pub fn format_mnkr(self) -> String {
        self.format_scaled(6, 1)
    }

    /// Millions of kronor with two decimals, as an action plan's economic effects: `0,00`.
    pub fn format_mnkr_cents(self) -> String {
        self.format_scaled(6, 2)
    }

    /// The amount in units of 10^`unit_digits` kronor with `decimals` decimals, rounded half
    /// away from zero. A money amount has at most two decimals, so it is a whole number of öre
    /// and the rounding is one integer division: exact, and an order of magnitude cheaper than
    /// dividing decimals (a period report formats thousands of figures).
    fn format_scaled(self, unit_digits: u32, decimals: u32) -> String {
        let Some(ore) = self.ore() else {
            return self.format_scaled_decimal(unit_digits, decimals);
        };
        let step = 10_u64.pow(unit_digits + 2 - decimals);
        let scaled = (ore.unsigned_abs() + step / 2) / step;
        let fraction_unit = 10_u64.pow(decimals);
        let mut text = String::with_capacity(24);
        if ore < 0 && scaled != 0 {
            text.push(MINUS);
        }
        push_grouped(&mut text, scaled / fraction_unit);
        if decimals > 0 {
            let fraction = scaled % fraction_unit;
            // Writing to a String cannot fail.
            let _ = write!(text, ",{fraction:0width$}", width = decimals as usize);
        }
        text
    }

    /// The amount in öre; `None` for more than two decimals, which no constructor makes, or
    /// beyond 92 000 000 000 000 000 kr.
    fn ore(self) -> Option<i64> {
        let scale = self.0.scale();
        if scale > 2 {
            return None;
        }
        i64::try_from(self.0.mantissa().checked_mul(10_i128.pow(2 - scale))?).ok()
    }

    /// `format_scaled` by decimal arithmetic, for an amount that is not whole öre (only a
    /// deserialized value can be) or too large for the integer path.
    fn format_scaled_decimal(self, unit_digits: u32, decimals: u32) -> String {
        let unit = Decimal::from(10_i64.pow(unit_digits));
        let scaled = (self.0 / unit)
            .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
        let text = format!("{:.*}", decimals as usize, scaled.abs());
        signed(
            scaled.is_sign_negative() && !scaled.is_zero(),
            &group(&text),
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_kr())
    }
}

impl ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// Splits off a unit suffix (`kr`, `tkr`, `mnkr`, `mkr`) and returns its multiplier and the
/// number of digits it adds.
fn split_unit(text: &str) -> (&str, (Decimal, usize)) {
    let lower = text.to_lowercase();
    for (suffix, multiplier, digits) in [
        ("mnkr", 1_000_000, 6),
        ("mkr", 1_000_000, 6),
        ("tkr", 1_000, 3),
        ("kr", 1, 0),
    ] {
        if lower.ends_with(suffix) && text.is_char_boundary(text.len() - suffix.len()) {
            let number = text[..text.len() - suffix.len()].trim_end();
            return (number, (Decimal::from(multiplier), digits));
        }
    }
    (text, (Decimal::ONE, 0))
}

fn integer_digits(amount: Decimal) -> usize {
    let whole = amount.abs().trunc();
    if whole.is_zero() {
        0
    } else {
        whole.to_string().len()
    }
}

/// Appends `whole` in digits grouped by three with non-breaking spaces: `3 200 000`.
fn push_grouped(out: &mut String, whole: u64) {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    let mut rest = whole;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = &digits[start..];
    for (i, digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(number::NBSP);
        }
        out.push(char::from(*digit));
    }
}

fn signed(negative: bool, text: &str) -> String {
    if negative {
        format!("{MINUS}{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// 999 999 999 999,99 kr in öre: the largest amount NUMERIC(14,2) holds.
    const MAX_CENTS: i64 = 99_999_999_999_999;

    fn kr(text: &str) -> Decimal {
        Money::parse(text).unwrap().amount()
    }

    #[test]
    fn accepts_the_forms_people_write() {
        assert_eq!(kr("3 200 000"), Decimal::from(3_200_000));
        assert_eq!(kr("3200000"), Decimal::from(3_200_000));
        assert_eq!(kr("3 200 000,50"), Decimal::new(320_000_050, 2));
        assert_eq!(kr("-19 000"), Decimal::from(-19_000));
        assert_eq!(kr("−19 000"), Decimal::from(-19_000));
        assert_eq!(kr("3,2 mnkr"), Decimal::from(3_200_000));
        assert_eq!(kr("2 636 tkr"), Decimal::from(2_636_000));
        assert_eq!(kr("3\u{a0}200\u{a0}000 kr"), Decimal::from(3_200_000));
        assert_eq!(kr("  700 000  "), Decimal::from(700_000));
        assert_eq!(kr("0"), Decimal::ZERO);
    }

    #[test]
    fn refuses_anything_else_and_says_what_was_typed() {
        for bad in [
            "",
            "NaN",
            "1e309",
            "12,34,56",
            "3.200.000",
            "3 2000",
            "abc",
            "1,",
            ",5",
            "--5",
            "5-",
            "1 000,5 0",
            "inf",
            "0x10",
            "+-1",
        ] {
            assert!(
                matches!(Money::parse(bad), Err(MoneyError::NotANumber(_))),
                "{bad:?} should be refused"
            );
        }
        assert_eq!(
            Money::parse("abc").unwrap_err().to_string(),
            "”abc” är inget belopp. Skriv till exempel 3 200 000, 3 200 000,50, 3,2 mnkr eller 2 636 tkr."
        );
        assert!(matches!(
            Money::parse("1,001"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            Money::parse("1,234567 tkr"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            Money::parse("1 234 567 890 123"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            Money::parse("1 000 000 mnkr"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(Money::parse("999 999 999 999,99").is_ok());
        assert!(matches!(
            Money::parse(&"9".repeat(400)),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn formats_like_the_seed() {
        assert_eq!(Money::kr(3_200_000).format_kr(), "3\u{a0}200\u{a0}000");
        assert_eq!(Money::kr(-19_000).format_kr(), "\u{2212}19\u{a0}000");
        assert_eq!(Money::kr(386_659).format_kr(), "386\u{a0}659");
        assert_eq!(Money::kr(0).format_kr(), "0");
        assert_eq!(Money::parse("1234,5").unwrap().format_kr(), "1\u{a0}234,50");
        assert_eq!(Money::kr(2_635_859).format_tkr(), "2\u{a0}636");
        assert_eq!(Money::kr(64_141).format_tkr(), "64");
        assert_eq!(Money::kr(-500).format_tkr(), "\u{2212}1");
        assert_eq!(Money::kr(-499).format_tkr(), "0");
        assert_eq!(Money::kr(3_200_000).format_mnkr(), "3,2");
        assert_eq!(Money::kr(12_600_000).format_mnkr(), "12,6");
    }

    #[test]
    fn rounds_half_away_from_zero_and_never_shows_minus_zero() {
        assert_eq!(Money::kr(50_000).format_mnkr(), "0,1");
        assert_eq!(Money::kr(-50_000).format_mnkr(), "\u{2212}0,1");
        assert_eq!(Money::parse("-49 999,99").unwrap().format_mnkr(), "0,0");
        assert_eq!(Money::kr(-4_999).format_mnkr_cents(), "0,00");
        assert_eq!(Money::kr(-5_000).format_mnkr_cents(), "\u{2212}0,01");
        assert_eq!(Money::kr(1_234_567_890).format_mnkr(), "1\u{a0}234,6");
        assert_eq!(Money::parse("0,01").unwrap().format_tkr(), "0");
    }

    proptest! {
        /// The integer rounding of whole öre agrees with decimal arithmetic, which is kept for
        /// amounts that are not whole öre.
        #[test]
        fn scaled_formats_agree_with_decimal_arithmetic(m in any_money()) {
            for (unit_digits, decimals) in [(3, 0), (6, 1), (6, 2)] {
                prop_assert_eq!(
                    m.format_scaled(unit_digits, decimals),
                    m.format_scaled_decimal(unit_digits, decimals)
                );
            }
        }
    }

    fn any_money() -> impl Strategy<Value = Money> {
        (-MAX_CENTS..=MAX_CENTS).prop_map(|cents| Money::new(Decimal::new(cents, 2)).unwrap())
    }

    proptest! {
        #[test]
        fn formatted_amounts_parse_back_to_themselves(m in any_money()) {
            prop_assert_eq!(Money::parse(&m.format_kr()).unwrap(), m);
        }

        #[test]
        fn plain_digits_parse(cents in -MAX_CENTS..=MAX_CENTS) {
            let d = Decimal::new(cents, 2);
            let typed = d.to_string().replace('.', ",");
            prop_assert_eq!(Money::parse(&typed).unwrap().amount(), d.normalize());
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
            let _ = Money::parse(&s);
        }

        #[test]
        fn more_than_twelve_integer_digits_are_refused(n in 1_000_000_000_000_u64..u64::MAX) {
            prop_assert!(matches!(Money::parse(&n.to_string()), Err(MoneyError::TooLarge(_))));
        }

        #[test]
        fn three_decimals_are_refused(cents in 0_i64..1_000_000, last in 1_i64..10) {
            let typed = format!("{},{:02}{}", cents / 100, cents % 100, last);
            prop_assert!(matches!(Money::parse(&typed), Err(MoneyError::TooPrecise(_))));
        }
    }
}
