//! Pure types and rules of the domain: no web framework, database or runtime in here.

pub mod email;
pub mod role;
pub mod text;
