//! Protection against cross-site request forgery: a secret token per session, sent back by every
//! form (`csrf_token` field, also when a script posts the form's own data, as the ranking board
//! does) or by a client that sends it as the `X-CSRF-Token` header, and checked by middleware
//! before any handler runs, so no state-changing route can forget it.
//!
//! A visitor who is not signed in has no session, and gets none just for looking at the sign-in
//! page (a session row per anonymous visit would let anyone fill the table). Their forms carry a
//! token that is also kept in a cookie of its own (`SameSite=Strict`, `__Host-` over https), and
//! the two must match: a forged cross-site form can neither read nor set that cookie.

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use bytes::BytesMut;
use futures_util::StreamExt;
use rand::Rng;
use tower_sessions::Session;

use crate::web::{AppError, AppState, CurrentUser, access};

pub const SESSION_KEY: &str = "csrf";
/// The form field every `<form method="post">` carries.
pub const FIELD: &str = "csrf_token";
/// The header a client that posts no form fields may carry the token in.
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
    let token = new_token();
    session.insert(SESSION_KEY, &token).await?;
    Ok(token)
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The token of a visitor without a session, kept in the visitor's own cookie.
#[derive(Debug, Clone)]
pub struct VisitorToken(pub String);

/// The token a page's forms carry: the session's, or for a visitor without one, the cookie's.
/// Only a signed-in user's session is given a token, so looking at a page writes nothing.
pub async fn page_token(
    session: &Session,
    signed_in: bool,
    visitor: Option<&VisitorToken>,
) -> Result<String, AppError> {
    if signed_in {
        return token(session).await;
    }
    let in_session = session.get::<String>(SESSION_KEY).await?;
    Ok(in_session
        .or_else(|| visitor.map(|v| v.0.clone()))
        .unwrap_or_default())
}

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-portfolj-csrf"
    } else {
        "portfolj-csrf"
    }
}

fn visitor_cookie(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Middleware: refuses a state-changing request whose token matches neither its session's nor
/// its visitor cookie's; gives a page for a visitor a token to carry. Either token proves the
/// form came from our own pages: a cross-site page can read neither. Accepting the visitor's
/// token beside the session's lets a second tab's sign-in form work after the first signed in.
pub async fn verify(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies;
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return with_visitor_token(&session, secure, request, next).await;
    }
    let expected = match session.get::<String>(SESSION_KEY).await {
        Ok(token) => token,
        Err(e) => return AppError::from(e).into_response(),
    };
    let visitor = visitor_cookie(request.headers(), secure);
    if let Some(visitor) = &visitor {
        // A form shown again after this post (a failed sign-in) carries the same token.
        request
            .extensions_mut()
            .insert(VisitorToken(visitor.clone()));
    }
    let sign_in_url = access::sign_in_url(&request);
    let (request, sent) = match sent_token(request, state.config.request_timeout).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let Some(sent) = sent else {
        tracing::warn!("CSRF token missing");
        return AppError::StaleForm.into_response();
    };
    let matches = |token: &Option<String>| {
        token
            .as_ref()
            .is_some_and(|t| constant_time_eq(sent.as_bytes(), t.as_bytes()))
    };
    if matches(&expected) || matches(&visitor) {
        return next.run(request).await;
    }
    if expected.is_none() {
        // A token from a session that has since ended: nothing is changed, the user signs in
        // again and comes back to the form. Said in the address, not in a new session, so a
        // stream of forged posts cannot fill the session table.
        let separator = if sign_in_url.contains('?') { '&' } else { '?' };
        return Redirect::to(&format!("{sign_in_url}{separator}{EXPIRED_PARAMETER}=1"))
            .into_response();
    }
    tracing::warn!("CSRF token wrong");
    AppError::StaleForm.into_response()
}

/// The sign-in page's query parameter saying that a form was posted after its session ended.
pub const EXPIRED_PARAMETER: &str = "utgangen";

/// A visitor without a session gets a token in a cookie of its own, for the page's forms.
async fn with_visitor_token(
    session: &Session,
    secure: bool,
    mut request: Request,
    next: Next,
) -> Response {
    let signed_in = request.extensions().get::<CurrentUser>().is_some();
    let has_session_token = matches!(session.get::<String>(SESSION_KEY).await, Ok(Some(_)));
    if signed_in || has_session_token {
        return next.run(request).await;
    }
    let existing = visitor_cookie(request.headers(), secure);
    let token = existing.clone().unwrap_or_else(new_token);
    request.extensions_mut().insert(VisitorToken(token.clone()));
    let mut response = next.run(request).await;
    if existing.is_none() {
        let cookie = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict{}",
            cookie_name(secure),
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// How far into an upload the token part must have ended.
const UPLOAD_PREFIX_BYTES: usize = 16 * 1024;

/// The token of an upload form: its first part, `csrf_token`, which every upload form puts
/// before its file. Only the body up to the end of that part is read here; the request keeps
/// the rest unread, so a ledger file of a gigabyte streams on to its handler. The token part must
/// arrive within `limit` (the request timeout): an upload gets its longer time only once its
/// form is known to be ours.
async fn upload_token(
    request: Request,
    limit: std::time::Duration,
) -> Result<(Request, Option<String>), Response> {
    let (parts, body) = request.into_parts();
    let delimiter = boundary(&parts.headers).map(|b| format!("\r\n--{b}"));
    let mut stream = body.into_data_stream();
    let mut prefix = BytesMut::new();
    let mut failed = None;
    let deadline = tokio::time::Instant::now() + limit;
    while let Some(delimiter) = &delimiter {
        // The part ends at the delimiter that follows it (the first one opens the body).
        let ended = find(&prefix, delimiter.as_bytes()).is_some();
        if ended || prefix.len() > UPLOAD_PREFIX_BYTES {
            break;
        }
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => prefix.extend_from_slice(&chunk),
            Ok(Some(Err(e))) => {
                failed = Some(e);
                break;
            }
            Ok(None) => break,
            // Too slow for a form's first 16 KiB: answered as the timeout it is.
            Err(_) => return Err(axum::http::StatusCode::REQUEST_TIMEOUT.into_response()),
        }
    }
    let prefix = prefix.freeze();
    let token = first_part_token(&parts, prefix.clone()).await;
    let rest = futures_util::stream::iter([failed.map_or(Ok(prefix), Err)]).chain(stream);
    Ok((Request::from_parts(parts, Body::from_stream(rest)), token))
}

/// The multipart boundary the request's content type names.
fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let value = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?;
    Some(value.trim_matches('"').to_owned()).filter(|b| !b.is_empty())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of the body's first part when it is the token.
async fn first_part_token(parts: &axum::http::request::Parts, prefix: Bytes) -> Option<String> {
    let request = Request::from_parts(parts.clone(), Body::from(prefix));
    let mut multipart = axum::extract::Multipart::from_request(request, &())
        .await
        .ok()?;
    let field = multipart.next_field().await.ok()??;
    if field.name() != Some(FIELD) {
        return None;
    }
    field.text().await.ok()
}

/// The token from the header, or else from a url-encoded body (which is then put back).
async fn sent_token(
    request: Request,
    limit: std::time::Duration,
) -> Result<(Request, Option<String>), Response> {
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
    if content_type.starts_with("multipart/form-data") {
        return upload_token(request, limit).await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), &())
        .await
        .map_err(IntoResponse::into_response)?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned());
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
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
