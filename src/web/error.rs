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
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Sidan finns inte",
                "Sidan du sökte finns inte. Kontrollera adressen eller gå till startsidan."
                    .to_owned(),
            ),
            AppError::Conflict(msg) => (StatusCode::CONFLICT, "Ändrat av någon annan", msg.clone()),
            AppError::Database(_)
            | AppError::Template(_)
            | AppError::Session(_)
            | AppError::Internal(_) => (
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
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = self.page();
        if page.status.is_server_error() {
            // Logged inside the request's span, so the line carries the correlation id.
            tracing::error!(error = %self, "request failed");
        }
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}
