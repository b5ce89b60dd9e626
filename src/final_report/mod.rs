//! Final-report decision drafts (slutredovisning): assembled from the project's data and the
//! author's text, versioned on every save, moved to the committee and decided there.

pub mod content;
pub mod document;
pub mod docx;
pub mod forms;
pub mod handlers;
pub mod loader;
pub mod meeting;
pub mod operations;
pub mod page;
pub mod pdf;
pub mod policy;
pub mod protocol;
pub mod repo;
pub mod versions;
