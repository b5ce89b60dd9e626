//! The lines of a SIE file, read one at a time from a stream with bounded memory and decoded
//! from PC8. SIE 4B 5.8 and #FORMAT: `#FORMAT PC8` is IBM PC 8-bit extended
//! ASCII, that is code page 437, where å, ä and ö are 0x86, 0x84 and 0x94. 5.5: lines end in LF,
//! with or without a CR before it.

use std::io::{self, BufRead};

use oem_cp::code_table::DECODING_TABLE_CP437;

/// A line as read: its text, or that it was longer than allowed (its bytes were skipped).
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    Text(String),
    TooLong,
}

/// Reads lines of at most `max_bytes` bytes from `input`.
pub struct Lines<R> {
    input: R,
    max_bytes: usize,
    bytes: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(input: R, max_bytes: usize) -> Self {
        Lines {
            input,
            max_bytes,
            bytes: Vec::with_capacity(256),
        }
    }

    /// The next line, without its line end; `None` at the end of the input. A line longer than
    /// the limit is read to its end without being kept.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.bytes.clear();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            read_any = true;
            let (chunk, used, ended) = match available.iter().position(|&b| b == b'\n') {
                Some(end) => (&available[..end], end + 1, true),
                None => (available, available.len(), false),
            };
            if !too_long {
                if self.bytes.len() + chunk.len() > self.max_bytes {
                    too_long = true;
                    self.bytes.clear();
                } else {
                    self.bytes.extend_from_slice(chunk);
                }
            }
            self.input.consume(used);
            if ended {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        if too_long {
            return Ok(Some(Line::TooLong));
        }
        if self.bytes.last() == Some(&b'\r') {
            self.bytes.pop();
        }
        Ok(Some(Line::Text(decode(&self.bytes))))
    }
}

/// A line's text: PC8, unless it is UTF-8 with letters beyond ASCII (some programs write SIE
/// in UTF-8 despite `#FORMAT PC8`). The Swedish letters of PC8 (å 0x86, ä 0x84, ö 0x94) are
/// bytes no UTF-8 text starts a character with, so a PC8 line with them is never valid UTF-8.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if !bytes.is_ascii() => text.to_owned(),
        _ => decode_pc8(bytes),
    }
}

/// Text in code page 437: ASCII as is, every byte above it by the code page's table.
pub fn decode_pc8(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0..=0x7f => char::from(b),
            _ => DECODING_TABLE_CP437[usize::from(b - 0x80)],
        })
        .collect()
}

/// `text` in code page 437, as a SIE file is written; `None` when a character is not in it.
pub fn encode_pc8(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| match u8::try_from(c) {
            Ok(b) if b < 0x80 => Some(b),
            _ => DECODING_TABLE_CP437
                .iter()
                .position(|&d| d == c)
                .and_then(|at| u8::try_from(at).ok())
                .map(|at| 0x80 + at),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize) -> Vec<Line> {
        let mut lines = Lines::new(io::BufReader::with_capacity(4, input), max);
        std::iter::from_fn(|| lines.next_line().unwrap()).collect()
    }

    #[test]
    fn a_utf8_line_and_a_byte_order_mark_are_read_as_utf8() {
        assert_eq!(
            all(
                "\u{feff}#FNAMN \"Kommun ÅÄÖ\"\n#KONTO 1 \"Moms\"".as_bytes(),
                100
            ),
            vec![
                Line::Text("#FNAMN \"Kommun ÅÄÖ\"".into()),
                Line::Text("#KONTO 1 \"Moms\"".into())
            ]
        );
    }

    #[test]
    fn decodes_swedish_letters_from_pc8() {
        // "Lön och måltider, Övrigt" in code page 437.
        let bytes = b"L\x94n och m\x86ltider, \x99vrigt \x84\x8e\x8f";
        assert_eq!(decode_pc8(bytes), "Lön och måltider, Övrigt äÄÅ");
        assert_eq!(
            encode_pc8("Lön och måltider, Övrigt äÄÅ").as_deref(),
            Some(&bytes[..])
        );
        assert_eq!(encode_pc8("€"), None);
    }

    #[test]
    fn reads_crlf_and_lf_lines_and_skips_a_line_too_long() {
        assert_eq!(
            all(b"#FLAGGA 0\r\n#SIETYP 4\n\n0123456789ABC\nslut", 10),
            vec![
                Line::Text("#FLAGGA 0".into()),
                Line::Text("#SIETYP 4".into()),
                Line::Text(String::new()),
                Line::TooLong,
                Line::Text("slut".into()),
            ]
        );
        assert_eq!(all(b"", 10), vec![]);
        assert_eq!(all(b"a\n", 10), vec![Line::Text("a".into())]);
    }
}
