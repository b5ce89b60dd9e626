//! Prioritisation models (prioriteringsmodeller): the scoring models rounds value their items
//! with. The administrator defines a model's criteria, scale and weights, or copies a built-in
//! one (the four criteria, the benefit calculation, WSJF); a round chooses its model; IT-center
//! scores items on a model's own criteria. The computation is `domain::scoring`.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
pub mod valuation;
