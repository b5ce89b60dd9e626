//! Effect goals: per project with measurements and assessment, and the SMART check.

pub mod export;
pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod repo;
