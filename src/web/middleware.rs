//! The middleware every request passes through, outermost first: request id, tracing, security
//! headers, compression, timeout, body limit, session, current user, CSRF, error pages.

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
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{Expiry, Session, SessionManagerLayer, cookie::SameSite};

use crate::{
    auth,
    web::{AppError, AppState, Chrome, CurrentUser, csrf, error::ErrorPage, flash::Flash},
};

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

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
pub fn wrap(routes: Router<AppState>, state: AppState) -> Router {
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
    // `Router::layer` wraps what is already there: the last layer added is the outermost.
    routes
        .layer(middleware::from_fn(csrf::verify))
        // Inside the user loader (to show the navigation), outside CSRF (to render its 403).
        .layer(middleware::from_fn_with_state(state.clone(), render_error_pages))
        .layer(middleware::from_fn_with_state(state.clone(), load_current_user))
        .layer(sessions)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(CompressionLayer::new())
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
}

/// Puts the signed-in user, if any, into the request. Ends sessions that are too old, idle too
/// long, or whose user has been deactivated since.
async fn load_current_user(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if let Some(user_id) = session.get::<uuid::Uuid>(USER_ID).await? {
        let now = Utc::now().timestamp();
        let signed_in_at: i64 = session.get(SIGNED_IN_AT).await?.unwrap_or(0);
        let last_seen: i64 = session.get(LAST_SEEN).await?.unwrap_or(signed_in_at);
        let max = i64::try_from(state.config.session_max.as_secs()).unwrap_or(i64::MAX);
        let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX);
        let user = auth::repo::find_active_user(&state.db, user_id).await?;
        match user {
            Some(user) if now - signed_in_at <= max && now - last_seen <= idle => {
                if now - last_seen >= LAST_SEEN_GRANULARITY_SECS {
                    session.insert(LAST_SEEN, now).await?;
                }
                request.extensions_mut().insert(user);
            }
            _ => {
                session.flush().await?;
                crate::web::flash::push(
                    &session,
                    Flash::info("Du har loggats ut. Logga in igen för att fortsätta."),
                )
                .await?;
            }
        }
    }
    Ok(next.run(request).await)
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

/// Turns an error response into a full Swedish page with the request's correlation id.
async fn render_error_pages(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let correlation_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let user = request.extensions().get::<CurrentUser>().cloned();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let page = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        None if (status.is_client_error() || status.is_server_error())
            && http_body::Body::size_hint(response.body()).exact() == Some(0) =>
        {
            generic_page(status)
        }
        None => return response,
    };
    let rendered = async {
        let chrome = Chrome::load(&session, user, &path, state.config.demo).await?;
        let view = ErrorView {
            chrome,
            status: page.status.as_u16(),
            title: page.title.to_owned(),
            message: page.message,
            correlation_id,
        };
        Ok::<_, AppError>(view.render()?)
    };
    match rendered.await {
        Ok(html) => (page.status, Html(html)).into_response(),
        // The error page itself failed: fall back to plain text, never to internals.
        Err(e) => {
            tracing::error!(error = %e, "error page could not be rendered");
            (page.status, page.title).into_response()
        }
    }
}

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
        s if s.is_server_error() => (
            "Något gick fel",
            "Ett oväntat fel inträffade. Ingenting har sparats.",
        ),
        _ => ("Felaktig begäran", "Begäran kunde inte hanteras."),
    };
    ErrorPage {
        status,
        title,
        message: message.to_owned(),
    }
}
