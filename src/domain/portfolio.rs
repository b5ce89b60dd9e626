//! The digitalisation portfolio's rules (seed 002): kinds and statuses of items, the quarter a
//! round belongs to, its phases and decisions, the benefit valuation and the cut line.

use std::{fmt, str::FromStr};

use rust_decimal::Decimal;

use crate::{coded_enum, domain::money::Money};

coded_enum! {
    /// Why an item is on the portfolio.
    pub enum Kind {
        NewNeed = ("new_need", "Nytt behov"),
        Change = ("change", "Förändring"),
        Maintenance = ("maintenance", "Förvaltning"),
        /// Required by law or for security: always in the selection.
        Mandatory = ("mandatory", "Tvingande (lag eller säkerhet)"),
    }
}

coded_enum! {
    pub enum Complexity {
        Low = ("low", "Låg"),
        Medium = ("medium", "Medel"),
        High = ("high", "Hög"),
    }
}

coded_enum! {
    /// Where an item is: proposed → in a round → prioritised / postponed / rejected → ordered →
    /// delivered.
    pub enum ItemStatus {
        Proposed = ("proposed", "Föreslaget"),
        InRound = ("in_round", "I omgång"),
        Prioritised = ("prioritised", "Prioriterat"),
        Postponed = ("postponed", "Framflyttat"),
        Rejected = ("rejected", "Avslaget"),
        Ordered = ("ordered", "Beställt"),
        Delivered = ("delivered", "Levererat"),
    }
}

impl ItemStatus {
    /// Items whose work is done or under way, so that a dependency on them is met.
    pub fn is_done_or_under_way(self) -> bool {
        matches!(self, ItemStatus::Ordered | ItemStatus::Delivered)
    }
}

coded_enum! {
    /// A round's phase; each moves only to the next.
    pub enum Phase {
        Compiling = ("compiling", "Sammanställning"),
        Review = ("review", "Beredning i IT-strategigrupperna"),
        Meeting = ("meeting", "Prioriteringsmöte"),
        Decided = ("decided", "Beslutad"),
    }
}

impl Phase {
    /// The phase named inside a sentence ("… är nu i fasen beredning i IT-strategigrupperna"):
    /// the label with a small first letter, and nothing else lowered, so "IT" stays "IT".
    pub fn in_sentence(self) -> String {
        let mut chars = self.label().chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_lowercase().chain(chars).collect()
        })
    }

    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Compiling => Some(Phase::Review),
            Phase::Review => Some(Phase::Meeting),
            Phase::Meeting => Some(Phase::Decided),
            Phase::Decided => None,
        }
    }
}

coded_enum! {
    /// The coordination group's decision on one item.
    pub enum Decision {
        Prioritised = ("prioritised", "Prioriteras"),
        Postponed = ("postponed", "Skjuts upp"),
        Rejected = ("rejected", "Avslås"),
    }
}

impl Decision {
    /// The status the item takes when the round is decided.
    pub fn item_status(self) -> ItemStatus {
        match self {
            Decision::Prioritised => ItemStatus::Prioritised,
            Decision::Postponed => ItemStatus::Postponed,
            Decision::Rejected => ItemStatus::Rejected,
        }
    }
}

/// A calendar quarter, written `2026-Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    quarter: u8,
}

impl Quarter {
    pub fn new(year: i32, quarter: u8) -> Option<Self> {
        ((2000..=2100).contains(&year) && (1..=4).contains(&quarter))
            .then_some(Quarter { year, quarter })
    }

    /// The quarter a date falls in.
    pub fn of(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Quarter {
            year: date.year(),
            quarter: u8::try_from(date.month0() / 3 + 1).unwrap_or(4),
        }
    }

    pub fn next(self) -> Self {
        if self.quarter == 4 {
            Quarter {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                quarter: self.quarter + 1,
                ..self
            }
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

impl FromStr for Quarter {
    type Err = String;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let refuse = || format!("”{input}” är inget kvartal. Skriv till exempel 2026-Q4.");
        let text = input.trim().to_uppercase();
        let (year, quarter) = text.split_once("-Q").ok_or_else(refuse)?;
        match (year.parse(), quarter.parse()) {
            (Ok(year), Ok(quarter)) if year_shaped(year) => {
                Quarter::new(year, quarter).ok_or_else(refuse)
            }
            _ => Err(refuse()),
        }
    }
}

fn year_shaped(year: i32) -> bool {
    (1000..=9999).contains(&year)
}

coded_enum! {
    /// The four scores every item carries (nyttovärdering), each 0–5 by the business; a
    /// round's prioritisation model weighs them (`domain::scoring`): a small model everyone can
    /// recompute by hand, as the municipalities in seed 001 prefer over the national one.
    pub enum Criterion {
        Citizen = ("citizen", "Nytta för invånare"),
        Efficiency = ("efficiency", "Effektivitet och tidsbesparing"),
        Necessity = ("necessity", "Lag- eller säkerhetskrav"),
        Strategy = ("strategy", "Strategisk koppling till fullmäktiges mål"),
    }
}

/// The highest score of one criterion.
pub const MAX_SCORE: u8 = 5;

/// Scores 0–5 per criterion, in the order of [`Criterion::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scores(pub [u8; 4]);

impl Scores {
    /// From the four stored `smallint` columns, in criterion order.
    pub fn from_columns(columns: [i16; 4]) -> Self {
        Scores(small_values(columns))
    }
}

/// Stored `smallint` scores as `u8`. The table's checks keep them within 0–5, so a value
/// outside `u8` cannot come back; it would read as 0.
fn small_values(columns: [i16; 4]) -> [u8; 4] {
    columns.map(|v| u8::try_from(v).unwrap_or(0))
}

/// What one item asks of the round's capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demand {
    pub hours: u64,
    /// Investment plus one year's running cost: the money the round's budget frame must cover.
    pub cost: Money,
}

/// Where the running totals of a ranking pass the round's limits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CutLine {
    /// Index of the first ranked item whose cumulative hours exceed the capacity.
    pub hours: Option<usize>,
    /// Index of the first ranked item whose cumulative cost exceeds the budget.
    pub cost: Option<usize>,
}

