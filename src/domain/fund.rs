//! The digitalisation fund's rules: an application's status and the decision on it, and when a
//! grant counts as followed up.

use rust_decimal::Decimal;

crate::coded_enum! {
    /// Where an application to the fund stands.
    pub enum ApplicationStatus {
        Applied = ("applied", "Ansökt"),
        Granted = ("granted", "Beviljad"),
        Refused = ("refused", "Avslagen"),
    }
}

/// A decision on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Granted this amount (at most what was applied for).
    Grant(Decimal),
    /// Refused, with the reason.
    Refuse(String),
}

impl Decision {
    pub fn status(&self) -> ApplicationStatus {
        match self {
            Decision::Grant(_) => ApplicationStatus::Granted,
            Decision::Refuse(_) => ApplicationStatus::Refused,
        }
    }
}

/// A grant is followed up once it has a follow-up record or a measured benefit: the auditors'
/// question is whether anyone has looked at what the money did.
pub fn followed_up(follow_ups: i64, measured_benefits: i64) -> bool {
    follow_ups > 0 || measured_benefits > 0
}

/// A share in per cent with one decimal; none of nothing.
pub fn share(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (!whole.is_zero()).then(|| (part * Decimal::ONE_HUNDRED / whole).round_dp(1))
}

/// A share as the pages write it: "41,9 %"; "–" for none.
pub fn format_share(share: Option<Decimal>) -> String {
    share.map_or("–".into(), |s| {
        format!("{} %", s.to_string().replace('.', ","))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_is_rounded_to_one_decimal_and_none_of_nothing() {
        assert_eq!(
            share(Decimal::from(1), Decimal::from(3)),
            Some(Decimal::new(333, 1))
        );
        assert_eq!(share(Decimal::ONE, Decimal::ZERO), None);
        assert_eq!(
            format_share(share(Decimal::from(650), Decimal::from(1550))),
            "41,9 %"
        );
        assert_eq!(format_share(None), "–");
        assert!(followed_up(0, 1) && followed_up(1, 0) && !followed_up(0, 0));
    }
}
