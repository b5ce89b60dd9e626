//! Projects over the API: the list with the page's filters and paging, one project, its effect
//! goals, and its budget lines with their outcome entries. Each reads what the project's pages
//! read, limited in the same way to the projects the caller may see.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    api::{problem::Problem, version::etag},
    budget,
    domain::{
        budget::OutcomeSource,
        effect_goal::Assessment,
        project::{Plan, Status},
    },
    goals,
    projects::{
        forms::{ListFilter, PAGE_SIZE, SortColumn},
        list_repo, load_visible, scope,
    },
    web::{AppError, AppState, CurrentUser},
};

/// The list's filters, as on the project list page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only projects that concern this municipality.
    kommun: Option<Uuid>,
    /// Only projects owned by this board.
    namnd: Option<Uuid>,
    status: Option<Status>,
    plan: Option<Plan>,
    /// Only projects running during this year.
    #[param(minimum = 1900, maximum = 2200)]
    ar: Option<i32>,
    /// Words in the name, case number or project number.
    q: Option<String>,
    /// The column to sort by (the name when not given).
    sortera: Option<SortKey>,
    /// Sort in descending order.
    fallande: Option<bool>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 100000)]
    sida: Option<u32>,
    /// Projects per page, 1 to 500 (25 when not given).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// The list's columns to sort by, by the keys the project list's links use.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    Namn,
    Dnr,
    Projektnummer,
    Namnd,
    Kommuner,
    Status,
    Plan,
    Anslag,
    Budget,
    Utfall,
    Slut,
}

impl SortKey {
    fn column(self) -> SortColumn {
        match self {
            SortKey::Namn => SortColumn::Name,
            SortKey::Dnr => SortColumn::CaseNumber,
            SortKey::Projektnummer => SortColumn::ProjectNumber,
            SortKey::Namnd => SortColumn::Board,
            SortKey::Kommuner => SortColumn::Municipalities,
            SortKey::Status => SortColumn::Status,
            SortKey::Plan => SortColumn::Plan,
            SortKey::Anslag => SortColumn::Appropriation,
            SortKey::Budget => SortColumn::Budget,
            SortKey::Utfall => SortColumn::Outcome,
            SortKey::Slut => SortColumn::PlannedEnd,
        }
    }
}

/// One page of projects.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectSummary>,
    /// Projects matching the filters, on every page.
    pub total: i64,
    pub page: u32,
    pub limit: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub project_number: Option<String>,
    pub board_id: Uuid,
    /// The municipalities it concerns, by name.
    pub municipalities: String,
    pub status: Status,
    pub plan: Plan,
    /// Investment appropriation, kr.
    pub appropriation: Option<Decimal>,
    pub budget: Option<Decimal>,
    pub outcome: Option<Decimal>,
    pub planned_end: Option<NaiveDate>,
}

fn refused(detail: &str) -> Box<Problem> {
    Box::new(Problem::new(
        axum::http::StatusCode::BAD_REQUEST,
        "Felaktig begäran",
        detail,
    ))
}

fn filter(query: ProjectQuery) -> Result<ListFilter, Box<Problem>> {
    let sort = query
        .sortera
        .map_or_else(SortColumn::default, SortKey::column);
    let limit = query.limit.unwrap_or(PAGE_SIZE);
    if !(1..=500).contains(&limit) {
        return Err(refused("limit: ange 1 till 500."));
    }
    let page = query.sida.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(refused("sida: ange 1 till 100000."));
    }
    if query.ar.is_some_and(|y| !(1900..=2200).contains(&y)) {
        return Err(refused("ar: ange ett år mellan 1900 och 2200."));
    }
    Ok(ListFilter {
        municipality: query.kommun,
        board: query.namnd,
        status: query.status,
        plan: query.plan,
        year: query.ar,
        search: crate::web::list::search_text(query.q.as_deref().unwrap_or_default()),
        sort,
        descending: query.fallande.unwrap_or(false),
        page,
        page_size: limit,
    })
}

/// The projects the caller may see, filtered, sorted and paged like the project list.
#[utoipa::path(get, path = "/api/v1/projekt", tag = "Projekt", params(ProjectQuery),
    responses((status = 200, body = ProjectPage), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_projects(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ProjectQuery>,
) -> Result<Response, AppError> {
    let filter = match filter(query) {
        Ok(filter) => filter,
        Err(problem) => return Ok(problem.into_response()),
    };
    let visible = scope::visible_municipalities(&me);
    let mut conn = state.db.acquire().await?;
    let (rows, total) = list_repo::list(&mut conn, &filter, visible.as_deref()).await?;
    let items = rows
        .into_iter()
        .map(|r| ProjectSummary {
            id: r.id,
            name: r.name,
            case_number: r.case_number,
            project_number: r.project_number,
            board_id: r.board_id,
            municipalities: r.municipalities,
            status: r.status,
            plan: r.plan,
            appropriation: r.appropriation,
            budget: r.budget,
            outcome: r.outcome,
            planned_end: r.planned_end,
        })
        .collect();
    let page = ProjectPage {
        items,
        total,
        page: filter.page,
        limit: filter.page_size,
    };
    // A project is 300 to 400 bytes of JSON.
    super::json_of_size(&page, 400 * page.items.len() + 100)
}

/// A project with its facts, its municipalities' shares and its council goals. Its `ETag` is
/// its version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub project_number: Option<String>,
    pub board: Named,
    pub board_municipality: String,
    pub project_manager: Option<String>,
    pub plan: Plan,
    pub status: Status,
    pub description: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub appropriation: Option<Decimal>,
    pub decision_body: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_paragraph: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub municipalities: Vec<Share>,
    pub council_goals: Vec<Named>,
}

