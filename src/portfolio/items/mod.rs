//! Portfolio items: the list per plan and across plans with its totals, one item with its
//! benefit arithmetic and orders, and the item form.

pub mod bubbles;
pub mod export;
pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod repo;
