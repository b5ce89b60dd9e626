//! Budget lines, outcome entries and the budget / outcome / deviation table of a project.

pub mod forms;
pub mod handlers;
pub mod repo;
pub mod table;
