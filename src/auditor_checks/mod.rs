//! The auditors' view (revisor): seed 004's findings and seed 001's recommendation as six live
//! checks, each a count with a drill-down list and an Excel export.

pub mod checks;
pub mod handlers;
pub mod repo;
pub mod xlsx;
