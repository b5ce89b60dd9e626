//! Effect goals: the final assessment and the SMART check the auditors asked for (seed 004):
//! a goal must be measurable (a target value with a unit), have a baseline and a target date,
//! and be measured once its date has passed.

use chrono::NaiveDate;
use rust_decimal::Decimal;

crate::coded_enum! {
    /// The final assessment of an effect goal.
    pub enum Assessment {
        Achieved = ("achieved", "Uppnått"),
        PartlyAchieved = ("partly_achieved", "Delvis uppnått"),
        NotAchieved = ("not_achieved", "Ej uppnått"),
        NotYetAssessable = ("not_yet_assessable", "Kan ännu inte bedömas"),
    }
}

/// What the SMART check needs to know about a goal.
#[derive(Debug, Clone)]
pub struct GoalFacts {
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub target_value: Option<Decimal>,
    pub unit: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub measurement_count: i64,
}

/// A reason a goal is not SMART.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmartFlag {
    NoIndicator,
    NotMeasurable,
    NoBaseline,
    NoTargetDate,
    OverdueWithoutMeasurement,
    /// A benefit with no named owner (a person) to follow it up.
    NoOwner,
}

impl SmartFlag {
    pub fn code(self) -> &'static str {
        match self {
            SmartFlag::NoIndicator => "no_indicator",
            SmartFlag::NotMeasurable => "not_measurable",
            SmartFlag::NoBaseline => "no_baseline",
            SmartFlag::NoTargetDate => "no_target_date",
            SmartFlag::OverdueWithoutMeasurement => "overdue",
            SmartFlag::NoOwner => "no_owner",
        }
    }

    /// The flag in a few words, for a list with a row per goal or benefit; the full reason is
    /// on the goal's or benefit's own page.
    pub fn short(self) -> &'static str {
        match self {
            SmartFlag::NoIndicator => "Indikator saknas",
            SmartFlag::NotMeasurable => "Inte mätbart",
            SmartFlag::NoBaseline => "Utgångsläge saknas",
            SmartFlag::NoTargetDate => "Måldatum saknas",
            SmartFlag::OverdueWithoutMeasurement => "Ej mätt i tid",
            SmartFlag::NoOwner => "Nyttoägare saknas",
        }
    }

    /// Why, in the words of the check.
    pub fn reason(self) -> &'static str {
        match self {
            SmartFlag::NoIndicator => "Indikator saknas: beskriv hur vi vet att vi är på rätt väg.",
            SmartFlag::NotMeasurable => {
                "Inte mätbart: målvärde och enhet saknas, så det går inte att avgöra om målet nås."
            }
            SmartFlag::NoBaseline => {
                "Utgångsläge saknas: utan nollmätning går förändringen inte att visa."
            }
            SmartFlag::NoTargetDate => "Måldatum saknas: målet är inte tidsatt.",
            SmartFlag::NoOwner => {
                "Nyttoägare saknas: en namngiven person ska ansvara för att nyttan följs upp."
            }
            SmartFlag::OverdueWithoutMeasurement => {
                "Måldatum har passerat utan någon mätning: nyttan har inte följts upp."
            }
        }
    }
}

/// The flags of one goal on `today`, in a fixed order; empty when the goal is SMART.
pub fn smart_flags(goal: &GoalFacts, today: NaiveDate) -> Vec<SmartFlag> {
    let mut flags = Vec::new();
    if goal.indicator.trim().is_empty() {
        flags.push(SmartFlag::NoIndicator);
    }
    let has_unit = goal.unit.as_deref().is_some_and(|u| !u.trim().is_empty());
    if goal.target_value.is_none() || !has_unit {
        flags.push(SmartFlag::NotMeasurable);
    }
    if goal.baseline.is_none() {
        flags.push(SmartFlag::NoBaseline);
    }
    match goal.target_date {
        None => flags.push(SmartFlag::NoTargetDate),
        Some(date) if date < today && goal.measurement_count == 0 => {
            flags.push(SmartFlag::OverdueWithoutMeasurement)
        }
        Some(_) => {}
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn smart() -> GoalFacts {
        GoalFacts {
            indicator: "fler än 80 % av cheferna gör själva sin budget".into(),
            baseline: Some(Decimal::from(20)),
            target_value: Some(Decimal::from(80)),
            unit: Some("%".into()),
            target_date: Some(date(2023, 12, 31)),
            measurement_count: 1,
        }
    }

    #[test]
    fn a_complete_goal_has_no_flags() {
        assert!(smart_flags(&smart(), date(2024, 6, 1)).is_empty());
    }

    #[test]
    fn each_missing_part_is_flagged() {
        let today = date(2024, 6, 1);
        let g = GoalFacts {
            unit: Some(" ".into()),
            ..smart()
        };
        assert_eq!(smart_flags(&g, today), [SmartFlag::NotMeasurable]);
        let g = GoalFacts {
            target_value: None,
            ..smart()
        };
        assert_eq!(smart_flags(&g, today), [SmartFlag::NotMeasurable]);
        let g = GoalFacts {
            baseline: None,
            ..smart()
        };
        assert_eq!(smart_flags(&g, today), [SmartFlag::NoBaseline]);
        let g = GoalFacts {
            target_date: None,
            ..smart()
        };
        assert_eq!(smart_flags(&g, today), [SmartFlag::NoTargetDate]);
        let g = GoalFacts {
            indicator: String::new(),
            ..smart()
        };
        assert_eq!(smart_flags(&g, today), [SmartFlag::NoIndicator]);
    }

    #[test]
    fn overdue_only_after_the_date_and_only_without_measurements() {
        let g = GoalFacts {
            measurement_count: 0,
            ..smart()
        };
        assert!(smart_flags(&g, date(2023, 12, 31)).is_empty());
        assert_eq!(
            smart_flags(&g, date(2024, 1, 1)),
            [SmartFlag::OverdueWithoutMeasurement]
        );
    }
}
