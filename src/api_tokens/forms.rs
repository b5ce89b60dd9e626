//! The "Ny API-nyckel" form: a name to recognise the token by, how long it lives, and whether
//! it may write.

use serde::Deserialize;

use crate::{operation::Submission, web::form::FieldErrors};

/// The lifetimes offered, in days; a year at the most, so a forgotten token dies by itself.
pub const LIFETIMES: [(i64, &str); 4] = [
    (30, "30 dagar"),
    (90, "90 dagar"),
    (180, "180 dagar"),
    (365, "1 år"),
];
pub const DEFAULT_LIFETIME: i64 = 90;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default, skip_serializing)]
    pub submission: Submission,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub days: String,
    /// "read" or "write".
    #[serde(default)]
    pub access: String,
}

/// A checked form.
#[derive(Debug, Clone)]
pub struct TokenInput {
    pub name: String,
    pub days: i64,
    pub can_write: bool,
}

impl TokenForm {
    pub fn fresh() -> Self {
        TokenForm {
            submission: Submission::fresh(),
            days: DEFAULT_LIFETIME.to_string(),
            access: "read".into(),
            ..TokenForm::default()
        }
    }

    pub fn parse(&self) -> Result<TokenInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.text("name", "Namn", &self.name, (100, true));
        let days = self
            .days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| LIFETIMES.iter().any(|(days, _)| days == d));
        if days.is_none() {
            e.add(
                "days",
                "Giltighetstid: Välj en av de giltighetstider som finns.",
            );
        }
        let can_write = match self.access.as_str() {
            "read" => Some(false),
            "write" => Some(true),
            _ => {
                e.add("access", "Behörighet: Välj läsa eller läsa och skriva.");
                None
            }
        };
        match (name, days, can_write) {
            (Some(name), Some(days), Some(can_write)) if e.is_empty() => Ok(TokenInput {
                name,
                days,
                can_write,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_needs_a_name_an_offered_lifetime_and_an_access() {
        let mut form = TokenForm::fresh();
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.get("name"), Some("Namn: Fältet måste fyllas i."));
        form.name = "Ekonomisystemet".into();
        form.days = "10000".into();
        assert!(form.parse().unwrap_err().get("days").is_some());
        form.days = "365".into();
        form.access = "admin".into();
        assert!(form.parse().unwrap_err().get("access").is_some());
        form.access = "write".into();
        let input = form.parse().unwrap();
        assert!(input.can_write && input.days == 365);
    }
}
