//! The final report's forms as posted: the text (a save, or a correction after the decision) and
//! the status form (a move, or recording the committee's decision). What they may say depends
//! on where the report is, so each checks against the status the operation has read.

use serde::Deserialize;

use crate::{
    domain::{final_report::ReportStatus, text},
    final_report::{content::Content, repo::Move},
    projects::forms::optional_date,
    web::{AppError, form::FieldErrors, format},
};

/// The edit form as posted: the text and the version it was based on. Every field of the text
/// and the version must be there: an empty field is the author's choice, a missing one means the
/// post did not come from the form (a save of nothing but the token wrote a version with every
/// text empty). What is missing is kept in `missing`, and the save refuses it as a bad request
/// ([`ContentForm::check_complete`]) once the policy has admitted the user, rather than read it
/// as "".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub struct ContentForm {
    pub content: Content,
    pub report_version: i32,
    /// Why a decided report is corrected (required then, unused before the decision).
    pub correction_reason: String,
    /// The fields the post lacked (or a version that is no number).
    pub missing: Vec<String>,
}

impl From<Vec<(String, String)>> for ContentForm {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut fields = serde_json::Map::new();
        let (mut version, mut correction_reason) = (None, String::new());
        for (name, value) in pairs {
            match name.as_str() {
                "report_version" => version = value.trim().parse().ok(),
                "correction_reason" => correction_reason = value,
                _ => {
                    fields.insert(name, serde_json::Value::String(value));
                }
            }
        }
        // The text's fields, named as the form names them.
        let expected = serde_json::to_value(Content::default()).unwrap_or_default();
        let mut missing: Vec<String> = expected
            .as_object()
            .into_iter()
            .flat_map(|o| o.keys())
            .filter(|name| !fields.contains_key(*name))
            .cloned()
            .collect();
        if version.is_none() {
            missing.push("report_version".to_owned());
        }
        ContentForm {
            content: serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default(),
            report_version: version.unwrap_or_default(),
            correction_reason,
            missing,
        }
    }
}

impl ContentForm {
    /// Refuses a post that lacks fields of the form: it did not come from the form.
    pub fn check_complete(&self) -> Result<(), AppError> {
        if self.missing.is_empty() {
            Ok(())
        } else {
            Err(AppError::BadRequest(format!(
                "Formuläret saknar fält ({}). Ingenting har sparats. Ladda om sidan och försök \
                 igen.",
                self.missing.join(", ")
            )))
        }
    }

    /// The form with its text cleaned as it is saved (and shown again when refused).
    pub fn cleaned(self) -> Self {
        Self {
            content: self.content.cleaned(),
            ..self
        }
    }

    /// What is wrong with the text, by field; a decided report also needs the correction's
    /// reason.
    pub fn errors(&self, decided: bool) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if decided {
            match text::bounded(&self.correction_reason, 2000, true) {
                Ok(_) => {}
                Err(_) if self.correction_reason.trim().is_empty() => errors.add(
                    "correction_reason",
                    "Slutredovisningen är beslutad: ange varför den rättas.",
                ),
                Err(e) => errors.add("correction_reason", e.to_string()),
            }
        }
        let c = &self.content;
        for (name, value, max) in [
            ("summary", &c.summary, 50_000),
            ("description", &c.description, 50_000),
            ("analysis", &c.analysis, 50_000),
            ("title", &c.title, 300),
            ("name_in_decision", &c.name_in_decision, 300),
            ("officer_email", &c.officer_email, 254),
        ] {
            errors.check(name, text::bounded(value, max, false));
        }
        errors.check("figures_as_of", optional_date(&c.figures_as_of));
        errors
    }
}

/// The status form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MoveForm {
    /// The code of the status asked for.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub meeting_date: String,
    #[serde(default)]
    pub decision_body: String,
    #[serde(default)]
    pub decision_paragraph: String,
    #[serde(default)]
    pub decision_text: String,
    #[serde(default)]
    pub report_version: i32,
}

impl MoveForm {
    /// The move from `current` the form asks for, or the messages by field.
    pub fn parse(&self, current: ReportStatus) -> Result<Move, FieldErrors> {
        let mut e = FieldErrors::new();
        let meeting = e
            .check("meeting_date", optional_date(&self.meeting_date))
            .flatten();
        let mut bounded = |field: &str, value: &str, max: usize| {
            e.check(field, text::bounded(value, max, false))
                .filter(|t| !t.is_empty())
        };
        let body = bounded("decision_body", &self.decision_body, 200);
        let paragraph = bounded("decision_paragraph", &self.decision_paragraph, 20);
        let decision = bounded("decision_text", &self.decision_text, 20_000);
        let status = match ReportStatus::from_code(&self.to) {
            _ if self.to.is_empty() => Err("Välj en ny status.".to_owned()),
            Some(to) => current.move_to(to),
            // An unknown code reads as a draft, as the status labels always have.
            None => Err(current.cannot_become(ReportStatus::Draft.label())),
        };
        let status = match status {
            Ok(status) => status,
            Err(message) => {
                e.add("to", message);
                return Err(e);
            }
        };
        if status.has_meeting() && meeting.is_none() {
            e.add("meeting_date", "Ange sammanträdets datum.");
        }
        let decided = status.is_decided();
        if decided && meeting.is_some_and(|d| d > format::today()) {
            e.add(
                "meeting_date",
                "Beslutet registreras efter sammanträdet: datumet ligger i framtiden.",
            );
        }
        if decided {
            for (field, value, message) in [
                ("decision_body", &body, "Ange vilket organ som beslutade."),
                (
                    "decision_paragraph",
                    &paragraph,
                    "Ange paragrafen, till exempel §43.",
                ),
                ("decision_text", &decision, "Skriv beslutet."),
            ] {
                if value.is_none() {
                    e.add(field, message);
                }
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Move {
            status,
            meeting_date: meeting.filter(|_| status.has_meeting()),
            decision_body: body.filter(|_| decided),
            decision_paragraph: paragraph.filter(|_| decided),
            decision_text: decision.filter(|_| decided),
        })
    }
}
