//! The effect goal form and the measurement form.

use serde::Deserialize;

use crate::{
    domain::{effect_goal::Assessment, number, text},
    goals::repo::{Goal, GoalInput, MeasurementInput},
    operation::Submission,
    projects::forms::optional_date,
    web::form::FieldErrors,
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoalForm {
    /// A new goal's one-time id (not used when editing).
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub baseline: String,
    #[serde(default)]
    pub target_value: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub assessment: String,
    #[serde(default)]
    pub assessment_comment: String,
    #[serde(default)]
    pub version: i32,
}

impl GoalForm {
    pub fn from_goal(g: &Goal) -> Self {
        let q =
            |v: Option<rust_decimal::Decimal>| v.map(number::format_quantity).unwrap_or_default();
        GoalForm {
            goal: g.goal.clone(),
            indicator: g.indicator.clone(),
            baseline: q(g.baseline),
            target_value: q(g.target_value),
            unit: g.unit.clone().unwrap_or_default(),
            target_date: g.target_date.map(|d| d.to_string()).unwrap_or_default(),
            assessment: g
                .assessment
                .map(|a| a.code().to_owned())
                .unwrap_or_default(),
            assessment_comment: g.assessment_comment.clone(),
            version: g.version,
            submission: Submission::default(),
        }
    }

    pub fn parse(&self) -> Result<GoalInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let goal = e.text("goal", "Effektmål", &self.goal, (4000, true));
        let indicator = e.text("indicator", "Indikator", &self.indicator, (4000, false));
        let baseline = e.check("baseline", number::parse_optional_quantity(&self.baseline));
        let target_value = e.check(
            "target_value",
            number::parse_optional_quantity(&self.target_value),
        );
        let unit = e.text("unit", "Enhet", &self.unit, (40, false));
        let target_date = e.check("target_date", optional_date(&self.target_date));
        let assessment = if self.assessment.is_empty() {
            Some(None)
        } else {
            let parsed = Assessment::from_code(&self.assessment);
            if parsed.is_none() {
                e.add("assessment", "Välj en av bedömningarna.");
            }
            parsed.map(Some)
        };
        let comment = e.check(
            "assessment_comment",
            text::bounded(&self.assessment_comment, 20_000, false),
        );
        match (
            goal,
            indicator,
            baseline,
            target_value,
            unit,
            target_date,
            assessment,
            comment,
        ) {
            (
                Some(goal),
                Some(indicator),
                Some(baseline),
                Some(target_value),
                Some(unit),
                Some(target_date),
                Some(assessment),
                Some(assessment_comment),
            ) if e.is_empty() => Ok(GoalInput {
                goal,
                indicator,
                baseline,
                target_value,
                unit: (!unit.is_empty()).then_some(unit),
                target_date,
                assessment,
                assessment_comment,
            }),
            _ => Err(e),
        }
    }
}

/// The audited fields of a goal, as (field, value).
pub fn audited(g: &GoalInput) -> [(&'static str, String); 8] {
    let q = |v: Option<rust_decimal::Decimal>| v.map(number::format_quantity).unwrap_or_default();
    [
        ("goal", g.goal.clone()),
        ("indicator", g.indicator.clone()),
        ("baseline", q(g.baseline)),
        ("target_value", q(g.target_value)),
        ("unit", g.unit.clone().unwrap_or_default()),
        (
            "target_date",
            g.target_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "assessment",
            g.assessment
                .map(|a| a.label().to_owned())
                .unwrap_or_default(),
        ),
        ("assessment_comment", g.assessment_comment.clone()),
    ]
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
    pub fn parse(&self) -> Result<MeasurementInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let date = e.check("measured_on", optional_date(&self.measured_on));
        if date == Some(None) {
            e.add("measured_on", "Ange mätdatum.");
        }
        if date
            .flatten()
            .is_some_and(|d| d > crate::web::format::today())
        {
            e.add(
                "measured_on",
                "Mätdatumet ligger i framtiden: en mätning registreras när den är gjord.",
            );
        }
        let value = e.check("value", number::parse_quantity(&self.value));
        let comment = e.text("comment", "Kommentar", &self.comment, (2000, false));
        match (date, value, comment) {
            (Some(Some(measured_on)), Some(value), Some(comment)) if e.is_empty() => {
                Ok(MeasurementInput {
                    measured_on,
                    value,
                    comment,
                })
            }
            _ => Err(e),
        }
    }
}
