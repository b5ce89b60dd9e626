//! Importing portfolio items from a CSV or Excel sheet: upload, a preview of every line with
//! its errors next to it, and only then, if every line is right, the import in one transaction.
//! A file with any error saves nothing.

pub mod handlers;
pub mod lines;
pub mod operations;
pub mod page;
