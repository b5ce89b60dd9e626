//! The decision page: the board's rows with a decision per item, proposed from the cut line or
//! as typed, and after a refused save the messages or what changed meanwhile.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::portfolio::Decision,
    portfolio::{
        board::{repo as board_repo, rows::Rows},
        decision::{forms::DecisionForm, policy, repo},
        scope::load_round,
    },
    web::{AppError, AppState, Chrome, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "portfolio/decide.html")]
struct DecideView {
    chrome: Chrome,
    rows: Rows,
    form: DecisionForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl DecideView {
    fn decisions(&self) -> &'static [Decision] {
        &Decision::ALL
    }
}

/// What was typed, when a decision was refused: the form, its messages, and whether the
/// ranking, frames or items changed after it was opened.
#[derive(Debug, Default)]
pub struct DecideTyped {
    pub form: Option<DecisionForm>,
    pub errors: FieldErrors,
    pub conflict: bool,
}

const CONFLICT: &str = "Rangordningen, omgångens ramar eller objektens uppgifter ändrades efter \
     att du öppnade beslutet. Tabellen visar nu det aktuella underlaget med dina val \
     kvar; kontrollera dem och besluta igen.";

/// The decision form: proposed from the board, or as typed (with the current versions, so a
/// refused save can be sent again on purpose) and its messages.
pub async fn render_decision(
    state: &AppState,
    chrome: Chrome,
    id: Uuid,
    typed: DecideTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    policy::check_decide(&round)?;
    let rows = board_repo::rows(&mut conn, id).await?;
    let rows = Rows::new(round.clone(), rows, None, false);
    let agenda = repo::agenda_fingerprint(&mut conn, id).await?;
    let status = crate::web::form::status(&typed.errors, typed.conflict);
    let form = match typed.form {
        Some(form) => DecisionForm {
            version: round.version,
            ranking_version: round.ranking_version,
            agenda,
            ..form
        },
        None => DecisionForm {
            agenda,
            ..DecisionForm::proposed(&round, &rows)
        },
    };
    let view = DecideView {
        chrome,
        form,
        rows,
        errors: typed.errors,
        conflict: typed.conflict.then(|| CONFLICT.to_owned()),
    };
    Ok((status, Html(view.render()?)).into_response())
}
