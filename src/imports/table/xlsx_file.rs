//! The first sheet of an Excel workbook, a cell at a time: rows are handed on as they are
//! complete, so a sheet is never held whole. The workbook's parts may unpack to at most
//! [`MAX_UNPACKED_BYTES`]: a zip of a few hundred kilobytes can hold gigabytes of XML.

use std::io::{Read, Seek};

use calamine::{Data, Reader, Xlsx};

use super::{Positions, RowStager};
use crate::{
    documents::sheet::{cell_text, unpacked_bytes},
    imports::staging::Sink,
};

const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// Excel's own limits.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 200;

/// The first row with anything in it.
pub fn header<R: Read + Seek>(input: R) -> Result<Vec<String>, String> {
    let mut header = None;
    rows(input, |_, cells| {
        header = Some(cells.to_vec());
        false
    })
    .map_err(|(_, m)| m)?;
    header.ok_or_else(|| "Arbetsbokens första blad är tomt.".into())
}

/// Where the reading of a sheet is: at its header, or at its rows.
enum Stage<'s, F> {
    Header(F, &'s mut Sink),
    Rows(RowStager<'s>),
    Stopped,
}

/// Hands the header to `start`, then each row to a stager at the positions `start` found.
pub fn each_row<R: Read + Seek>(
    input: R,
    sink: &mut Sink,
    start: impl FnOnce(&[String], &mut Sink) -> Option<Positions>,
) -> Result<u64, (u64, String)> {
    let mut stage = Stage::Header(start, sink);
    rows(input, |line, cells| {
        match std::mem::replace(&mut stage, Stage::Stopped) {
            Stage::Header(start, sink) => match start(cells, sink) {
                Some(at) => {
                    stage = Stage::Rows(RowStager {
                        at,
                        sink,
                        lines: line,
                    });
                    true
                }
                None => false,
            },
            Stage::Rows(mut stager) => {
                let go_on = stager.take(line, cells);
                stage = Stage::Rows(stager);
                go_on
            }
            Stage::Stopped => false,
        }
    })
}

/// Calls `row` with each row's number (1 for the sheet's first) and cells, until it says stop;
/// returns the last row's number.
fn rows<R: Read + Seek>(
    mut input: R,
    mut row: impl FnMut(u64, &[String]) -> bool,
) -> Result<u64, (u64, String)> {
    check_unpacked_size(&mut input)?;
    let unreadable = |e: calamine::XlsxError| {
        (
            0,
            format!(
                "Filen kunde inte läsas som Excel-arbetsbok (.xlsx): {e}. Öppna den i Excel och \
                 spara den igen, eller spara den som CSV."
            ),
        )
    };
    let mut workbook: Xlsx<_> = Xlsx::new(input).map_err(unreadable)?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or((0, "Arbetsboken har inga blad.".to_owned()))?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(unreadable)?;
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        if r >= MAX_ROWS || c >= MAX_COLUMNS {
            return Err((
                u64::from(r) + 1,
                "cellen ligger utanför bladets gränser.".into(),
            ));
        }
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        if current.as_ref().is_some_and(|(at, _)| *at != r)
            && let Some((at, cells)) = current.take()
            && !row(u64::from(at) + 1, &cells)
        {
            return Ok(u64::from(at) + 1);
        }
        let (_, cells) = current.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = cell_text(&value);
    }
    match current {
        Some((at, cells)) => {
            row(u64::from(at) + 1, &cells);
            Ok(u64::from(at) + 1)
        }
        None => Ok(0),
    }
}

/// Refuses a workbook whose parts would unpack to more than we are willing to read.
fn check_unpacked_size<R: Read + Seek>(input: &mut R) -> Result<(), (u64, String)> {
    let total = unpacked_bytes(&mut *input)
        .map_err(|e| (0, format!("Filen är ingen Excel-arbetsbok (.xlsx): {e}.")))?;
    input
        .rewind()
        .map_err(|e| (0, format!("filen kunde inte läsas: {e}")))?;
    if total > MAX_UNPACKED_BYTES {
        return Err((
            0,
            "Arbetsboken är för stor att läsa (över 512 MB uppackad). Spara den som CSV.".into(),
        ));
    }
    Ok(())
}
