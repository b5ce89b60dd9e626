//! The benefit register: every benefit of every calculation, with its owner (a person), its
//! planned realisation per year, its measurements and its status, and the effect goals that
//! evidence it (issue 15; seed 004: nothing had been followed up).

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
