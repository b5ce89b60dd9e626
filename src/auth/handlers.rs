//! Sign-in and sign-out pages.

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use chrono::Utc;
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    audit::{self, Actor, repo::Entry},
    auth::{password, repo},
    db::demo,
    web::{
        AppError, AppState, Chrome, CurrentUser,
        access::is_local_path,
        client::Client,
        csrf,
        flash::{self, Flash},
        form::FieldErrors,
        format,
        middleware::{SIGNED_IN_AT, USER_ID},
    },
};

const GENERIC_FAILURE: &str = "Fel e-postadress eller lösenord.";

#[derive(Debug, Default, Deserialize)]
pub struct SignInQuery {
    nasta: Option<String>,
    /// Set when a form was posted after its session had ended (`csrf::EXPIRED_PARAMETER`).
    utgangen: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    nasta: String,
}

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInView {
    chrome: Chrome,
    email: String,
    next: String,
    errors: FieldErrors,
    /// A failure that belongs to the whole form, not one field.
    failure: Option<String>,
    /// Why the user is asked to sign in again.
    notice: Option<&'static str>,
    demo_accounts: Vec<(&'static str, &'static str)>,
}

impl SignInView {
    fn new(chrome: Chrome, email: String, next: String) -> Self {
        let demo_accounts = if chrome.demo {
            demo::ACCOUNTS
                .iter()
                .map(|a| (a.email, a.role_text))
                .collect()
        } else {
            vec![]
        };
        Self {
            chrome,
            email,
            next,
            errors: FieldErrors::new(),
            failure: None,
            notice: None,
            demo_accounts,
        }
    }
}

pub async fn show_sign_in(
    chrome: Chrome,
    user: Option<CurrentUser>,
    Query(query): Query<SignInQuery>,
) -> Result<Response, AppError> {
    let next = query.nasta.filter(|n| is_local_path(n)).unwrap_or_default();
    if user.is_some() {
        return Ok(Redirect::to(if next.is_empty() { "/" } else { &next }).into_response());
    }
    let mut view = SignInView::new(chrome, String::new(), next);
    if query.utgangen.is_some() {
        view.notice =
            Some("Din session hade gått ut, så ingenting sparades. Logga in och försök igen.");
    }
    Ok(Html(view.render()?).into_response())
}

pub async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    chrome: Chrome,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let next = Some(form.nasta.clone())
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    let typed: String = form.email.trim().to_lowercase().chars().take(254).collect();
    let mut view = SignInView::new(chrome, form.email.trim().to_owned(), form.nasta.clone());
    if typed.is_empty() {
        view.errors.add("email", "Ange din e-postadress.");
    }
    if form.password.is_empty() {
        view.errors.add("password", "Ange ditt lösenord.");
    }
    if !view.errors.is_empty() {
        return refuse(view, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if let repo::Claim::Wait(seconds) = repo::claim_attempt(&state.db, &typed, &client.ip).await? {
        tracing::warn!(email = %typed, ip = %client.ip, seconds, "sign-in throttled");
        view.failure = Some(format!(
            "För många misslyckade inloggningar. Vänta {} och försök igen.",
            format::duration_in_words(seconds)
        ));
        let mut response = refuse(view, StatusCode::TOO_MANY_REQUESTS)?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }
    let account = repo::find_credentials(&state.db, &typed).await?;
    let matches = password::verify(
        form.password,
        account.as_ref().map(|a| a.password_hash.clone()),
    )
    .await?;
    let account = match account {
        Some(account) if matches => account,
        _ => {
            tracing::warn!(email = %typed, ip = %client.ip, "sign-in failed");
            let mut conn = state.db.acquire().await?;
            audit::record(
                &mut conn,
                &Actor::anonymous(&typed, &client),
                Entry::event("sign_in_failed", "session", None),
            )
            .await?;
            view.failure = Some(GENERIC_FAILURE.into());
            return refuse(view, StatusCode::UNAUTHORIZED);
        }
    };
    if !account.active {
        // Only said once the password has proved who is asking.
        view.failure =
            Some("Kontot är inaktiverat. Kontakta administratören om du behöver åtkomst.".into());
        return refuse(view, StatusCode::FORBIDDEN);
    }
    // A new session id at sign-in: an id planted before cannot be used to ride the session.
    session.cycle_id().await?;
    session.insert(USER_ID, account.id).await?;
    session.insert(SIGNED_IN_AT, Utc::now().timestamp()).await?;
    csrf::rotate(&session).await?;
    let actor = Actor {
        id: Some(account.id),
        label: format!("{} <{}>", account.display_name, account.email),
        source: client.ip.clone(),
        request_id: client.request_id.clone(),
    };
    let mut tx = state.db.begin().await?;
    repo::forget_attempts(&mut tx, &typed, &client.ip).await?;
    audit::record(&mut tx, &actor, Entry::event("sign_in", "session", None)).await?;
    tx.commit().await?;
    tracing::info!(user = %account.id, "signed in");
    Ok(Redirect::to(&next).into_response())
}

fn refuse(view: SignInView, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    audit::record(
        &mut conn,
        &Actor::user(&user, &client),
        Entry::event("sign_out", "session", None),
    )
    .await?;
    // Deletes the session server-side: the old cookie is worth nothing after this.
    session.flush().await?;
    flash::push(&session, Flash::success("Du är utloggad.")).await?;
    Ok(Redirect::to("/logga-in").into_response())
}
