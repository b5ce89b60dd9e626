//! Protection against cross-site request forgery: a secret token per session, sent back by every
//! form (`csrf_token` field) or htmx request (`X-CSRF-Token` header) and checked by middleware
//! before any handler runs, so no state-changing route can forget it.

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, Request},
    http::{HeaderName, Method, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use rand::Rng;
use tower_sessions::Session;

use crate::web::{
    AppError, access,
    flash::{self, Flash},
};

const SESSION_KEY: &str = "csrf";
/// The form field every `<form method="post">` carries.
pub const FIELD: &str = "csrf_token";
/// The header htmx requests carry.
pub static HEADER: HeaderName = HeaderName::from_static("x-csrf-token");

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(SESSION_KEY).await? {
        return Ok(token);
    }
    rotate(session).await
}

/// A new token: at sign-in, so a token seen before cannot be replayed after it.
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    let bytes: [u8; 32] = rand::rng().random();
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    session.insert(SESSION_KEY, &token).await?;
    Ok(token)
}

/// Middleware: refuses a state-changing request whose token does not match its session's.
pub async fn verify(session: Session, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let expected = match session.get::<String>(SESSION_KEY).await {
        Ok(Some(token)) => token,
        Ok(None) => return session_expired(&session, access::sign_in_url(&request)).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    let (request, sent) = match sent_token(request).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    if sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), expected.as_bytes())) {
        next.run(request).await
    } else {
        tracing::warn!("CSRF token missing or wrong");
        AppError::Forbidden.into_response()
    }
}

/// The token of an upload form: its `csrf_token` part, which the form puts before the file.
async fn upload_token(parts: &axum::http::request::Parts, bytes: &Bytes) -> Option<String> {
    let request = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let mut multipart = axum::extract::Multipart::from_request(request, &())
        .await
        .ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

/// No token in the session: it expired (or never existed). Nothing is changed; the user signs in
/// again and comes back to the page the form was on.
async fn session_expired(session: &Session, sign_in_url: String) -> Response {
    let notice =
        Flash::info("Din session hade gått ut, så ingenting sparades. Logga in och försök igen.");
    if let Err(e) = flash::push(session, notice).await {
        return e.into_response();
    }
    Redirect::to(&sign_in_url).into_response()
}

/// The token from the header, or else from a url-encoded body (which is then put back).
async fn sent_token(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(token) = request.headers().get(&HEADER).and_then(|v| v.to_str().ok()) {
        let token = token.to_owned();
        return Ok((request, Some(token)));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_upload = content_type.starts_with("multipart/form-data");
    if !is_form && !is_upload {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), &())
        .await
        .map_err(IntoResponse::into_response)?;
    let token = if is_form {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned())
    } else {
        upload_token(&parts, &bytes).await
    };
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn compares_whole_tokens() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
