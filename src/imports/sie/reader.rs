//! The SIE reader: lines become items or line errors, in the file's order. It keeps track of
//! the voucher it is in (`#VER`, then `{`, the rows, `}`), checks that each voucher balances,
//! and counts an added row (`#RTRANS`) once: SIE 4B writes it followed by a `#TRANS` copy for
//! older readers, which is skipped here. A removed row (`#BTRANS`) never counts.

use std::{
    collections::{BTreeMap, VecDeque},
    io::BufRead,
};

use super::{
    Item, Limits, LineError, Row, Voucher,
    fields::{self, Field},
    lines::{Line, Lines},
    records::{bad_date, dimension, optional_text, parse_date, texts, transaction, year},
};
use crate::domain::money::Money;

/// The labels the reader reads; every other one is skipped and listed (SIE 4B 7.1).
const READ: [&str; 8] = [
    "#FORMAT", "#SIETYP", "#PROGRAM", "#FNAMN", "#RAR", "#KONTO", "#DIM", "#OBJEKT",
];

/// The most line errors reported before reading stops.
const MAX_ERRORS: usize = 100;
/// The longest line text shown with an error, in characters.
const SHOWN_CHARS: usize = 120;

/// A label the reader does not read, with where it first appears and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub first_line: u64,
    pub count: u64,
}

enum State {
    Outside,
    /// After `#VER`, expecting `{`.
    Opening(Voucher),
    InVoucher {
        voucher: Voucher,
        sum: Money,
        /// The last row was a `#RTRANS`: a `#TRANS` equal to it is its copy.
        added: Option<Row>,
        /// A line of the voucher could not be read: its balance is not checked (the line's
        /// error says what is wrong).
        broken: bool,
    },
    /// After a `#VER` line that could not be read: its block is the voucher's, so its lines
    /// are not each "outside a voucher"; its rows are checked but not counted.
    Unreadable {
        opened: bool,
    },
}

