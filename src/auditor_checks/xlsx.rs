//! A check's rows as an Excel workbook: a title, what the check asks, the scope, and the table
//! with its headers, so an auditor can sort and annotate the findings.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::auditor_checks::checks::Outcome;

/// The .xlsx bytes of `outcome`, described by `scope` ("Huddinge, 2026").
pub fn write(outcome: &Outcome, scope: &str) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Kontroll")?;
        sheet.write_string_with_format(0, 0, outcome.check.label(), &bold)?;
        sheet.write_string(1, 0, outcome.check.question())?;
        sheet.write_string(2, 0, format!("Urval: {scope}. Antal: {}.", outcome.count))?;
        for (c, header) in (0u16..).zip(outcome.headers) {
            sheet.write_string_with_format(4, c, *header, &bold)?;
            sheet.set_column_width(c, 28)?;
        }
        let kr = Format::new().set_num_format("#,##0");
        let plain = Format::new();
        for (r, row) in (5u32..).zip(&outcome.rows) {
            for ((c, cell), header) in (0u16..).zip(&row.cells).zip(outcome.headers) {
                // Amounts and years as numbers, so that the auditor can sum and sort them.
                let number = (header.ends_with(", kr") || *header == "År")
                    .then(|| crate::domain::number::parse_quantity(cell).ok())
                    .flatten();
                match number {
                    Some(n) => {
                        let format = if header.ends_with(", kr") {
                            &kr
                        } else {
                            &plain
                        };
                        let value = n.to_f64().unwrap_or_default();
                        sheet.write_number_with_format(r, c, value, format)?;
                    }
                    _ => {
                        sheet.write_string(r, c, cell)?;
                    }
                }
            }
        }
        workbook.save_to_buffer()
    };
    build().map_err(|e| e.to_string())
}
