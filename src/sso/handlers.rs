//! Signing in through the provider: the start (sent to the provider with what to check on
//! return kept in a cookie) and the return, whose every failure is a page saying what to do.

use std::sync::Arc;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use serde::Deserialize;

use crate::{
    paths,
    sso::{
        operations::{self, Refused},
        provider::{Identity, PENDING_LIFETIME_SECONDS, Pending, Provider, SsoError},
    },
    web::{AppError, AppState, Chrome, Page, access::is_local_path, client::Client},
};

/// The cookie of the sign-in under way at the provider. A cookie, not the session: a visitor
/// who only clicks the button must not get a session row. `__Host-` over https, so no other
/// site of the domain can plant one.
fn pending_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-portfolj-sso"
    } else {
        "portfolj-sso"
    }
}

/// The session key of the provider's sign-out address, kept at sign-in (so signing out needs
/// no call to the provider), and, after sign-out, offered on the sign-in page.
pub const END_SESSION: &str = "sso_end_session";
pub const OFFER_END_SESSION: &str = "sso_offer_end_session";

#[derive(Template)]
#[template(path = "sso/refused.html")]
struct RefusedView {
    chrome: Chrome,
    heading: &'static str,
    message: String,
    /// Whether trying again may help (it does not while the groups give no role).
    retry: bool,
}

