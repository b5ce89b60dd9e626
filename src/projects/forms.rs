//! The project list's query string and the project page's forms (the project, its status, its
//! appropriation), parsed into checked values.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        number,
        project::{CaseNumber, Plan, Status, check_allocation},
        text,
    },
    operation::Submission,
    web::{
        form::FieldErrors,
        list::{self, SortKey},
    },
};

/// The list's query string as it came; kept as typed so the filter form shows it again.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub kommun: String,
    #[serde(default)]
    pub namnd: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub ar: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sortera: String,
    #[serde(default)]
    pub ordning: String,
    #[serde(default)]
    pub sida: String,
}

/// The columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    #[default]
    Name,
    CaseNumber,
    ProjectNumber,
    Board,
    Municipalities,
    Status,
    Plan,
    Appropriation,
    Budget,
    Outcome,
    PlannedEnd,
}

impl SortKey for SortColumn {
    const ALL: &'static [(SortColumn, &'static str)] = &[
        (SortColumn::Name, "namn"),
        (SortColumn::CaseNumber, "dnr"),
        (SortColumn::ProjectNumber, "projektnummer"),
        (SortColumn::Board, "namnd"),
        (SortColumn::Municipalities, "kommuner"),
        (SortColumn::Status, "status"),
        (SortColumn::Plan, "plan"),
        (SortColumn::Appropriation, "anslag"),
        (SortColumn::Budget, "budget"),
        (SortColumn::Outcome, "utfall"),
        (SortColumn::PlannedEnd, "slut"),
    ];
}

/// Rows on a page of the project list.
pub const PAGE_SIZE: i64 = 25;

/// The checked filter. Values that do not parse are ignored, as a filter should be.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub municipality: Option<Uuid>,
    pub board: Option<Uuid>,
    pub status: Option<Status>,
    pub plan: Option<Plan>,
    pub year: Option<i32>,
    pub search: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
    pub page: u32,
    /// Rows per page: the list's 25, or what an API call asks for.
    pub page_size: i64,
}

impl ListQuery {
    pub fn filter(&self) -> ListFilter {
        ListFilter {
            municipality: self.kommun.parse().ok(),
            board: self.namnd.parse().ok(),
            status: Status::from_code(&self.status),
            plan: Plan::from_code(&self.plan),
            year: self
                .ar
                .trim()
                .parse()
                .ok()
                .filter(|y| (1900..=2200).contains(y)),
            search: list::search_text(&self.q),
            sort: SortColumn::from_key(&self.sortera),
            descending: list::descending(&self.ordning),
            page: crate::web::paging::page_number(&self.sida),
            page_size: PAGE_SIZE,
        }
    }
}

/// The project form as posted. Every municipality comes with its share (`municipalities[i]`,
/// `shares[i]`); a blank share means the project does not serve it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProjectForm {
    /// A new project's one-time id (not used when editing).
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub case_number: String,
    #[serde(default)]
    pub project_number: String,
    #[serde(default)]
    pub board: String,
    #[serde(default)]
    pub project_manager: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub planned_start: String,
    #[serde(default)]
    pub planned_end: String,
    #[serde(default)]
    pub actual_start: String,
    #[serde(default)]
    pub actual_end: String,
    #[serde(default)]
    pub municipalities: Vec<String>,
    #[serde(default)]
    pub shares: Vec<String>,
    #[serde(default)]
    pub council_goals: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

/// A checked project form.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub name: String,
    pub case_number: CaseNumber,
    pub project_number: Option<String>,
    pub board_id: Uuid,
    pub project_manager: Option<String>,
    pub plan: Plan,
    /// Used when creating; a status change afterwards goes through its own form.
    pub status: Status,
    pub description: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    /// (municipality, percent)
    pub allocation: Vec<(Uuid, Decimal)>,
    pub council_goals: Vec<Uuid>,
}

/// What the form may refer to: boards, municipalities, council goals.
pub trait Choices {
    fn has_board(&self, id: Uuid) -> bool;
    fn has_municipality(&self, id: Uuid) -> bool;
    fn has_council_goal(&self, id: Uuid) -> bool;
}

impl ProjectForm {
    /// The share typed for `municipality`; blank when it is not served.
    pub fn share_of(&self, municipality: &Uuid) -> &str {
        let key = municipality.to_string();
        self.municipalities
            .iter()
            .position(|m| *m == key)
            .and_then(|i| self.shares.get(i))
            .map_or("", String::as_str)
    }

    pub fn has_goal(&self, id: &Uuid) -> bool {
        self.council_goals.iter().any(|g| *g == id.to_string())
    }

