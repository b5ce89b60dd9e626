//! Administration: user accounts, their roles and what the roles are bound to.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod repo;
