//! Reading an uploaded sheet, CSV or Excel, into rows of text: what a person typed, before any
//! of it is interpreted. Numbers from Excel come back as Swedes write them (decimal comma),
//! dates as `YYYY-MM-DD`.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// The most rows and columns an uploaded sheet may use: far more than any portfolio or ledger
/// extract, far less than what a crafted file can claim (Excel's 1 048 576 × 16 384 cells).
pub const MAX_ROWS: u32 = 20_000;
pub const MAX_COLUMNS: u32 = 200;
/// The most an Excel file may unpack to: its XML is read into memory, and a zip of a few
/// hundred kilobytes can hold gigabytes of it.
const MAX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;

/// A sheet's header row and data rows; `rows[i].0` is the row number people see in the file
/// (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("Filen är tom.")]
    Empty,
    #[error("Filen är inte en CSV-fil i UTF-8. Spara den som ”CSV UTF-8” i Excel och försök igen.")]
    NotUtf8,
    /// The reader's own (English) words are for the log, not the page.
    #[error("Filen kunde inte läsas som CSV. Spara den som ”CSV UTF-8” i Excel och försök igen.")]
    Csv(String),
    #[error(
        "Filen kunde inte läsas som Excel-arbetsbok (.xlsx): den är skadad eller inte en \
         arbetsbok. Öppna den i Excel och spara den igen som .xlsx, eller som ”CSV UTF-8”."
    )]
    Xlsx(String),
    #[error("Välj en fil som slutar på .csv eller .xlsx.")]
    UnknownKind,
    #[error(
        "Filen är för stor: ett blad får ha högst {} rader och {} kolumner, och en Excel-fil får \
         packas upp till högst 100 MB. Dela upp filen eller ta bort tomma rader och kolumner längst \
         ned och till höger.",
        format_count(MAX_ROWS),
        MAX_COLUMNS
    )]
    TooLarge,
}

/// Reads `bytes` as the kind its file name says.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Sheet, SheetError> {
    let lower = file_name.to_lowercase();
    if bytes.is_empty() {
        return Err(SheetError::Empty);
    }
    let sheet = if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)?
    } else if lower.ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else {
        return Err(SheetError::UnknownKind);
    };
    if sheet.header.iter().all(String::is_empty) {
        return Err(SheetError::Empty);
    }
    Ok(sheet)
}

fn from_rows(rows: impl Iterator<Item = Vec<String>>) -> Sheet {
    let mut rows = rows.enumerate().map(|(i, r)| (i + 1, r));
    let header = rows
        .next()
        .map(|(_, h)| h.into_iter().map(|c| c.trim().to_owned()).collect())
        .unwrap_or_default();
    Sheet {
        header,
        // Rows left blank in the middle of a sheet are not lines anyone meant.
        rows: rows
            .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            .collect(),
    }
}

/// CSV with `;` (what Swedish Excel writes) or `,`, whichever the header line uses more.
fn read_csv(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SheetError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv(e.to_string()))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    if rows.is_empty() {
        return Err(SheetError::Empty);
    }
    Ok(from_rows(rows.into_iter()))
}

/// The first worksheet of an Excel workbook, read cell by cell: the sheet's stated size and
/// every cell's position are checked against the limits before anything is kept, so a file that
/// claims a cell at XFD1048576 costs nothing.
fn read_xlsx(bytes: &[u8]) -> Result<Sheet, SheetError> {
    check_unpacked_size(bytes)?;
    let xlsx_error = |e: calamine::XlsxError| SheetError::Xlsx(e.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::Empty)?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(xlsx_error)?;
    let stated = cells.dimensions();
    if !within_limits(stated.end) {
        return Err(SheetError::TooLarge);
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(xlsx_error)? {
        let position = cell.get_position();
        if !within_limits(position) {
            return Err(SheetError::TooLarge);
        }
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let (row, column) = (position.0 as usize, position.1 as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = cell_text(&value);
    }
    // The header is the first row with anything in it.
    let first_used = rows.iter().position(|r| !r.is_empty()).unwrap_or(0);
    Ok(from_rows(rows.into_iter().skip(first_used)))
}

fn within_limits((row, column): (u32, u32)) -> bool {
    row < MAX_ROWS && column < MAX_COLUMNS
}

/// Refuses a workbook whose parts would unpack to more than we are willing to hold.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), SheetError> {
    let total = unpacked_bytes(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    if total > MAX_UNPACKED_BYTES {
        return Err(SheetError::TooLarge);
    }
    Ok(())
}

/// What a workbook's parts unpack to, by what its zip directory says, before any is read: a
/// zip of a few hundred kilobytes can hold gigabytes of XML.
pub fn unpacked_bytes<R: std::io::Read + std::io::Seek>(input: R) -> zip::result::ZipResult<u64> {
    let mut archive = zip::ZipArchive::new(input)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i)?.size());
    }
    Ok(total)
}

/// `20 000`, as the message shows it.
fn format_count(n: u32) -> String {
    crate::domain::number::format_quantity(rust_decimal::Decimal::from(n))
}

/// A cell as the text a person sees (numbers with the decimal comma, dates `YYYY-MM-DD`).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // A whole number prints without decimals; otherwise with the Swedish decimal comma.
        Data::Float(f) => f.to_string().replace('.', ","),
        Data::Bool(b) => if *b { "ja" } else { "nej" }.to_owned(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|d| d.date().to_string())
            .unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_a_bom_and_blank_lines() {
        let sheet = read(
            "portfölj.csv",
            "\u{feff}Titel;Timmar\nA;1 200\n;\nB;3\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(sheet.header, ["Titel", "Timmar"]);
        assert_eq!(
            sheet.rows,
            [
                (2, vec!["A".into(), "1 200".into()]),
                (4, vec!["B".into(), "3".into()])
            ]
        );
    }

    #[test]
    fn csv_with_commas_and_quotes() {
        let sheet = read(
            "a.csv",
            b"Titel,Kommuner\n\"E-arkiv, etapp 2\",\"Ludvika, Smedjebacken\"\n",
        )
        .unwrap();
        assert_eq!(
            sheet.rows[0].1,
            ["E-arkiv, etapp 2", "Ludvika, Smedjebacken"]
        );
    }

    #[test]
    fn unreadable_files_say_what_to_do() {
        assert_eq!(read("a.csv", &[0xff, 0xfe, 0x41]), Err(SheetError::NotUtf8));
        assert_eq!(read("a.pdf", b"x"), Err(SheetError::UnknownKind));
        assert_eq!(read("a.csv", b""), Err(SheetError::Empty));
        assert!(matches!(
            read("a.xlsx", b"not a zip"),
            Err(SheetError::Xlsx(_))
        ));
    }
}
