//! The start page: what each role will find and do, one panel per role held.

pub mod desks;
pub mod handlers;