fn provider(state: &AppState) -> Result<Arc<Provider>, AppError> {
    state.sso.clone().ok_or(AppError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
pub struct StartQuery {
    nasta: Option<String>,
}

pub async fn start(
    State(state): State<AppState>,
    page: Page,
    jar: CookieJar,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let provider = provider(&state)?;
    let next = query.nasta.filter(|n| is_local_path(n)).unwrap_or_default();
    let (url, pending) = match provider.authorize(next).await {
        Ok(started) => started,
        Err(e) => return refuse(&page, e).await,
    };
    let value = serde_json::to_vec(&pending)
        .map_err(|e| AppError::Internal(format!("pending sign-in: {e}")))?;
    let cookie = Cookie::build((
        pending_cookie(state.config.secure_cookies),
        URL_SAFE_NO_PAD.encode(value),
    ))
    .path("/")
    .http_only(true)
    // Sent along when the provider sends the browser back: a top-level GET from another site.
    .same_site(SameSite::Lax)
    .secure(state.config.secure_cookies)
    .max_age(time::Duration::seconds(PENDING_LIFETIME_SECONDS));
    Ok((jar.add(cookie), Redirect::to(&url)).into_response())
}

/// The sign-in under way in this browser, if its cookie can be read.
fn pending_of(jar: &CookieJar, secure: bool) -> Option<Pending> {
    let bytes = URL_SAFE_NO_PAD
        .decode(jar.get(pending_cookie(secure))?.value())
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// What the provider sends the user back with (RFC 6749 4.1.2, RFC 9207).
#[derive(Debug, Default, Deserialize)]
pub struct ReturnQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

pub async fn finish(
    State(state): State<AppState>,
    page: Page,
    client: Client,
    jar: CookieJar,
    Query(query): Query<ReturnQuery>,
) -> Result<Response, AppError> {
    let provider = provider(&state)?;
    let secure = state.config.secure_cookies;
    let pending = pending_of(&jar, secure);
    // Cleared whatever happens next: a return can be used once.
    let jar = jar.remove(Cookie::build(pending_cookie(secure)).path("/"));
    let (identity, next) = match checked_return(&provider, pending, query).await {
        Ok(checked) => checked,
        Err(e) => return Ok((jar, refuse(&page, e).await?).into_response()),
    };
    let session = page.session();
    if let Err(refused) = operations::sign_in(&state.db, session, &client, &identity).await {
        return Ok((jar, refuse_signed(&page, refused).await?).into_response());
    }
    if let Some(url) = provider.end_session_url(&identity.id_token).await {
        session.insert(END_SESSION, url).await?;
    }
    let to = if next.is_empty() {
        paths::start()
    } else {
        next
    };
    Ok((jar, Redirect::to(&to)).into_response())
}

/// The identity the return proves, and the page to go to: the state must be the one this
/// browser was sent with, recent, the provider the configured one, and the token valid.
async fn checked_return(
    provider: &Provider,
    pending: Option<Pending>,
    query: ReturnQuery,
) -> Result<(Identity, String), SsoError> {
    let age = |p: &Pending| Utc::now().timestamp() - p.started_at;
    let pending = pending
        .filter(|p| query.state.as_deref() == Some(p.state.as_str()))
        .filter(|p| (0..=PENDING_LIFETIME_SECONDS).contains(&age(p)))
        .ok_or(SsoError::Stale)?;
    if let Some(iss) = &query.iss
        && iss != provider.issuer()
    {
        return Err(SsoError::Rejected(format!("iss parameter {iss:?}")));
    }
    if let Some(error) = query.error {
        let detail = query.error_description.unwrap_or_default();
        return Err(SsoError::Cancelled(format!("{error}: {detail}")));
    }
    let code = query
        .code
        .ok_or_else(|| SsoError::Rejected("no code".into()))?;
    let identity = provider.finish(&pending, code).await?;
    Ok((identity, pending.next))
}

async fn refuse(page: &Page, error: SsoError) -> Result<Response, AppError> {
    let status = match &error {
        // Debug-formatted: what the provider sent may hold line breaks meant to forge lines.
        SsoError::Unavailable(detail) => {
            tracing::error!(detail = ?shortened(detail), "the OpenID provider could not be reached");
            StatusCode::SERVICE_UNAVAILABLE
        }
        SsoError::Cancelled(detail) | SsoError::Rejected(detail) => {
            tracing::warn!(detail = ?shortened(detail), "sign-in through the provider refused");
            StatusCode::BAD_REQUEST
        }
        SsoError::Stale => StatusCode::BAD_REQUEST,
    };
    let view = RefusedView {
        chrome: page.chrome().await?,
        heading: "Inloggningen misslyckades",
        message: error.to_string(),
        retry: true,
    };
    render(view, status)
}

async fn refuse_signed(page: &Page, refused: Refused) -> Result<Response, AppError> {
    let (heading, message, status) = match refused {
        Refused::NoRole { name } => (
            "Du har ingen roll i Portfolj",
            format!(
                "Du är inloggad hos kommunen som {name}, men ingen av dina grupper ger någon roll \
                 i Portfolj, så du kan inte använda tjänsten ännu. Be din chef eller Portfoljs \
                 administratör att lägga till dig i rätt grupp. Ändringen gäller nästa gång du \
                 loggar in."
            ),
            StatusCode::FORBIDDEN,
        ),
        Refused::Inactive => (
            "Kontot är inaktiverat",
            "Ditt konto i Portfolj är inaktiverat. Kontakta administratören om du behöver \
             åtkomst."
                .to_owned(),
            StatusCode::FORBIDDEN,
        ),
        Refused::NoEmail => (
            "Inloggningen misslyckades",
            "Kommunens inloggningstjänst skickade ingen e-postadress för ditt konto, och Portfolj \
             behöver en. Kontakta administratören."
                .to_owned(),
            StatusCode::FORBIDDEN,
        ),
        Refused::EmailTaken(email) => (
            "Inloggningen misslyckades",
            format!(
                "Ett annat konto i Portfolj har redan e-postadressen {email}. Kontakta \
                 administratören, som kan ändra det kontots adress."
            ),
            StatusCode::CONFLICT,
        ),
        Refused::Failed(e) => return Err(e),
    };
    let view = RefusedView {
        chrome: page.chrome().await?,
        heading,
        message,
        retry: false,
    };
    render(view, status)
}

fn render(view: RefusedView, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(view.render()?)).into_response())
}

/// At most 300 characters of what the provider sent, for the log.
fn shortened(text: &str) -> String {
    text.chars().take(300).collect()
}
