//! The middleware every request passes through, outermost first: request id, tracing, security
//! headers, compression, error pages, timeout, body limit, session, current user, panics, CSRF.

use askama::Template;
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Request, State},
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
};
use chrono::Utc;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::PropagateRequestIdLayer,
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{Expiry, Session, SessionManagerLayer, cookie::SameSite};

use crate::{
    auth,
    web::{
        AppError, AppState, Chrome, CurrentUser, csrf,
        error::{ErrorPage, RETRY_AFTER_SECS},
        flash::Flash,
    },
};

pub use crate::web::client::REQUEST_ID;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                   base-uri 'none'; object-src 'none'";

/// Session keys: who is signed in, since when, and when we last saw them.
pub const USER_ID: &str = "user_id";
pub const SIGNED_IN_AT: &str = "signed_in_at";
const LAST_SEEN: &str = "last_seen";
/// Activity is written back at most this often, so reading pages does not write every time.
const LAST_SEEN_GRANULARITY_SECS: i64 = 60;

/// Wraps the routes in the whole stack.
pub fn wrap(routes: Router<AppState>, state: AppState, uploads: Vec<&'static str>) -> Router {
    let config = &state.config;
    let cookie_name = if config.secure_cookies {
        "__Host-portfolj"
    } else {
        "portfolj"
    };
    let sessions = SessionManagerLayer::new(auth::session_store(state.db.clone()))
        .with_name(cookie_name)
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            i64::try_from(config.session_idle.as_secs()).unwrap_or(i64::MAX),
        )));
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let hsts = config.secure_cookies;
    let limits = std::sync::Arc::new(Limits {
        request: config.request_timeout,
        upload: config.upload_timeout,
        uploads,
    });
    let api_limits = limits.clone();
    // The JSON API: a token instead of the session (so no CSRF either), problem+json instead
    // of error pages; the same limits.
    let api = crate::api::router(&state)
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            timeout(api_limits.clone(), request, next)
        }))
        .layer(middleware::from_fn(crate::api::problem::render));
    // `Router::layer` wraps what is already there: the last layer added is the outermost.
    routes
        .layer(middleware::from_fn_with_state(state.clone(), csrf::verify))
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(middleware::from_fn_with_state(state.clone(), load_current_user))
        .layer(sessions)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn(move |request: Request, next: Next| timeout(limits.clone(), request, next)))
        // Outside the session, the user lookup and the timeout, so that their failures (the
        // database down, a request too slow) get the Swedish page too. It needs no database.
        .layer(middleware::from_fn_with_state(state.clone(), render_error_pages))
        .layer(middleware::from_fn_with_state(state.clone(), crate::web::replica::mark_writes))
        .merge(api)
        // Counts and times each request under its route's template, with its final status.
        .layer(middleware::from_fn_with_state(state.clone(), crate::metrics::track))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(move |request: Request, next: Next| strict_transport(hsts, request, next)))
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
            // The user and the API token are recorded once known (`find_current_user`).
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id,
                user_id = tracing::field::Empty, token_id = tracing::field::Empty)
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(middleware::from_fn_with_state(state.clone(), crate::web::client::assign_request_id))
        .with_state(state)
}

/// HSTS whenever the server is reached over https (`secure_cookies`): a browser that has been
/// here once never again sends the session cookie's request over plain http.
async fn strict_transport(enabled: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if enabled {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// A handler that panicked: logged (inside the request's span, so with its id) and answered
/// with the 500 page instead of a dropped connection.
fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    AppError::Internal(format!("handler panicked: {message}")).into_response()
}

/// Who the error page is for: left on an error response by the user loader, so the page that
/// the outer layer renders keeps the navigation and the sign-out button.
#[derive(Debug, Clone)]
struct ErrorContext {
    user: Option<CurrentUser>,
    csrf_token: String,
}

/// Puts the signed-in user, if any, into the request. Ends sessions that are too old, idle too
/// long, whose user has been deactivated since, or whose password an administrator has reset.
async fn load_current_user(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let (request, user) = find_current_user(&state, &session, request).await?;
    let mut response = next.run(request).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error())
        && response.extensions().get::<ErrorContext>().is_none()
    {
        let csrf_token = session
            .get::<String>(csrf::SESSION_KEY)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        response
            .extensions_mut()
            .insert(ErrorContext { user, csrf_token });
    }
    Ok(response)
}

async fn find_current_user(
    state: &AppState,
    session: &Session,
    mut request: Request,
) -> Result<(Request, Option<CurrentUser>), AppError> {
    let mut found = None;
    if let Some(user_id) = session.get::<uuid::Uuid>(USER_ID).await? {
        let now = Utc::now().timestamp();
        let signed_in_at: i64 = session.get(SIGNED_IN_AT).await?.unwrap_or(0);
        let last_seen: i64 = session.get(LAST_SEEN).await?.unwrap_or(signed_in_at);
        let max = i64::try_from(state.config.session_max.as_secs()).unwrap_or(i64::MAX);
        let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX);
        let user = auth::repo::find_active_user(&state.db, user_id).await?;
        match user {
            Some(user)
                if now - signed_in_at <= max
                    && now - last_seen <= idle
                    && signed_in_at > user.sessions_valid_after =>
            {
                if now - last_seen >= LAST_SEEN_GRANULARITY_SECS {
                    session.insert(LAST_SEEN, now).await?;
                }
                tracing::Span::current().record("user_id", tracing::field::display(user.id));
                request.extensions_mut().insert(user.clone());
                found = Some(user);
            }
            _ => {
                session.flush().await?;
                crate::web::flash::push(
                    session,
                    Flash::info("Du har loggats ut. Logga in igen för att fortsätta."),
                )
                .await?;
            }
        }
    }
    Ok((request, found))
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorView {
    chrome: Chrome,
    status: u16,
    title: String,
    message: String,
    correlation_id: String,
}

