//! The SIE reader against files written here: the records a ledger exports, the counting of
//! added and removed rows, every error with its line, and hostile input (arbitrary bytes,
//! mutated files, huge lines, millions of objects) read in bounded time and memory.

use std::io::{self, Read};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{Item, Limits, LineError, Reader, Row, Voucher, encode_pc8};
use crate::domain::money::Money;

/// `text` in code page 437 (every character the tests write is in it).
fn pc8(text: &str) -> Vec<u8> {
    encode_pc8(text).expect("characters of code page 437")
}

fn read(bytes: &[u8]) -> (Vec<Item>, Vec<LineError>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for result in Reader::new(bytes, Limits::default()) {
        match result {
            Ok(item) => items.push(item),
            Err(e) => errors.push(e),
        }
    }
    (items, errors)
}

/// A row as line, account, cost centre (dimension 1), project (dimension 6) and amount.
type Shown = (u64, String, Option<String>, Option<String>, String);

fn rows(items: &[Item]) -> Vec<Shown> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Row(r) => Some((
                r.line,
                r.account.clone(),
                r.object(1).map(str::to_owned),
                r.object(6).map(str::to_owned),
                r.amount.format_kr(),
            )),
            _ => None,
        })
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const HEADER: &str = "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Raindance\" 2.1\r\n\
#FNAMN \"Smedjebackens kommun\"\r\n#RAR 0 20260101 20261231\r\n";

#[test]
fn reads_what_a_ledger_exports_with_swedish_letters() {
    let file = format!(
        "{HEADER}#KONTO 5460 \"Förbrukningsinventarier, åäö ÅÄÖ\"\r\n#DIM 1 \"Ansvar\"\r\n\
         #DIM 6 Projekt\r\n#OBJEKT 6 \"0412\" \"Digital arbetsplats\"\r\n#KSUMMA 12345\r\n\
         #VER A 412 20260315 \"Faktura \\\"Atea\\\"\" 20260316\r\n{{\r\n\
         #TRANS 5460 {{1 \"310\" 6 \"0412\"}} 1234.50 20260314 \"Licenser\" 2\r\n\
         #TRANS 2440 {{}} -1234.50\r\n}}\r\n"
    );
    let bytes = pc8(&file);
    let (items, errors) = read(&bytes);
    assert_eq!(errors, vec![]);
    assert_eq!(
        items[..3],
        [
            Item::Program {
                name: "Raindance".into(),
                version: "2.1".into()
            },
            Item::Company("Smedjebackens kommun".into()),
            Item::Year {
                number: 0,
                start: date(2026, 1, 1),
                end: date(2026, 12, 31)
            },
        ]
    );
    assert!(items.contains(&Item::Account {
        number: "5460".into(),
        name: "Förbrukningsinventarier, åäö ÅÄÖ".into()
    }));
    assert!(items.contains(&Item::Object {
        dimension: 6,
        code: "0412".into(),
        name: "Digital arbetsplats".into()
    }));
    assert!(items.contains(&Item::Voucher(Voucher {
        line: 12,
        series: "A".into(),
        number: "412".into(),
        date: date(2026, 3, 15),
        text: "Faktura \"Atea\"".into(),
    })));
    let first = items.iter().find_map(|i| match i {
        Item::Row(r) => Some(r.clone()),
        _ => None,
    });
    assert_eq!(
        first,
        Some(Row {
            line: 14,
            account: "5460".into(),
            objects: vec![(1, "310".into()), (6, "0412".into())],
            amount: Money::parse("1234,50").unwrap(),
            date: Some(date(2026, 3, 14)),
            text: "Licenser".into(),
            quantity: Some(2.into()),
        })
    );
    assert_eq!(rows(&items).len(), 2);
    let mut reader = Reader::new(&bytes[..], Limits::default());
    reader.by_ref().for_each(drop);
    let skipped: Vec<_> = reader
        .skipped()
        .iter()
        .map(|(label, s)| (label.as_str(), s.first_line, s.count))
        .collect();
    assert_eq!(skipped, vec![("#FLAGGA", 1, 1), ("#KSUMMA", 11, 1)]);
}

