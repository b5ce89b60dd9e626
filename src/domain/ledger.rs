//! Outcome from the ledger: the states of an import and what becomes of each of its rows.

crate::coded_enum! {
    /// Where a ledger import is: read into staged rows, saved as a batch, perhaps reversed.
    pub enum ImportStatus {
        Reading = ("reading", "Läser filen"),
        Read = ("read", "Inläst, inte sparad"),
        Failed = ("failed", "Kunde inte läsas"),
        Imported = ("imported", "Importerad"),
        Undone = ("undone", "Ångrad"),
    }
}

crate::coded_enum! {
    /// The kind of file an import reads.
    pub enum FileFormat {
        Sie4 = ("sie4", "SIE 4"),
        Csv = ("csv", "CSV"),
        Xlsx = ("xlsx", "Excel"),
    }
}

impl FileFormat {
    /// The kind of a file by its first bytes: a zip is a workbook, a file whose first line
    /// starts with `#` is SIE, anything else is read as CSV.
    pub fn of(start: &[u8]) -> FileFormat {
        let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        if start.starts_with(b"PK\x03\x04") {
            return FileFormat::Xlsx;
        }
        match start.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'#') => FileFormat::Sie4,
            _ => FileFormat::Csv,
        }
    }
}

crate::coded_enum! {
    /// What becomes of a row of the file (the view `ledger_import_row_class` decides).
    pub enum RowClass {
        Entry = ("entry", "Projektutfall"),
        Unmapped = ("unmapped", "Konto utan budgetrad"),
        Excluded = ("excluded", "Konto undantaget"),
        Unmatched = ("unmatched", "Projektobjekt som inte tas emot"),
        Balancing = ("balancing", "Rader utan projekt (motkonton och drift)"),
    }
}

crate::coded_enum! {
    /// Why a project object matched no project.
    pub enum Unmatched {
        Unknown = ("unknown", "inget projekt i kommunen har numret"),
        Ambiguous = ("ambiguous", "flera projekt har numret"),
        Closed = ("closed", "projektets slutredovisning är godkänd"),
        Decided = ("decided", "månaden ingår i en beslutad periodrapport för nämnden"),
    }
}

/// The budget line a project's account most likely goes to, for the mapping step to propose:
/// the line of the category the same account goes to in other projects; else the only line;
/// else the one line whose category has a word the account's name contains the start of
/// ("Licenser och införande" for "Programvarulicenser"). `None` when nothing points one way.
pub fn propose<'a>(
    account_name: &str,
    lines: &'a [(uuid::Uuid, String)],
    category_elsewhere: Option<&str>,
) -> Option<&'a (uuid::Uuid, String)> {
    if let Some(category) = category_elsewhere {
        let same = |l: &&(uuid::Uuid, String)| l.1.to_lowercase() == category.to_lowercase();
        if let Some(line) = lines.iter().find(same) {
            return Some(line);
        }
    }
    if let [only] = lines {
        return Some(only);
    }
    let name = account_name.to_lowercase();
    let mut sharing = lines
        .iter()
        .filter(|(_, category)| stems(category).iter().any(|s| name.contains(s.as_str())));
    let first = sharing.next()?;
    sharing.next().is_none().then_some(first)
}

/// The first five letters of each word of four letters or more, in lower case.
fn stems(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(|w| w.to_lowercase().chars().take(5).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn lines(names: &[&str]) -> Vec<(Uuid, String)> {
        names
            .iter()
            .map(|n| (Uuid::now_v7(), (*n).to_owned()))
            .collect()
    }

    #[test]
    fn the_category_the_account_goes_to_elsewhere_comes_first() {
        let lines = lines(&["Konsulter", "Licenser"]);
        let proposed = propose("Konsulttjänster", &lines, Some("licenser"));
        assert_eq!(proposed.map(|l| l.1.as_str()), Some("Licenser"));
    }

    #[test]
    fn a_file_is_known_by_its_first_bytes() {
        assert_eq!(FileFormat::of(b"\r\n#FLAGGA 0"), FileFormat::Sie4);
        assert_eq!(FileFormat::of(b"PK\x03\x04rest"), FileFormat::Xlsx);
        assert_eq!(FileFormat::of(b"\xEF\xBB\xBFDatum;Konto"), FileFormat::Csv);
        assert_eq!(FileFormat::of(b""), FileFormat::Csv);
    }

    #[test]
    fn the_only_line_is_proposed() {
        let lines = lines(&["Införande"]);
        assert_eq!(
            propose("Datorer", &lines, None).map(|l| l.1.as_str()),
            Some("Införande")
        );
    }

    #[test]
    fn a_shared_word_proposes_its_line_but_two_lines_sharing_propose_nothing() {
        let one = lines(&["Konsulter", "Licenser och införande"]);
        let proposed = propose("Konsulttjänster IT", &one, None);
        assert_eq!(proposed.map(|l| l.1.as_str()), Some("Konsulter"));
        let proposed = propose("Programvarulicenser", &one, None);
        assert_eq!(
            proposed.map(|l| l.1.as_str()),
            Some("Licenser och införande")
        );
        let two = lines(&["Konsulter extern", "Konsulter intern"]);
        assert_eq!(propose("Konsulttjänster", &two, None), None);
        assert_eq!(propose("Hyra", &one, None), None);
    }
}
