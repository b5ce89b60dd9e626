//! The review page: the round's items that concern the municipality, with the group's notes as
//! a form while the review is open, read only otherwise.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::portfolio::Phase,
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
    /// Whether the reader speaks for the municipality (a member of its strategy group).
    own: bool,
}

impl ReviewView {
    /// Why the review cannot be changed now, and until when, in the reader's words; `None`
    /// while it is open to the reader.
    fn closed_because(&self) -> Option<String> {
        if self.editable {
            return None;
        }
        let deadline = self
            .round
            .review_deadline
            .map(|d| format!(" (sista dag {d})"))
            .unwrap_or_default();
        let contact = "kontakta IT-center om något behöver ändras";
        Some(match (self.review.submitted(), self.round.phase()) {
            _ if !self.own => format!(
                "Du läser {} beredning. Bara kommunens IT-strategigrupp kan ändra den.",
                genitive(&self.review.municipality)
            ),
            (Some(at), _) => {
                format!("Beredningen skickades in {at} och kan inte ändras längre; {contact}.")
            }
            (None, Phase::Compiling) => format!(
                "Beredningen öppnar när IT-center har sammanställt portföljen och för omgången \
                 till beredning{deadline}. Till dess kan ni läsa objekten."
            ),
            (None, Phase::Decided) => format!(
                "Beredningen stängde{deadline} och omgången är beslutad. Utkastet skickades \
                 aldrig in."
            ),
            (None, phase) => format!(
                "Beredningen stängde när omgången gick vidare till {}{deadline}. Utkastet \
                 skickades inte in; {contact}.",
                phase.in_sentence()
            ),
        })
    }

    /// The last day to submit, while the review is open.
    fn deadline(&self) -> Option<String> {
        self.round.review_deadline.map(|d| d.to_string())
    }
}

/// A name in the Swedish genitive: "Ludvikas", but "Borås" and "Nynäs" as they are.
fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z']) {
        name.to_owned()
    } else {
        format!("{name}s")
    }
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
        own: speaks_for(me, municipality),
    };
    Ok((status, Html(view.render()?)).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_ending_in_s_takes_no_second_s() {
        assert_eq!(super::genitive("Ludvika"), "Ludvikas");
        assert_eq!(super::genitive("Borås"), "Borås");
    }
}
