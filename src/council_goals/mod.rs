//! The council's goals per municipality (admin-managed), and the auditors' question: which goals
//! have no project, and which projects serve no goal.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod repo;
