//! Benefit calculations (nyttokalkyler) of portfolio items and projects: stored with their
//! stakeholders and benefit lines, shown with every figure's formula, exported to Excel with
//! live formulas, and frozen as a version by the decision taken on them. The arithmetic is
//! `domain::benefit`.

pub mod forms;
pub mod freeze;
pub mod handlers;
pub mod operations;
pub mod overdue;
pub mod page;
pub mod policy;
pub mod register;
pub mod repo;
pub mod xlsx;
