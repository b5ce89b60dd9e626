//! The municipalities' settings an administrator keeps: the hourly cost that values staff time
//! in benefit calculations, with where the figure comes from.

pub mod handlers;
pub mod operations;
pub mod repo;
