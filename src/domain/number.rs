//! Numbers as Swedish users type them: an optional minus (hyphen or the real sign), digits
//! grouped by three with spaces or not, a decimal comma. Money adds units on top of this; goal
//! values (percentages, hours, counts) use it as it is.

use rust_decimal::Decimal;

/// Non-breaking space: the thousands separator of formatted figures.
pub const NBSP: char = '\u{a0}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    /// More integer digits than allowed.
    TooLarge,
}

/// Parses `text` (already trimmed of units) allowing at most `max_integer_digits` significant
/// digits before the comma. Any number of decimals is returned; callers bound the precision.
pub fn parse(text: &str, max_integer_digits: usize) -> Result<Decimal, NumberError> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = whole_digits(whole).ok_or(NumberError::NotANumber)?;
    let fraction = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 20 && f.bytes().all(|b| b.is_ascii_digit()) => f,
        Some(_) => return Err(NumberError::NotANumber),
        None => "",
    };
    // Count before parsing: a thousand-digit string must never reach Decimal.
    if digits.trim_start_matches('0').len() > max_integer_digits {
        return Err(NumberError::TooLarge);
    }
    let literal = if fraction.is_empty() {
        digits
    } else {
        format!("{digits}.{fraction}")
    };
    let value = Decimal::from_str_exact(&literal).map_err(|_| NumberError::NotANumber)?;
    Ok(if negative { -value } else { value })
}

/// A goal value (baseline, target, measurement): up to ten integer digits and four decimals.
pub fn parse_quantity(input: &str) -> Result<Decimal, String> {
    let refuse = || {
        format!(
            "”{}” är inget tal. Skriv till exempel 80, 80,5 eller 1 200.",
            input.trim()
        )
    };
    let value = parse(input.trim().trim_end_matches('%').trim_end(), 10).map_err(|_| refuse())?;
    let value = value.normalize();
    if value.scale() > 4 {
        return Err(format!("”{}” har fler än fyra decimaler.", input.trim()));
    }
    Ok(value)
}

/// An optional quantity: empty input is none, anything else must parse as [`parse_quantity`].
pub fn parse_optional_quantity(input: &str) -> Result<Option<Decimal>, String> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_quantity(input).map(Some)
    }
}

/// A quantity for display: decimal comma, thousands grouped, no trailing zeros.
pub fn format_quantity(value: Decimal) -> String {
    let grouped = group(&value.normalize().abs().to_string());
    if value.is_sign_negative() && !value.is_zero() {
        format!("\u{2212}{grouped}")
    } else {
        grouped
    }
}

/// An unsigned decimal literal (`1234567.5`) in Swedish: a non-breaking space between groups
/// of three in the integer part, a decimal comma (`1 234 567,5`).
pub fn group(text: &str) -> String {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 * 2);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// The digits of the integer part: plain (`3200000`) or grouped by three with spaces
/// (`3 200 000`, also non-breaking and narrow spaces). `None` for anything else.
fn whole_digits(whole: &str) -> Option<String> {
    let groups: Vec<&str> = whole.split([' ', NBSP, '\u{202f}']).collect();
    let all_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    match groups.as_slice() {
        [single] if all_digits(single) => Some((*single).to_owned()),
        [first, rest @ ..]
            if all_digits(first)
                && first.len() <= 3
                && rest.iter().all(|g| all_digits(g) && g.len() == 3) =>
        {
            Some(groups.concat())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("80"), Ok(Decimal::from(80)));
        assert_eq!(parse_quantity("80 %"), Ok(Decimal::from(80)));
        assert_eq!(parse_quantity("80,5"), Ok(Decimal::new(805, 1)));
        assert_eq!(parse_quantity("1 200"), Ok(Decimal::from(1200)));
        assert!(parse_quantity("åttio").unwrap_err().contains("”åttio”"));
        assert!(parse_quantity("1,00001").is_err());
        assert_eq!(format_quantity(Decimal::new(12005, 1)), "1\u{a0}200,5");
        assert_eq!(format_quantity(Decimal::new(800, 1)), "80");
    }
}
