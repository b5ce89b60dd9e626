//! A list page as an Excel workbook: a title row, the headers, and one row per line, with
//! amounts, counts and dates as numbers and dates (so they sum and sort) and every text as text
//! (so a name typed as "=SUMMA(A1)" or "+46 70" stays what it was, never a formula). Amounts
//! are kronor with two decimals, far within what a spreadsheet number holds exactly.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Kronor; empty when there is none.
    Amount(Option<Decimal>),
    /// A figure with one decimal, such as a benefit 0–100.
    Figure(Decimal),
    Whole(i64),
    /// A measured value with the decimals it was given (an indicator's baseline, target or
    /// reading); empty when there is none.
    Measure(Option<Decimal>),
    Date(Option<NaiveDate>),
}

/// The workbook's one sheet.
pub struct Table<'a> {
    pub sheet: &'a str,
    /// What the list is and its filter, above the headers.
    pub title: String,
    /// (header, column width).
    pub headers: &'a [(&'a str, u8)],
    pub rows: Vec<Vec<Cell>>,
}

/// The .xlsx bytes of `table`.
pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let kr = Format::new().set_num_format("#,##0");
        let figure = Format::new().set_num_format("0.0");
        let day = Format::new().set_num_format("yyyy-mm-dd");
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.sheet)?;
        sheet.write_string_with_format(0, 0, &table.title, &bold)?;
        for (c, (header, width)) in (0u16..).zip(table.headers) {
            sheet.write_string_with_format(2, c, *header, &bold)?;
            sheet.set_column_width(c, *width)?;
        }
        sheet.set_freeze_panes(3, 0)?;
        for (r, row) in (3u32..).zip(&table.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(r, c, text)?;
                    }
                    Cell::Amount(Some(amount)) => {
                        sheet.write_number_with_format(
                            r,
                            c,
                            amount.to_f64().unwrap_or_default(),
                            &kr,
                        )?;
                    }
                    Cell::Figure(value) => {
                        sheet.write_number_with_format(
                            r,
                            c,
                            value.to_f64().unwrap_or_default(),
                            &figure,
                        )?;
                    }
                    Cell::Measure(Some(value)) => {
                        sheet.write_number(r, c, value.to_f64().unwrap_or_default())?;
                    }
                    Cell::Whole(n) => {
                        sheet.write_number(r, c, Decimal::from(*n).to_f64().unwrap_or_default())?;
                    }
                    Cell::Date(Some(date)) => {
                        let at = ExcelDateTime::from_ymd(
                            u16::try_from(date.year()).unwrap_or(1900),
                            u8::try_from(date.month()).unwrap_or(1),
                            u8::try_from(date.day()).unwrap_or(1),
                        )?;
                        sheet.write_datetime_with_format(r, c, &at, &day)?;
                    }
                    Cell::Amount(None) | Cell::Measure(None) | Cell::Date(None) => {}
                }
            }
        }
        let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX) + 2;
        let last_column = u16::try_from(table.headers.len().saturating_sub(1)).unwrap_or(0);
        sheet.autofilter(2, 0, last_row, last_column)?;
        workbook.save_to_buffer()
    };
    build().map_err(|e| e.to_string())
}
