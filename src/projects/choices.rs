//! What the project forms refer to (boards, municipalities, council goals), the forms as a saved
//! project fills them, and how their fields read in the audit log and in a conflict message:
//! shared by the form pages and the operations that save them.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    domain::{money::Money, number},
    projects::{
        forms::{EconomyForm, EconomyInput, ProjectForm, ProjectInput},
        repo::{self, CouncilGoal, Project},
        views,
    },
};

/// Boards, municipalities and council goals the form offers.
pub struct Choices {
    pub reference: Reference,
    pub council_goals: Vec<CouncilGoal>,
}

impl Choices {
    pub async fn load(db: &PgPool) -> Result<Self, sqlx::Error> {
        Ok(Choices {
            reference: Reference::load(db).await?,
            council_goals: repo::council_goals(db).await?,
        })
    }

    /// The audited fields of a project, as (field, value) in a fixed order.
    pub fn audited(&self, p: &ProjectInput) -> Vec<(&'static str, String)> {
        let name_of_municipality = |id: &Uuid| {
            self.reference
                .municipalities
                .iter()
                .find(|m| m.id == *id)
                .map_or_else(|| id.to_string(), |m| m.name.clone())
        };
        let board = self
            .reference
            .boards
            .iter()
            .find(|b| b.id == p.board_id)
            .map_or_else(String::new, |b| format!("{}, {}", b.name, b.municipality));
        let allocation = p
            .allocation
            .iter()
            .map(|(m, s)| {
                format!(
                    "{} {} %",
                    name_of_municipality(m),
                    number::format_quantity(*s)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let goals = self
            .council_goals
            .iter()
            .filter(|g| p.council_goals.contains(&g.id))
            .map(|g| g.title.clone())
            .collect::<Vec<_>>()
            .join("; ");
        let date = views::date;
        vec![
            ("name", p.name.clone()),
            ("case_number", p.case_number.to_string()),
            (
                "project_number",
                p.project_number.clone().unwrap_or_default(),
            ),
            ("board", board),
            (
                "project_manager",
                p.project_manager.clone().unwrap_or_default(),
            ),
            ("plan", p.plan.label().to_owned()),
            ("description", p.description.clone()),
            ("planned_start", date(&p.planned_start)),
            ("planned_end", date(&p.planned_end)),
            ("actual_start", date(&p.actual_start)),
            ("actual_end", date(&p.actual_end)),
            ("allocation", allocation),
            ("council_goals", goals),
        ]
    }

    /// What is saved now, for the person whose save was refused because of it.
    pub fn describe(&self, saved: &ProjectForm) -> String {
        match saved.parse(self) {
            Ok(input) => self
                .audited(&input)
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(field, value)| {
                    format!("{}: {value}", crate::audit::labels::field_label(field))
                })
                .collect::<Vec<_>>()
                .join(" · "),
            Err(_) => saved.name.clone(),
        }
    }
}

impl crate::projects::forms::Choices for Choices {
    fn has_board(&self, id: Uuid) -> bool {
        self.reference.boards.iter().any(|b| b.id == id)
    }
    fn has_municipality(&self, id: Uuid) -> bool {
        self.reference.municipalities.iter().any(|m| m.id == id)
    }
    fn has_council_goal(&self, id: Uuid) -> bool {
        self.council_goals.iter().any(|g| g.id == id)
    }
}

/// The form as the saved project fills it.
pub fn form_from(p: &Project) -> ProjectForm {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    ProjectForm {
        name: p.name.clone(),
        case_number: p.case_number.clone(),
        project_number: opt(&p.project_number),
        board: p.board_id.to_string(),
        project_manager: opt(&p.project_manager),
        plan: p.plan.code().to_owned(),
        status: p.status.code().to_owned(),
        description: p.description.clone(),
        planned_start: views::date(&p.planned_start),
        planned_end: views::date(&p.planned_end),
        actual_start: views::date(&p.actual_start),
        actual_end: views::date(&p.actual_end),
        municipalities: p.allocation.iter().map(|a| a.id.to_string()).collect(),
        shares: p
            .allocation
            .iter()
            .map(|a| number::format_quantity(a.percent))
            .collect(),
        council_goals: p.council_goals.iter().map(|g| g.id.to_string()).collect(),
        version: p.version,
        ..ProjectForm::default()
    }
}

/// The appropriation form as the saved project fills it.
pub fn economy_form_from(p: &Project) -> EconomyForm {
    EconomyForm {
        appropriation: views::kr(&p.appropriation),
        decision_body: p.decision_body.clone().unwrap_or_default(),
        decision_date: views::date(&p.decision_date),
        decision_paragraph: p.decision_paragraph.clone().unwrap_or_default(),
        version: p.version,
    }
}

/// The audited fields of the appropriation and its decision.
pub fn economy_audited(input: &EconomyInput) -> [(&'static str, String); 4] {
    [
        (
            "appropriation",
            input
                .appropriation
                .map(Money::format_kr)
                .unwrap_or_default(),
        ),
        (
            "decision_body",
            input.decision_body.clone().unwrap_or_default(),
        ),
        ("decision_date", views::date(&input.decision_date)),
        (
            "decision_paragraph",
            input.decision_paragraph.clone().unwrap_or_default(),
        ),
    ]
}
