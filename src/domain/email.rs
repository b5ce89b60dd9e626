//! An e-mail address as account identifier: trimmed, lower-cased, plausibly shaped.

use std::fmt;

/// A parsed e-mail address. Comparison ignores case because the stored form is lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a text is not an e-mail address, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Ange en e-postadress.")]
    Empty,
    #[error("E-postadressen får vara högst 254 tecken.")]
    TooLong,
    #[error("”{0}” är inte en giltig e-postadress.")]
    Invalid(String),
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let invalid = || EmailError::Invalid(trimmed.to_owned());
        let (local, domain) = trimmed.split_once('@').ok_or_else(invalid)?;
        let plausible = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@')
            && !trimmed
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
        if plausible {
            Ok(Self(trimmed.to_lowercase()))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_them() {
        let email = Email::parse("  Anna.Berg@Ludvika.se ").unwrap();
        assert_eq!(email.as_str(), "anna.berg@ludvika.se");
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "anna",
            "anna@",
            "@ludvika.se",
            "anna@ludvika",
            "an na@x.se",
            "a@b@c.se",
            "a@.se",
            "a@x..se",
        ] {
            assert!(
                matches!(Email::parse(bad), Err(EmailError::Invalid(_))),
                "{bad}"
            );
        }
        assert_eq!(Email::parse("  "), Err(EmailError::Empty));
        let long = format!("{}@x.se", "a".repeat(260));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
