//! The board requests: the board, and saving a new order. The board's script posts the same
//! form as the page and gets the rows back instead of a redirect.

use askama::Template;
use axum::{
    extract::{FromRequestParts, Path, State},
    http::{HeaderValue, StatusCode, request::Parts},
    response::{Html, IntoResponse, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    columns::{ColumnChoice, Shown, tables},
    operation::{Actor, Refusal},
    paths,
    portfolio::board::{
        forms::RankForm,
        operations::{self, SavedRanking},
        page::{BoardTyped, render_board},
        rows::Rows,
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page},
};

pub async fn show_board(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    choice: ColumnChoice,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let columns = choice.shown(&tables::BOARD);
    render_board(&state, chrome, &me, columns, id, BoardTyped::default()).await
}

/// Whether the request came from the board's script, which wants the rows back, not a page.
pub struct FromScript(bool);

impl<S: Send + Sync> FromRequestParts<S> for FromScript {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get("x-requested-with");
        Ok(FromScript(header.is_some_and(|v| v == "portfolj-board")))
    }
}

/// Headers carry ASCII only; the script decodes this.
fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The script's answer: the rows as saved, the new version and the announcement in headers.
fn rows_answer(saved: SavedRanking, columns: Shown) -> Result<Response, AppError> {
    let version = saved.round.ranking_version;
    let mut rows = Rows::new(saved.round, saved.rows, None, true);
    rows.columns = columns;
    let mut response = Html(rows.render()?).into_response();
    let headers = response.headers_mut();
    headers.insert("x-ranking-version", HeaderValue::from(version));
    if let Ok(text) = HeaderValue::from_str(&urlencode(&saved.announcement)) {
        headers.insert("x-announcement", text);
    }
    Ok(response)
}

pub async fn save_ranking(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    FromScript(script): FromScript,
    choice: ColumnChoice,
    Path(id): Path<Uuid>,
    Form(form): Form<RankForm>,
) -> Result<Response, AppError> {
    let columns = choice.shown(&tables::BOARD);
    let typed = match operations::save_ranking(&state.db, &actor, id, &form).await {
        Ok(saved) if script => return rows_answer(saved, columns),
        Ok(saved) => {
            let anchor = saved.moved.map(|k| format!("#rad-{k}")).unwrap_or_default();
            let url = format!("{}{anchor}", paths::board(id));
            return if saved.changed {
                page.done(saved.announcement, &url).await
            } else {
                page.unchanged(saved.announcement, &url).await
            };
        }
        Err(Refusal::Conflict(_)) if script => {
            return Ok((StatusCode::CONFLICT, "conflict").into_response());
        }
        Err(Refusal::Conflict(_)) => BoardTyped {
            form: Some(form),
            conflict: true,
            ..BoardTyped::default()
        },
        Err(Refusal::Invalid(errors)) => BoardTyped {
            form: Some(form),
            errors,
            conflict: false,
        },
        Err(refusal) => return Err(refusal.into()),
    };
    render_board(
        &state,
        page.chrome().await?,
        &actor.user,
        columns,
        id,
        typed,
    )
    .await
}
