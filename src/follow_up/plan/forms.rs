//! The measure form, kept as typed, parsed into a checked [`MeasureInput`].

use chrono::NaiveDate;
use serde::Deserialize;

use crate::{
    domain::{
        follow_up::action_plan::{DecidedBy, GROUPS, Stage},
        money::Money,
    },
    operation::Submission,
    projects::forms::optional_date,
    web::form::FieldErrors,
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeasureForm {
    /// A new measure's one-time id (not used when editing).
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub activity: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub decided_by: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub go_live: String,
    #[serde(default)]
    pub effect_period: String,
    #[serde(default)]
    pub effect_forecast: String,
    /// A checkbox: present ("ja") when ticked.
    #[serde(default)]
    pub in_forecast: String,
}

/// A checked measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureInput {
    pub submission: Submission,
    pub version: i32,
    pub group: i32,
    /// None: the next free number in the group.
    pub number: Option<i32>,
    pub activity: String,
    pub description: String,
    pub goal: String,
    pub decided_by: Option<DecidedBy>,
    pub decided_on: Option<NaiveDate>,
    pub stage: Option<Stage>,
    pub go_live: Option<NaiveDate>,
    pub effect_period: Money,
    pub effect_forecast: Money,
    pub in_forecast: bool,
}

fn date(errors: &mut FieldErrors, (field, label): (&str, &str), typed: &str) -> Option<NaiveDate> {
    let checked = optional_date(typed).map_err(|e| format!("{label}: {e}"));
    errors.check(field, checked).flatten()
}

fn coded<T>(
    errors: &mut FieldErrors,
    (field, label): (&str, &str),
    typed: &str,
    from_code: fn(&str) -> Option<T>,
) -> Option<T> {
    if typed.trim().is_empty() {
        return None;
    }
    let parsed = from_code(typed.trim());
    if parsed.is_none() {
        errors.add(field, format!("{label}: välj ett av alternativen."));
    }
    parsed
}

/// An amount in kronor; blank is zero (a measure without an economic effect yet).
fn amount(errors: &mut FieldErrors, (field, label): (&str, &str), typed: &str) -> Money {
    if typed.trim().is_empty() {
        return Money::ZERO;
    }
    let checked = Money::parse(typed).map_err(|e| format!("{label}: {e}"));
    errors.check(field, checked).unwrap_or(Money::ZERO)
}

impl MeasureForm {
    pub fn parse(&self) -> Result<MeasureInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let version = self.version.trim().parse().unwrap_or(0);
        let group = match self.group.trim().parse::<i32>() {
            Ok(g) if (1..=i32::from(GROUPS)).contains(&g) => g,
            _ => {
                errors.add("group", "Grupp: välj en av grupperna 1–4.");
                1
            }
        };
        let number = match self.number.trim() {
            "" => None,
            typed => match typed.parse::<i32>() {
                Ok(n) if (1..=99).contains(&n) => Some(n),
                _ => {
                    errors.add(
                        "number",
                        "Löpnummer: ett heltal 1–99, eller tomt för nästa lediga.",
                    );
                    None
                }
            },
        };
        let activity = errors
            .text(
                "activity",
                "Verksamhet som berörs",
                &self.activity,
                (200, true),
            )
            .unwrap_or_default();
        let description = errors
            .text(
                "description",
                "Beskrivning",
                &self.description,
                (2000, true),
            )
            .unwrap_or_default();
        let goal = errors
            .text("goal", "Ev. mål", &self.goal, (500, false))
            .unwrap_or_default();
        let decided_by = coded(
            &mut errors,
            ("decided_by", "Beslut om åtgärd"),
            &self.decided_by,
            DecidedBy::from_code,
        );
        let decided_on = date(
            &mut errors,
            ("decided_on", "Datum för beslut om åtgärd"),
            &self.decided_on,
        );
        if decided_on.is_some() && decided_by.is_none() && errors.get("decided_by").is_none() {
            errors.add(
                "decided_by",
                "Beslut om åtgärd: ange vem som beslutade (förvaltning eller nämnd) när ett beslutsdatum är ifyllt.",
            );
        }
        let stage = coded(
            &mut errors,
            ("stage", "Planerad eller påbörjad"),
            &self.stage,
            Stage::from_code,
        );
        let go_live = date(
            &mut errors,
            ("go_live", "Driftsättning, datum"),
            &self.go_live,
        );
        let effect_period = amount(
            &mut errors,
            ("effect_period", "Ekonomisk effekt, utfall för perioden, kr"),
            &self.effect_period,
        );
        let effect_forecast = amount(
            &mut errors,
            ("effect_forecast", "Ekonomisk effekt, prognos helår, kr"),
            &self.effect_forecast,
        );
        if errors.is_empty() {
            Ok(MeasureInput {
                submission: self.submission,
                version,
                group,
                number,
                activity,
                description,
                goal,
                decided_by,
                decided_on,
                stage,
                go_live,
                effect_period,
                effect_forecast,
                in_forecast: !self.in_forecast.is_empty(),
            })
        } else {
            Err(errors)
        }
    }
}

impl MeasureForm {
    /// A new measure's form: the first group.
    pub fn fresh() -> Self {
        Self {
            group: "1".into(),
            ..Self::default()
        }
    }
}
