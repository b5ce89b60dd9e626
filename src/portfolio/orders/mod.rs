//! The order gate: an order (beställning) of an item is registered only when the latest decided
//! round prioritised the item. Any other attempt is refused with the reason, written to the
//! audit log, and kept as an order waiting for prioritisation, which IT-center's start page lists.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod policy;
pub mod repo;
