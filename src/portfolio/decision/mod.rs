//! Deciding a round: a decision per item (prioritised with place and quarter, postponed or
//! rejected, with a reason), the meeting date and who decided. A decided round never changes
//! again; it is the authority on what may be ordered until the next one is decided.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
