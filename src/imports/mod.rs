//! Outcome from the ledger: reading the files ledgers export (SIE 4) into staged rows.

pub mod sie;
pub mod staging;
