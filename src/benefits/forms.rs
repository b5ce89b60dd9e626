//! The benefit calculation's forms: its settings and costs, a stakeholder, a benefit line;
//! parsed into checked values, with the model's own rules (`Inputs::problems`) next to the field
//! they concern.

use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    benefits::repo::{Calculation, NewLine, Settings},
    domain::{
        benefit::{Costs, Inputs, MAX_HORIZON, register::KindCode},
        money::Money,
        number, text,
    },
    operation::Submission,
    web::form::FieldErrors,
};

/// The default real discount rate, 3,5 % (ASEK; docs/DESIGN.md).
pub const DEFAULT_DISCOUNT_RATE: Decimal = Decimal::from_parts(35, 0, 0, false, 3);
/// The default horizon: five years.
pub const DEFAULT_HORIZON: i32 = 5;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub first_year: String,
    #[serde(default)]
    pub horizon: String,
    #[serde(default)]
    pub discount_rate: String,
    #[serde(default)]
    pub benefit_start: String,
    #[serde(default)]
    pub hourly_cost: String,
    #[serde(default)]
    pub hourly_cost_source: String,
    #[serde(default)]
    pub investment: String,
    #[serde(default)]
    pub running_per_year: String,
    #[serde(default)]
    pub internal_hours: String,
    #[serde(default)]
    pub version: i32,
    /// A new calculation's one-time id (not used when editing).
    #[serde(default)]
    pub submission: Submission,
}

fn kr(value: Decimal) -> String {
    number::format_quantity(value)
}

fn whole(input: &str, field: &str, range: std::ops::RangeInclusive<i32>) -> Result<i32, String> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            format!(
                "{field}: skriv ett helt tal {}–{}.",
                range.start(),
                range.end()
            )
        })
}

fn amount(input: &str) -> Result<Decimal, String> {
    if input.trim().is_empty() {
        return Ok(Decimal::ZERO);
    }
    let money = Money::parse(input).map_err(|e| e.to_string())?;
    if money.is_negative() {
        return Err("Beloppet kan inte vara negativt.".into());
    }
    Ok(money.amount())
}

fn hours(input: &str) -> Result<Decimal, String> {
    if input.trim().is_empty() {
        return Ok(Decimal::ZERO);
    }
    let value = number::parse_quantity(input)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err("Timmar kan inte vara negativa.".into());
    }
    if value.scale() > 2 || value >= Decimal::from(10_000_000_000_i64) {
        return Err("Skriv timmarna med högst två decimaler och under tio miljarder.".into());
    }
    Ok(value)
}

impl SettingsForm {
    /// A new calculation's form: this year, the default horizon and rate, and the
    /// municipality's hourly cost with its source.
    pub fn new_for(year: i32, hourly: Option<(Decimal, String)>) -> Self {
        let (cost, source) = hourly.unwrap_or_default();
        SettingsForm {
            first_year: year.to_string(),
            horizon: DEFAULT_HORIZON.to_string(),
            discount_rate: number::format_quantity(DEFAULT_DISCOUNT_RATE * Decimal::ONE_HUNDRED),
            benefit_start: "2".into(),
            hourly_cost: if cost.is_zero() {
                String::new()
            } else {
                kr(cost)
            },
            hourly_cost_source: source,
            ..Self::default()
        }
    }

    pub fn from_calculation(c: &Calculation) -> Self {
        SettingsForm {
            first_year: c.first_year.to_string(),
            horizon: c.horizon.to_string(),
            discount_rate: number::format_quantity(c.discount_rate * Decimal::ONE_HUNDRED),
            benefit_start: c.benefit_start.to_string(),
            hourly_cost: kr(c.hourly_cost),
            hourly_cost_source: c.hourly_cost_source.clone(),
            investment: kr(c.investment),
            running_per_year: kr(c.running_per_year),
            internal_hours: kr(c.internal_hours),
            version: c.version,
            submission: Submission::default(),
        }
    }

