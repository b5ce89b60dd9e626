//! The benefit register's rules: a benefit's kind and status as stored, the calendar years its
//! calculation plans it for, when its follow-up is overdue, and the SMART check of effect goals
//! extended to benefits (seed 004: nothing had been followed up, and the goals were not SMART).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::domain::effect_goal::SmartFlag;

crate::coded_enum! {
    /// The kind of a benefit line, as ESV's model names them.
    pub enum KindCode {
        Financial = ("financial", "Ekonomisk (budgetpåverkande)"),
        Redistributable = ("redistributable", "Omfördelningsbar (frigjord tid)"),
        Qualitative = ("qualitative", "Kvalitativ"),
    }
}

impl KindCode {
    /// The unit a benefit of this kind is planned and measured in.
    pub fn unit(self) -> &'static str {
        match self {
            KindCode::Financial => "kr per år",
            KindCode::Redistributable => "timmar per år",
            KindCode::Qualitative => "betyg 1–5",
        }
    }
}

crate::coded_enum! {
    /// Where a benefit's realisation stands.
    pub enum Status {
        Planned = ("planned", "Planerad"),
        BeingRealised = ("being_realised", "Under realisering"),
        Realised = ("realised", "Realiserad"),
        PartlyRealised = ("partly_realised", "Delvis realiserad"),
        /// Needs its reason.
        NotRealised = ("not_realised", "Ej realiserad"),
    }
}

/// Where a benefit sits in its calculation's years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The calendar year of the calculation's year 1.
    pub first_year: i32,
    /// The calculation year (1-based) the benefits start.
    pub start: u32,
    pub horizon: u32,
}

impl Schedule {
    /// The first calendar year the benefit is planned to be realised.
    pub fn planned_from(&self) -> i32 {
        self.first_year + i32::try_from(self.start).unwrap_or(1) - 1
    }

    /// The last calendar year of the calculation.
    pub fn planned_to(&self) -> i32 {
        self.first_year + i32::try_from(self.horizon).unwrap_or(1) - 1
    }

    /// The planned realisation in calendar year `year`: the yearly value within the planned
    /// years, nothing outside them.
    pub fn planned_in(&self, year: i32, yearly: Decimal) -> Decimal {
        if (self.planned_from()..=self.planned_to()).contains(&year) {
            yearly
        } else {
            Decimal::ZERO
        }
    }
}

/// What the follow-up rules need to know about a benefit.
#[derive(Debug, Clone)]
pub struct Facts {
    pub kind: KindCode,
    /// Kronor or hours a year; none for a qualitative benefit.
    pub amount: Option<Decimal>,
    pub has_owner: bool,
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub status: Status,
    pub schedule: Schedule,
    pub measurement_count: i64,
}

/// Overdue: the first planned year has ended and nothing has been measured, unless the owner has
/// said why it was not realised.
pub fn overdue(facts: &Facts, today: NaiveDate) -> bool {
    today.year() > facts.schedule.planned_from()
        && facts.measurement_count == 0
        && facts.status != Status::NotRealised
}

/// A completed project's benefit follow-up is overdue when twelve months have passed since it
/// was last followed up (a benefit or effect-goal measurement), counted from its completion if
/// that is later or it has none.
pub fn project_follow_up_overdue(
    completed_on: NaiveDate,
    last_follow_up: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let since = last_follow_up.map_or(completed_on, |last| last.max(completed_on));
    since
        .checked_add_months(chrono::Months::new(12))
        .is_some_and(|due| due < today)
}

/// The reasons a benefit is not SMART on `today`, in the effect goals' order; empty when it is.
/// A benefit is time-bound by its calculation's years, so it never lacks a target date.
pub fn smart_flags(facts: &Facts, today: NaiveDate) -> Vec<SmartFlag> {
    let mut flags = Vec::new();
    if !facts.has_owner {
        flags.push(SmartFlag::NoOwner);
    }
    if facts.indicator.trim().is_empty() {
        flags.push(SmartFlag::NoIndicator);
    }
    if facts.kind != KindCode::Qualitative && facts.amount.is_none_or(|a| a.is_zero()) {
        flags.push(SmartFlag::NotMeasurable);
    }
    if facts.baseline.is_none() {
        flags.push(SmartFlag::NoBaseline);
    }
    if overdue(facts, today) {
        flags.push(SmartFlag::OverdueWithoutMeasurement);
    }
    flags
}

/// One calendar year of a benefit's follow-up: what the calculation promised and what was
/// measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearRealisation {
    pub year: i32,
    pub planned: Decimal,
    /// The year's last measurement (a benefit is a rate a year: kronor or hours a year, or a
    /// rating); `None` when nothing was measured in the year.
    pub realised: Option<Decimal>,
}

/// What a benefit realised in `year`: its last measurement dated in that year. A benefit is
/// measured as a yearly rate, so two readings in one year are not added up.
pub fn realised_in(year: i32, measurements: &[(NaiveDate, Decimal)]) -> Option<Decimal> {
    measurements
        .iter()
        .filter(|(d, _)| d.year() == year)
        .max_by_key(|(d, _)| *d)
        .map(|(_, v)| *v)
}

/// The years from the first planned (or measured) to the last planned (or measured), each with
/// its plan and its realisation. `measurements` are (date, value) in any order.
pub fn realisation(
    schedule: Schedule,
    yearly: Decimal,
    measurements: &[(NaiveDate, Decimal)],
) -> Vec<YearRealisation> {
    let measured = measurements.iter().map(|(d, _)| d.year());
    let from = measured
        .clone()
        .min()
        .map_or(schedule.planned_from(), |y| y.min(schedule.planned_from()));
    let to = measured
        .max()
        .map_or(schedule.planned_to(), |y| y.max(schedule.planned_to()));
    (from..=to)
        .map(|year| YearRealisation {
            year,
            planned: schedule.planned_in(year, yearly),
            realised: realised_in(year, measurements),
        })
        .collect()
}