/// Turns an error response into a full Swedish page with the request's correlation id: our own
/// errors, and the bare or plain-text ones of the layers and extractors (a rejected form, a
/// timeout, a body too large). It reads nothing from the database, so it works in an outage.
async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let correlation_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<Verbatim>().is_some()
    {
        return response;
    }
    let is_plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    let page = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        None if is_plain => generic_page(status),
        // A page of our own (a form shown again with its errors): already what the user needs.
        None => return response,
    };
    let context = response.extensions().get::<ErrorContext>().cloned();
    let (user, csrf_token) = context.map_or((None, String::new()), |c| (c.user, c.csrf_token));
    let view = ErrorView {
        chrome: Chrome::for_error(user, csrf_token, &path, state.config.demo),
        status: page.status.as_u16(),
        title: page.title.to_owned(),
        message: page.message.clone(),
        correlation_id,
    };
    let mut rendered = match view.render() {
        Ok(html) => (page.status, Html(html)).into_response(),
        // The error page itself failed: fall back to plain text, never to internals.
        Err(e) => {
            tracing::error!(error = %e, "error page could not be rendered");
            (page.status, page.title).into_response()
        }
    };
    if let Some(seconds) = page.retry_after {
        rendered
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    rendered
}

/// Marks an error response that must reach the client as it is, such as `/readyz`'s answer to
/// a load balancer.
#[derive(Debug, Clone, Copy)]
pub struct Verbatim;

fn generic_page(status: StatusCode) -> ErrorPage {
    let (title, message) = match status {
        StatusCode::NOT_FOUND => ("Sidan finns inte", "Sidan du sökte finns inte."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Åtgärden stöds inte",
            "Sidan kan inte användas på det här sättet.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "Det tog för lång tid",
            "Servern hann inte svara. Ingenting har sparats.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("För mycket data", "Det du skickade är för stort."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => (
            "Felaktig begäran",
            "Formuläret kunde inte läsas: något fält saknas eller har ett värde som inte går att \
             tolka. Ingenting har sparats. Gå tillbaka, ladda om sidan och försök igen.",
        ),
        // These come from the layers around the handlers (the session could not be saved after
        // the handler had finished), so what the handler did may have been saved.
        StatusCode::SERVICE_UNAVAILABLE => (
            "Tjänsten är tillfälligt otillgänglig",
            "Tjänsten kan inte nå sin databas just nu. Det du skickade kan ha hunnit sparas: \
             kontrollera sidan när tjänsten är tillbaka innan du försöker igen.",
        ),
        s if s.is_server_error() => (
            "Något gick fel",
            "Ett oväntat fel inträffade. Det du skickade kan ha hunnit sparas: kontrollera sidan \
             innan du försöker igen.",
        ),
        _ => ("Felaktig begäran", "Begäran kunde inte hanteras."),
    };
    ErrorPage {
        status,
        title,
        message: message.to_owned(),
        retry_after: (status == StatusCode::SERVICE_UNAVAILABLE).then_some(RETRY_AFTER_SECS),
    }
}

/// How long a request may take: the request timeout, or for a POST to a file upload's route
/// (`Routes::post_upload`) the upload timeout.
struct Limits {
    request: std::time::Duration,
    upload: std::time::Duration,
    uploads: Vec<&'static str>,
}

impl Limits {
    fn of(&self, request: &Request) -> std::time::Duration {
        let path = request.uri().path();
        let upload = request.method() == axum::http::Method::POST
            && self
                .uploads
                .iter()
                .any(|pattern| matches_route(pattern, path));
        if upload { self.upload } else { self.request }
    }
}

/// Whether `path` is one of the route `pattern`'s ("/utfall/import/{import}" takes any one
/// segment for `{import}`).
fn matches_route(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b || (a.starts_with('{') && !b.is_empty()) => {}
            _ => return false,
        }
    }
}

/// Answers 408 when a request takes longer than its limit. An upload's form token must still
/// arrive within the request timeout (`csrf::upload_token`), and its route's access check runs
/// before its body is read.
async fn timeout(limits: std::sync::Arc<Limits>, request: Request, next: Next) -> Response {
    let limit = limits.of(&request);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_route_pattern_takes_one_segment_per_parameter() {
        assert!(super::matches_route("/utfall/import", "/utfall/import"));
        assert!(super::matches_route("/a/{id}/b", "/a/12/b"));
        assert!(!super::matches_route("/a/{id}/b", "/a//b"));
        assert!(!super::matches_route("/utfall/import", "/utfall/import/x"));
        assert!(!super::matches_route("/utfall/import", "/utfall"));
    }
}
