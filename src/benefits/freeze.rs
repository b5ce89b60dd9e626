//! A decision freezes the benefit calculation it was taken on: the coordination group's
//! prioritisation of an item, or the appropriation of a project. Called inside the decision's
//! own transaction, so the version and the decision stand or fall together. The calculation
//! stays editable as a working copy; the version is what was promised.

use sqlx::PgConnection;

use crate::{
    audit::{self, repo::Entry},
    benefits::repo::{self, Subject},
};

/// Freezes the calculation of `subject`, if it has one, as the version `decision` took; returns
/// the version's number.
pub async fn freeze_for_decision(
    conn: &mut PgConnection,
    actor: &audit::Actor,
    subject: Subject,
    decision: &str,
) -> Result<Option<i32>, sqlx::Error> {
    let Some(id) = repo::of_subject(conn, subject).await? else {
        return Ok(None);
    };
    let Some(calculation) = repo::find(conn, id, true).await? else {
        return Ok(None);
    };
    let number = repo::freeze(conn, &calculation, decision, &actor.label).await?;
    let mut entry = Entry::change(
        "benefit_calculation_frozen",
        "benefit_calculation",
        id.to_string(),
        "frozen_version",
        None,
        Some(format!("Version {number}: {decision}")),
    );
    if let Subject::Project(project) = subject {
        entry = entry.in_project(project);
    }
    audit::record(conn, actor, entry).await?;
    Ok(Some(number))
}
