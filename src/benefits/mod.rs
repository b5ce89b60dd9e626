//! Benefit calculations (nyttokalkyler) of portfolio items and projects: their Excel export
//! with live formulas. The arithmetic is `domain::benefit`.

pub mod xlsx;
