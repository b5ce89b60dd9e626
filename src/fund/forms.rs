//! The fund's forms: a fund year, a direction, an application, a decision and a follow-up;
//! each parsed into checked values with its messages by field.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{fund::Decision, money::Money},
    fund::repo::NewApplication,
    operation::Submission,
    projects::forms::optional_date,
    web::form::FieldErrors,
};

/// Kronor above zero (or zero when `zero` allows it), as typed: "2 mnkr", "450 000".
fn amount(input: &str, zero: bool) -> Result<Decimal, String> {
    if input.trim().is_empty() {
        return Err("Ange beloppet.".into());
    }
    let money = Money::parse(input).map_err(|e| e.to_string())?;
    let a = money.amount();
    if a.is_sign_negative() && !a.is_zero() || (!zero && a.is_zero()) {
        return Err(if zero {
            "Beloppet kan inte vara negativt.".into()
        } else {
            "Beloppet ska vara större än noll.".into()
        });
    }
    Ok(a)
}

/// The ticked ids that are among `allowed`; anything else is an error.
fn picked(ticked: &[String], allowed: &[Uuid]) -> Result<Vec<Uuid>, String> {
    let mut out = Vec::new();
    for t in ticked {
        let id = t
            .parse::<Uuid>()
            .ok()
            .filter(|id| allowed.contains(id))
            .ok_or_else(|| "Välj bland kommunens mål i listan.".to_owned())?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FundForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub amount: String,
}

impl FundForm {
    /// (municipality, year, amount); the municipality one of `municipalities`.
    pub fn parse(&self, municipalities: &[Uuid]) -> Result<(Uuid, i32, Decimal), FieldErrors> {
        let mut e = FieldErrors::new();
        let municipality = self
            .municipality
            .parse::<Uuid>()
            .ok()
            .filter(|m| municipalities.contains(m));
        if municipality.is_none() {
            e.add("municipality", "Välj kommun.");
        }
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            e.add("year", "Skriv året med fyra siffror, till exempel 2021.");
        }
        let amount = e.check("amount", amount(&self.amount, false));
        match (municipality, year, amount) {
            (Some(m), Some(y), Some(a)) => Ok((m, y, a)),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DirectionForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub goal: Vec<String>,
}

impl DirectionForm {
    pub fn parse(&self, goals: &[Uuid]) -> Result<(String, Vec<Uuid>), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.text("name", "Inriktning", &self.name, (300, true));
        let goals = e.check("goal", picked(&self.goal, goals));
        match (name, goals) {
            (Some(n), Some(g)) => Ok((n, g)),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplicationForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub amount_applied: String,
    #[serde(default)]
    pub project: String,
    #[serde(default)]
    pub goal: Vec<String>,
}

impl ApplicationForm {
    pub fn has_goal(&self, id: &Uuid) -> bool {
        self.goal.iter().any(|g| *g == id.to_string())
    }

    /// Parses against the fund's directions, the municipality's goals and the projects.
    pub fn parse(
        &self,
        (directions, goals, projects): (&[Uuid], &[Uuid], &[Uuid]),
    ) -> Result<NewApplication, FieldErrors> {
        let mut e = FieldErrors::new();
        let direction = self
            .direction
            .parse::<Uuid>()
            .ok()
            .filter(|d| directions.contains(d));
        if direction.is_none() {
            e.add("direction", "Välj inriktning.");
        }
        let title = e.text("title", "Vad ansökan gäller", &self.title, (200, true));
        let department = e.text(
            "department",
            "Sökande förvaltning",
            &self.department,
            (200, true),
        );
        let description = e.text(
            "description",
            "Beskrivning",
            &self.description,
            (4000, false),
        );
        let applied = e.check("amount_applied", amount(&self.amount_applied, false));
        let project = if self.project.is_empty() {
            Some(None)
        } else {
            let p = self
                .project
                .parse::<Uuid>()
                .ok()
                .filter(|p| projects.contains(p));
            if p.is_none() {
                e.add("project", "Välj projekt i listan eller inget.");
            }
            p.map(Some)
        };
        let goals = e.check("goal", picked(&self.goal, goals));
        match (
            direction,
            title,
            department,
            description,
            applied,
            project,
            goals,
        ) {
            (Some(d), Some(t), Some(dep), Some(desc), Some(a), Some(p), Some(g)) => {
                Ok(NewApplication {
                    direction_id: d,
                    title: t,
                    department: dep,
                    description: desc,
                    amount_applied: a,
                    project_id: p,
                    goals: g,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub amount_granted: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub decided_by: String,
    #[serde(default)]
    pub version: i32,
}

/// A checked decision: what, when and by whom.
#[derive(Debug)]
pub struct CheckedDecision {
    pub decision: Decision,
    pub on: NaiveDate,
    pub by: String,
}

impl DecisionForm {
    pub fn parse(
        &self,
        applied: Decimal,
        today: NaiveDate,
    ) -> Result<CheckedDecision, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = e.text("reason", "Skäl", &self.reason, (2000, false));
        let decision = match self.decision.as_str() {
            "grant" => e
                .check("amount_granted", amount(&self.amount_granted, false))
                .and_then(|a| {
                    if a > applied {
                        e.add(
                            "amount_granted",
                            "Beviljat belopp kan inte vara större än det sökta.",
                        );
                        None
                    } else {
                        Some(Decision::Grant(a))
                    }
                }),
            "refuse" => match reason.as_deref().map(str::trim) {
                Some("") => {
                    e.add("reason", "Skriv skälet till avslaget.");
                    None
                }
                Some(r) => Some(Decision::Refuse(r.to_owned())),
                None => None,
            },
            _ => {
                e.add("decision", "Välj bevilja eller avslå.");
                None
            }
        };
        let on = match e.check("decided_on", optional_date(&self.decided_on)) {
            Some(Some(d)) if d <= today && d.year() >= 2000 => Some(d),
            Some(Some(_)) => {
                e.add(
                    "decided_on",
                    "Beslutet registreras när det är fattat: datumet ligger i framtiden.",
                );
                None
            }
            Some(None) => {
                e.add("decided_on", "Ange beslutsdatum.");
                None
            }
            None => None,
        };
        let by = e.text("decided_by", "Beslutat av", &self.decided_by, (200, true));
        match (decision, on, by) {
            (Some(decision), Some(on), Some(by)) if e.is_empty() => {
                Ok(CheckedDecision { decision, on, by })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub followed_on: String,
    #[serde(default)]
    pub spent: String,
    #[serde(default)]
    pub comment: String,
}

impl FollowUpForm {
    pub fn parse(
        &self,
        today: NaiveDate,
    ) -> Result<(NaiveDate, Option<Decimal>, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let on = match e.check("followed_on", optional_date(&self.followed_on)) {
            Some(Some(d)) if d <= today => Some(d),
            Some(Some(_)) => {
                e.add(
                    "followed_on",
                    "Uppföljningsdatum kan inte ligga i framtiden.",
                );
                None
            }
            Some(None) => {
                e.add("followed_on", "Ange datum för uppföljningen.");
                None
            }
            None => None,
        };
        let spent = if self.spent.trim().is_empty() {
            Some(None)
        } else {
            e.check("spent", amount(&self.spent, true)).map(Some)
        };
        let comment = e.text("comment", "Vad medlen gett", &self.comment, (4000, true));
        match (on, spent, comment) {
            (Some(on), Some(spent), Some(comment)) => Ok((on, spent, comment)),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date")
    }

    #[test]
    fn a_grant_is_at_most_what_was_applied_for_and_a_refusal_needs_its_reason() {
        let form = DecisionForm {
            decision: "grant".into(),
            amount_granted: "600 000".into(),
            decided_on: "2021-03-01".into(),
            decided_by: "Kommunstyrelsen".into(),
            ..DecisionForm::default()
        };
        let e = form
            .parse(Decimal::from(500_000), today())
            .expect_err("too much");
        assert!(
            e.get("amount_granted")
                .unwrap()
                .contains("större än det sökta")
        );
        let ok = DecisionForm {
            amount_granted: "450 000".into(),
            ..form.clone()
        };
        let d = ok.parse(Decimal::from(500_000), today()).expect("valid");
        assert_eq!(d.decision, Decision::Grant(Decimal::from(450_000)));
        let refuse = DecisionForm {
            decision: "refuse".into(),
            ..form
        };
        let e = refuse
            .parse(Decimal::from(500_000), today())
            .expect_err("no reason");
        assert_eq!(e.get("reason"), Some("Skriv skälet till avslaget."));
    }
}
