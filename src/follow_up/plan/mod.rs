//! The action plan (bilaga 2) as the controller drafts it and the head of administration
//! approves it: measures numbered within four groups. A measure counts in the final full-year
//! forecast only once approved and included; changing an approved measure withdraws the approval.
//! The plan changes while the report is in progress; approval also while it is submitted.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod repo;
