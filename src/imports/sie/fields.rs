//! One line of a SIE file split into its fields. SIE 4B 5.7: fields are separated by spaces or
//! tabs; a field that holds a space is written in quotes, a quote inside it as `\"` (the only
//! escape: any other backslash is itself), and no text holds a control character. 8.21–8.22:
//! an object list is written `{dimension "object" …}`; here it does not nest.

/// A field of a line: text, or the elements of an object list (dimension and object in turn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Text(String),
    List(Vec<String>),
}

/// Why a line could not be split; the message completes "Rad N: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("citattecknet som börjar vid tecken {0} avslutas aldrig.")]
    UnclosedQuote(usize),
    #[error("objektlistan (”{{”) avslutas aldrig med ”}}”.")]
    UnclosedList,
    #[error("en objektlista kan inte ligga i en annan (”{{” i ”{{ … }}”).")]
    NestedList,
    #[error("”}}” utan ”{{” före.")]
    UnopenedList,
    #[error("raden har fler än {0} fält.")]
    TooManyFields(usize),
    #[error("raden innehåller ett styrtecken (tecken {0}), som SIE inte tillåter.")]
    ControlCharacter(usize),
}

/// The fields of `line`, at most `max_fields` in all (the elements of object lists count).
pub fn split(line: &str, max_fields: usize) -> Result<Vec<Field>, FieldError> {
    let mut fields = Vec::new();
    let mut list: Option<Vec<String>> = None;
    let mut count = 0;
    let mut chars = line.char_indices().peekable();
    // The position of a character in the line, 1-based, for messages.
    let position = |at: usize| line[..at].chars().count() + 1;
    while let Some(&(at, c)) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
                continue;
            }
            c if c.is_control() => return Err(FieldError::ControlCharacter(position(at))),
            '{' => {
                chars.next();
                if list.is_some() {
                    return Err(FieldError::NestedList);
                }
                list = Some(Vec::new());
                continue;
            }
            '}' => {
                chars.next();
                let elements = list.take().ok_or(FieldError::UnopenedList)?;
                fields.push(Field::List(elements));
                continue;
            }
            _ => {}
        }
        let text = if c == '"' {
            chars.next();
            match quoted(&mut chars) {
                Ok(text) => text,
                Err(Quoted::Unclosed) => return Err(FieldError::UnclosedQuote(position(at))),
                Err(Quoted::Control(at)) => {
                    return Err(FieldError::ControlCharacter(position(at)));
                }
            }
        } else {
            bare(&mut chars)
        };
        count += 1;
        if count > max_fields {
            return Err(FieldError::TooManyFields(max_fields));
        }
        match &mut list {
            Some(elements) => elements.push(text),
            None => fields.push(Field::Text(text)),
        }
    }
    if list.is_some() {
        return Err(FieldError::UnclosedList);
    }
    Ok(fields)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Why a quoted field could not be read.
enum Quoted {
    Unclosed,
    /// A control character at this byte offset.
    Control(usize),
}

/// The rest of a quoted field after its opening quote, up to the closing one. `\"` is a quote;
/// any other backslash stays as written.
fn quoted(chars: &mut Chars<'_>) -> Result<String, Quoted> {
    let mut text = String::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Ok(text),
            '\\' if chars.peek().is_some_and(|&(_, next)| next == '"') => {
                chars.next();
                text.push('"');
            }
            c if c.is_control() => return Err(Quoted::Control(at)),
            c => text.push(c),
        }
    }
    Err(Quoted::Unclosed)
}

/// A field without quotes: up to a space, a tab or a brace.
fn bare(chars: &mut Chars<'_>) -> String {
    let mut text = String::new();
    while let Some(&(_, c)) = chars.peek() {
        if matches!(c, ' ' | '\t' | '{' | '}') || c.is_control() {
            break;
        }
        text.push(c);
        chars.next();
    }
    text
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn text(s: &str) -> Field {
        Field::Text(s.to_owned())
    }

    fn list(items: &[&str]) -> Field {
        Field::List(items.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn splits_bare_quoted_and_listed_fields() {
        assert_eq!(
            split(
                r#"#TRANS 5460 {1 "310" 6 "0412"} -1234.50 20260315 "Licens, \"Bas\"" 2"#,
                64
            )
            .unwrap(),
            vec![
                text("#TRANS"),
                text("5460"),
                list(&["1", "310", "6", "0412"]),
                text("-1234.50"),
                text("20260315"),
                text("Licens, \"Bas\""),
                text("2"),
            ]
        );
        assert_eq!(
            split("#TRANS\t2440\t{}\t99.5", 64).unwrap(),
            vec![text("#TRANS"), text("2440"), list(&[]), text("99.5")]
        );
        assert_eq!(
            split(r#"#VER "" "" 20260101 """#, 64).unwrap(),
            vec![text("#VER"), text(""), text(""), text("20260101"), text("")]
        );
        assert_eq!(
            split(r#"#KONTO 1 "\\server\dela""#, 64).unwrap(),
            vec![text("#KONTO"), text("1"), text(r"\\server\dela")]
        );
    }

    #[test]
    fn refuses_what_sie_does_not_allow() {
        assert_eq!(
            split(r#"#VER A 1 20260101 "open"#, 64),
            Err(FieldError::UnclosedQuote(19))
        );
        assert_eq!(split("#TRANS 1 {1 2", 64), Err(FieldError::UnclosedList));
        assert_eq!(split("#TRANS 1 {{1 2}}", 64), Err(FieldError::NestedList));
        assert_eq!(split("#TRANS 1 }", 64), Err(FieldError::UnopenedList));
        assert_eq!(split("a b c", 2), Err(FieldError::TooManyFields(2)));
        assert_eq!(
            split("#KONTO 1 a\u{7}b", 64),
            Err(FieldError::ControlCharacter(11))
        );
        assert_eq!(
            split("#KONTO 1 \"a\tb\"", 64),
            Err(FieldError::ControlCharacter(12))
        );
    }

    proptest! {
        /// Any text either splits or is refused: never a panic, and never more fields than
        /// allowed.
        #[test]
        fn any_text_splits_or_is_refused(line in "\\PC{0,200}") {
            if let Ok(fields) = split(&line, 16) {
                let count: usize = fields.iter().map(|f| match f {
                    Field::Text(_) => 1,
                    Field::List(items) => items.len(),
                }).sum();
                prop_assert!(count <= 16);
            }
        }

        /// A field written the way SIE quotes it reads back as it was (without backslashes: SIE
        /// has no way to write one right before a quote).
        #[test]
        fn quoted_text_reads_back(value in "[^\\p{Cc}\\\\]{0,40}") {
            let written = format!("#FNAMN \"{}\"", value.replace('"', "\\\""));
            prop_assert_eq!(
                split(&written, 8).unwrap(),
                vec![text("#FNAMN"), text(&value)]
            );
        }
    }
}
