//! Reading from a streaming replica (`DATABASE_READ_URL`) without showing anyone stale data of
//! their own: every change a browser makes (a request that is not GET or HEAD) gives it a
//! cookie that lives `PORTFOLJ_READ_YOUR_WRITES_SECONDS`, and while it has one its pages read
//! from the primary. The cookie is the whole state, so it works across instances; a user who
//! removes it only sees their own change a moment later.
//!
//! A page reads through [`ReadDb`] only when it changes nothing and its figures may be a moment
//! old for others: a stale version number in its forms is caught by the optimistic check of the
//! save, which reads the primary.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderValue, Method, header, request::Parts},
    middleware::Next,
    response::Response,
};
use sqlx::PgPool;

use crate::web::AppState;

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-portfolj-wrote"
    } else {
        "portfolj-wrote"
    }
}

fn reads_only(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

/// The pool a read-only page reads from: the replica, unless there is none, the request could
/// change something, or its browser changed something within the window.
pub struct ReadDb(pub PgPool);

impl FromRequestParts<AppState> for ReadDb {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let pool = match &state.replica {
            Some(replica)
                if reads_only(&parts.method)
                    && !wrote_recently(parts, state.config.secure_cookies) =>
            {
                replica.clone()
            }
            _ => state.db.clone(),
        };
        Ok(ReadDb(pool))
    }
}

fn wrote_recently(parts: &Parts, secure: bool) -> bool {
    let name = cookie_name(secure);
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim().split('=').next() == Some(name))
}

/// Marks a browser that sent a change, when there is a replica to keep it from.
pub async fn mark_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let writes = state.replica.is_some() && !reads_only(request.method());
    let mut response = next.run(request).await;
    if writes {
        let secure = state.config.secure_cookies;
        let cookie = format!(
            "{}=1; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
            cookie_name(secure),
            state.config.read_your_writes.as_secs(),
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
