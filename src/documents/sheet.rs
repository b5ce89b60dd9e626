//! Reading an uploaded sheet, CSV or Excel, into rows of text: what a person typed, before any
//! of it is interpreted. Numbers from Excel come back as Swedes write them (decimal comma),
//! dates as `YYYY-MM-DD`.

use calamine::{Data, Reader, Xlsx};

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
    #[error("Filen kunde inte läsas som CSV: {0}")]
    Csv(String),
    #[error("Filen kunde inte läsas som Excel-fil (.xlsx): {0}")]
    Xlsx(String),
    #[error("Välj en fil som slutar på .csv eller .xlsx.")]
    UnknownKind,
}

/// Reads `bytes` as the kind its file name says.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Sheet, SheetError> {
    let lower = file_name.to_lowercase();
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

/// The first worksheet of an Excel workbook.
fn read_xlsx(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    Ok(from_rows(
        range.rows().map(|r| r.iter().map(cell_text).collect()),
    ))
}

fn cell_text(cell: &Data) -> String {
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
