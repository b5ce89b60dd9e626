//! The data entry's single-object forms: a new activity, an activity's name and state, an
//! occasion. The grids (months, projects, members) are in `grid`.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::{
    domain::text,
    follow_up::{
        entry::{
            grid,
            repo::{Activity, OccasionInput},
        },
        repo::Occasion,
    },
    operation::Submission,
    web::form::FieldErrors,
};

/// A new activity of a board.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewActivityForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
}

/// An activity's code as the table allows it: "031", "2.1", "IT-A".
fn code(typed: &str) -> Result<String, String> {
    let code = typed.trim();
    let valid = (1..=12).contains(&code.chars().count())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if valid {
        Ok(code.to_owned())
    } else if code.is_empty() {
        Err("Ange verksamhetens kod, till exempel 031.".to_owned())
    } else {
        Err(format!(
            "Kod: ”{}” går inte att använda. Högst 12 tecken: siffror, bokstäver a–z, punkt och bindestreck.",
            text::excerpt(code)
        ))
    }
}

/// An activity's name, up to 200 characters.
const NAME: (usize, bool) = (200, true);

impl NewActivityForm {
    /// (code, name)
    pub fn parse(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let code = e.check("code", code(&self.code));
        let name = e.text("name", "Namn", &self.name, NAME);
        match (code, name) {
            (Some(code), Some(name)) => Ok((code, name)),
            _ => Err(e),
        }
    }
}

/// An activity's name and whether it is active, with what the page showed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub name: String,
    /// A checkbox: posted only when checked.
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub was_name: String,
    #[serde(default)]
    pub was_active: String,
}

impl ActivityForm {
    pub fn from_saved(a: &Activity) -> Self {
        Self {
            name: a.name.clone(),
            active: a.active.then(|| "1".to_owned()),
            was_name: a.name.clone(),
            was_active: shown_bool(a.active),
        }
    }

    /// Whether the page showed something other than `saved`.
    pub fn stale(&self, saved: &Activity) -> bool {
        self.was_name.trim() != saved.name || self.was_active != shown_bool(saved.active)
    }

    /// (name, active)
    pub fn parse(&self) -> Result<(String, bool), FieldErrors> {
        let mut e = FieldErrors::new();
        match e.text("name", "Namn", &self.name, NAME) {
            Some(name) => Ok((name, self.active.is_some())),
            None => Err(e),
        }
    }
}

fn shown_bool(value: bool) -> String {
    if value { "1" } else { "" }.to_owned()
}

/// An occasion of a year, new or edited; an edit carries what the page showed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OccasionForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub through_month: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub was: String,
}

/// An occasion as the edit form's `was` field carries it.
pub fn fingerprint(o: &Occasion) -> String {
    format!("{} {} {} {}", o.year, o.number, o.through_month, o.deadline)
}

impl OccasionForm {
    pub fn from_saved(o: &Occasion) -> Self {
        Self {
            submission: Submission::default(),
            year: o.year.to_string(),
            number: o.number.to_string(),
            through_month: o.through_month.to_string(),
            deadline: o.deadline.to_string(),
            was: fingerprint(o),
        }
    }

    /// A new occasion of `year`.
    pub fn new_in(year: i32) -> Self {
        Self {
            year: year.to_string(),
            ..Self::default()
        }
    }

    /// Checks each field; a deadline must come after the period's last day.
    pub fn parse(&self) -> Result<OccasionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = e.check("year", grid::year(&self.year));
        let number = e.check(
            "number",
            self.number
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .ok_or_else(|| {
                    format!(
                        "Nummer: ”{}” är inget nummer mellan 1 och 12.",
                        self.number.trim()
                    )
                }),
        );
        let through_month = e.check(
            "through_month",
            self.through_month
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .ok_or("Välj periodens sista månad."),
        );
        let deadline = e.check(
            "deadline",
            NaiveDate::parse_from_str(self.deadline.trim(), "%Y-%m-%d").map_err(|_| {
                format!(
                    "Sista dag: ”{}” är inget datum. Skriv ÅÅÅÅ-MM-DD, till exempel 2026-05-15.",
                    self.deadline.trim()
                )
            }),
        );
        if let (Some(year), Some(through), Some(deadline)) = (year, through_month, deadline) {
            let period_end = period_end(year, through);
            if deadline <= period_end {
                e.add(
                    "deadline",
                    format!(
                        "Sista dag för rapporteringen måste vara efter periodens slut ({period_end})."
                    ),
                );
            }
        }
        match (year, number, through_month, deadline) {
            (Some(year), Some(number), Some(through_month), Some(deadline)) if e.is_empty() => {
                Ok(OccasionInput {
                    year,
                    number,
                    through_month,
                    deadline,
                })
            }
            _ => Err(e),
        }
    }
}

/// The last day of the period January–`through` of `year`.
fn period_end(year: i32, through: i32) -> NaiveDate {
    let next = if through >= 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        u32::try_from(through + 1)
            .ok()
            .and_then(|m| NaiveDate::from_ymd_opt(year, m, 1))
    };
    next.and_then(|d| d.pred_opt())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occasion(through: &str, deadline: &str) -> OccasionForm {
        OccasionForm {
            year: "2026".into(),
            number: "2".into(),
            through_month: through.into(),
            deadline: deadline.into(),
            ..OccasionForm::default()
        }
    }

    #[test]
    fn a_deadline_must_come_after_the_period() {
        assert!(occasion("8", "2026-09-15").parse().is_ok());
        let e = occasion("8", "2026-08-31").parse().unwrap_err();
        assert!(e.get("deadline").unwrap().contains("2026-08-31"));
        assert!(occasion("12", "2027-01-01").parse().is_ok());
        assert!(occasion("12", "2026-12-31").parse().is_err());
        let e = OccasionForm {
            year: "1999".into(),
            ..occasion("13", "x")
        }
        .parse()
        .unwrap_err();
        assert!(e.get("year").is_some() && e.get("through_month").is_some());
        assert!(e.get("deadline").is_some());
    }

    #[test]
    fn codes() {
        assert_eq!(code(" 031 "), Ok("031".to_owned()));
        assert!(code("").unwrap_err().contains("Ange"));
        assert!(code("0 31").is_err() && code("1234567890123").is_err());
    }
}
