//! Who may change a project's budget and outcome. The route table admits controllers; this adds
//! the object's side: the project must be one the user may see (strategy groups only their own
//! municipality's) and still open, since a decided final report is the record.

use crate::{
    operation::Refusal,
    projects::{ensure_open, repo::Project},
};

/// May the figures of `project` change now?
pub fn check_change(project: &Project) -> Result<(), Refusal> {
    ensure_open(project).map_err(Refusal::Failed)
}
