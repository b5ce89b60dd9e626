//! The decision form (the secretary's) and the correction form (the controller's), kept as typed.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::{
    follow_up::report::Report,
    projects::forms::optional_date,
    web::{form::FieldErrors, format},
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub decision_body: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub decision_paragraph: String,
}

pub struct DecisionInput {
    pub version: i32,
    pub body: String,
    pub decided_on: NaiveDate,
    pub paragraph: String,
}

fn version(typed: &str, errors: &mut FieldErrors) -> i32 {
    typed.trim().parse().unwrap_or_else(|_| {
        errors.add("version", "Formuläret är inaktuellt. Ladda om sidan.");
        0
    })
}

/// A text that must be given, its message naming the field.
impl DecisionForm {
    /// A fresh form: the board's name as the deciding body, today as the date.
    pub fn from_report(report: &Report) -> Self {
        Self {
            version: report.header.version.to_string(),
            decision_body: report.header.board.clone(),
            decided_on: format::today().to_string(),
            decision_paragraph: String::new(),
        }
    }

    /// The decision is recorded after the meeting: never a date after today, nor one before the
    /// period's last month began (the figures did not exist yet).
    pub fn parse(&self, period_last_month: NaiveDate) -> Result<DecisionInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let version = version(&self.version, &mut errors);
        let body = errors
            .text(
                "decision_body",
                "Beslutande organ",
                &self.decision_body,
                (200, true),
            )
            .unwrap_or_default();
        let decided_on = match optional_date(&self.decided_on) {
            Ok(Some(d)) if d > format::today() => {
                errors.add(
                    "decided_on",
                    "Beslutsdatum: beslutet förs in efter sammanträdet och kan inte ligga i framtiden.",
                );
                None
            }
            Ok(Some(d)) if d < period_last_month => {
                errors.add(
                    "decided_on",
                    "Beslutsdatum: nämnden kan inte ha beslutat om perioden innan den var slut.",
                );
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("decided_on", "Ange datum för nämndens beslut.");
                None
            }
            Err(message) => {
                errors.add("decided_on", format!("Beslutsdatum: {message}"));
                None
            }
        };
        let paragraph = errors
            .text(
                "decision_paragraph",
                "Paragraf",
                &self.decision_paragraph,
                (20, true),
            )
            .unwrap_or_default();
        match decided_on {
            Some(decided_on) if errors.is_empty() => Ok(DecisionInput {
                version,
                body,
                decided_on,
                paragraph,
            }),
            _ => Err(errors),
        }
    }
}

/// A correction of a decided report's own text, with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub summary_text: String,
    #[serde(default)]
    pub operating_text: String,
    #[serde(default)]
    pub investment_text: String,
    #[serde(default)]
    pub reason: String,
}

pub struct CorrectionInput {
    pub version: i32,
    pub summary_text: String,
    pub operating_text: String,
    pub investment_text: String,
    pub reason: String,
}

impl CorrectionForm {
    pub fn from_report(report: &Report) -> Self {
        let h = &report.header;
        Self {
            version: h.version.to_string(),
            summary_text: h.summary_text.clone(),
            operating_text: h.operating_text.clone(),
            investment_text: h.investment_text.clone(),
            reason: String::new(),
        }
    }

    pub fn parse(&self) -> Result<CorrectionInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let version = version(&self.version, &mut errors);
        let mut long = |field: &str, typed: &str| {
            errors
                .text(field, "Texten", typed, (20_000, false))
                .unwrap_or_default()
        };
        let summary_text = long("summary_text", &self.summary_text);
        let operating_text = long("operating_text", &self.operating_text);
        let investment_text = long("investment_text", &self.investment_text);
        let reason = errors
            .text(
                "reason",
                "Anledning till rättelsen",
                &self.reason,
                (2000, true),
            )
            .unwrap_or_default();
        if errors.is_empty() {
            Ok(CorrectionInput {
                version,
                summary_text,
                operating_text,
                investment_text,
                reason,
            })
        } else {
            Err(errors)
        }
    }
}