/// The example of SIE 4B chapter 11 (#BTRANS): a row struck (6110) and one added (6250, with
/// its #TRANS copy for older readers). What counts is 1910, 2640 and 6250, and it balances. An
/// unknown label inside the voucher is skipped (7.1).
#[test]
fn an_added_row_counts_once_and_a_removed_row_never() {
    let file = format!(
        "{HEADER}#VER A 1 20260201 \"\"\n{{\n\
         #TRANS 1910 {{}} -1000.00\n\
         #TRANS 2640 {{}} 200.00\n\
         #BTRANS 6110 {{}} 800.00 \"\" \"\" \"\" \"Eva\"\n\
         #RTRANS 6250 {{6 \"0413\"}} 800.00 \"\" \"\" \"\" \"Eva\"\n\
         #TRANS 6250 {{6 \"0413\"}} 800.00 \"\" \"\" \"\" \"Eva\"\n\
         #NYETIKETT 1 2 3\n}}\n"
    );
    let (items, errors) = read(file.as_bytes());
    assert_eq!(errors, vec![]);
    assert_eq!(
        rows(&items),
        vec![
            (9, "1910".into(), None, None, "\u{2212}1\u{a0}000".into()),
            (10, "2640".into(), None, None, "200".into()),
            (12, "6250".into(), None, Some("0413".into()), "800".into()),
        ]
    );
}

/// Some ledgers write the #RTRANS with a quantity of 0 and a signature and leave both off its
/// copy: still one row.
#[test]
fn a_copy_without_the_added_rows_zero_quantity_is_still_its_copy() {
    let file = format!(
        "{HEADER}#VER A 1 20260201 \"\"\n{{\n\
         #RTRANS 6550 {{6 \"0012\"}} 12000.00 20260910 \"Rätt\" 0 \"Anna\"\n\
         #TRANS 6550 {{6 \"0012\"}} 12000.00 20260910 \"Rätt\"\n\
         #TRANS 2440 {{}} -12000.00\n}}\n"
    );
    let (items, errors) = read(file.as_bytes());
    assert_eq!(errors, vec![]);
    assert_eq!(rows(&items).len(), 2);
}

#[test]
fn every_broken_line_is_reported_with_its_number_and_the_rest_is_read() {
    let file = format!(
        "{HEADER}#KONTO 5460\n#VER A 1 20260201 \"\"\n{{\n\
         #TRANS 5460 {{6 \"0412\"}} 12,50\n\
         #TRANS 5460 {{6 \"0412\"}} 100.00 2026-02-01\n\
         #TRANS 2440 {{}} -100.00\n}}\n#OBJEKT x 1 \"a\"\n"
    );
    let (items, errors) = read(file.as_bytes());
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![7, 10, 11, 14], "{errors:#?}");
    assert!(errors[0].message.contains("minst 2 fält"), "{}", errors[0]);
    assert!(errors[1].message.contains("”12,50” är inget belopp"));
    assert!(errors[1].text.starts_with("#TRANS 5460"));
    assert!(errors[2].message.contains("”2026-02-01” är inget datum"));
    assert!(errors[3].message.contains("”x” är inget dimensionsnummer"));
    assert_eq!(rows(&items).len(), 1);
}

/// A #VER line that cannot be read is one error: its block belongs to it, so its lines are not
/// each reported as outside a voucher, and its rows (still checked) are not counted.
#[test]
fn an_unreadable_voucher_line_is_one_error_and_its_rows_do_not_count() {
    let file = format!(
        "{HEADER}#VER A 1 2026-02-01\n{{\n#TRANS 5460 {{}} 10.00\n#TRANS 2440 {{}} 1,00\n}}\n\
         #VER A 2 20260201\n{{\n#TRANS 5460 {{}} 5.00\n#TRANS 2440 {{}} -5.00\n}}\n"
    );
    let (items, errors) = read(file.as_bytes());
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![7, 10], "{errors:#?}");
    assert_eq!(rows(&items).len(), 2, "only A 2's rows count");
}

