//! Field-level validation messages, kept next to the field they belong to.

use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::text;

/// Messages by field name, in the order they were found, which is the order of the form's
/// fields (the error summary lists them so); empty when the form is valid. A field keeps its
/// first message.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// Records the error of `result` under `field`, returning its value when there is one.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: impl Into<String>,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }

    /// The text typed into `field`, trimmed, at most `max` characters and, when `required`, not
    /// empty ([`text::bounded`]). When it is not, none, and the refusal is recorded under
    /// `field` after the field's `label`: "Beskrivning: Fältet måste fyllas i."
    pub fn text(
        &mut self,
        field: impl Into<String>,
        label: &str,
        typed: &str,
        (max, required): (usize, bool),
    ) -> Option<String> {
        let checked = text::bounded(typed, max, required).map_err(|e| format!("{label}: {e}"));
        self.check(field, checked)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// (field, message) pairs for the error summary at the top of a form.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The `i`-th value of a repeated form field (one per table row), or "" when there is none.
/// A button's form: the version of what the page showed, so a stale press is refused.
#[derive(Debug, Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    pub version: i32,
}

pub fn nth(values: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| values.get(i)).map_or("", String::as_str)
}

/// The status of a form page: 409 when the save was refused because someone else saved first,
/// 422 when the input has errors, 200 otherwise.
/// The status of a page with several forms, of which one at most comes back refused: that
/// form's status, else 200.
pub fn worst(statuses: impl IntoIterator<Item = Option<StatusCode>>) -> StatusCode {
    statuses
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(StatusCode::OK)
}

pub fn status(errors: &FieldErrors, conflict: bool) -> StatusCode {
    if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_text_is_recorded_after_its_label() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            errors.text("goal", "Ev. mål", "  Balans  ", (500, false)),
            Some("Balans".to_owned())
        );
        assert_eq!(
            errors.text("activity", "Verksamhet", " ", (200, true)),
            None
        );
        assert_eq!(errors.text("unit", "Enhet", "abcd", (3, false)), None);
        assert_eq!(
            errors.iter().collect::<Vec<_>>(),
            [
                ("activity", "Verksamhet: Fältet måste fyllas i."),
                ("unit", "Enhet: Högst 3 tecken (du skrev 4).")
            ]
        );
    }
}
