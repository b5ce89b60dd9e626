//! Portfolio items over the API: the list (with the page's filters), one item, and creating and
//! changing an item with the item form's own parsing, operation, policy and audit. A change
//! names the version it changes in `If-Match` (412 when stale).

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    api::{
        problem::{self, Problem},
        version::{IfMatch, etag},
    },
    domain::{
        portfolio::{Complexity, ItemStatus, Kind},
        project::Plan,
    },
    operation::{Actor, Refusal, Submission},
    portfolio::{
        items::{
            forms::ItemForm,
            operations,
            page::hide_foreign_links,
            repo::{self, Item, ListFilter, SortColumn},
        },
        scope::load_visible_item,
    },
    projects::scope,
    web::{AppError, AppState, CurrentUser, form::FieldErrors},
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    plan: Option<Plan>,
    /// Only items that concern this municipality.
    kommun: Option<Uuid>,
    status: Option<ItemStatus>,
    typ: Option<Kind>,
    /// Words in the title or the description.
    q: Option<String>,
}

/// An item of the portfolio. Its `ETag` is its version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioItem {
    pub id: Uuid,
    /// "P-003".
    pub reference: String,
    pub title: String,
    pub description: String,
    pub plan: Plan,
    pub status: ItemStatus,
    pub unit: String,
    pub contact: String,
    pub kind: Kind,
    pub complexity: Complexity,
    pub complexity_reason: String,
    pub effort_hours: i32,
    pub investment: Decimal,
    pub running_cost: Decimal,
    pub score_citizen: i16,
    pub score_efficiency: i16,
    pub score_necessity: i16,
    pub score_strategy: i16,
    pub benefit_note: String,
    /// The requesting municipalities; none: all of them.
    pub municipalities: Vec<Uuid>,
    pub council_goals: Vec<Uuid>,
    pub project: Option<Uuid>,
    pub earliest_start: Option<NaiveDate>,
    /// The references of the items it depends on; "dold" for one the caller may not see.
    pub dependencies: Vec<String>,
    pub version: i32,
}

/// What a dependency in another municipality is called to a strategy group.
const HIDDEN: &str = "dold";

