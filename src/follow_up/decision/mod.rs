//! A report's way to the board and back: the controller submits it (complete) or takes it back,
//! the board's secretary records the board's decision (body, date, §), which freezes its figures,
//! and a decided report's text is corrected only with a reason. Carry-over proposals made at the
//! year-end occasion are decided with the report.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod record;
pub mod repo;
