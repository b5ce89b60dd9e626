//! The members' share of a joint board's result. A board shared by several municipalities
//! (Gemensamma servicenämnden) must end the year at zero: a surplus is returned to, and a deficit
//! charged to, the members by the board's allocation key (medlemsbidragets fördelningsnyckel)
//! for that year.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::money::Money;

/// `amount` split by `key` (each member's percent, summing to 100), exact to the öre: each
/// share is rounded down to the öre and the öre left over go one each to the members with the
/// largest remainders (ties: first in the key), so the shares always add up to `amount`.
pub fn member_shares<'a>(amount: Money, key: &[(&'a str, Decimal)]) -> Vec<(&'a str, Money)> {
    let total = amount.amount();
    let exact: Vec<Decimal> = key
        .iter()
        .map(|(_, percent)| total * percent / Decimal::ONE_HUNDRED)
        .collect();
    let mut shares: Vec<Decimal> = exact
        .iter()
        .map(|e| e.round_dp_with_strategy(2, RoundingStrategy::ToZero))
        .collect();
    let step = if total.is_sign_negative() {
        Decimal::new(-1, 2)
    } else {
        Decimal::new(1, 2)
    };
    let mut left = ((total - shares.iter().sum::<Decimal>()) / step)
        .round()
        .try_into()
        .unwrap_or(0usize);
    let mut order: Vec<usize> = (0..key.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = (exact[a] - shares[a]).abs();
        let rb = (exact[b] - shares[b]).abs();
        rb.cmp(&ra).then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += step;
        left -= 1;
    }
    key.iter()
        .zip(shares)
        .map(|((name, _), share)| (*name, Money::from_stored(share)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(p: i64) -> Decimal {
        Decimal::from(p)
    }

    #[test]
    fn a_surplus_is_split_by_the_key_and_adds_up_to_the_ore() {
        let key = [("Ludvika", pct(70)), ("Smedjebacken", pct(30))];
        let shares = member_shares(Money::kr(2_100_000), &key);
        assert_eq!(
            shares,
            vec![
                ("Ludvika", Money::kr(1_470_000)),
                ("Smedjebacken", Money::kr(630_000))
            ]
        );
    }

    #[test]
    fn odd_ore_go_to_the_largest_remainders_and_deficits_keep_their_sign() {
        let key = [
            ("A", pct(1) / pct(3) * pct(100)),
            ("B", pct(1) / pct(3) * pct(100)),
            ("C", pct(100) - pct(2) * (pct(1) / pct(3) * pct(100))),
        ];
        for amount in [
            Money::kr(100),
            -Money::kr(100),
            Money::from_stored(Decimal::new(1, 2)),
        ] {
            let shares = member_shares(amount, &key);
            let sum: Money = shares.iter().map(|(_, m)| *m).sum();
            assert_eq!(sum, amount, "{amount:?}");
            assert!(
                shares
                    .iter()
                    .all(|(_, m)| m.is_negative() == amount.is_negative() || m.amount().is_zero())
            );
        }
    }
}
