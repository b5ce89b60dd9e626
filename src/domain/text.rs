//! Free text from forms: trimmed, required or optional, bounded in length.

/// Why a text field was refused, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Fältet måste fyllas i.")]
    Empty,
    #[error("Högst {max} tecken (du skrev {len}).")]
    TooLong { max: usize, len: usize },
}

/// A trimmed text of at most `max` characters; `required` refuses an empty one.
pub fn bounded(input: &str, max: usize, required: bool) -> Result<String, TextError> {
    let trimmed = input.trim();
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
    }
}
