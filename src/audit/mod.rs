//! The append-only audit log: every change of a figure, a decision, a user or a role, and every
//! sign-in, with who, when, from where, and the old and new value.

pub mod filter;
pub mod handlers;
pub mod labels;
pub mod repo;
pub mod search;
pub mod xlsx;

pub use repo::{Actor, record};

/// The audited fields of something created, as (field, old, new): every value new.
pub fn created<'a>(
    fields: impl IntoIterator<Item = (&'a str, String)>,
) -> Vec<(&'a str, String, String)> {
    fields
        .into_iter()
        .map(|(field, new)| (field, String::new(), new))
        .collect()
}

/// The audited fields before and after an edit, as (field, old, new); both lists name the same
/// fields in the same order. Unchanged fields are left out when recorded.
pub fn compared<'a>(
    before: impl IntoIterator<Item = (&'a str, String)>,
    after: impl IntoIterator<Item = (&'a str, String)>,
) -> Vec<(&'a str, String, String)> {
    before
        .into_iter()
        .zip(after)
        .map(|((field, old), (_, new))| (field, old, new))
        .collect()
}

/// A yes/no value as the log and the pages write it.
pub fn yes_no(value: bool) -> String {
    if value { "ja" } else { "nej" }.to_owned()
}
