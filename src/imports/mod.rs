//! Outcome from the ledger: a controller uploads a ledger's export (SIE 4), it is read into
//! staged rows in the background, previewed (what becomes project outcome, what is left out and
//! why), its accounts mapped to the projects' budget lines, and saved as one batch of outcome
//! entries that can be undone by reversing entries.

pub mod batch;
pub mod handlers;
pub mod mapping;
pub mod operating;
pub mod operations;
pub mod page;
pub mod reading;
pub mod repo;
pub mod sie;
pub mod sie_rows;
pub mod staging;
pub mod start;
pub mod table;
pub mod table_setting;
pub mod upload;
