//! Prioritisation rounds and follow-ups over the API, read only: the rounds, a round with its
//! items' decisions once decided, and the period follow-ups' status by board.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    api::problem::Problem,
    domain::{
        follow_up::FollowUpStatus,
        portfolio::{Decision, Phase, item_reference},
    },
    follow_up,
    portfolio::{
        decision,
        rounds::repo::{self, Round},
        scope::load_round,
    },
    projects::scope,
    web::{AppError, AppState, CurrentUser},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundSummary {
    pub id: Uuid,
    /// "2026-Q4".
    pub quarter: String,
    pub phase: Phase,
    pub review_deadline: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    pub hours_capacity: i32,
    pub budget: Decimal,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i32,
}

fn summary(r: Round) -> RoundSummary {
    RoundSummary {
        id: r.id,
        phase: r.phase(),
        quarter: r.quarter,
        review_deadline: r.review_deadline,
        meeting_date: r.meeting_date,
        hours_capacity: r.hours_capacity,
        budget: r.budget,
        decided_at: r.decided_at,
        version: r.version,
    }
}

/// Every round, newest first.
#[utoipa::path(get, path = "/api/v1/omgangar", tag = "Prioritering",
    responses((status = 200, body = Vec<RoundSummary>)), security(("api_key" = [])))]
pub async fn list_rounds(
    State(state): State<AppState>,
) -> Result<Json<Vec<RoundSummary>>, AppError> {
    let rounds = repo::list(&mut *state.db.acquire().await?).await?;
    Ok(Json(rounds.into_iter().map(summary).collect()))
}

/// A round, and once it is decided, its items in rank order with their decisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDetail {
    #[serde(flatten)]
    pub round: RoundSummary,
    /// Empty until the round is decided; only the items the caller may see.
    pub decisions: Vec<ItemDecision>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDecision {
    pub item_id: Uuid,
    pub reference: String,
    pub title: String,
    pub rank: Option<i32>,
    pub decision: Option<Decision>,
    /// The quarter a postponed item returns in.
    pub decision_quarter: Option<String>,
    pub decision_reason: String,
}

#[utoipa::path(get, path = "/api/v1/omgangar/{id}", tag = "Prioritering", params(("id" = Uuid, Path)),
    responses((status = 200, body = RoundDetail), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn show_round(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<RoundDetail>, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    let mut decisions = Vec::new();
    if round.is_decided() {
        let visible = scope::visible_municipalities(&me);
        for d in decision::repo::decided(&mut conn, id).await? {
            let mine = match &visible {
                Some(mine) => {
                    d.municipalities.is_empty() || d.municipalities.iter().any(|m| mine.contains(m))
                }
                None => true,
            };
            if mine {
                decisions.push(ItemDecision {
                    item_id: d.item_id,
                    reference: item_reference(d.number),
                    title: d.title,
                    rank: d.rank,
                    decision: d.decision,
                    decision_quarter: d.decision_quarter,
                    decision_reason: d.decision_reason,
                });
            }
        }
    }
    Ok(Json(RoundDetail {
        round: summary(round),
        decisions,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FollowUpQuery {
    /// The year (every occasion of it); the current year when not given.
    #[param(minimum = 2000, maximum = 2200)]
    ar: Option<i32>,
}

/// A board's report at one follow-up occasion.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUp {
    pub occasion_id: Uuid,
    pub year: i32,
    /// The occasion's number in its year.
    pub number: i32,
    /// The last month the period covers (1–12).
    pub through_month: i32,
    pub deadline: NaiveDate,
    pub board_id: Uuid,
    pub board: String,
    pub municipality: String,
    /// None: not started.
    pub status: Option<FollowUpStatus>,
}

/// The period follow-ups of a year, each board's status at each occasion; a secretary sees
/// their own boards'.
#[utoipa::path(get, path = "/api/v1/uppfoljningar", tag = "Uppföljning", params(FollowUpQuery),
    responses((status = 200, body = Vec<FollowUp>), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_follow_ups(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<FollowUpQuery>,
) -> Result<Json<Vec<FollowUp>>, AppError> {
    let year = query
        .ar
        .unwrap_or_else(|| chrono::Datelike::year(&crate::web::format::today()));
    if !(2000..=2200).contains(&year) {
        return Err(AppError::BadRequest(
            "ar: ange ett år mellan 2000 och 2200.".into(),
        ));
    }
    let mut conn = state.db.acquire().await?;
    let boards = follow_up::policy::board_scope(&me);
    let statuses = follow_up::repo::statuses(&mut conn, year, boards.as_deref()).await?;
    let mut out = Vec::new();
    for o in follow_up::repo::occasions(&mut conn, year).await? {
        for s in statuses.iter().filter(|s| s.occasion_id == o.id) {
            out.push(FollowUp {
                occasion_id: o.id,
                year: o.year,
                number: o.number,
                through_month: o.through_month,
                deadline: o.deadline,
                board_id: s.board_id,
                board: s.board.clone(),
                municipality: s.municipality.clone(),
                status: s.status,
            });
        }
    }
    Ok(Json(out))
}