#[test]
fn vouchers_must_open_close_and_balance() {
    let file = format!(
        "{HEADER}#TRANS 1 {{}} 1.00\n}}\n{{\n\
         #VER A 1 20260201\n{{\n#TRANS 5460 {{}} 10.00\n#TRANS 2440 {{}} -9.00\n}}\n\
         #VER A 2 20260201\n{{\n#TRANS 5460 {{}} 1.00\n\
         #VER A 3 20260201\n{{\n#TRANS 5460 {{}} 1.00\n#KONTO 1 a\n"
    );
    let (_, errors) = read(file.as_bytes());
    let found: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e.line, e.message.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        found,
        vec![
            (7, "#TRANS utanför en verifikation (#VER och ”{ … }”)."),
            (8, "”}” utan verifikation att avsluta."),
            (9, "”{” utan #VER före."),
            (14, "verifikationen A 1 balanserar inte"),
            (
                18,
                "verifikationen A 2 på rad 15 avslutas inte med ”}” före nästa #VER."
            ),
            (21, "#KONTO kan inte stå inne i en verifikation."),
            (21, "filen slutar inne i verifikationen A 3 på rad 18."),
        ],
        "{errors:#?}"
    );
}

#[test]
fn refuses_other_encodings_and_types() {
    let (_, errors) = read(b"#FORMAT UTF8\n#SIETYP 2\n#SIETYP 4I\n");
    assert_eq!(errors.len(), 2);
    assert!(errors[0].message.contains("”UTF8” stöds inte"));
    assert!(
        errors[1]
            .message
            .contains("SIE typ 2 har inga verifikationer")
    );
    // UTF-16 (a BOM and a NUL after every ASCII byte) is refused on its first line.
    let utf16: Vec<u8> = "#FLAGGA 0\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (_, errors) = read(&[&[0xff, 0xfe][..], &utf16].concat());
    assert!(errors[0].message.contains("styrtecken"), "{errors:?}");
}

/// Bytes that repeat `pattern` `times` times between `head` and `tail`, produced as read.
struct Repeated {
    parts: Vec<(Vec<u8>, u64)>,
    at: usize,
    offset: usize,
    left: u64,
}

impl Repeated {
    fn new(head: &str, pattern: &str, times: u64, tail: &str) -> Self {
        let parts = vec![
            (head.as_bytes().to_vec(), 1),
            (pattern.as_bytes().to_vec(), times),
            (tail.as_bytes().to_vec(), 1),
        ];
        let left = parts[0].1;
        Repeated {
            parts,
            at: 0,
            offset: 0,
            left,
        }
    }
}

impl Read for Repeated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < out.len() && self.at < self.parts.len() {
            let (bytes, _) = &self.parts[self.at];
            let n = (bytes.len() - self.offset).min(out.len() - written);
            out[written..written + n].copy_from_slice(&bytes[self.offset..self.offset + n]);
            written += n;
            self.offset += n;
            if self.offset == bytes.len() {
                self.offset = 0;
                self.left -= 1;
                if self.left == 0 {
                    self.at += 1;
                    self.left = self.parts.get(self.at).map_or(0, |p| p.1);
                }
            }
        }
        Ok(written)
    }
}

#[test]
fn a_line_of_ten_million_objects_is_refused_and_the_next_line_read() {
    let input = Repeated::new(
        "#SIETYP 4\n#VER A 1 20260101\n{\n#TRANS 5460 {",
        "6 \"0412\" ",
        10_000_000,
        "} 0.00\n#TRANS 5460 {} 0.00\n}\n",
    );
    let results: Vec<_> = Reader::new(io::BufReader::new(input), Limits::default()).collect();
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 4);
    assert!(errors[0].message.contains("längre än 4096 tecken"));
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Ok(Item::Row(row)) if row.line == 5))
    );
}

#[test]
fn deep_nesting_and_a_flood_of_errors_stop_early() {
    let (_, errors) = read(format!("#TRANS 1 {}\n", "{".repeat(1000)).as_bytes());
    assert!(errors[0].message.contains("kan inte ligga i en annan"));
    let flood = "#KONTO\n".repeat(100_000);
    let (_, errors) = read(flood.as_bytes());
    assert_eq!(errors.len(), 101);
    assert!(errors[100].message.contains("fler än 100 fel"));
}

