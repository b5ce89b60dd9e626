//! A strategy group's review of a round: a comment on each item that concerns its municipality,
//! a recommended order of its top items and a "must for us" flag. A draft is the group's own;
//! once submitted, everyone preparing the meeting reads it, and it no longer changes.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
pub mod policy;
pub mod repo;
