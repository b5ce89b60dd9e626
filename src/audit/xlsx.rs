//! The audit log as an Excel workbook: one row an entry, the time as a date-time cell and every
//! text as text, so that a value such as "=SUMMA(A1)" typed into a form stays what it was.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::audit::{
    labels::{action_label, entity_label, field_label_of},
    repo::HistoryRow,
};

const HEADERS: [(&str, u8); 9] = [
    ("Tid", 17),
    ("Vem", 30),
    ("Händelse", 30),
    ("Objekt", 22),
    ("Avser", 40),
    ("Fält", 24),
    ("Före", 30),
    ("Efter", 30),
    ("Källa", 18),
];

/// The .xlsx bytes of `rows`.
pub fn write(rows: &[HistoryRow]) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let when = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        let sheet = workbook.add_worksheet();
        sheet.set_name("Revisionslogg")?;
        for (c, (header, width)) in (0u16..).zip(HEADERS) {
            sheet.write_string_with_format(0, c, header, &bold)?;
            sheet.set_column_width(c, width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, entry) in (1u32..).zip(rows) {
            let row = &entry.row;
            // Swedish local time, as the page shows it, to the second.
            let local = row
                .at
                .with_timezone(&chrono_tz::Europe::Stockholm)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
            match ExcelDateTime::parse_from_str(&local) {
                Ok(at) => sheet.write_datetime_with_format(r, 0, &at, &when)?,
                Err(_) => sheet.write_string(r, 0, &local)?,
            };
            let field = row
                .field
                .as_deref()
                .map(|f| field_label_of(&row.entity, f))
                .unwrap_or_default();
            let texts = [
                row.actor_label.as_str(),
                action_label(&row.action),
                entity_label(&row.entity),
                entry.subject.as_str(),
                field,
                row.old_value.as_deref().unwrap_or_default(),
                row.new_value.as_deref().unwrap_or_default(),
                row.source.as_str(),
            ];
            for (c, text) in (1u16..).zip(texts) {
                sheet.write_string(r, c, text)?;
            }
        }
        sheet.autofilter(0, 0, u32::try_from(rows.len()).unwrap_or(u32::MAX), 8)?;
        workbook.save_to_buffer()
    };
    build().map_err(|e| e.to_string())
}
