//! `/metrics`: on the main address behind the configured bearer token, or on the metrics
//! address (`lib::serve`) as it is.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::web::{AppError, AppState, middleware::Verbatim};

const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

async fn exposition(state: &AppState) -> Response {
    let text = state.metrics.render(&state.db).await;
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        text,
    )
        .into_response();
    response.extensions_mut().insert(Verbatim);
    response
}

/// On the main address: only with `Authorization: Bearer <PORTFOLJ_METRICS_TOKEN>`; not found
/// when no token is configured, so the route does not exist for anyone.
pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return Err(AppError::NotFound);
    };
    let given = crate::web::client::bearer_token(&headers).unwrap_or_default();
    if !crate::web::csrf::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        let mut response = (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
            "metrics: bearer token required",
        )
            .into_response();
        response.extensions_mut().insert(Verbatim);
        return Ok(response);
    }
    Ok(exposition(&state).await)
}

/// On the metrics address, which only the scraper reaches.
async fn open_metrics(State(state): State<AppState>) -> Response {
    exposition(&state).await
}

/// The metrics address's whole application: `/metrics`, without a token.
pub fn alone(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(crate::paths::METRICS, axum::routing::get(open_metrics))
        .with_state(state)
}
