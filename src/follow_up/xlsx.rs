//! The period report's tables as an Excel workbook, one sheet per attachment: bilaga 1 (the
//! operating tables and the investment table) and bilaga 2 (the action plan). Amounts are
//! stored as numbers in kronor, exact to the öre, and shown in mnkr by the cell's number format
//! (one decimal, the action plan two), so sums and filters in Excel work on the real figures; a
//! note row on each sheet says so.
//!
//! Excel stores every number as a binary double; amounts are converted from their exact
//! decimal value only here, at the file's edge.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::follow_up::document::{Block, Cell, Document, Part, RowKind, Table};

/// Kronor shown in millions: the two trailing commas divide by 1 000 each.
const MNKR: &str = "#,##0.0,,";
const MNKR2: &str = "#,##0.00,,";
const KR: &str = "#,##0";
pub const UNIT_NOTE: &str = "Beloppen är lagrade i kronor och visas i miljoner kronor (mnkr) med en decimal, i handlingsplanen med två decimaler.";

struct Formats {
    bold: Format,
    wrap: Format,
    mnkr: Format,
    mnkr2: Format,
    kr: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            mnkr: Format::new().set_num_format(MNKR),
            mnkr2: Format::new().set_num_format(MNKR2),
            kr: Format::new().set_num_format(KR),
        }
    }
}

fn cell(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    value: &Cell,
    bold: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    let number = |m: crate::domain::money::Money| m.amount().to_f64().unwrap_or_default();
    let with_bold = |format: &Format| {
        if bold {
            format.clone().set_bold()
        } else {
            format.clone()
        }
    };
    match value {
        Cell::Text(t) if t.is_empty() => {}
        Cell::Text(t) => {
            sheet.write_string_with_format(row, col, t, &with_bold(&f.wrap))?;
        }
        Cell::Mnkr(m) => {
            sheet.write_number_with_format(row, col, number(*m), &with_bold(&f.mnkr))?;
        }
        Cell::Mnkr2(m) => {
            sheet.write_number_with_format(row, col, number(*m), &with_bold(&f.mnkr2))?;
        }
        Cell::Kr(m) => {
            sheet.write_number_with_format(row, col, number(*m), &with_bold(&f.kr))?;
        }
    }
    Ok(())
}

/// Writes `table` from `row`; the next free row.
fn table(sheet: &mut Worksheet, mut row: u32, t: &Table, f: &Formats) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, &t.caption, &f.bold)?;
    row += 1;
    if !t.column_groups.is_empty() {
        let mut col = 0u16;
        for (label, span) in &t.column_groups {
            if !label.is_empty() {
                sheet.write_string_with_format(row, col, label, &f.bold)?;
            }
            col += u16::try_from(*span).unwrap_or(1);
        }
        row += 1;
    }
    for (col, c) in (0u16..).zip(&t.columns) {
        sheet.write_string_with_format(row, col, &c.label, &f.bold.clone().set_text_wrap())?;
    }
    row += 1;
    for r in &t.rows {
        let bold = r.kind != RowKind::Body;
        for (col, c) in (0u16..).zip(&r.cells) {
            cell(sheet, (row, col), c, bold, f)?;
        }
        row += 1;
    }
    Ok(row)
}

fn sheet(sheet: &mut Worksheet, name: &str, part: &Part, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let widest = part
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t.columns.len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    sheet.set_column_width(0, 34u8)?;
    for col in 1..u16::try_from(widest).unwrap_or(1) {
        sheet.set_column_width(col, 14u8)?;
    }
    sheet.write_string_with_format(0, 0, &part.title, &f.bold)?;
    sheet.write_string(1, 0, UNIT_NOTE)?;
    let mut row = 3u32;
    for block in &part.blocks {
        match block {
            Block::Table(t) => row = table(sheet, row, t, f)? + 1,
            Block::Paragraph(text) | Block::Note(text) => {
                sheet.write_string(row, 0, text)?;
                row += 2;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The .xlsx bytes of `document`'s attachments.
pub fn write(document: &Document) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&document.title)
            .set_author(&document.author),
    );
    let formats = Formats::new();
    for part in &document.parts {
        if let Some(name) = part.sheet {
            sheet(workbook.add_worksheet(), name, part, &formats).map_err(|e| e.to_string())?;
        }
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}
