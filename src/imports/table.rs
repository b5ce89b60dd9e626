//! Ledger rows from a table, CSV or Excel, for ledgers and reports that do not export SIE. The
//! columns are named on the upload form (and remembered per municipality): date or month,
//! account, project number, activity, amount, text, voucher. A CSV file is read a record at a
//! time, its separator and encoding detected unless chosen; an Excel workbook's first sheet a
//! cell at a time. Swedish numbers ("−1 234,50") and dates ("2026-03-15", "20260315", "2026-03")
//! are read; every row that cannot be read is an error with its line number.

use std::io::{BufRead, BufReader, Read, Seek};

use chrono::NaiveDate;

use crate::{
    coded_enum,
    domain::money::Money,
    imports::{
        sie::LineError,
        staging::{Sink, StagedRow},
    },
    web::form::FieldErrors,
};

coded_enum! {
    /// What separates a CSV file's fields.
    pub enum Separator {
        Auto = ("auto", "Känn igen automatiskt"),
        Semicolon = ("semicolon", "Semikolon (;)"),
        Comma = ("comma", "Komma (,)"),
        Tab = ("tab", "Tabb"),
    }
}

coded_enum! {
    /// How a CSV file's text is encoded.
    pub enum Encoding {
        Auto = ("auto", "Känn igen automatiskt"),
        Utf8 = ("utf8", "UTF-8"),
        Windows1252 = ("windows1252", "Windows-1252 (Excel på svenska)"),
    }
}

/// The column headers that hold each thing, as typed or remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub date: String,
    pub account: String,
    pub project: String,
    pub activity: String,
    pub amount: String,
    pub text: String,
    pub voucher: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            date: "Datum".into(),
            account: "Konto".into(),
            project: "Projekt".into(),
            activity: "Ansvar".into(),
            amount: "Belopp".into(),
            text: "Text".into(),
            voucher: "Verifikation".into(),
        }
    }
}

impl Columns {
    /// (form field, Swedish name, header, required) of each column.
    pub fn fields(&self) -> [(&'static str, &'static str, &str, bool); 7] {
        [
            ("col_date", "Datum eller månad", &self.date, true),
            ("col_account", "Konto", &self.account, true),
            ("col_project", "Projektnummer", &self.project, false),
            (
                "col_activity",
                "Ansvar eller verksamhet",
                &self.activity,
                false,
            ),
            ("col_amount", "Belopp", &self.amount, true),
            ("col_text", "Text", &self.text, false),
            ("col_voucher", "Verifikation", &self.voucher, false),
        ]
    }
}

/// How a table file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFormat {
    pub columns: Columns,
    pub separator: Separator,
    pub encoding: Encoding,
}

/// Where each column is.
#[derive(Debug, Clone, Copy)]
pub struct Positions {
    date: usize,
    account: usize,
    project: Option<usize>,
    activity: Option<usize>,
    amount: usize,
    text: Option<usize>,
    voucher: Option<usize>,
}

/// The positions of the named columns in `header` (case and spaces aside); a required column
/// missing, or an optional one named but missing, is an error next to its field that lists the
/// file's columns.
pub fn positions(header: &[String], columns: &Columns) -> Result<Positions, FieldErrors> {
    let mut errors = FieldErrors::new();
    let normal = |s: &str| s.trim().to_lowercase();
    let mut found = Vec::new();
    for (field, label, name, required) in columns.fields() {
        let position = header.iter().position(|h| normal(h) == normal(name));
        if position.is_none() && (required || !name.trim().is_empty()) {
            let shown: Vec<&str> = header
                .iter()
                .map(|h| h.trim())
                .filter(|h| !h.is_empty())
                .collect();
            errors.add(
                field,
                format!(
                    "{label}: filen har ingen kolumn ”{}”. Kolumnerna är: {}.",
                    name.trim(),
                    shown.join(", ")
                ),
            );
        }
        found.push(position);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = |i: usize| found[i];
    Ok(Positions {
        date: at(0).unwrap_or_default(),
        account: at(1).unwrap_or_default(),
        project: at(2),
        activity: at(3),
        amount: at(4).unwrap_or_default(),
        text: at(5),
        voucher: at(6),
    })
}

/// One row of the table as staged, or what is wrong with it.
fn row<'a>(cells: &'a [String], at: &Positions, line: u64) -> Result<Parsed<'a>, String> {
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |c| c.trim());
    let date = parse_date(cell(Some(at.date)))?;
    let account = cell(Some(at.account));
    if account.is_empty() {
        return Err("kontot saknas.".into());
    }
    if account.chars().count() > 40 {
        return Err("kontonumret är längre än 40 tecken.".into());
    }
    let amount = Money::parse(cell(Some(at.amount))).map_err(|e| format!("beloppet: {e}"))?;
    let voucher = cell(at.voucher);
    let (series, number) = voucher.split_once(' ').unwrap_or(("", voucher));
    Ok(Parsed {
        line,
        date,
        account,
        project: cell(at.project),
        activity: cell(at.activity),
        amount,
        text: cell(at.text),
        series: series.trim(),
        number: number.trim(),
    })
}

