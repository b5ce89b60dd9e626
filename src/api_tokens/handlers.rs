//! The "API-nycklar" page: the user's own tokens, the form for a new one (its secret shown once,
//! on the answer to the form itself, never stored in a session or a redirect), and revocation.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use axum_extra::extract::Form;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    api_tokens::{
        forms::{LIFETIMES, TokenForm},
        operations::{self, Created, access_label},
        repo::{self, Token},
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed},
};

#[derive(Template)]
#[template(path = "api_tokens/index.html")]
struct TokensView {
    chrome: Chrome,
    tokens: Vec<Token>,
    now: DateTime<Utc>,
    typed: Typed<TokenForm>,
    created: Option<Created>,
    base_url: String,
    /// Whether the user's roles may write through the API, so that a writing token is offered.
    may_write: bool,
}

impl TokensView {
    fn lifetimes(&self) -> &'static [(i64, &'static str)] {
        &LIFETIMES
    }

    fn when(&self, at: &DateTime<Utc>) -> String {
        crate::web::format::date_time(*at)
    }

    fn active(&self, token: &Token) -> bool {
        token.is_active(self.now)
    }

    fn access(&self, token: &Token) -> &'static str {
        access_label(token.can_write)
    }
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    typed: Typed<TokenForm>,
    created: Option<Created>,
) -> Result<Response, AppError> {
    let tokens = repo::list(&mut *state.db.acquire().await?, me.id).await?;
    let status = typed.page_status();
    let view = TokensView {
        chrome,
        tokens,
        now: Utc::now(),
        typed,
        created,
        base_url: state.config.public_url.clone(),
        may_write: operations::WRITERS.allows(Some(me)),
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn show_tokens(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    render(&state, chrome, &me, Typed::fresh(TokenForm::fresh()), None).await
}

pub async fn create_token(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    match operations::create(&state.db, &actor, &form).await {
        Ok(created) => {
            let fresh = Typed::fresh(TokenForm::fresh());
            let mut answer = render(
                &state,
                page.chrome().await?,
                &actor.user,
                fresh,
                Some(created),
            )
            .await?;
            *answer.status_mut() = StatusCode::CREATED;
            Ok(answer)
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::api_tokens()).await,
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render(&state, page.chrome().await?, &actor.user, typed, None).await
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    match operations::revoke(&state.db, &actor, id).await {
        Ok(name) => {
            let message = format!("API-nyckeln {name} är återkallad och kan inte längre användas.");
            page.done(message, &paths::api_tokens()).await
        }
        Err(refusal) => page.refused_because(refusal, &paths::api_tokens()).await,
    }
}
