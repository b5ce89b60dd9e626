//! The officials' own text of a period report: saved with the forecast form, corrected after
//! the decision, and kept in versions with the figures it was written against
//! (`domain::follow_up::written`), so that the report marks a text whose figures have changed.

pub mod handlers;
pub mod page;
pub mod repo;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::follow_up::report::Report;

/// Records a new version of `report`'s text with the figures the report shows now, when the text
/// or those figures differ from its newest version: saving the text again after figures changed
/// confirms it against the new ones, which clears the report's marking. A report's first words
/// start version 1. Called in the transaction that changed the text, after the change, with the
/// report's row locked; `by` is none only for the demo data.
pub async fn record_version(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
    report: &Report,
    by: Option<Uuid>,
    correction_reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    let (texts, figures) = (report.texts(), report.shown());
    let unchanged = match repo::newest(&mut *conn, follow_up_id).await? {
        Some((newest_texts, newest_figures)) => newest_texts == texts && newest_figures == figures,
        None => texts.is_blank(),
    };
    if unchanged {
        return Ok(());
    }
    let version = repo::NewVersion {
        texts: &texts,
        figures: &figures,
        by,
        correction_reason,
    };
    repo::insert(conn, follow_up_id, version).await
}
