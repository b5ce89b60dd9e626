//! The period follow-up (uppföljningstillfälle, seed 002): each board's operating figures per
//! activity and its investments at the occasions of a year, with the full-year forecast, the
//! comments on significant deviations, the action plan and the generated text of the report.

pub mod carry_over;
pub mod decision;
pub mod document;
pub mod docx;
pub mod entry;
pub mod exports;
pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod pdf;
pub mod plan;
pub mod policy;
pub mod print;
pub mod repo;
pub mod report;
pub mod texts;
pub mod xlsx;
