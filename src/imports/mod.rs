//! Outcome from the ledger: reading the files ledgers export (SIE 4).

pub mod sie;