/// Reads a SIE file as items (see [`Item`]); an iterator of `Result<Item, LineError>`.
pub struct Reader<R> {
    lines: Lines<R>,
    limits: Limits,
    line: u64,
    state: State,
    errors: usize,
    done: bool,
    skipped: BTreeMap<String, Skipped>,
    /// Results found with the current line, reported before the next line is read.
    queued: VecDeque<Result<Item, LineError>>,
    /// `#SIETYP 4` was read: the file says it is SIE 4.
    typed: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, limits: Limits) -> Self {
        Reader {
            lines: Lines::new(input, limits.line_bytes),
            limits,
            line: 0,
            state: State::Outside,
            errors: 0,
            done: false,
            skipped: BTreeMap::new(),
            queued: VecDeque::new(),
            typed: false,
        }
    }

    /// The labels read past so far (all of them once the reader is done).
    pub fn skipped(&self) -> &BTreeMap<String, Skipped> {
        &self.skipped
    }

    /// The number of lines read so far.
    pub fn lines_read(&self) -> u64 {
        self.line
    }

    fn error(&mut self, text: &str, message: impl Into<String>) -> LineError {
        self.errors += 1;
        let mut shown: String = text.chars().take(SHOWN_CHARS).collect();
        if text.chars().count() > SHOWN_CHARS {
            shown.push('…');
        }
        LineError {
            line: self.line,
            text: shown,
            message: message.into(),
        }
    }

    /// The outcome of one line: an item, an error, or nothing (a line without an item).
    fn read(&mut self, text: &str) -> Option<Result<Item, LineError>> {
        let trimmed = text.trim_matches([' ', '\t']);
        match trimmed {
            "" => return None,
            "{" => return self.open(text),
            "}" => return self.close(text),
            _ => {}
        }
        let fields = match fields::split(trimmed, self.limits.fields) {
            Ok(fields) => fields,
            Err(e) => {
                self.break_voucher();
                return Some(Err(self.error(text, e.to_string())));
            }
        };
        let (label, rest) = match fields.split_first() {
            Some((Field::Text(label), rest)) if label.starts_with('#') => {
                (label.to_uppercase(), rest)
            }
            _ => {
                return Some(Err(
                    self.error(text, "raden börjar inte med en etikett (#…).")
                ));
            }
        };
        let result = match label.as_str() {
            "#TRANS" | "#RTRANS" | "#BTRANS" => return self.row(&label, rest, text),
            "#VER" => self.voucher(rest, text),
            _ if !READ.contains(&label.as_str()) => {
                // SIE 4B 7.1: an unknown label is ignored, wherever it stands.
                let line = self.line;
                self.skipped
                    .entry(label)
                    .and_modify(|s| s.count += 1)
                    .or_insert(Skipped {
                        first_line: line,
                        count: 1,
                    });
                return None;
            }
            _ if !matches!(self.state, State::Outside) => {
                self.break_voucher();
                Err(format!("{label} kan inte stå inne i en verifikation."))
            }
            "#FORMAT" => match texts::<1>(rest) {
                Ok([format]) if format.eq_ignore_ascii_case("PC8") => return None,
                Ok([format]) => Err(format!(
                    "teckenformatet ”{format}” stöds inte: SIE 4 skrivs i PC8 (#FORMAT PC8)."
                )),
                Err(e) => Err(e),
            },
            "#SIETYP" => match texts::<1>(rest) {
                // 4B writes the type as 4; some programs write 4E or 4I (chapter 4).
                Ok([kind]) if matches!(kind.to_uppercase().as_str(), "4" | "4E" | "4I") => {
                    self.typed = true;
                    return None;
                }
                Ok([kind]) => Err(format!(
                    "SIE typ {kind} har inga verifikationer: exportera SIE typ 4 (4E eller 4I)."
                )),
                Err(e) => Err(e),
            },
            "#PROGRAM" => texts::<2>(rest).map(|[name, version]| Item::Program { name, version }),
            "#FNAMN" => texts::<1>(rest).map(|[name]| Item::Company(name)),
            "#RAR" => year(rest),
            "#KONTO" => texts::<2>(rest).map(|[number, name]| Item::Account { number, name }),
            "#DIM" => texts::<2>(rest).and_then(|[number, name]| {
                Ok(Item::Dimension {
                    number: dimension(&number)?,
                    name,
                })
            }),
            "#OBJEKT" => texts::<3>(rest).and_then(|[dim, code, name]| {
                Ok(Item::Object {
                    dimension: dimension(&dim)?,
                    code,
                    name,
                })
            }),
            _ => return None,
        };
        Some(result.map_err(|message| self.error(text, message)))
    }

    fn voucher(&mut self, rest: &[Field], text: &str) -> Result<Item, String> {
        if let State::Opening(v) | State::InVoucher { voucher: v, .. } = &self.state {
            let message = format!(
                "verifikationen {} på rad {} avslutas inte med ”}}” före nästa #VER.",
                voucher_name(v),
                v.line
            );
            let error = self.error(text, message);
            self.queued.push_back(Err(error));
            self.state = State::Outside;
        }
        let line = self.line;
        let parsed = (|| {
            let [series, number, date] = texts::<3>(rest)?;
            Ok(Voucher {
                line,
                series,
                number,
                date: parse_date(&date).ok_or_else(|| bad_date(&date))?,
                text: optional_text(rest, 3)?,
            })
        })();
        match parsed {
            Ok(voucher) => {
                self.state = State::Opening(voucher.clone());
                Ok(Item::Voucher(voucher))
            }
            Err(message) => {
                self.state = State::Unreadable { opened: false };
                Err(message)
            }
        }
    }

    fn open(&mut self, text: &str) -> Option<Result<Item, LineError>> {
        match std::mem::replace(&mut self.state, State::Outside) {
            State::Opening(voucher) => {
                self.state = State::InVoucher {
                    voucher,
                    sum: Money::ZERO,
                    added: None,
                    broken: false,
                };
                None
            }
            State::Unreadable { opened: false } => {
                self.state = State::Unreadable { opened: true };
                None
            }
            _ => Some(Err(self.error(text, "”{” utan #VER före."))),
        }
    }

    fn close(&mut self, text: &str) -> Option<Result<Item, LineError>> {
        match std::mem::replace(&mut self.state, State::Outside) {
            State::InVoucher {
                voucher,
                sum,
                broken: false,
                ..
            } if sum != Money::ZERO => Some(Err(self.error(
                text,
                format!(
                    "verifikationen {} balanserar inte: raderna summerar till {} kr.",
                    voucher_name(&voucher),
                    sum.format_kr()
                ),
            ))),
            State::InVoucher { .. } | State::Unreadable { opened: true } => None,
            _ => Some(Err(self.error(text, "”}” utan verifikation att avsluta."))),
        }
    }

    fn row(&mut self, label: &str, rest: &[Field], text: &str) -> Option<Result<Item, LineError>> {
        let row = match transaction(self.line, rest) {
            Ok(row) => row,
            Err(message) => {
                self.break_voucher();
                return Some(Err(self.error(text, message)));
            }
        };
        if let State::Unreadable { opened: true } = self.state {
            return None;
        }
        let State::InVoucher { sum, added, .. } = &mut self.state else {
            let message = format!("{label} utanför en verifikation (#VER och ”{{ … }}”).");
            return Some(Err(self.error(text, message)));
        };
        let copy_of = added.take();
        match label {
            "#BTRANS" => None,
            "#RTRANS" => {
                *sum = *sum + row.amount;
                *added = Some(row.clone());
                Some(Ok(Item::Row(row)))
            }
            _ if copy_of.is_some_and(|a| same_row(&a, &row)) => None,
            _ => {
                *sum = *sum + row.amount;
                Some(Ok(Item::Row(row)))
            }
        }
    }

    /// A line of the current voucher could not be read.
    fn break_voucher(&mut self) {
        if let State::InVoucher { added, broken, .. } = &mut self.state {
            *added = None;
            *broken = true;
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Item, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(queued) = self.queued.pop_front() {
            return Some(queued);
        }
        while !self.done {
            if self.errors >= MAX_ERRORS {
                self.done = true;
                return Some(Err(self.error(
                    "",
                    format!("fler än {MAX_ERRORS} fel; resten av filen lästes inte."),
                )));
            }
            let line = match self.lines.next_line() {
                Ok(line) => line,
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.error("", format!("filen kunde inte läsas: {e}."))));
                }
            };
            let Some(line) = line else {
                self.done = true;
                return self.end_of_file();
            };
            self.line += 1;
            let text = match line {
                Line::Text(text) => text,
                Line::TooLong => {
                    // The line may have been one of the voucher's rows.
                    self.break_voucher();
                    let limit = self.limits.line_bytes;
                    return Some(Err(self.error(
                        "",
                        format!("raden är längre än {limit} tecken, vilket ingen SIE-post är."),
                    )));
                }
            };
            if let Some(result) = self.read(&text) {
                // An error found before the line's own result comes first.
                self.queued.push_back(result);
                return self.queued.pop_front();
            }
            if let Some(queued) = self.queued.pop_front() {
                return Some(queued);
            }
        }
        None
    }
}

