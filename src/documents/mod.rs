//! Building blocks of the documents the application exports.

pub mod letterhead;
pub mod page;
pub mod pdf;
pub mod sheet;
pub mod word;