impl CutLine {
    /// The first item that no longer fits either limit: the line is drawn above it.
    pub fn first_outside(&self) -> Option<usize> {
        match (self.hours, self.cost) {
            (Some(h), Some(c)) => Some(h.min(c)),
            (h, c) => h.or(c),
        }
    }
}

/// Walks the ranked items in order, accumulating hours and cost, and finds where each limit is
/// first exceeded.
pub fn cut_line(ranked: &[Demand], hours_capacity: u64, budget: Money) -> CutLine {
    let mut line = CutLine::default();
    let (mut hours, mut cost) = (0u64, Decimal::ZERO);
    for (i, d) in ranked.iter().enumerate() {
        hours += d.hours;
        cost += d.cost.amount();
        if line.hours.is_none() && hours > hours_capacity {
            line.hours = Some(i);
        }
        if line.cost.is_none() && cost > budget.amount() {
            line.cost = Some(i);
        }
    }
    line
}

/// The order gate (seed 002: "inga beställningar genomförs utan att de är prioriterade"): an
/// item may be ordered only if the latest decided round, given as its quarter and its decision
/// on the item, prioritised it. The refusal says why.
pub fn order_gate(latest: Option<(&str, Option<Decision>)>) -> Result<(), String> {
    match order_refusal(latest) {
        None => Ok(()),
        Some(refusal) => Err(format!(
            "Beställningen kan inte genomföras: {refusal}. Inga beställningar genomförs utan att \
             objektet är prioriterat."
        )),
    }
}

/// Why the gate refuses an order, as a clause ("objektet fanns inte med i …"); None when it
/// allows it. The item page says this next to a waiting order instead of offering a button
/// that would be refused.
pub fn order_refusal(latest: Option<(&str, Option<Decision>)>) -> Option<String> {
    Some(match latest {
        None => "ingen prioriteringsomgång är beslutad ännu".to_owned(),
        Some((_, Some(Decision::Prioritised))) => return None,
        Some((quarter, None)) => {
            format!("objektet fanns inte med i den senast beslutade omgången ({quarter})")
        }
        Some((quarter, Some(Decision::Postponed))) => {
            format!(
                "samordningsgruppen sköt upp objektet i den senast beslutade omgången ({quarter})"
            )
        }
        Some((quarter, Some(Decision::Rejected))) => {
            format!(
                "samordningsgruppen avslog objektet i den senast beslutade omgången ({quarter})"
            )
        }
    })
}

/// An item's number as people say it in the meeting: `P-014`.
pub fn item_reference(number: i32) -> String {
    format!("P-{number:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_follow_each_other() {
        let q: Quarter = "2026-q4".parse().unwrap();
        assert_eq!(q.to_string(), "2026-Q4");
        assert_eq!(q.next().to_string(), "2027-Q1");
        assert!("2026-Q5".parse::<Quarter>().is_err());
        assert!("26-Q1".parse::<Quarter>().is_err());
        assert!("2026 Q1".parse::<Quarter>().is_err());
        assert_eq!(
            Quarter::of(chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()).to_string(),
            "2026-Q4"
        );
        assert!(Quarter::new(2026, 1) < Quarter::new(2026, 2));
    }

    #[test]
    fn the_cut_line_falls_where_either_limit_is_first_passed() {
        let d = |hours, kr| Demand {
            hours,
            cost: Money::kr(kr),
        };
        let ranked = [d(100, 50_000), d(100, 200_000), d(100, 10_000), d(50, 0)];
        let line = cut_line(&ranked, 250, Money::kr(240_000));
        assert_eq!(line.hours, Some(2));
        assert_eq!(line.cost, Some(1));
        assert_eq!(line.first_outside(), Some(1));
        // Exactly at the limit is inside.
        let line = cut_line(&ranked, 350, Money::kr(260_000));
        assert_eq!(line, CutLine::default());
    }

    #[test]
    fn only_items_prioritised_in_the_latest_decided_round_may_be_ordered() {
        assert_eq!(
            order_gate(Some(("2026-Q3", Some(Decision::Prioritised)))),
            Ok(())
        );
        let refused = |latest| order_gate(latest).unwrap_err();
        assert!(refused(None).contains("ingen prioriteringsomgång är beslutad"));
        assert!(refused(Some(("2026-Q3", None))).contains("fanns inte med"));
        assert!(refused(Some(("2026-Q3", Some(Decision::Postponed)))).contains("sköt upp"));
        assert!(refused(Some(("2026-Q3", Some(Decision::Rejected)))).contains("avslog"));
        assert_eq!(
            order_refusal(Some(("2026-Q3", Some(Decision::Prioritised)))),
            None
        );
        assert_eq!(
            order_refusal(Some(("2026-Q3", None))).as_deref(),
            Some("objektet fanns inte med i den senast beslutade omgången (2026-Q3)")
        );
    }

    #[test]
    fn codes_and_labels_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
            assert_eq!(Kind::from_text(&kind.label().to_uppercase()), Some(kind));
        }
        assert_eq!(Phase::Compiling.next(), Some(Phase::Review));
        assert_eq!(Phase::Decided.next(), None);
        assert_eq!(
            Phase::Review.in_sentence(),
            "beredning i IT-strategigrupperna"
        );
        assert_eq!(item_reference(7), "P-007");
    }
}