fn view(item: Item) -> PortfolioItem {
    PortfolioItem {
        id: item.id,
        reference: item.reference(),
        // A link the caller may not follow (`hide_foreign_links`) is there, but unnamed.
        dependencies: item
            .dependencies
            .0
            .iter()
            .map(|d| match d.id.is_nil() {
                true => HIDDEN.to_owned(),
                false => d
                    .name
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect(),
        title: item.title,
        description: item.description,
        plan: item.plan,
        status: item.status,
        unit: item.unit,
        contact: item.contact,
        kind: item.kind,
        complexity: item.complexity,
        complexity_reason: item.complexity_reason,
        effort_hours: item.effort_hours,
        investment: item.investment,
        running_cost: item.running_cost,
        score_citizen: item.score_citizen,
        score_efficiency: item.score_efficiency,
        score_necessity: item.score_necessity,
        score_strategy: item.score_strategy,
        benefit_note: item.benefit_note,
        municipalities: item.municipalities.0.iter().map(|m| m.id).collect(),
        council_goals: item.council_goals.0.iter().map(|g| g.id).collect(),
        project: item.project.map(|p| p.0.id).filter(|id| !id.is_nil()),
        earliest_start: item.earliest_start,
        version: item.version,
    }
}

/// The items the caller may see, by number.
#[utoipa::path(get, path = "/api/v1/portfolj", tag = "Portfölj", params(ItemQuery),
    responses((status = 200, body = Vec<PortfolioItem>), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_items(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ItemQuery>,
) -> Result<Json<Vec<PortfolioItem>>, AppError> {
    let filter = ListFilter {
        plan: query.plan,
        municipality: query.kommun,
        status: query.status,
        kind: query.typ,
        search: crate::web::list::search_text(query.q.as_deref().unwrap_or_default()),
        sort: SortColumn::default(),
        descending: false,
    };
    let visible = scope::visible_municipalities(&me);
    let mut conn = state.db.acquire().await?;
    let mut items = repo::list(&mut conn, &filter, visible.as_deref()).await?;
    for item in &mut items {
        hide_foreign_links(&mut conn, item, &me).await?;
    }
    Ok(Json(items.into_iter().map(view).collect()))
}

fn answer(status: StatusCode, item: Item) -> Response {
    let version = item.version;
    (status, [(header::ETAG, etag(version))], Json(view(item))).into_response()
}

#[utoipa::path(get, path = "/api/v1/portfolj/{id}", tag = "Portfölj", params(("id" = Uuid, Path)),
    responses((status = 200, body = PortfolioItem, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn show_item(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut item = load_visible_item(&mut conn, id, &me, false).await?;
    hide_foreign_links(&mut conn, &mut item, &me).await?;
    Ok(answer(StatusCode::OK, item))
}

/// An item as written: what the item form takes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub description: String,
    pub plan: Plan,
    /// The requesting municipalities; empty: all of them. Required, so that leaving it out
    /// never widens who sees the item.
    pub municipalities: Vec<Uuid>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub unit: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub contact: String,
    pub kind: Kind,
    pub complexity: Complexity,
    /// Needed when the complexity is high.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub complexity_reason: String,
    #[schema(minimum = 0, maximum = 1000000)]
    pub effort_hours: i64,
    #[schema(example = "150000", pattern = "^[0-9]{1,12}([.][0-9]{1,2})?$")]
    pub investment: String,
    #[schema(example = "12000", pattern = "^[0-9]{1,12}([.][0-9]{1,2})?$")]
    pub running_cost: String,
    /// 0 to 5 each.
    #[schema(minimum = 0, maximum = 5)]
    pub score_citizen: i64,
    #[schema(minimum = 0, maximum = 5)]
    pub score_efficiency: i64,
    #[schema(minimum = 0, maximum = 5)]
    pub score_necessity: i64,
    #[schema(minimum = 0, maximum = 5)]
    pub score_strategy: i64,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub benefit_note: String,
    #[serde(default)]
    pub council_goals: Vec<Uuid>,
    pub project: Option<Uuid>,
    pub earliest_start: Option<NaiveDate>,
    /// References of the items it depends on ("P-003").
    #[serde(default)]
    pub dependencies: Vec<String>,
}

/// The body as the item form, so that the form's parsing judges it; refused first when an
/// amount is not in the document's plain form.
fn form(body: ItemBody, version: i32, submission: Submission) -> Result<ItemForm, FieldErrors> {
    let mut errors = FieldErrors::new();
    for (field, label, text) in [
        ("investment", "Investering", &body.investment),
        ("running_cost", "Driftkostnad", &body.running_cost),
    ] {
        if !super::plain_kronor(text, false) {
            errors.add(field, format!("{label}: {}", super::KRONOR_FORMAT));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let amount = |text: String| text.replace('.', ",");
    Ok(ItemForm {
        submission,
        title: body.title,
        description: body.description,
        plan: body.plan.code().to_owned(),
        municipalities: body.municipalities.iter().map(Uuid::to_string).collect(),
        unit: body.unit,
        contact: body.contact,
        kind: body.kind.code().to_owned(),
        complexity: body.complexity.code().to_owned(),
        complexity_reason: body.complexity_reason,
        effort_hours: body.effort_hours.to_string(),
        investment: amount(body.investment),
        running_cost: amount(body.running_cost),
        score_citizen: body.score_citizen.to_string(),
        score_efficiency: body.score_efficiency.to_string(),
        score_necessity: body.score_necessity.to_string(),
        score_strategy: body.score_strategy.to_string(),
        benefit_note: body.benefit_note,
        council_goals: body.council_goals.iter().map(Uuid::to_string).collect(),
        project: body.project.map(|p| p.to_string()).unwrap_or_default(),
        earliest_start: body
            .earliest_start
            .map(|d| d.to_string())
            .unwrap_or_default(),
        dependencies: body.dependencies.join(", "),
        version,
    })
}

/// Adds an item to the portfolio.
#[utoipa::path(post, path = "/api/v1/portfolj", tag = "Portfölj", request_body = ItemBody,
    params(("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry create nothing twice")),
    responses((status = 201, body = PortfolioItem, headers(("ETag" = String), ("Location" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Sent before with the same Idempotency-Key"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn create_item(
    State(state): State<AppState>,
    actor: Actor,
    headers: axum::http::HeaderMap,
    Json(body): Json<ItemBody>,
) -> Result<Response, AppError> {
    let submission = match crate::api::outcome::submission(&headers) {
        Ok(s) => s,
        Err(problem) => return Ok(problem.into_response()),
    };
    let form = match form(body, 0, submission) {
        Ok(form) => form,
        Err(errors) => return Ok(problem::refused(Refusal::Invalid(errors))),
    };
    match operations::create_item(&state.db, &actor, &form).await {
        Ok((id, _)) => {
            let item =
                load_visible_item(&mut *state.db.acquire().await?, id, &actor.user, false).await?;
            let mut response = answer(StatusCode::CREATED, item);
            if let Ok(location) = format!("/api/v1/portfolj/{id}").parse() {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Ok(response)
        }
        Err(refusal) => Ok(problem::refused(refusal)),
    }
}

/// Changes an item: every field, over the version named in `If-Match`.
#[utoipa::path(put, path = "/api/v1/portfolj/{id}", tag = "Portfölj",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The item's ETag; without it the change is refused with 428")),
    request_body = ItemBody,
    responses((status = 200, body = PortfolioItem, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn update_item(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(body): Json<ItemBody>,
) -> Result<Response, AppError> {
    let version = match if_match.required() {
        Ok(version) => version,
        Err(problem) => return Ok(problem.into_response()),
    };
    let form = match form(body, version, Submission::fresh()) {
        Ok(form) => form,
        Err(errors) => return Ok(problem::refused(Refusal::Invalid(errors))),
    };
    match operations::update_item(&state.db, &actor, id, &form).await {
        Ok(()) => {
            let item =
                load_visible_item(&mut *state.db.acquire().await?, id, &actor.user, false).await?;
            Ok(answer(StatusCode::OK, item))
        }
        Err(Refusal::Conflict(_)) => Ok(problem::stale()),
        Err(refusal) => Ok(problem::refused(refusal)),
    }
}
