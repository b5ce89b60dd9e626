//! A year's amount spread evenly over its twelve months, to the öre: every month gets the same
//! whole-öre share and the first months one öre more each until the months add up to the year
//! exactly, so no öre is invented or lost.

use rust_decimal::Decimal;

use crate::domain::money::Money;

/// Twelve monthly amounts, January first, that sum exactly to `year`.
pub fn evenly(year: Money) -> [Money; 12] {
    let ore = (year.amount() * Decimal::ONE_HUNDRED).trunc();
    let twelve = Decimal::from(12);
    // Truncated towards zero, so a negative year spreads as the mirror of a positive one.
    let share = (ore / twelve).trunc();
    let rest = ore - share * twelve;
    let step = if rest.is_sign_negative() {
        -Decimal::ONE
    } else {
        Decimal::ONE
    };
    let extra_months = rest.abs();
    std::array::from_fn(|month| {
        let extra = if Decimal::from(month) < extra_months {
            step
        } else {
            Decimal::ZERO
        };
        Money::from_stored((share + extra) / Decimal::ONE_HUNDRED)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn the_first_months_take_the_remainder_and_the_months_sum_to_the_year() {
        let months = evenly(kr("1 000 000"));
        assert_eq!(months[0], kr("83 333,34"));
        assert_eq!(months[3], kr("83 333,34"));
        assert_eq!(months[4], kr("83 333,33"));
        assert_eq!(months.iter().copied().sum::<Money>(), kr("1 000 000"));
    }

    #[test]
    fn negative_and_small_years_sum_exactly_too() {
        for year in [
            "−1 000 000",
            "0,05",
            "−0,11",
            "0",
            "12",
            "999 999 999 999,99",
        ] {
            let months = evenly(kr(year));
            assert_eq!(months.iter().copied().sum::<Money>(), kr(year), "{year}");
            let spread = months.iter().map(|m| m.amount()).max().unwrap()
                - months.iter().map(|m| m.amount()).min().unwrap();
            assert!(spread <= Decimal::new(1, 2), "{year}: {months:?}");
        }
    }
}
