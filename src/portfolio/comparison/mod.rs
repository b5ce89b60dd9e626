//! The comparison of a round with the one before it: what entered, left, moved up or down, and
//! the reasons each round recorded.

pub mod handlers;
pub mod page;
pub mod repo;
