//! Booking outcome over the API: the same operation, policy and audit as the budget line's
//! entry form, with the entry marked as booked through the API.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    api::{
        problem::{self, Problem},
        projects::{OutcomeEntry, entry},
        version::{IfMatch, etag},
    },
    budget::{
        forms::EntryForm,
        operations::{self, NewOutcome},
        repo,
    },
    domain::budget::OutcomeSource,
    operation::{Actor, Refusal, Submission},
    web::{AppError, AppState, form::FieldErrors},
};

/// An outcome entry to book.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutcomeBody {
    /// The month booked, `YYYY-MM`.
    #[schema(example = "2026-11", pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// Kronor, at most two decimals; negative for a credit.
    #[schema(example = "12500.50", pattern = "^-?[0-9]{1,12}([.][0-9]{1,2})?$")]
    pub amount: String,
    /// What the amount is, at most 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub text: String,
}

/// The header that makes a retried call book once: a UUID the client chooses per entry.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

pub fn submission(headers: &HeaderMap) -> Result<Submission, Box<Problem>> {
    match headers.get(IDEMPOTENCY_KEY) {
        None => Ok(Submission::fresh()),
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| Uuid::parse_str(v.trim()).ok())
            .map(Submission::keyed)
            .ok_or_else(|| {
                Box::new(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Felaktig begäran",
                    "Idempotency-Key ska vara ett UUID.",
                ))
            }),
    }
}

/// Books an outcome entry on a budget line. With `If-Match` (the line's version) it is refused
/// with 412 if the line has changed since; with `Idempotency-Key` a retry books nothing twice
/// (409).
#[utoipa::path(post, path = "/api/v1/projekt/{id}/budget/{line}/utfall", tag = "Budget och utfall",
    params(("id" = Uuid, Path), ("line" = Uuid, Path),
        ("If-Match" = Option<String>, Header, description = "The budget line's version, as its ETag"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "Makes a retry book nothing twice")),
    request_body = NewOutcomeBody,
    responses((status = 201, body = OutcomeEntry, headers(("ETag" = String, description = "The line's new version"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn record_outcome(
    State(state): State<AppState>,
    actor: Actor,
    Path((project, line)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
    headers: HeaderMap,
    Json(body): Json<NewOutcomeBody>,
) -> Result<Response, AppError> {
    let submission = match submission(&headers) {
        Ok(s) => s,
        Err(problem) => return Ok(problem.into_response()),
    };
    // The entry form's own parsing, so the rules and the messages are the page's; but the
    // amount only in the document's plain form (the form also reads "12 500,50").
    let plain = super::plain_kronor(&body.amount, true);
    let form = EntryForm {
        submission,
        month: body.month,
        amount: body.amount.replace('.', ","),
        text: body.text,
    };
    let typed = match (form.parse(), plain) {
        (Ok(typed), true) => typed,
        (parsed, _) => {
            // The API's own message for an amount not in its form: the form's would suggest
            // "3,2 mnkr" or echo the amount with a comma the client never sent.
            let mut errors = FieldErrors::new();
            for (field, message) in parsed.err().iter().flat_map(FieldErrors::iter) {
                if plain || field != "amount" {
                    errors.add(field, message);
                }
            }
            if !plain {
                errors.add("amount", format!("Belopp: {}", super::KRONOR_FORMAT));
            }
            return Ok(problem::refused(Refusal::Invalid(errors)));
        }
    };
    let new = NewOutcome {
        project,
        line,
        entry: typed,
        source: OutcomeSource::Api,
        submission,
        line_version: if_match.0,
    };
    match operations::record_outcome(&state.db, &actor, new).await {
        Ok((id, _)) => {
            let mut conn = state.db.acquire().await?;
            let booked = repo::entries(&mut conn, project)
                .await?
                .into_iter()
                .find(|e| e.id == id);
            let version = repo::lines(&mut conn, project)
                .await?
                .into_iter()
                .find(|l| l.id == line)
                .map(|l| l.version);
            let (Some(booked), Some(version)) = (booked, version) else {
                return Err(AppError::NotFound);
            };
            let location = format!("/api/v1/projekt/{project}/budget");
            Ok((
                StatusCode::CREATED,
                [(header::ETAG, etag(version))],
                [(header::LOCATION, location)],
                Json(entry(booked)),
            )
                .into_response())
        }
        Err(Refusal::Conflict(_)) if if_match.0.is_some() => Ok(problem::stale()),
        Err(refusal) => Ok(problem::refused(refusal)),
    }
}
