//! The review page: the round's items that concern the municipality, with the group's notes as
//! a form while the review is open, read only otherwise.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    portfolio::{
        reviews::{
            forms::ReviewForm,
            policy::{self, speaks_for},
            repo::{self, ReviewLine, ReviewStatus},
        },
        rounds::repo::Round,
        scope::load_round,
    },
    web::{AppError, AppState, Chrome, CurrentUser, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "portfolio/review.html")]
struct ReviewView {
    chrome: Chrome,
    round: Round,
    review: ReviewStatus,
    lines: Vec<ReviewLine>,
    form: ReviewForm,
    errors: FieldErrors,
    conflict: bool,
    editable: bool,
}

/// What was typed, when a save was refused: the form, its messages, and whether someone else
/// saved first.
#[derive(Debug, Default)]
pub struct ReviewTyped {
    pub form: Option<ReviewForm>,
    pub errors: FieldErrors,
    pub conflict: bool,
}

/// The review of `municipality` in round `id`, as `me` may read it.
pub async fn render_review(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    (id, municipality): (Uuid, Uuid),
    typed: ReviewTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    let review = repo::find(&mut conn, id, municipality)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_read(me, &review)?;
    let lines = repo::lines(&mut conn, id, municipality).await?;
    let editable = speaks_for(me, municipality) && policy::is_open(&round, &review);
    let status = crate::web::form::status(&typed.errors, typed.conflict);
    let view = ReviewView {
        chrome,
        // What was typed comes back with the saved version, so saving again is deliberate.
        form: match typed.form {
            Some(form) => ReviewForm {
                version: review.version,
                ..form
            },
            None => ReviewForm::from_lines(&lines, review.version),
        },
        conflict: typed.conflict,
        round,
        review,
        lines,
        errors: typed.errors,
        editable,
    };
    Ok((status, Html(view.render()?)).into_response())
}
