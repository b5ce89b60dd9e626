//! Budget lines, outcome entries and the budget / outcome / deviation table of a project.

pub mod chart;
pub mod entries;
pub mod export;
pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
pub mod table;
