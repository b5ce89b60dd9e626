//! Investment projects: the list, the project page with its tabs, the project form, the status
//! and economy forms, and the project's history.

pub mod choices;
pub mod economy;
pub mod export;
pub mod forms;
pub mod handlers;
pub mod list_repo;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
pub mod scope;
pub mod status;
pub mod views;

pub use policy::{ensure_open, load_open, load_visible};
