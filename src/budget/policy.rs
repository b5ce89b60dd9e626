//! Who may change a project's budget and outcome. The route table admits controllers; this adds
//! the object's side: the project must be one the user may see (strategy groups only their own
//! municipality's) and still open, since a decided final report is the record.

use chrono::NaiveDate;

use crate::{
    domain::budget_entry::implausible_month,
    operation::Refusal,
    projects::{ensure_open, repo::Project},
    web::format,
};

/// May the figures of `project` change now?
pub fn check_change(project: &Project) -> Result<(), Refusal> {
    ensure_open(project).map_err(Refusal::Failed)
}

/// May outcome be booked on `month` of `project`: not a month still to come, nor one long
/// before the project started (its earliest known start or appropriation decision)?
pub fn check_month(project: &Project, month: NaiveDate) -> Result<(), Refusal> {
    let start = [
        project.planned_start,
        project.actual_start,
        project.decision_date,
    ]
    .into_iter()
    .flatten()
    .min();
    match implausible_month(month, start, format::today()) {
        Some(message) => Err(Refusal::invalid("month", message)),
        None => Ok(()),
    }
}
