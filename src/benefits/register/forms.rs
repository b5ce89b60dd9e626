//! The benefit register's forms: the register's filter (a GET query), a benefit's follow-up
//! (owner, indicator, baseline, status), a measurement and the linked effect goals.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    benefits::register::repo::{Benefit, Filter, FollowUp, NewMeasurement},
    domain::{
        benefit::register::{KindCode, Status},
        number, text,
    },
    operation::Submission,
    projects::forms::optional_date,
    web::form::FieldErrors,
};

/// The register's filter as the query string carries it; what does not parse is ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FilterForm {
    #[serde(default)]
    pub kommun: String,
    #[serde(default)]
    pub agare: String,
    #[serde(default)]
    pub slag: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub ar: String,
}

impl FilterForm {
    pub fn filter(&self) -> Filter {
        Filter {
            municipality: self.kommun.parse().ok(),
            owner: self.agare.parse().ok(),
            kind: KindCode::from_code(&self.slag),
            status: Status::from_code(&self.status),
            year: self
                .ar
                .trim()
                .parse()
                .ok()
                .filter(|y| (2000..=2100).contains(y)),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub baseline: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub status_reason: String,
    #[serde(default)]
    pub version: i32,
}

impl FollowUpForm {
    pub fn from_benefit(b: &Benefit) -> Self {
        FollowUpForm {
            owner: b.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            indicator: b.indicator.clone(),
            baseline: b.baseline.map(number::format_quantity).unwrap_or_default(),
            status: b.status.code().to_owned(),
            status_reason: b.status_reason.clone(),
            version: b.version,
        }
    }

    /// Parses the form; `people` are the users who may own a benefit.
    pub fn parse(&self, people: &[(Uuid, String)]) -> Result<FollowUp, FieldErrors> {
        let mut e = FieldErrors::new();
        let owner = if self.owner.is_empty() {
            Some(None)
        } else {
            let found = self
                .owner
                .parse::<Uuid>()
                .ok()
                .filter(|id| people.iter().any(|(p, _)| p == id));
            if found.is_none() {
                e.add("owner", "Välj nyttoägare bland personerna i listan.");
            }
            found.map(Some)
        };
        let indicator = e.text("indicator", "Indikator", &self.indicator, (2000, false));
        let baseline = e.check("baseline", number::parse_optional_quantity(&self.baseline));
        let status = Status::from_code(&self.status);
        if status.is_none() {
            e.add("status", "Välj status.");
        }
        let reason = e.check(
            "status_reason",
            text::bounded(&self.status_reason, 2000, false),
        );
        if status == Some(Status::NotRealised)
            && reason.as_deref().is_some_and(|r| r.trim().is_empty())
        {
            e.add(
                "status_reason",
                "Skriv varför nyttan inte realiserades: det är uppföljningens svar.",
            );
        }
        match (owner, indicator, baseline, status, reason) {
            (Some(owner), Some(indicator), Some(baseline), Some(status), Some(status_reason))
                if e.is_empty() =>
            {
                Ok(FollowUp {
                    owner,
                    indicator,
                    baseline,
                    status,
                    status_reason,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeasurementForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub measured_on: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub comment: String,
}

impl MeasurementForm {
    /// Parses a measurement of a benefit of `kind`, taken on or before `today`.
    pub fn parse(&self, kind: KindCode, today: NaiveDate) -> Result<NewMeasurement, FieldErrors> {
        let mut e = FieldErrors::new();
        let date = match e.check("measured_on", optional_date(&self.measured_on)) {
            Some(None) => {
                e.add("measured_on", "Ange mätdatum.");
                None
            }
            Some(Some(d)) if d > today => {
                e.add("measured_on", "Mätdatum kan inte ligga i framtiden.");
                None
            }
            other => other.flatten(),
        };
        let value = if self.value.trim().is_empty() {
            e.add(
                "value",
                format!("Ange det uppmätta värdet ({}).", kind.unit()),
            );
            None
        } else {
            e.check("value", number::parse_quantity(&self.value))
        };
        let value = value.filter(|v| {
            let rule = match kind {
                KindCode::Qualitative
                    if !(Decimal::ONE..=Decimal::from(5)).contains(v) || !v.fract().is_zero() =>
                {
                    Some("Ett betyg är ett helt tal 1–5.")
                }
                _ if v.is_sign_negative() && !v.is_zero() => {
                    Some("Ett uppmätt värde kan inte vara negativt; skriv 0 om nyttan uteblev.")
                }
                _ if v.scale() > 2 => Some("Skriv värdet med högst två decimaler."),
                _ => None,
            };
            if let Some(rule) = rule {
                e.add("value", rule);
            }
            rule.is_none()
        });
        let comment = e.text("comment", "Kommentar", &self.comment, (4000, false));
        match (date, value, comment) {
            (Some(measured_on), Some(value), Some(comment)) if e.is_empty() => Ok(NewMeasurement {
                measured_on,
                value,
                comment,
            }),
            _ => Err(e),
        }
    }
}

/// The effect goals ticked as evidence of the benefit.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoalLinksForm {
    #[serde(default)]
    pub goal: Vec<String>,
}

impl GoalLinksForm {
    /// The ticked goals that are goals of the benefit's project; anything else is refused.
    pub fn parse(&self, goals: &[Uuid]) -> Result<Vec<Uuid>, FieldErrors> {
        let mut picked = Vec::new();
        for g in &self.goal {
            match g.parse::<Uuid>().ok().filter(|id| goals.contains(id)) {
                Some(id) if !picked.contains(&id) => picked.push(id),
                Some(_) => {}
                None => {
                    let mut e = FieldErrors::new();
                    e.add("goal", "Välj bland projektets effektmål.");
                    return Err(e);
                }
            }
        }
        Ok(picked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date")
    }

    #[test]
    fn a_measurement_is_dated_no_later_than_today_and_fits_its_kind() {
        let form = |date: &str, value: &str| MeasurementForm {
            measured_on: date.into(),
            value: value.into(),
            ..MeasurementForm::default()
        };
        let ok = form("2026-11-30", "12 500,5").parse(KindCode::Financial, today());
        assert_eq!(ok.expect("valid").value, Decimal::new(125005, 1));
        let e = form("2026-12-03", "6")
            .parse(KindCode::Qualitative, today())
            .expect_err("future and out of scale");
        assert!(e.get("measured_on").unwrap().contains("framtiden"));
        assert_eq!(e.get("value"), Some("Ett betyg är ett helt tal 1–5."));
        let e = form("2026-11-30", "2,5")
            .parse(KindCode::Qualitative, today())
            .expect_err("half a grade");
        assert_eq!(e.get("value"), Some("Ett betyg är ett helt tal 1–5."));
        let e = form("2026-11-30", "-5")
            .parse(KindCode::Financial, today())
            .expect_err("negative");
        assert!(e.get("value").unwrap().contains("negativt"));
        let e = form("", "")
            .parse(KindCode::Redistributable, today())
            .expect_err("empty");
        assert!(e.get("value").unwrap().contains("timmar per år"));
    }

    #[test]
    fn not_realised_needs_its_reason_and_an_owner_is_one_of_the_people() {
        let someone = (Uuid::now_v7(), "Anna".to_owned());
        let form = FollowUpForm {
            owner: Uuid::now_v7().to_string(),
            status: "not_realised".into(),
            ..FollowUpForm::default()
        };
        let e = form
            .parse(std::slice::from_ref(&someone))
            .expect_err("invalid");
        assert!(e.get("owner").is_some());
        assert!(e.get("status_reason").is_some());
        let form = FollowUpForm {
            owner: someone.0.to_string(),
            status_reason: "Leverantören gick i konkurs".into(),
            ..form
        };
        assert_eq!(
            form.parse(std::slice::from_ref(&someone))
                .expect("valid")
                .owner,
            Some(someone.0)
        );
    }
}
