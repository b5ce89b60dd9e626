//! Prioritisation rounds: the list of rounds, creating one from the open items, and a round's
//! overview with its phases, settings, weights and who has submitted a review.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
