//! Free text from forms: trimmed, required or optional, bounded in length.

/// Why a text field was refused, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Fältet måste fyllas i.")]
    Empty,
    #[error("Högst {max} tecken (du skrev {len}).")]
    TooLong { max: usize, len: usize },
    /// A NUL or another control character (tabs and line breaks are fine): nothing a person
    /// types, and PostgreSQL refuses NUL outright.
    #[error("Texten innehåller ett osynligt styrtecken. Skriv in den igen utan att klistra in.")]
    Control,
}

/// What a person typed as a message quotes it: at most 40 characters, cut with "…", so a
/// pasted page does not fill the error summary.
pub fn excerpt(typed: &str) -> String {
    const MAX: usize = 40;
    if typed.chars().count() <= MAX {
        typed.to_owned()
    } else {
        let mut cut: String = typed.chars().take(MAX).collect();
        cut.push('…');
        cut
    }
}

/// `text` with its first letter a capital: "Januari–augusti 2022" as a heading.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A trimmed text of at most `max` characters; `required` refuses an empty one.
pub fn bounded(input: &str, max: usize, required: bool) -> Result<String, TextError> {
    let trimmed = input.trim();
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextError::Control);
    }
    let len = trimmed.chars().count();
    if required && len == 0 {
        Err(TextError::Empty)
    } else if len > max {
        Err(TextError::TooLong { max, len })
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds_by_characters_not_bytes() {
        assert_eq!(bounded("  Åsa  ", 3, true), Ok("Åsa".into()));
        assert_eq!(
            bounded("Åsaö", 3, true),
            Err(TextError::TooLong { max: 3, len: 4 })
        );
        assert_eq!(bounded("   ", 3, true), Err(TextError::Empty));
        assert_eq!(bounded("", 3, false), Ok(String::new()));
        assert_eq!(bounded("a\u{0}b", 9, false), Err(TextError::Control));
        assert_eq!(
            bounded("rad 1\r\nrad\t2", 20, false),
            Ok("rad 1\r\nrad\t2".into())
        );
    }
}