/// A voucher written the way a ledger writes one, for the round trip below.
#[derive(Debug, Clone)]
struct Written {
    series: String,
    number: u32,
    rows: Vec<WrittenRow>,
}

/// Account, objects, amount and text.
type WrittenRow = (String, Vec<(u32, String)>, Money, String);

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\\\""))
}

fn write(vouchers: &[Written]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for v in vouchers {
        text += &format!(
            "#VER {} {} 20260131 {}\r\n{{\r\n",
            v.series,
            v.number,
            quoted("Ver")
        );
        for (account, objects, amount, row_text) in &v.rows {
            let list: Vec<String> = objects
                .iter()
                .map(|(d, o)| format!("{d} {}", quoted(o)))
                .collect();
            let amount = amount.amount().to_string();
            text += &format!(
                "#TRANS {account} {{{}}} {amount} \"\" {}\r\n",
                list.join(" "),
                quoted(row_text)
            );
        }
        text += "}\r\n";
    }
    pc8(&text)
}

fn any_voucher() -> impl Strategy<Value = Written> {
    let text = "[a-zA-Z0-9 åäöÅÄÖé\",.-]{0,30}";
    let row = (
        "[1-8][0-9]{3}",
        prop::collection::vec((1u32..=20, "[A-Za-z0-9åäö ]{1,8}"), 0..4),
        -99_999_999i64..99_999_999,
        text,
    );
    (
        "[A-Z]{1,2}",
        1u32..100_000,
        prop::collection::vec(row, 1..6),
    )
        .prop_map(|(series, number, rows)| {
            let mut rows: Vec<_> = rows
                .into_iter()
                .map(|(a, o, cents, t)| {
                    (
                        a,
                        o,
                        Money::new(rust_decimal::Decimal::new(cents, 2)).unwrap(),
                        t,
                    )
                })
                .collect();
            // The balancing row a ledger writes (on an account without objects).
            let sum: Money = rows.iter().map(|r| r.2).sum();
            rows.push(("2440".into(), vec![], -sum, "Motkonto".into()));
            Written {
                series,
                number,
                rows,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Vouchers written by the test's own SIE writer read back as written.
    #[test]
    fn written_vouchers_read_back(vouchers in prop::collection::vec(any_voucher(), 1..8)) {
        let (items, errors) = read(&write(&vouchers));
        prop_assert_eq!(errors, vec![]);
        let read_back: Vec<_> = items.iter().filter_map(|i| match i {
            Item::Row(r) => Some((r.account.clone(), r.objects.clone(), r.amount, r.text.clone())),
            _ => None,
        }).collect();
        let written: Vec<_> = vouchers.iter().flat_map(|v| v.rows.clone()).collect();
        prop_assert_eq!(read_back, written);
        let numbers: Vec<_> = items.iter().filter_map(|i| match i {
            Item::Voucher(v) => Some((v.series.clone(), v.number.clone())),
            _ => None,
        }).collect();
        let expected: Vec<_> = vouchers.iter().map(|v| (v.series.clone(), v.number.to_string())).collect();
        prop_assert_eq!(numbers, expected);
    }

    /// Any bytes are read to the end without a panic, with at most the bounded number of
    /// errors.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let (_, errors) = read(&bytes);
        prop_assert!(errors.len() <= 101);
    }

    /// A valid file with bytes changed, inserted or removed is read without a panic, and every
    /// error names a line of the file.
    #[test]
    fn mutated_files_never_panic(
        vouchers in prop::collection::vec(any_voucher(), 1..4),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..12),
    ) {
        let mut bytes = write(&vouchers);
        for (at, kind, byte) in edits {
            let i = at.index(bytes.len().max(1));
            match kind {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i.min(bytes.len()), byte),
                _ if i < bytes.len() => { bytes.remove(i); }
                _ => {}
            }
        }
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let (_, errors) = read(&bytes);
        for e in errors {
            prop_assert!(e.line <= lines, "{e}");
        }
    }
}
