//! Administration: user accounts, their roles and what the roles are bound to; the
//! municipalities' settings.

pub mod forms;
pub mod handlers;
pub mod municipalities;
pub mod operations;
pub mod page;
pub mod repo;
