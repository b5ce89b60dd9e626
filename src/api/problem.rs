//! RFC 9457 problem details: every error of the API is `application/problem+json` with a
//! Swedish `title`, the HTTP `status`, a `detail` for people, the request id to quote to
//! support and, for refused input, the message of each field. The handlers return the same
//! errors as the pages ([`AppError`], [`Refusal`]); [`render`] turns whatever error response
//! reaches it (also the extractors' and the layers' own) into a problem.

use axum::{
    Json,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    operation::{Refusal, SAVED},
    web::{AppError, client::REQUEST_ID, error::ErrorPage},
};

pub const CONTENT_TYPE: &str = "application/problem+json";

/// What went wrong (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A short Swedish summary, the same for every problem of its kind.
    pub title: String,
    pub status: u16,
    /// This occurrence, in Swedish.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request's id (`x-request-id`), which the server's log carries too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For refused input: each field's message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// For a repeated Idempotency-Key: what the first request created, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<uuid::Uuid>,
}

/// One refused field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank",
            title: title.into(),
            status: status.as_u16(),
            detail: Some(detail.into()),
            request_id: None,
            errors: Vec::new(),
            first: None,
        }
    }

    /// The problem for a status that came without one (a layer's, an extractor's).
    fn of_status(status: StatusCode) -> Self {
        let (title, detail) = match status {
            StatusCode::NOT_FOUND => ("Finns inte", "Resursen finns inte."),
            StatusCode::METHOD_NOT_ALLOWED => (
                "Metoden stöds inte",
                "Resursen kan inte användas med den här metoden.",
            ),
            StatusCode::REQUEST_TIMEOUT => (
                "Det tog för lång tid",
                "Servern hann inte svara. Ingenting har sparats.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => ("För mycket data", "Det du skickade är för stort."),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "Fel innehållstyp",
                "Skicka JSON med Content-Type: application/json.",
            ),
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => (
                "Felaktig begäran",
                "Begäran kunde inte läsas: något fält saknas eller har ett värde som inte går att tolka. Ingenting har sparats.",
            ),
            s if s.is_server_error() => ("Något gick fel", "Ett oväntat fel inträffade."),
            _ => ("Felaktig begäran", "Begäran kunde inte hanteras."),
        };
        Problem::new(status, title, detail)
    }

    fn of_page(page: &ErrorPage) -> Self {
        Problem::new(page.status, page.title, page.message.clone())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.clone())).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        response.extensions_mut().insert(self);
        response
    }
}

/// A problem as the early return of a helper (boxed: a `Result` stays small).
impl IntoResponse for Box<Problem> {
    fn into_response(self) -> Response {
        (*self).into_response()
    }
}

/// A refused operation: 422 with the fields' messages, 409 with what is saved now, or the
/// failure's own status.
pub fn refused(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Invalid(errors) => {
            let mut problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Uppgifterna behöver rättas",
                "Ingenting har sparats: se meddelandet för varje fält.",
            );
            problem.errors = errors
                .iter()
                .map(|(field, message)| FieldProblem {
                    field: field.to_owned(),
                    message: message.to_owned(),
                })
                .collect();
            problem.into_response()
        }
        Refusal::Conflict(errors) => {
            let saved: Vec<&str> = errors
                .iter()
                .filter(|(f, _)| *f == SAVED)
                .map(|(_, m)| m)
                .collect();
            let detail = if saved.is_empty() {
                "Någon annan har ändrat uppgifterna sedan du läste dem. Ingenting har sparats."
                    .to_owned()
            } else {
                saved.join(" ")
            };
            Problem::new(StatusCode::CONFLICT, "Ändrat av någon annan", detail).into_response()
        }
        Refusal::AlreadySent(first) => {
            let mut problem = Problem::new(
                StatusCode::CONFLICT,
                "Redan skickad",
                "En begäran med samma Idempotency-Key är redan utförd; inget sparades två gånger.",
            );
            problem.first = first;
            problem.into_response()
        }
        other => AppError::from(other).into_response(),
    }
}

/// The stale version of an `If-Match` (412): someone saved since the client read.
pub fn stale() -> Response {
    Problem::new(
        StatusCode::PRECONDITION_FAILED,
        "Inaktuell version",
        "Resursen har ändrats sedan du läste den (If-Match stämmer inte med dess ETag). Läs den igen och försök på nytt. Ingenting har sparats.",
    )
    .into_response()
}

/// Every error response of the API as a problem, carrying the request id.
pub async fn render(request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let mut problem = match (
        parts.extensions.get::<Problem>(),
        parts.extensions.get::<ErrorPage>(),
    ) {
        (Some(problem), _) => problem.clone(),
        // The pages' "Sidan finns inte" speaks of pages.
        (None, _) if status == StatusCode::NOT_FOUND => Problem::of_status(status),
        (None, Some(page)) => Problem::of_page(page),
        (None, None) => {
            let mut problem = Problem::of_status(status);
            // An extractor's rejection says in its text what could not be read (a missing or
            // mistyped field, at which line and column): an integrator needs that.
            if status.is_client_error()
                && let Ok(text) = axum::body::to_bytes(body, 2048).await
                && let Ok(reason) = std::str::from_utf8(&text)
                && !reason.trim().is_empty()
            {
                problem.detail = Some(format!(
                    "{} ({})",
                    problem.detail.unwrap_or_default(),
                    reason.trim()
                ));
            }
            problem
        }
    };
    problem.status = status.as_u16();
    problem.request_id = request_id;
    let mut answer = problem.into_response();
    for name in [header::WWW_AUTHENTICATE, header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}
