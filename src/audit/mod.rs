//! The append-only audit log: every change of a figure, a decision, a user or a role, and every
//! sign-in, with who, when, from where, and the old and new value.

pub mod handlers;
pub mod repo;

pub use repo::{Actor, record};

/// A yes/no value as the log and the pages write it.
pub fn yes_no(value: bool) -> String {
    if value { "ja" } else { "nej" }.to_owned()
}