/// Something referred to by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

/// A municipality's share of a project, in percent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub municipality_id: Uuid,
    pub name: String,
    pub percent: Decimal,
}

#[utoipa::path(get, path = "/api/v1/projekt/{id}", tag = "Projekt", params(("id" = Uuid, Path)),
    responses((status = 200, body = ProjectDetail, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn show_project(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let p = load_visible(&mut *state.db.acquire().await?, id, &me, false).await?;
    let version = p.version;
    let detail = ProjectDetail {
        id: p.id,
        name: p.name,
        case_number: p.case_number,
        project_number: p.project_number,
        board: Named {
            id: p.board_id,
            name: p.board,
        },
        board_municipality: p.board_municipality,
        project_manager: p.project_manager,
        plan: p.plan,
        status: p.status,
        description: p.description,
        planned_start: p.planned_start,
        planned_end: p.planned_end,
        actual_start: p.actual_start,
        actual_end: p.actual_end,
        appropriation: p.appropriation,
        decision_body: p.decision_body,
        decision_date: p.decision_date,
        decision_paragraph: p.decision_paragraph,
        version,
        updated_at: p.updated_at,
        municipalities: p
            .allocation
            .0
            .into_iter()
            .map(|a| Share {
                municipality_id: a.id,
                name: a.name,
                percent: a.percent,
            })
            .collect(),
        council_goals: p
            .council_goals
            .0
            .into_iter()
            .map(|g| Named {
                id: g.id,
                name: format!("{} ({})", g.title, g.municipality),
            })
            .collect(),
    };
    Ok(([(header::ETAG, etag(version))], Json(detail)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EffectGoal {
    pub id: Uuid,
    pub position: i32,
    pub goal: String,
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub target_value: Option<Decimal>,
    pub unit: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub assessment: Option<Assessment>,
    pub assessment_comment: String,
    pub version: i32,
    pub measurements: Vec<Measurement>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Measurement {
    pub measured_on: NaiveDate,
    pub value: Decimal,
    pub comment: String,
}

/// The project's effect goals with their measurements, oldest first.
#[utoipa::path(get, path = "/api/v1/projekt/{id}/effektmal", tag = "Projekt", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<EffectGoal>), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_goals(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<EffectGoal>>, AppError> {
    let mut conn = state.db.acquire().await?;
    load_visible(&mut conn, id, &me, false).await?;
    let goals = goals::repo::goals(&mut conn, id).await?;
    Ok(Json(
        goals
            .into_iter()
            .map(|g| EffectGoal {
                id: g.id,
                position: g.position,
                goal: g.goal,
                indicator: g.indicator,
                baseline: g.baseline,
                target_value: g.target_value,
                unit: g.unit,
                target_date: g.target_date,
                assessment: g.assessment,
                assessment_comment: g.assessment_comment,
                version: g.version,
                measurements: g
                    .measurements
                    .0
                    .into_iter()
                    .map(|m| Measurement {
                        measured_on: m.measured_on,
                        value: m.value,
                        comment: m.comment,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// A budget line with its outcome and entries. Its `version` is the `ETag` a new entry may send
/// in `If-Match`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetLine {
    pub id: Uuid,
    pub position: i32,
    pub category: String,
    pub sub_entity: Option<String>,
    pub budget: Decimal,
    /// Income or credit: the only kind of line that may be negative.
    pub income: bool,
    /// The sum of its entries; none when nothing is booked.
    pub outcome: Option<Decimal>,
    pub version: i32,
    pub entries: Vec<OutcomeEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeEntry {
    pub id: Uuid,
    /// The month's first day.
    pub month: NaiveDate,
    pub amount: Decimal,
    pub text: String,
    pub source: OutcomeSource,
    pub recorded_at: DateTime<Utc>,
    /// The ledger voucher, for an imported entry.
    pub voucher: Option<String>,
}

/// The project's budget lines with their outcome entries.
#[utoipa::path(get, path = "/api/v1/projekt/{id}/budget", tag = "Budget och utfall", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<BudgetLine>), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_budget(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<BudgetLine>>, AppError> {
    let mut conn = state.db.acquire().await?;
    load_visible(&mut conn, id, &me, false).await?;
    let lines = budget::repo::lines(&mut conn, id).await?;
    let mut entries = budget::repo::entries(&mut conn, id).await?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    entries.drain(..).partition(|e| e.budget_line_id == l.id);
                entries = rest;
                BudgetLine {
                    id: l.id,
                    position: l.position,
                    category: l.category,
                    sub_entity: l.sub_entity,
                    budget: l.budget,
                    income: l.income,
                    outcome: l.outcome,
                    version: l.version,
                    entries: mine.into_iter().map(entry).collect(),
                }
            })
            .collect(),
    ))
}

pub fn entry(e: budget::repo::Entry) -> OutcomeEntry {
    OutcomeEntry {
        id: e.id,
        month: e.month,
        amount: e.amount,
        text: e.text,
        source: e.source,
        recorded_at: e.recorded_at,
        voucher: e.voucher,
    }
}
