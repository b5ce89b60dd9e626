//! An activity's keys to the ledger: the keys it has, each with a remove button, and the form
//! that adds one; after a refused add, what was typed with the message next to the field.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    follow_up::entry::{
        keys::{self, Key, KeyForm},
        repo::{self, Activity, Board},
    },
    web::{AppError, AppState, Page, Typed, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "follow_up/entry/keys.html")]
struct KeysView {
    chrome: crate::web::Chrome,
    board: Board,
    activity: Activity,
    keys: Vec<Key>,
    form: KeyForm,
    errors: FieldErrors,
}

pub async fn render_keys(
    state: &AppState,
    page: &Page,
    (board_id, id): (Uuid, Uuid),
    typed: Option<Typed<KeyForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let board = repo::board(&mut conn, board_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let activity = repo::activity(&mut conn, board_id, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let keys = keys::of_activity(&mut conn, id).await?;
    drop(conn);
    let typed = typed.unwrap_or_else(|| Typed::fresh(KeyForm::default()));
    let status = typed.page_status();
    let view = KeysView {
        chrome: page.chrome().await?,
        board,
        activity,
        keys,
        form: typed.form,
        errors: typed.errors,
    };
    Ok((status, Html(view.render()?)).into_response())
}
