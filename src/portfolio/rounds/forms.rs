//! The forms of a round: creating it, its capacity, budget and dates, and its prioritisation
//! model.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::{
    domain::{money::Money, portfolio::Quarter, project::Plan},
    operation::Submission,
    portfolio::rounds::repo::{Frame, NewRound, Round, Settings},
    projects::forms::optional_date,
    web::form::FieldErrors,
};

/// The phase change's form: the version the page showed.
#[derive(Debug, Deserialize)]
pub struct AdvanceForm {
    #[serde(default)]
    pub version: i32,
}

/// Whole hours, optional or required.
fn hours(input: &str, required: bool) -> Result<Option<i32>, String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return if required {
            Err("Ange kapaciteten i timmar.".into())
        } else {
            Ok(None)
        };
    }
    digits
        .parse::<i32>()
        .ok()
        .filter(|h| *h >= 0)
        .map(Some)
        .ok_or_else(|| {
            format!(
                "”{}” är inget antal timmar. Skriv ett heltal.",
                input.trim()
            )
        })
}

/// An amount, optional or required, never negative.
fn amount(input: &str, required: bool) -> Result<Option<Money>, String> {
    if input.trim().is_empty() {
        return if required {
            Err("Ange budgetramen i kronor.".into())
        } else {
            Ok(None)
        };
    }
    match Money::parse(input) {
        Ok(m) if m.is_negative() => Err("En budgetram kan inte vara negativ.".into()),
        Ok(m) => Ok(Some(m)),
        Err(e) => Err(e.to_string()),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewRoundForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub quarter: String,
    #[serde(default)]
    pub hours_capacity: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub review_deadline: String,
    #[serde(default)]
    pub meeting_date: String,
}

impl NewRoundForm {
    /// The new round, as of `today`: its review deadline and meeting lie ahead of it.
    pub fn parse(&self, today: NaiveDate) -> Result<NewRound, FieldErrors> {
        let mut e = FieldErrors::new();
        let quarter = e.check("quarter", self.quarter.parse::<Quarter>());
        let hours_capacity = e.check("hours_capacity", hours(&self.hours_capacity, true));
        let budget = e.check("budget", amount(&self.budget, true));
        let review_deadline = e.check("review_deadline", optional_date(&self.review_deadline));
        let meeting_date = e.check("meeting_date", optional_date(&self.meeting_date));
        for (field, date, what) in [
            (
                "review_deadline",
                review_deadline,
                "Sista dag för beredningen",
            ),
            ("meeting_date", meeting_date, "Prioriteringsmötet"),
        ] {
            if date.flatten().is_some_and(|d| d < today) {
                e.add(
                    field,
                    format!("{what} kan inte ligga i det förflutna för en ny omgång."),
                );
            }
        }
        check_dates(&mut e, review_deadline, meeting_date);
        match (
            quarter,
            hours_capacity,
            budget,
            review_deadline,
            meeting_date,
        ) {
            (
                Some(quarter),
                Some(Some(hours_capacity)),
                Some(Some(budget)),
                Some(review_deadline),
                Some(meeting_date),
            ) if e.is_empty() => Ok(NewRound {
                quarter,
                hours_capacity,
                budget,
                review_deadline,
                meeting_date,
            }),
            _ => Err(e),
        }
    }
}

fn check_dates(
    e: &mut FieldErrors,
    deadline: Option<Option<chrono::NaiveDate>>,
    meeting: Option<Option<chrono::NaiveDate>>,
) {
    if let (Some(Some(deadline)), Some(Some(meeting))) = (deadline, meeting)
        && meeting < deadline
    {
        e.add(
            "meeting_date",
            "Prioriteringsmötet kan inte ligga före sista dag för beredningen.",
        );
    }
}

/// Capacity, budget, dates and the frame of each plan.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub hours_capacity: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub review_deadline: String,
    #[serde(default)]
    pub meeting_date: String,
    /// Per plan in the order of [`Plan::ALL`].
    #[serde(default)]
    pub plan_hours: Vec<String>,
    #[serde(default)]
    pub plan_budget: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

impl SettingsForm {
    pub fn from_round(round: &Round, frames: &[Frame]) -> Self {
        let frame = |plan: &Plan| frames.iter().find(|f| f.plan == *plan);
        SettingsForm {
            hours_capacity: round.hours_capacity.to_string(),
            budget: round.budget().format_kr(),
            review_deadline: crate::projects::views::date(&round.review_deadline),
            meeting_date: crate::projects::views::date(&round.meeting_date),
            plan_hours: Plan::ALL
                .iter()
                .map(|p| {
                    frame(p)
                        .and_then(|f| f.hours_capacity)
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            plan_budget: Plan::ALL
                .iter()
                .map(|p| {
                    frame(p)
                        .and_then(|f| f.budget)
                        .map(|b| Money::from_stored(b).format_kr())
                        .unwrap_or_default()
                })
                .collect(),
            version: round.version,
        }
    }

    /// The typed frame of plan `i`: (hours, budget).
    pub fn frame(&self, i: usize) -> (&str, &str) {
        (
            self.plan_hours.get(i).map_or("", String::as_str),
            self.plan_budget.get(i).map_or("", String::as_str),
        )
    }

    pub fn parse(&self) -> Result<Settings, FieldErrors> {
        let mut e = FieldErrors::new();
        let hours_capacity = e.check("hours_capacity", hours(&self.hours_capacity, true));
        let budget = e.check("budget", amount(&self.budget, true));
        let review_deadline = e.check("review_deadline", optional_date(&self.review_deadline));
        let meeting_date = e.check("meeting_date", optional_date(&self.meeting_date));
        check_dates(&mut e, review_deadline, meeting_date);
        let mut frames = Vec::new();
        for (i, plan) in Plan::ALL.iter().enumerate() {
            let (h, b) = self.frame(i);
            let h = e.check(format!("plan_hours_{i}"), hours(h, false));
            let b = e.check(format!("plan_budget_{i}"), amount(b, false));
            if let (Some(h), Some(b)) = (h, b) {
                frames.push((*plan, h, b));
            }
        }
        match (hours_capacity, budget, review_deadline, meeting_date) {
            (
                Some(Some(hours_capacity)),
                Some(Some(budget)),
                Some(review_deadline),
                Some(meeting_date),
            ) if e.is_empty() => Ok(Settings {
                hours_capacity,
                budget,
                review_deadline,
                meeting_date,
                frames,
            }),
            _ => Err(e),
        }
    }
}

/// The prioritisation model a round values its items with.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelForm {
    #[serde(default)]
    pub scoring_model_id: String,
    #[serde(default)]
    pub version: i32,
}

impl ModelForm {
    pub fn from_round(round: &Round) -> Self {
        ModelForm {
            scoring_model_id: round.scoring_model_id.to_string(),
            version: round.version,
        }
    }

    /// The chosen model's id; whether it exists is the operation's to check.
    pub fn parse(&self) -> Result<uuid::Uuid, FieldErrors> {
        self.scoring_model_id.trim().parse().map_err(|_| {
            let mut e = FieldErrors::new();
            e.add("scoring_model_id", "Välj en prioriteringsmodell i listan.");
            e
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_round_needs_a_quarter_a_capacity_and_a_budget() {
        let form = NewRoundForm {
            quarter: "2027-Q1".into(),
            hours_capacity: "2 400".into(),
            budget: "3 mnkr".into(),
            review_deadline: "2027-02-10".into(),
            meeting_date: "2027-02-01".into(),
            ..NewRoundForm::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let errors = form.parse(today).unwrap_err();
        assert!(errors.get("meeting_date").is_some());
        let ok = NewRoundForm {
            meeting_date: "2027-02-20".into(),
            ..form.clone()
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.hours_capacity, 2400);
        assert_eq!(ok.budget, Money::kr(3_000_000));
        let errors = NewRoundForm::default().parse(today).unwrap_err();
        for field in ["quarter", "hours_capacity", "budget"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_new_round_is_not_planned_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let form = NewRoundForm {
            quarter: "2027-Q1".into(),
            hours_capacity: "2 400".into(),
            budget: "3 mnkr".into(),
            review_deadline: "2020-01-01".into(),
            meeting_date: "2026-11-30".into(),
            ..NewRoundForm::default()
        };
        let errors = form.parse(today).unwrap_err();
        assert_eq!(
            errors.get("review_deadline"),
            Some("Sista dag för beredningen kan inte ligga i det förflutna för en ny omgång.")
        );
        assert!(errors.get("meeting_date").is_some());
        let ok = NewRoundForm {
            review_deadline: "2026-12-01".into(),
            meeting_date: "2026-12-01".into(),
            ..form
        };
        assert!(ok.parse(today).is_ok());
        let errors = NewRoundForm::default().parse(today).unwrap_err();
        for field in ["quarter", "hours_capacity", "budget"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_model_is_chosen_by_its_id() {
        let form = |id: &str| ModelForm {
            scoring_model_id: id.into(),
            version: 1,
        };
        assert_eq!(
            form("0193a000-0000-7000-8000-000000000001")
                .parse()
                .unwrap(),
            uuid::Uuid::from_u128(0x0193a000_0000_7000_8000_000000000001)
        );
        assert!(
            form("")
                .parse()
                .unwrap_err()
                .get("scoring_model_id")
                .is_some()
        );
    }
}
