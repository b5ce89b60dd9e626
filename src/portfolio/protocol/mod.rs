//! The protocol of a decided round, as a Word document and an Excel workbook: built once
//! (`model`) and written by its own module per format.

pub mod docx;
pub mod handlers;
pub mod model;
pub mod page;
pub mod xlsx;