    pub fn parse(&self) -> Result<Settings, FieldErrors> {
        let mut e = FieldErrors::new();
        let first_year = e.check(
            "first_year",
            whole(&self.first_year, "Investeringsår", 2000..=2100),
        );
        let max = i32::try_from(MAX_HORIZON).unwrap_or(30);
        let horizon = e.check("horizon", whole(&self.horizon, "Kalkylperiod", 1..=max));
        let start = e.check(
            "benefit_start",
            whole(&self.benefit_start, "Nyttorna börjar år", 1..=max),
        );
        let rate = e.check(
            "discount_rate",
            number::parse_quantity(&self.discount_rate).map(|p| p / Decimal::ONE_HUNDRED),
        );
        let hourly = if self.hourly_cost.trim().is_empty() {
            e.add(
                "hourly_cost",
                "Ange timkostnaden: den värderar frigjord tid och interna timmar.",
            );
            None
        } else {
            e.check("hourly_cost", amount(&self.hourly_cost))
        };
        let source = e.check(
            "hourly_cost_source",
            text::bounded(&self.hourly_cost_source, 500, false),
        );
        let investment = e.check("investment", amount(&self.investment));
        let running = e.check("running_per_year", amount(&self.running_per_year));
        let internal = e.check("internal_hours", hours(&self.internal_hours));
        let (
            Some(first_year),
            Some(horizon),
            Some(start),
            Some(rate),
            Some(hourly),
            Some(source),
            Some(investment),
            Some(running),
            Some(internal),
        ) = (
            first_year, horizon, start, rate, hourly, source, investment, running, internal,
        )
        else {
            return Err(e);
        };
        let settings = Settings {
            first_year,
            horizon,
            discount_rate: rate.normalize(),
            benefit_start: start,
            hourly_cost: hourly,
            hourly_cost_source: source,
            investment,
            running_per_year: running,
            internal_hours: internal,
        };
        let model = Inputs {
            stakeholders: Vec::new(),
            lines: Vec::new(),
            costs: Costs {
                investment,
                running_per_year: running,
                internal_hours: internal,
            },
            horizon: u32::try_from(horizon).unwrap_or(0),
            discount_rate: settings.discount_rate,
            start: u32::try_from(start).unwrap_or(0),
            hourly_cost: hourly,
        };
        for (field, message) in model.problems() {
            // The model names its inputs; the form names its fields.
            let field = match field {
                "start" => "benefit_start",
                "costs" => "investment",
                other => other,
            };
            e.add(field, message);
        }
        if settings.discount_rate.scale() > 4 {
            e.add(
                "discount_rate",
                "Kalkylräntan: högst två decimaler i procent.",
            );
        }
        if e.is_empty() { Ok(settings) } else { Err(e) }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StakeholderForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub name: String,
}

impl StakeholderForm {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        match e.text("name", "Intressent", &self.name, (200, true)) {
            Some(name) => Ok(name),
            None => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub stakeholder: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub rating_reason: String,
}

impl LineForm {
    /// Parses the line against the calculation's stakeholders.
    pub fn parse(&self, stakeholders: &[Uuid]) -> Result<NewLine, FieldErrors> {
        let mut e = FieldErrors::new();
        let stakeholder = self
            .stakeholder
            .parse::<Uuid>()
            .ok()
            .filter(|id| stakeholders.contains(id));
        if stakeholder.is_none() {
            e.add("stakeholder", "Välj intressent.");
        }
        let description = e.text("description", "Nytta", &self.description, (500, true));
        let kind = KindCode::from_code(&self.kind);
        if kind.is_none() {
            e.add("kind", "Välj slag av nytta.");
        }
        let reason = e.check(
            "rating_reason",
            text::bounded(&self.rating_reason, 2000, false),
        );
        let (amount, rating) = match kind {
            Some(KindCode::Qualitative) => {
                let rating = self
                    .rating
                    .trim()
                    .parse::<i16>()
                    .ok()
                    .filter(|r| (1..=5).contains(r));
                if rating.is_none() {
                    e.add("rating", "Välj ett betyg 1–5.");
                }
                if reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
                    e.add("rating_reason", "Skriv skälet till betyget.");
                }
                (Some(None), rating.map(Some))
            }
            Some(KindCode::Financial) => (
                e.check("amount", required(&self.amount, amount)),
                Some(None),
            ),
            Some(KindCode::Redistributable) => {
                (e.check("amount", required(&self.amount, hours)), Some(None))
            }
            None => (None, None),
        };
        if !e.is_empty() {
            return Err(e);
        }
        match (stakeholder, description, kind, amount, rating, reason) {
            (
                Some(stakeholder_id),
                Some(description),
                Some(kind),
                Some(amount),
                Some(rating),
                Some(reason),
            ) => Ok(NewLine {
                stakeholder_id,
                description,
                kind,
                amount,
                rating,
                rating_reason: if kind == KindCode::Qualitative {
                    reason
                } else {
                    String::new()
                },
            }),
            _ => Err(e),
        }
    }
}

/// A monetised line's value: required, then parsed.
fn required(
    input: &str,
    parse: fn(&str) -> Result<Decimal, String>,
) -> Result<Option<Decimal>, String> {
    if input.trim().is_empty() {
        return Err("Ange värdet per år.".into());
    }
    parse(input).map(Some)
}

/// The audited values of the settings.
pub fn audited(s: &Settings) -> Vec<(&'static str, String)> {
    vec![
        ("first_year", s.first_year.to_string()),
        ("horizon", s.horizon.to_string()),
        (
            "discount_rate",
            format!(
                "{} %",
                number::format_quantity(s.discount_rate * Decimal::ONE_HUNDRED)
            ),
        ),
        ("benefit_start", s.benefit_start.to_string()),
        ("hourly_cost", kr(s.hourly_cost)),
        ("hourly_cost_source", s.hourly_cost_source.clone()),
        ("investment", kr(s.investment)),
        ("running_per_year", kr(s.running_per_year)),
        ("internal_hours", kr(s.internal_hours)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> SettingsForm {
        SettingsForm {
            investment: "100 000".into(),
            running_per_year: "20 000".into(),
            internal_hours: "200".into(),
            ..SettingsForm::new_for(2026, Some((Decimal::from(500), "Egen".into())))
        }
    }

    #[test]
    fn the_defaults_parse_to_the_model_defaults() {
        let s = filled().parse().expect("valid");
        assert_eq!(s.discount_rate, Decimal::new(35, 3));
        assert_eq!((s.horizon, s.benefit_start), (5, 2));
        assert_eq!(s.investment, Decimal::from(100_000));
    }

    #[test]
    fn each_bad_field_gets_its_message() {
        let form = SettingsForm {
            first_year: "tjugo".into(),
            horizon: "5".into(),
            benefit_start: "9".into(),
            discount_rate: "35".into(),
            hourly_cost: String::new(),
            investment: "-5".into(),
            ..filled()
        };
        let e = form.parse().expect_err("invalid");
        for field in ["first_year", "hourly_cost", "investment"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        let form = SettingsForm {
            benefit_start: "9".into(),
            discount_rate: "35".into(),
            ..filled()
        };
        let e = form.parse().expect_err("invalid");
        assert!(e.get("benefit_start").is_some(), "{e:?}");
        assert!(e.get("discount_rate").is_some(), "{e:?}");
    }

    #[test]
    fn a_line_needs_what_its_kind_needs() {
        let who = Uuid::now_v7();
        let line = LineForm {
            stakeholder: who.to_string(),
            description: "Snabbare handläggning".into(),
            kind: "qualitative".into(),
            rating: "4".into(),
            ..LineForm::default()
        };
        let e = line.parse(&[who]).expect_err("no reason");
        assert!(e.get("rating_reason").is_some());
        let line = LineForm {
            kind: "redistributable".into(),
            amount: "1 200,5".into(),
            ..line
        };
        let parsed = line.parse(&[who]).expect("valid");
        assert_eq!(parsed.amount, Some(Decimal::new(12005, 1)));
        assert_eq!(parsed.rating, None);
        let e = line
            .parse(&[Uuid::now_v7()])
            .expect_err("not this calculation's stakeholder");
        assert!(e.get("stakeholder").is_some());
    }
}