/// A measured value in kronor: a financial benefit's own, a redistributable one's hours at the
/// hourly cost; a rating has no value in kronor.
pub fn in_kronor(kind: KindCode, value: Decimal, hourly_cost: Decimal) -> Decimal {
    match kind {
        KindCode::Financial => value,
        KindCode::Redistributable => value * hourly_cost,
        KindCode::Qualitative => Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            kind: KindCode::Financial,
            amount: Some(Decimal::from(60_000)),
            has_owner: true,
            indicator: "Licenskostnad i ekonomisystemet".into(),
            baseline: Some(Decimal::from(120_000)),
            status: Status::Planned,
            schedule: Schedule {
                first_year: 2024,
                start: 2,
                horizon: 5,
            },
            measurement_count: 0,
        }
    }

    fn day(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 6, 1).expect("a date")
    }

    #[test]
    fn the_schedule_counts_calendar_years_from_the_start() {
        let s = facts().schedule;
        assert_eq!((s.planned_from(), s.planned_to()), (2025, 2028));
        let yearly = Decimal::from(10);
        assert_eq!(s.planned_in(2024, yearly), Decimal::ZERO);
        assert_eq!(s.planned_in(2025, yearly), yearly);
        assert_eq!(s.planned_in(2028, yearly), yearly);
        assert_eq!(s.planned_in(2029, yearly), Decimal::ZERO);
    }

    #[test]
    fn overdue_once_the_first_planned_year_has_ended_without_a_measurement() {
        let mut f = facts();
        assert!(!overdue(&f, day(2025)), "the planned year is still running");
        assert!(overdue(&f, day(2026)));
        f.measurement_count = 1;
        assert!(!overdue(&f, day(2026)), "measured");
        f.measurement_count = 0;
        f.status = Status::NotRealised;
        assert!(
            !overdue(&f, day(2026)),
            "the owner said why it was not realised"
        );
    }

    fn on(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).expect("a date")
    }

    #[test]
    fn a_years_realisation_is_its_last_reading() {
        let s = facts().schedule;
        let yearly = Decimal::from(60_000);
        let measured = [
            (on(2025, 9), Decimal::from(20_000)),
            (on(2025, 3), Decimal::from(15_000)),
            (on(2029, 1), Decimal::from(70_000)),
        ];
        let years = realisation(s, yearly, &measured);
        let years: Vec<(i32, Decimal, Option<Decimal>)> = years
            .iter()
            .map(|y| (y.year, y.planned, y.realised))
            .collect();
        assert_eq!(
            years,
            vec![
                (2025, yearly, Some(Decimal::from(20_000))),
                (2026, yearly, None),
                (2027, yearly, None),
                (2028, yearly, None),
                (2029, Decimal::ZERO, Some(Decimal::from(70_000))),
            ]
        );
        let ratings = [
            (on(2026, 2), Decimal::from(2)),
            (on(2026, 11), Decimal::from(4)),
        ];
        let rated = realisation(s, Decimal::from(3), &ratings);
        assert_eq!(rated[1].realised, Some(Decimal::from(4)));
        assert_eq!(
            rated.len(),
            4,
            "no measurement outside the plan: the planned years"
        );
    }

    #[test]
    fn a_completed_project_is_overdue_twelve_months_after_its_last_follow_up() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a date");
        let completed = d(2025, 6, 30);
        assert!(!project_follow_up_overdue(completed, None, d(2026, 6, 30)));
        assert!(project_follow_up_overdue(completed, None, d(2026, 7, 1)));
        let measured = Some(d(2026, 3, 1));
        assert!(!project_follow_up_overdue(
            completed,
            measured,
            d(2027, 3, 1)
        ));
        assert!(project_follow_up_overdue(
            completed,
            measured,
            d(2027, 3, 2)
        ));
        let before = Some(d(2024, 1, 1));
        assert!(
            !project_follow_up_overdue(completed, before, d(2026, 6, 1)),
            "measured during the project: counted from the completion"
        );
    }

    #[test]
    fn measured_hours_are_valued_at_the_hourly_cost_and_ratings_not_at_all() {
        let cost = Decimal::from(500);
        let ten = Decimal::from(10);
        assert_eq!(in_kronor(KindCode::Financial, ten, cost), ten);
        assert_eq!(
            in_kronor(KindCode::Redistributable, ten, cost),
            Decimal::from(5000)
        );
        assert_eq!(in_kronor(KindCode::Qualitative, ten, cost), Decimal::ZERO);
    }

    #[test]
    fn each_missing_part_is_flagged_and_a_complete_benefit_has_none() {
        assert!(smart_flags(&facts(), day(2025)).is_empty());
        let bare = Facts {
            has_owner: false,
            indicator: " ".into(),
            amount: Some(Decimal::ZERO),
            baseline: None,
            ..facts()
        };
        assert_eq!(
            smart_flags(&bare, day(2026)),
            vec![
                SmartFlag::NoOwner,
                SmartFlag::NoIndicator,
                SmartFlag::NotMeasurable,
                SmartFlag::NoBaseline,
                SmartFlag::OverdueWithoutMeasurement,
            ]
        );
        let rated = Facts {
            kind: KindCode::Qualitative,
            amount: None,
            ..facts()
        };
        assert!(
            smart_flags(&rated, day(2025)).is_empty(),
            "a rating is its measure"
        );
    }
}
