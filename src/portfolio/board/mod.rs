//! The coordination group's ranking board: every item of the round with its figures, benefit
//! and the strategy groups' recommendations side by side, ranked by typed positions, by
//! move-up/move-down buttons or by drag and drop, with the cut line where the running totals
//! pass the hours capacity or the budget.
//!
//! One POST saves any of these. Without JavaScript it redirects back to the board; the board's
//! script posts the same form and swaps in the rows the server renders, so the cut line is
//! computed in one place.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
pub mod rows;