struct Parsed<'a> {
    line: u64,
    date: NaiveDate,
    account: &'a str,
    project: &'a str,
    activity: &'a str,
    amount: Money,
    text: &'a str,
    series: &'a str,
    number: &'a str,
}

/// A day (`2026-03-15`, `20260315`) or a month (`2026-03`, `202603`: its first day).
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let day = |t: &str, f: &str| NaiveDate::parse_from_str(t, f).ok();
    let month = |t: &str, f: &str| day(&format!("{t}-01"), f);
    let date = day(text, "%Y-%m-%d")
        .or_else(|| day(text.split(' ').next().unwrap_or(""), "%Y-%m-%d"))
        .or_else(|| (text.len() == 8).then(|| day(text, "%Y%m%d")).flatten())
        .or_else(|| (text.len() == 7).then(|| month(text, "%Y-%m-%d")).flatten())
        .or_else(|| (text.len() == 6).then(|| month(text, "%Y%m-%d")).flatten());
    match date {
        Some(d) if (1950..=2100).contains(&chrono::Datelike::year(&d)) => Ok(d),
        _ => Err(format!(
            "”{}” är inget datum eller månad (som 2026-03-15 eller 2026-03).",
            crate::domain::text::excerpt(text)
        )),
    }
}

/// Stages a table's rows one at a time, after its header.
struct RowStager<'s> {
    at: Positions,
    sink: &'s mut Sink,
    lines: u64,
}

impl RowStager<'_> {
    /// Stages the row of `line`, or records what is wrong with it; false when the reading
    /// should stop (the database side stopped, or too many errors).
    fn take(&mut self, line: u64, cells: &[String]) -> bool {
        self.lines = line;
        if cells.iter().all(|c| c.trim().is_empty()) {
            return true;
        }
        match row(cells, &self.at, line) {
            Ok(p) => {
                let staged = StagedRow {
                    line: p.line,
                    series: p.series,
                    number: p.number,
                    voucher_date: p.date,
                    account: p.account,
                    cost_centre: Some(p.activity),
                    project: Some(p.project),
                    amount: p.amount,
                    date: p.date,
                    text: p.text,
                };
                self.sink.push(&staged, line)
            }
            Err(message) => self.error(line, &cells.join(";"), message),
        }
    }

    fn error(&mut self, line: u64, text: &str, message: String) -> bool {
        let errors = &mut self.sink.staged.errors;
        errors.push(LineError {
            line,
            text: crate::domain::text::excerpt(text),
            message,
        });
        errors.len() <= MAX_ERRORS
    }
}

/// The most line errors recorded before the reading stops.
const MAX_ERRORS: usize = 100;

mod csv_file;
mod xlsx_file;

/// Reads the header of a table file (CSV unless `xlsx`), for [`positions`].
pub fn header<R: Read + Seek>(
    input: &mut R,
    xlsx: bool,
    format: &TableFormat,
) -> Result<Vec<String>, String> {
    let header = if xlsx {
        xlsx_file::header(&mut *input)
    } else {
        csv_file::header(BufReader::new(&mut *input), format)
    };
    input
        .rewind()
        .map_err(|e| format!("filen kunde inte läsas: {e}"))?;
    header
}

/// Stages every row of a table file read as `format`; returns the lines read.
pub fn stage<R: Read + Seek + BufRead>(
    input: R,
    xlsx: bool,
    format: &TableFormat,
    sink: &mut Sink,
) -> u64 {
    let start = |header: &[String], sink: &mut Sink| match positions(header, &format.columns) {
        Ok(at) => Some(at),
        Err(errors) => {
            for (_, message) in errors.iter() {
                let text = crate::domain::text::excerpt(&header.join(";"));
                let message = message.to_owned();
                sink.staged.errors.push(LineError {
                    line: 1,
                    text,
                    message,
                });
            }
            None
        }
    };
    let result = if xlsx {
        xlsx_file::each_row(input, sink, start)
    } else {
        csv_file::each_row(input, format, sink, start)
    };
    match result {
        Ok(lines) => lines,
        Err((line, message)) => {
            sink.staged.errors.push(LineError {
                line,
                text: String::new(),
                message,
            });
            line
        }
    }
}
