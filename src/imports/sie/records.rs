//! The fields of each record the reader reads, parsed into their types: a transaction row
//! (SIE 4B, `#TRANS`: account, object list, amount, date, text, quantity), amounts, dates,
//! dimensions and a financial year.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Item, Row, fields::Field};
use crate::domain::money::Money;

/// The longest account number kept (a chart of accounts uses four to six digits).
pub const ACCOUNT_CHARS: usize = 40;

/// `#TRANS kontonr {objektlista} belopp transdat transtext kvantitet sign`: the first three
/// are required; the date may be empty (the voucher's).
pub(super) fn transaction(line: u64, rest: &[Field]) -> Result<Row, String> {
    let account = match rest.first() {
        Some(Field::Text(a)) if a.chars().count() > ACCOUNT_CHARS => {
            return Err(format!("kontonumret är längre än {ACCOUNT_CHARS} tecken."));
        }
        Some(Field::Text(a)) if !a.is_empty() => a.clone(),
        _ => return Err("kontonummer saknas.".into()),
    };
    let objects = match rest.get(1) {
        Some(Field::List(elements)) => objects(elements)?,
        _ => {
            return Err("objektlistan (”{ … }”, tom eller med objekt) saknas efter kontot.".into());
        }
    };
    let amount = match rest.get(2) {
        Some(Field::Text(a)) => amount(a)?,
        _ => return Err("beloppet saknas.".into()),
    };
    let date = match optional_text(rest, 3)? {
        d if d.is_empty() => None,
        d => Some(parse_date(&d).ok_or_else(|| bad_date(&d))?),
    };
    let text = optional_text(rest, 4)?;
    let quantity = match optional_text(rest, 5)? {
        q if q.is_empty() => None,
        q => Some(Decimal::from_str_exact(&q).map_err(|_| format!("”{q}” är ingen kvantitet."))?),
    };
    Ok(Row {
        line,
        account,
        objects,
        amount,
        date,
        text,
        quantity,
    })
}

fn objects(elements: &[String]) -> Result<Vec<(u32, String)>, String> {
    if !elements.len().is_multiple_of(2) {
        return Err("objektlistan ska ha par av dimension och objekt.".into());
    }
    elements
        .chunks(2)
        .map(|pair| Ok((dimension(&pair[0])?, pair[1].clone())))
        .collect()
}

/// An amount as SIE writes it: a decimal point, at most two decimals, an optional minus.
fn amount(text: &str) -> Result<Money, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() <= 2
        && (!fraction.is_empty() || !digits.ends_with('.'));
    let value = Decimal::from_str(text).ok().filter(|_| well_formed);
    value
        .and_then(Money::new)
        .ok_or_else(|| format!("”{text}” är inget belopp (som 1234.50 eller -99)."))
}

pub(super) fn dimension(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|d| (1..=99_999).contains(d))
        .ok_or_else(|| format!("”{text}” är inget dimensionsnummer."))
}

pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    (text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
        .flatten()
}

pub(super) fn bad_date(text: &str) -> String {
    format!("”{text}” är inget datum (ÅÅÅÅMMDD).")
}

pub(super) fn year(rest: &[Field]) -> Result<Item, String> {
    let [number, start, end] = texts::<3>(rest)?;
    Ok(Item::Year {
        number: number
            .parse()
            .map_err(|_| format!("”{number}” är inget årsnummer (0, -1 …)."))?,
        start: parse_date(&start).ok_or_else(|| bad_date(&start))?,
        end: parse_date(&end).ok_or_else(|| bad_date(&end))?,
    })
}

/// The first `N` fields, all text; more may follow (a later version's fields).
pub(super) fn texts<const N: usize>(rest: &[Field]) -> Result<[String; N], String> {
    if rest.len() < N {
        return Err(format!("posten ska ha minst {N} fält efter etiketten."));
    }
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, field) in out.iter_mut().zip(rest) {
        match field {
            Field::Text(t) => slot.clone_from(t),
            Field::List(_) => return Err("en objektlista där en text väntades.".into()),
        }
    }
    Ok(out)
}

/// The text field at `index`, empty when the line ends before it.
pub(super) fn optional_text(rest: &[Field], index: usize) -> Result<String, String> {
    match rest.get(index) {
        None => Ok(String::new()),
        Some(Field::Text(t)) => Ok(t.clone()),
        Some(Field::List(_)) => Err("en objektlista där en text väntades.".into()),
    }
}
