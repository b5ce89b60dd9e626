//! The round's protocol as an Excel workbook: a sheet of every decision with its figures as
//! numbers (so the group can sort, filter and sum), and a sheet of totals per plan.
//!
//! Excel stores every number as a binary double; amounts are converted from their exact
//! decimal value only here, at the file's edge (a double holds every öre amount the database
//! can, up to 2^53 öre). They are shown in whole kronor with thousands grouped in the reader's
//! own style.

use rust_decimal::{Decimal, prelude::ToPrimitive};
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use crate::portfolio::protocol::model::{Protocol, Tally};

const DECISION_COLUMNS: [(&str, u8); 13] = [
    ("Plan", 34),
    ("Plats", 7),
    ("Nr", 8),
    ("Objekt", 44),
    ("Kommuner", 22),
    ("Timmar", 9),
    ("Investering (kr)", 15),
    ("Drift per år (kr)", 15),
    ("Kostnad (kr)", 15),
    ("Nytta (0–100)", 12),
    ("Beslut", 14),
    ("Kvartal", 9),
    ("Motivering", 50),
];

fn amount(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Decimal,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, value.to_f64().unwrap_or_default(), format)?;
    Ok(())
}

fn decisions(sheet: &mut Worksheet, protocol: &Protocol) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let kr = Format::new().set_num_format("#,##0");
    let one_decimal = Format::new().set_num_format("0.0");
    sheet.set_name("Beslut")?;
    for (col, (label, width)) in (0u16..).zip(DECISION_COLUMNS) {
        sheet.write_string_with_format(0, col, label, &bold)?;
        sheet.set_column_width(col, width)?;
    }
    let mut row = 1u32;
    for section in &protocol.sections {
        for line in &section.lines {
            sheet.write_string(row, 0, section.plan.label())?;
            if let Some(rank) = line.rank {
                sheet.write_number(row, 1, rank)?;
            }
            sheet.write_string(row, 2, &line.reference)?;
            sheet.write_string(row, 3, &line.title)?;
            sheet.write_string(row, 4, &line.municipalities)?;
            sheet.write_number(row, 5, u32::try_from(line.hours).unwrap_or(u32::MAX))?;
            amount(sheet, row, 6, line.investment.amount(), &kr)?;
            amount(sheet, row, 7, line.running_cost.amount(), &kr)?;
            amount(sheet, row, 8, line.cost.amount(), &kr)?;
            amount(sheet, row, 9, line.benefit, &one_decimal)?;
            sheet.write_string(row, 10, line.decision.label())?;
            sheet.write_string(row, 11, &line.quarter)?;
            sheet.write_string(row, 12, &line.reason)?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), 12)?;
    Ok(())
}

fn tally_row(
    sheet: &mut Worksheet,
    row: u32,
    t: &Tally,
    label: &Format,
    kr: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, 0, &t.label, label)?;
    sheet.write_number(row, 1, u32::try_from(t.prioritised).unwrap_or(u32::MAX))?;
    sheet.write_number(row, 2, u32::try_from(t.hours).unwrap_or(u32::MAX))?;
    amount(sheet, row, 3, t.cost.amount(), kr)?;
    sheet.write_number(row, 4, u32::try_from(t.postponed).unwrap_or(u32::MAX))?;
    sheet.write_number(row, 5, u32::try_from(t.rejected).unwrap_or(u32::MAX))?;
    Ok(())
}

fn summary(sheet: &mut Worksheet, protocol: &Protocol) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let kr = Format::new().set_num_format("#,##0");
    sheet.set_name("Sammanställning")?;
    sheet.set_column_width(0, 48u8)?;
    for col in 1..6u16 {
        sheet.set_column_width(col, 14u8)?;
    }
    sheet.write_string_with_format(0, 0, protocol.title(), &bold)?;
    sheet.write_string_with_format(1, 0, protocol.preamble(), &wrap)?;
    for (col, label) in (0u16..).zip([
        "Plan",
        "Prioriterade",
        "Timmar",
        "Kostnad (kr)",
        "Uppskjutna",
        "Avslagna",
    ]) {
        sheet.write_string_with_format(3, col, label, &bold)?;
    }
    let plain = Format::new();
    let mut row = 4u32;
    for section in &protocol.sections {
        tally_row(sheet, row, &section.tally, &plain, &kr)?;
        row += 1;
    }
    tally_row(sheet, row, &protocol.total, &bold, &kr.clone().set_bold())?;
    sheet.write_string_with_format(row + 2, 0, protocol.conclusion(), &wrap)?;
    Ok(())
}

pub fn write(protocol: &Protocol) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(protocol.title())
            .set_author("Samordningsgruppen"),
    );
    summary(workbook.add_worksheet(), protocol).map_err(|e| e.to_string())?;
    decisions(workbook.add_worksheet(), protocol).map_err(|e| e.to_string())?;
    workbook.save_to_buffer().map_err(|e| e.to_string())
}
