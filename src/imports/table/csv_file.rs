//! A CSV file's rows, a line at a time: the separator and the encoding detected from the
//! file's first bytes unless chosen, and no line longer than a ledger row could be.

use std::io::{BufRead, Read};

use super::{Encoding, Positions, RowStager, Separator, TableFormat};
use crate::imports::staging::Sink;

/// A line longer than this stops the reading: no ledger row comes near it, and the CSV reader
/// would hold all of it in memory.
const LINE_BYTES: usize = 64 * 1024;

/// The first record, decoded.
pub fn header<R: BufRead>(input: R, format: &TableFormat) -> Result<Vec<String>, String> {
    let mut lines = Records::open(input, format)?;
    match lines.next_record() {
        Ok(Some((_, header))) => Ok(header),
        Ok(None) => Err("Filen är tom.".into()),
        Err((_, message)) => Err(message),
    }
}

/// Hands the header to `start`, then each row to a stager at the positions `start` found.
pub fn each_row<R: BufRead>(
    input: R,
    format: &TableFormat,
    sink: &mut Sink,
    start: impl FnOnce(&[String], &mut Sink) -> Option<Positions>,
) -> Result<u64, (u64, String)> {
    let mut records = Records::open(input, format).map_err(|m| (0, m))?;
    let Some((_, header)) = records.next_record()? else {
        return Err((0, "Filen är tom.".into()));
    };
    let Some(at) = start(&header, sink) else {
        return Ok(1);
    };
    let mut stager = RowStager { at, sink, lines: 1 };
    while let Some((line, cells)) = records.next_record()? {
        if !stager.take(line, &cells) {
            break;
        }
    }
    Ok(records.line)
}

/// A record: its line number and its fields.
type Record = (u64, Vec<String>);

/// A CSV file read a line at a time, each line one record: ledger exports have no line breaks
/// inside fields, and so every row's line number is exact and no line can be longer than
/// [`LINE_BYTES`].
struct Records<R> {
    input: R,
    separator: u8,
    encoding: Encoding,
    line: u64,
    bytes: Vec<u8>,
}

impl<R: BufRead> Records<R> {
    /// The reader, with the separator and encoding chosen or detected from the first bytes.
    fn open(mut input: R, format: &TableFormat) -> Result<Self, String> {
        let start = input
            .fill_buf()
            .map_err(|e| format!("filen kunde inte läsas: {e}"))?;
        let bom = start.starts_with(b"\xEF\xBB\xBF");
        let encoding = match format.encoding {
            Encoding::Auto if bom || utf8(start) => Encoding::Utf8,
            Encoding::Auto => Encoding::Windows1252,
            chosen => chosen,
        };
        let first_line = start.split(|b| *b == b'\n').next().unwrap_or_default();
        let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
        let separator = match format.separator {
            Separator::Semicolon => b';',
            Separator::Comma => b',',
            Separator::Tab => b'\t',
            Separator::Auto => [b';', b'\t', b',']
                .into_iter()
                .max_by_key(|c| count(*c))
                .unwrap_or(b';'),
        };
        if bom {
            input.consume(3);
        }
        Ok(Records {
            input,
            separator,
            encoding,
            line: 0,
            bytes: Vec::with_capacity(256),
        })
    }

    /// The next record that is not a blank line, with its line number.
    fn next_record(&mut self) -> Result<Option<Record>, (u64, String)> {
        loop {
            self.bytes.clear();
            let read = (&mut self.input)
                .take(LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.bytes)
                .map_err(|e| (self.line, format!("filen kunde inte läsas: {e}")))?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.bytes.len() > LINE_BYTES && !self.bytes.ends_with(b"\n") {
                return Err((
                    self.line,
                    format!(
                        "raden är längre än {} kB: läsningen stannade.",
                        LINE_BYTES / 1024
                    ),
                ));
            }
            let text = self.bytes.trim_ascii_end();
            if text.is_empty() {
                continue;
            }
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(self.separator)
                .has_headers(false)
                .flexible(true)
                .from_reader(text);
            let mut record = csv::ByteRecord::new();
            return match reader.read_byte_record(&mut record) {
                Ok(_) => Ok(Some((self.line, decode(&record, self.encoding)))),
                Err(e) => Err((self.line, format!("raden kunde inte läsas som CSV: {e}"))),
            };
        }
    }
}

/// Whether `bytes` are UTF-8, allowing a character cut off at the end of the sample.
fn utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

fn decode(record: &csv::ByteRecord, encoding: Encoding) -> Vec<String> {
    record
        .iter()
        .map(|field| match encoding {
            Encoding::Windows1252 => field.iter().map(|b| windows_1252(*b)).collect(),
            _ => String::from_utf8_lossy(field).into_owned(),
        })
        .collect()
}

/// A Windows-1252 byte as a character: Latin-1, but for the printable characters Windows puts
/// at 0x80–0x9F (the euro sign, curly quotes, dashes).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}
