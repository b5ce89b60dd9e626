//! Reading SIE 4 files (type 4E and 4I), the export format of every Swedish ledger, as a stream
//! of what the import needs: the file's identity, accounts, dimensions and objects, and each
//! voucher's transaction rows as they count. The reader holds one line at a time, so a file of
//! any size is read in bounded memory; every line that cannot be read is an error with its
//! number and text, and the reader goes on to find the others.
//!
//! The sections of SIE 4B (SIE-Gruppen, "SIE filformat, version 4B", 2008) followed here are
//! listed in docs/DESIGN.md.

mod fields;
mod lines;
mod reader;
mod records;

pub use lines::{decode_pc8, encode_pc8};
pub use reader::{Reader, Skipped, voucher_name};

use chrono::NaiveDate;

use crate::domain::money::Money;

/// What one line (or, for a voucher, its `#VER` line) of the file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `#PROGRAM`: the ledger program that wrote the file, and its version.
    Program { name: String, version: String },
    /// `#FNAMN`: the organisation whose ledger it is.
    Company(String),
    /// `#RAR`: a financial year, 0 the current one, −1 the one before.
    Year {
        number: i32,
        start: NaiveDate,
        end: NaiveDate,
    },
    /// `#KONTO`: an account and its name.
    Account { number: String, name: String },
    /// `#DIM`: a dimension and its name (1 the cost centre, 6 the project, by SIE's numbering).
    Dimension { number: u32, name: String },
    /// `#OBJEKT`: an object of a dimension (a cost centre, a project) and its name.
    Object {
        dimension: u32,
        code: String,
        name: String,
    },
    /// `#VER`: a voucher begins; its rows follow.
    Voucher(Voucher),
    /// A transaction row of the current voucher that counts: a `#TRANS`, or a `#RTRANS` (a
    /// row added later) without the `#TRANS` copy that follows it for older readers.
    Row(Row),
}

/// A voucher: series and number (both may be empty in a file for import), date and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voucher {
    pub line: u64,
    pub series: String,
    pub number: String,
    pub date: NaiveDate,
    pub text: String,
}

/// A transaction row: account, objects (dimension, object code), amount, and the row's own
/// date, text and quantity when it has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub account: String,
    pub objects: Vec<(u32, String)>,
    pub amount: Money,
    pub date: Option<NaiveDate>,
    pub text: String,
    pub quantity: Option<rust_decimal::Decimal>,
}

impl Row {
    /// The object of `dimension`, if the row has one.
    pub fn object(&self, dimension: u32) -> Option<&str> {
        self.objects
            .iter()
            .find(|(d, _)| *d == dimension)
            .map(|(_, code)| code.as_str())
    }
}

/// A line that could not be read: its number, its text (shortened) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub text: String,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rad {}: {} ({})", self.line, self.message, self.text)
    }
}

/// The bounds a file is read within, whatever it holds.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The longest line, in bytes.
    pub line_bytes: usize,
    /// The most fields on a line, object list elements included.
    pub fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A #TRANS row with a long text and a dozen objects is a few hundred bytes.
        Limits {
            line_bytes: 4096,
            fields: 64,
        }
    }
}

#[cfg(test)]
mod tests;
