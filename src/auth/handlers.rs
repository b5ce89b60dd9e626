//! Sign-in and sign-out pages.

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    audit::{self, Actor, repo::Entry},
    auth::operations::{self, Refused},
    db::demo,
    paths, sso,
    web::{
        AppError, AppState, Chrome, CurrentUser, Page,
        access::is_local_path,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
        format,
    },
};

const GENERIC_FAILURE: &str = "Fel e-postadress eller lösenord.";
const INACTIVE: &str = "Kontot är inaktiverat. Kontakta administratören om du behöver åtkomst.";

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
    /// Whether single sign-on is offered.
    sso: bool,
    /// Just signed out of a session begun at the provider: its sign-out page.
    provider_sign_out: Option<String>,
}

impl SignInView {
    fn new(chrome: Chrome, email: String, next: String, sso: bool) -> Self {
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
            sso,
            provider_sign_out: None,
        }
    }
}

pub async fn show_sign_in(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    user: Option<CurrentUser>,
    Query(query): Query<SignInQuery>,
) -> Result<Response, AppError> {
    let next = query.nasta.filter(|n| is_local_path(n)).unwrap_or_default();
    if user.is_some() {
        let to = if next.is_empty() {
            paths::start()
        } else {
            next
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let mut view = SignInView::new(chrome, String::new(), next, state.sso.is_some());
    view.provider_sign_out = session.remove(sso::handlers::OFFER_END_SESSION).await?;
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
    page: Page,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let refused =
        match operations::sign_in(&state.db, &session, &client, &form.email, form.password).await {
            Ok(()) => {
                let next = Some(form.nasta).filter(|n| is_local_path(n));
                return Ok(Redirect::to(&next.unwrap_or_else(paths::start)).into_response());
            }
            Err(refused) => refused,
        };
    let mut view = SignInView::new(
        page.chrome().await?,
        form.email.trim().to_owned(),
        form.nasta,
        state.sso.is_some(),
    );
    let status = match refused {
        Refused::Invalid(errors) => {
            view.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Refused::Throttled(seconds) => {
            view.failure = Some(format!(
                "För många misslyckade inloggningar. Vänta {} och försök igen.",
                format::duration_in_words(seconds)
            ));
            let mut response = refuse(view, StatusCode::TOO_MANY_REQUESTS)?;
            let wait = HeaderValue::from(seconds);
            response.headers_mut().insert(header::RETRY_AFTER, wait);
            return Ok(response);
        }
        Refused::WrongCredentials => {
            view.failure = Some(GENERIC_FAILURE.into());
            StatusCode::UNAUTHORIZED
        }
        Refused::Inactive => {
            view.failure = Some(INACTIVE.into());
            StatusCode::FORBIDDEN
        }
        Refused::Failed(e) => return Err(e),
    };
    refuse(view, status)
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
    // A connection of its own, returned before the session store takes one to delete the
    // session: holding both could exhaust a small pool when many sign out at once.
    audit::record(
        &mut *state.db.acquire().await?,
        &Actor::user(&user, &client),
        Entry::event("sign_out", "session", None),
    )
    .await?;
    let provider_sign_out: Option<String> = session.get(sso::handlers::END_SESSION).await?;
    // Deletes the session server-side: the old cookie is worth nothing after this.
    session.flush().await?;
    flash::push(&session, Flash::success("Du är utloggad från Portfolj.")).await?;
    // Signed in through the provider: the sign-in page offers its sign-out too. (A link, not a
    // redirect from this form: the pages' CSP lets forms lead to this site only.)
    if let Some(url) = provider_sign_out {
        session
            .insert(sso::handlers::OFFER_END_SESSION, url)
            .await?;
    }
    Ok(Redirect::to(&paths::sign_in()).into_response())
}