impl<R: BufRead> Reader<R> {
    fn end_of_file(&mut self) -> Option<Result<Item, LineError>> {
        match std::mem::replace(&mut self.state, State::Outside) {
            State::Opening(v) | State::InVoucher { voucher: v, .. } => {
                let message = format!(
                    "filen slutar inne i verifikationen {} på rad {}.",
                    voucher_name(&v),
                    v.line
                );
                Some(Err(self.error("", message)))
            }
            State::Outside | State::Unreadable { .. } if !self.typed => Some(Err(self.error(
                "",
                "filen saknar ”#SIETYP 4”: den är ingen SIE 4-fil, eller inte hela filen.",
            ))),
            State::Outside | State::Unreadable { .. } => None,
        }
    }
}

/// "A 412" as a voucher is named in a ledger, or its line when it has no series and number.
pub fn voucher_name(voucher: &Voucher) -> String {
    match (voucher.series.is_empty(), voucher.number.is_empty()) {
        (true, true) => format!("på rad {}", voucher.line),
        _ => format!("{} {}", voucher.series, voucher.number)
            .trim()
            .to_owned(),
    }
}

/// Whether `b` is the `#TRANS` copy of the `#RTRANS` `a`. A quantity of 0 and none are the
/// same: ledgers write the `#RTRANS` with its quantity and signature, and some leave both off
/// the copy.
fn same_row(a: &Row, b: &Row) -> bool {
    let quantity = |r: &Row| r.quantity.unwrap_or_default();
    (
        &a.account,
        &a.objects,
        a.amount,
        a.date,
        &a.text,
        quantity(a),
    ) == (
        &b.account,
        &b.objects,
        b.amount,
        b.date,
        &b.text,
        quantity(b),
    )
}
