//! Liveness and readiness probes for load balancers and operations.

use std::time::Duration;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::web::{AppState, middleware::Verbatim};

/// The process is up and answering.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers within a second. The answer is plain text for the load balancer, never
/// the HTML error page.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (status, text) = readiness(&state).await;
    let mut response = (status, text).into_response();
    response.extensions_mut().insert(Verbatim);
    response
}

async fn readiness(state: &AppState) -> (StatusCode, &'static str) {
    let ping = sqlx::query_scalar!("SELECT 1 AS \"ok!\"").fetch_one(&state.db);
    match tokio::time::timeout(Duration::from_secs(1), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timeout"),
    }
}
