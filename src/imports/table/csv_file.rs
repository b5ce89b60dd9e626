//! A CSV file's rows, a record at a time: the separator and the encoding detected from the
//! file's first bytes unless chosen, and no line longer than a ledger row could be.

use std::io::{BufRead, Read};

use super::{Encoding, Positions, RowStager, Separator, TableFormat};
use crate::imports::staging::Sink;

/// A line longer than this stops the reading: no ledger row comes near it, and the CSV reader
/// would hold all of it in memory.
const LINE_BYTES: usize = 64 * 1024;

/// The first record, decoded.
pub fn header<R: BufRead>(input: R, format: &TableFormat) -> Result<Vec<String>, String> {
    let (mut records, encoding) = open(input, format)?;
    let mut record = csv::ByteRecord::new();
    match records.read_byte_record(&mut record) {
        Ok(true) => Ok(decode(&record, encoding)),
        Ok(false) => Err("Filen är tom.".into()),
        Err(e) => Err(format!("Filen kunde inte läsas som CSV: {e}")),
    }
}

/// Hands the header to `start`, then each row to a stager at the positions `start` found.
pub fn each_row<R: BufRead>(
    input: R,
    format: &TableFormat,
    sink: &mut Sink,
    start: impl FnOnce(&[String], &mut Sink) -> Option<Positions>,
) -> Result<u64, (u64, String)> {
    let (mut records, encoding) = open(input, format).map_err(|m| (0, m))?;
    let mut record = csv::ByteRecord::new();
    let mut next = |records: &mut csv::Reader<_>| {
        let line = records.position().line();
        match records.read_byte_record(&mut record) {
            Ok(false) => Ok(None),
            Ok(true) => Ok(Some((line, decode(&record, encoding)))),
            Err(e) => Err((line, format!("raden kunde inte läsas: {e}"))),
        }
    };
    let Some((_, header)) = next(&mut records)? else {
        return Err((0, "Filen är tom.".into()));
    };
    let Some(at) = start(&header, sink) else {
        return Ok(1);
    };
    let mut stager = RowStager { at, sink, lines: 1 };
    while let Some((line, cells)) = next(&mut records)? {
        if !stager.take(line, &cells) {
            break;
        }
    }
    Ok(stager.lines)
}

/// The CSV reader over `input`, with the separator and encoding chosen or detected.
fn open<R: BufRead>(
    mut input: R,
    format: &TableFormat,
) -> Result<(csv::Reader<Bounded<R>>, Encoding), String> {
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
    let reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(Bounded {
            inner: input,
            since_newline: 0,
        });
    Ok((reader, encoding))
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

/// A reader that fails on a line longer than [`LINE_BYTES`].
struct Bounded<R> {
    inner: R,
    since_newline: usize,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            self.since_newline = if *b == b'\n' {
                0
            } else {
                self.since_newline + 1
            };
            if self.since_newline > LINE_BYTES {
                return Err(std::io::Error::other(format!(
                    "en rad är längre än {} kB",
                    LINE_BYTES / 1024
                )));
            }
        }
        Ok(n)
    }
}