    pub fn parse(&self, choices: &impl Choices) -> Result<ProjectInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.text("name", "Projektnamn", &self.name, (200, true));
        let case_number = e.check("case_number", CaseNumber::parse(&self.case_number));
        let project_number = e
            .check(
                "project_number",
                text::bounded(&self.project_number, 40, false),
            )
            .map(non_empty);
        let board_id = self.board.parse().ok().filter(|id| choices.has_board(*id));
        if board_id.is_none() {
            e.add("board", "Välj vilken nämnd som äger projektet.");
        }
        let project_manager = e
            .check(
                "project_manager",
                text::bounded(&self.project_manager, 200, false),
            )
            .map(non_empty);
        let plan = Plan::from_code(&self.plan);
        if plan.is_none() {
            e.add("plan", "Välj portföljplan.");
        }
        let status = Status::from_code(&self.status).unwrap_or(Status::Idea);
        let description = e.check(
            "description",
            text::bounded(&self.description, 20_000, false),
        );
        let planned_start = e.check("planned_start", optional_date(&self.planned_start));
        let planned_end = e.check("planned_end", optional_date(&self.planned_end));
        let actual_start = e.check("actual_start", optional_date(&self.actual_start));
        let actual_end = e.check("actual_end", optional_date(&self.actual_end));
        if let (Some(Some(s)), Some(Some(end))) = (planned_start, planned_end)
            && end < s
        {
            e.add(
                "planned_end",
                "Planerat slut kan inte ligga före planerad start.",
            );
        }
        if let (Some(Some(s)), Some(Some(end))) = (actual_start, actual_end)
            && end < s
        {
            e.add(
                "actual_end",
                "Faktiskt slut kan inte ligga före faktisk start.",
            );
        }
        let allocation = self.parse_allocation(choices, &mut e);
        let council_goals: Vec<Uuid> = self
            .council_goals
            .iter()
            .filter_map(|g| g.parse().ok())
            .filter(|g| choices.has_council_goal(*g))
            .collect();
        match (
            name,
            case_number,
            project_number,
            board_id,
            project_manager,
            plan,
            description,
            planned_start,
            planned_end,
            actual_start,
            actual_end,
            allocation,
        ) {
            (
                Some(name),
                Some(case_number),
                Some(project_number),
                Some(board_id),
                Some(project_manager),
                Some(plan),
                Some(description),
                Some(planned_start),
                Some(planned_end),
                Some(actual_start),
                Some(actual_end),
                Some(allocation),
            ) if e.is_empty() => Ok(ProjectInput {
                name,
                case_number,
                project_number,
                board_id,
                project_manager,
                plan,
                status,
                description,
                planned_start,
                planned_end,
                actual_start,
                actual_end,
                allocation,
                council_goals,
            }),
            _ => Err(e),
        }
    }

    fn parse_allocation(
        &self,
        choices: &impl Choices,
        e: &mut FieldErrors,
    ) -> Option<Vec<(Uuid, Decimal)>> {
        let mut allocation = Vec::new();
        for (m, typed) in self.municipalities.iter().zip(&self.shares) {
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            let Some(id) = m.parse().ok().filter(|id| choices.has_municipality(*id)) else {
                e.add("municipalities", "Okänd kommun.");
                return None;
            };
            match number::parse_quantity(typed) {
                Ok(share) if share.scale() <= 2 => allocation.push((id, share)),
                _ => {
                    e.add(
                        "municipalities",
                        format!("Andelen ”{typed}” är ingen procentsats med högst två decimaler."),
                    );
                    return None;
                }
            }
        }
        let shares: Vec<Decimal> = allocation.iter().map(|(_, s)| *s).collect();
        e.check("municipalities", check_allocation(&shares))
            .map(|()| allocation)
    }
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// An optional `YYYY-MM-DD` date, as a date input sends it.
pub fn optional_date(input: &str) -> Result<Option<NaiveDate>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(input, "%Y-%m-%d").map_err(|_| {
        format!("”{input}” är inget datum. Skriv ÅÅÅÅ-MM-DD, till exempel 2023-01-04.")
    })?;
    // A year like 0000 or 9999 is a typo, never a date a project or a decision has.
    if !(1950..=2100).contains(&date.year()) {
        return Err(format!(
            "”{input}” ligger utanför de år som datum kan ha här (1950–2100)."
        ));
    }
    Ok(Some(date))
}

/// The status form on the project page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub changed_on: String,
    /// Named for the page it is on, where "comment" would be ambiguous.
    #[serde(default, rename = "status_comment")]
    pub comment: String,
    #[serde(default)]
    pub version: i32,
}

/// The decided appropriation and its decision, as controllers enter them.
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyInput {
    pub appropriation: Option<Money>,
    pub decision_body: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_paragraph: Option<String>,
}

/// The appropriation and decision form, which controllers own.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EconomyForm {
    #[serde(default)]
    pub appropriation: String,
    #[serde(default)]
    pub decision_body: String,
    #[serde(default)]
    pub decision_date: String,
    #[serde(default)]
    pub decision_paragraph: String,
    #[serde(default)]
    pub version: i32,
}

impl EconomyForm {
    pub fn parse(&self) -> Result<EconomyInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let appropriation = if self.appropriation.trim().is_empty() {
            Some(None)
        } else {
            e.check(
                "appropriation",
                Money::parse(&self.appropriation)
                    .map_err(|err| format!("Investeringsanslag: {err}"))
                    .and_then(|m| {
                        if m.is_negative() {
                            Err(format!(
                                "Investeringsanslag: ”{}” är negativt; ett anslag är ett belopp större än eller lika med 0.",
                                self.appropriation.trim()
                            ))
                        } else {
                            Ok(Some(m))
                        }
                    }),
            )
        };
        let body = e.check(
            "decision_body",
            text::bounded(&self.decision_body, 200, false),
        );
        let date = e.check("decision_date", optional_date(&self.decision_date));
        let paragraph = e.check(
            "decision_paragraph",
            text::bounded(&self.decision_paragraph, 20, false),
        );
        match (appropriation, body, date, paragraph) {
            (Some(appropriation), Some(body), Some(date), Some(paragraph)) if e.is_empty() => {
                Ok(EconomyInput {
                    appropriation,
                    decision_body: non_empty(body),
                    decision_date: date,
                    decision_paragraph: non_empty(paragraph),
                })
            }
            _ => Err(e),
        }
    }
}
