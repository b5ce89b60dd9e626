//! A check's rows as an Excel workbook: a title, what the check asks, the scope, and the table
//! with its headers, so an auditor can sort and annotate the findings.

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
        for (r, row) in (5u32..).zip(&outcome.rows) {
            for (c, cell) in (0u16..).zip(&row.cells) {
                sheet.write_string(r, c, cell)?;
            }
        }
        workbook.save_to_buffer()
    };
    build().map_err(|e| e.to_string())
}
