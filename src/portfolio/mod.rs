//! The digitalisation portfolio (seed 002): IT-center's items in four plans, the quarterly
//! rounds in which the strategy groups review them and the coordination group ranks and
//! decides, and the order gate that lets only prioritised items be ordered.
//!
//! One sub-module per part, each with the shape of a feature (handlers, forms, operations,
//! policy, repo, page). `scope` holds the loaders every part shares (a round or an item the
//! user may see) and imports none of its users.

pub mod board;
pub mod comparison;
pub mod decision;
pub mod import;
pub mod items;
pub mod models;
pub mod orders;
pub mod protocol;
pub mod reviews;
pub mod rounds;
pub mod scope;
pub mod suggestion;
pub mod trail;
pub mod views;
