//! The one error type handlers return. Users get a Swedish error page carrying the request's
//! correlation id (rendered by `middleware::render_error_pages`); the log gets the internals.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("forbidden")]
    Forbidden,
    /// A page this user may read, but not yet: the message says when (403, as for a page one
    /// may never read, so nothing is revealed to those who may not).
    #[error("not yet: {0}")]
    NotYet(String),
    /// A form whose CSRF token is not this session's: from a page of an earlier sign-in, or
    /// not from us at all.
    #[error("form token refused")]
    StaleForm,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("{0}")]
    Internal(String),
}

/// What the error page shows; attached to the response for the rendering middleware.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
    /// Seconds after which trying again makes sense (`Retry-After`), for an outage.
    pub retry_after: Option<u32>,
}

/// How long a client is asked to wait when the database is unreachable.
pub const RETRY_AFTER_SECS: u32 = 30;

/// Whether a database error means the database could not be reached (down, restarting, the pool
/// exhausted), rather than that a statement failed: the first is an outage to wait out (503),
/// the second a bug (500).
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|code| {
            // Class 08: connection exceptions; 57P01-57P03: the server is shutting down,
            // crashed or still starting; 53300: too many connections.
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

impl AppError {
    fn page(&self) -> ErrorPage {
        let (status, title, message) = match self {
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, "Felaktig begäran", msg.clone()),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Åtkomst nekad",
                "Du har inte behörighet till den här sidan eller åtgärden.".to_owned(),
            ),
            AppError::NotYet(msg) => (StatusCode::FORBIDDEN, "Inte tillgänglig ännu", msg.clone()),
            AppError::StaleForm => (
                StatusCode::FORBIDDEN,
                "Formuläret kunde inte skickas",
                "Sidan du skickade från hör till en tidigare inloggning, eller kom inte från \
                 Portfolj. Ingenting har sparats. Gå tillbaka, ladda om sidan och försök igen."
                    .to_owned(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Sidan finns inte",
                "Sidan du sökte finns inte. Kontrollera adressen eller gå till startsidan."
                    .to_owned(),
            ),
            AppError::Conflict(msg) => (StatusCode::CONFLICT, "Ändrat av någon annan", msg.clone()),
            // The session store is the database: when it fails, the database is away.
            AppError::Database(e) if is_unavailable(e) => unavailable(),
            AppError::Session(_) => unavailable(),
            AppError::Database(_) | AppError::Template(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Något gick fel",
                "Ett oväntat fel inträffade. Ingenting har sparats. Försök igen, och kontakta \
                 supporten med felkoden nedan om felet kvarstår."
                    .to_owned(),
            ),
        };
        ErrorPage {
            status,
            title,
            message,
            retry_after: (status == StatusCode::SERVICE_UNAVAILABLE).then_some(RETRY_AFTER_SECS),
        }
    }
}

fn unavailable() -> (StatusCode, &'static str, String) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Tjänsten är tillfälligt otillgänglig",
        "Tjänsten kan inte nå sin databas just nu. Ingenting har sparats. Försök igen om en stund."
            .to_owned(),
    )
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = self.page();
        if page.status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %self, "database unavailable");
        } else if page.status.is_server_error() {
            // Logged inside the request's span, so the line carries the correlation id.
            tracing::error!(error = %self, "request failed");
        }
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}
