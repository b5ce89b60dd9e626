//! The scales the SVG charts share: an axis that ends at a round figure, and a value's place
//! along an axis as a whole number of view-box units (no floating point in `src/`).

use rust_decimal::Decimal;

/// The axis' top: the highest value rounded up to a round figure (1, 1.5, 2, 2.5, 3, 4, 5, 6 or
/// 8 times a power of ten), so the top label reads easily and the data fill most of the axis.
pub fn nice_top(highest: Decimal) -> Decimal {
    if highest <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let mut step = Decimal::ONE;
    while step * Decimal::TEN <= highest {
        step *= Decimal::TEN;
    }
    [10, 15, 20, 25, 30, 40, 50, 60, 80, 100]
        .iter()
        .map(|m| step * Decimal::from(*m) / Decimal::TEN)
        .find(|t| *t >= highest)
        .unwrap_or(step * Decimal::TEN)
}

/// `value` of `top` as a share of `length`, whole: below zero stays at 0, above `top` at
/// `length`; nothing when the axis has no extent.
pub fn share(value: Decimal, top: Decimal, length: i64) -> i64 {
    if top <= Decimal::ZERO {
        return 0;
    }
    i64::try_from((value.max(Decimal::ZERO) * Decimal::from(length) / top).round())
        .unwrap_or(0)
        .min(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn the_top_is_a_round_figure_at_or_above_the_highest() {
        assert_eq!(nice_top(d(2050000)), d(2500000));
        assert_eq!(nice_top(d(3500000)), d(4000000));
        assert_eq!(nice_top(d(1000000)), d(1000000));
        assert_eq!(nice_top(d(1200)), d(1500));
        assert_eq!(nice_top(d(8100)), d(10000));
    }

    #[test]
    fn values_are_placed_along_the_axis() {
        assert_eq!(share(d(250), d(1000), 400), 100);
        assert_eq!(share(d(2000), d(1000), 400), 400);
        assert_eq!(share(d(-5), d(1000), 400), 0);
        assert_eq!(share(d(5), d(0), 400), 0);
    }
}
