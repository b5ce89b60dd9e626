//! Every version of a report's text, newest first, each with what changed from the one before
//! and the figures it was written against.

use askama::Template;
use axum::response::Html;

use crate::{
    domain::follow_up::written::Texts,
    follow_up::{report::Report, texts::repo::Version},
    web::{AppError, Chrome, format},
};

/// A version as the page shows it: the changes from the version before (for the first, every
/// text that is written).
struct Shown {
    version: Version,
    changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "follow_up/texts.html")]
struct VersionsView {
    chrome: Chrome,
    report: Report,
    versions: Vec<Shown>,
}

impl VersionsView {
    fn saved_at(&self, version: &Version) -> String {
        format::date_time(version.saved_at)
    }
}

pub fn render_versions(
    chrome: Chrome,
    report: Report,
    versions: Vec<Version>,
) -> Result<Html<String>, AppError> {
    // Each version against the one before it; the first against nothing written.
    let mut before = Texts::default();
    let mut shown = Vec::with_capacity(versions.len());
    for version in versions.into_iter().rev() {
        let changes = before.changes(&version.texts);
        before = version.texts.clone();
        shown.push(Shown { version, changes });
    }
    shown.reverse();
    Ok(Html(
        VersionsView {
            chrome,
            report,
            versions: shown,
        }
        .render()?,
    ))
}
