//! Final-report decision drafts (slutredovisning): assembled from the project's data and the
//! author's text, versioned on every save.

pub mod content;
pub mod decision;
pub mod document;
pub mod docx;
pub mod handlers;
pub mod meeting;
pub mod pdf;
pub mod policy;
pub mod repo;
pub mod versions;
