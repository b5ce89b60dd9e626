//! What the project pages share: the heading with its tabs, and Swedish display of a project's
//! values.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    domain::{money::Money, project::Status, role::Role},
    paths,
    projects::repo::Project,
    web::CurrentUser,
};

/// The tabs of a project page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Goals,
    Benefits,
    Budget,
    FinalReport,
    History,
}

/// The heading every project page starts with, and its tab bar.
pub struct Heading {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub status: &'static str,
    pub tabs: Vec<(&'static str, String, bool)>,
    /// The final report is decided: the project's facts, goals and figures are the record.
    pub locked: bool,
}

impl Heading {
    pub fn new(project: &Project, current: Tab) -> Self {
        let id = project.id;
        let tabs = [
            (Tab::Overview, "Översikt", paths::project(id)),
            (Tab::Goals, "Effektmål", paths::project_goals(id)),
            (Tab::Benefits, "Nyttokalkyl", paths::project_calculation(id)),
            (Tab::Budget, "Budget och utfall", paths::project_budget(id)),
            (Tab::FinalReport, "Slutredovisning", paths::final_report(id)),
            (Tab::History, "Historik", paths::project_history(id)),
        ]
        .into_iter()
        .map(|(tab, label, href)| (label, href, tab == current))
        .collect();
        Heading {
            id,
            name: project.name.clone(),
            case_number: project.case_number.clone(),
            status: project.status.label(),
            tabs,
            locked: super::ensure_open(project).is_err(),
        }
    }
}

impl Heading {
    /// Without the final-report tab for a reader who may not open it (a secretary, on another
    /// board's project before the committee has decided), so that no tab leads to a refusal.
    /// The project's status says whether it is decided: only the decision approves the report.
    pub fn for_reader(mut self, me: &CurrentUser, project: &Project) -> Self {
        let decided = project.status == Status::FinalReportApproved;
        if !super::scope::reads_final_report(me, project.board_id, decided) {
            let report = paths::final_report(project.id);
            self.tabs.retain(|(_, href, _)| *href != report);
        }
        self
    }
}

/// An optional amount in kronor; blank when there is none.
pub fn kr(amount: &Option<Decimal>) -> String {
    amount
        .map(|a| Money::from_stored(a).format_kr())
        .unwrap_or_default()
}

/// The decided appropriation in kronor, or that there is none.
pub fn appropriation(project: &Project) -> String {
    project
        .appropriation
        .map(|a| Money::from_stored(a).format_kr())
        .map_or_else(|| "Inget beslutat anslag".to_owned(), |a| format!("{a} kr"))
}

pub fn date(value: &Option<NaiveDate>) -> String {
    value.map(|d| d.to_string()).unwrap_or_default()
}

/// Who may change what on a project, asked with the operations' own rule: nothing but goal
/// measurements changes once the final report is decided (`ensure_open`), so a locked project
/// offers no edit link or form that would be refused.
pub struct Permissions {
    /// IT-center: general fields, goals, status.
    pub edit_project: bool,
    /// Controllers: budget lines, outcome, the appropriation.
    pub edit_economy: bool,
    /// IT-center: measurements of the effect goals, open after the final report too.
    pub measure: bool,
}

impl Permissions {
    pub fn on(user: &CurrentUser, project: &Project) -> Self {
        let open = super::ensure_open(project).is_ok();
        Permissions {
            edit_project: open && user.has_role(Role::ItCenter),
            edit_economy: open && user.has_role(Role::Controller),
            measure: user.has_role(Role::ItCenter),
        }
    }
}
