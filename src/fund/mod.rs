//! The digitalisation fund (digitaliseringspott, seed 004): a fund per municipality and year
//! with its strategic directions, the departments' applications and the decisions on them, and
//! the follow-up of every grant: money spent (its project's outcome, from the ledger too) and
//! benefits realised.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
