//! The protocol extract (protokollsutdrag) of a decided report: what the committee decided, on
//! which version, quoted as decided rather than as later corrected.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Response},
};
use uuid::Uuid;

use crate::{
    final_report::{
        content::{Content, Figures, fill, paragraphs},
        loader::{Loaded, load},
        repo::{self, Decision},
    },
    projects::views::{Heading, Tab},
    web::{AppError, AppState, Chrome, CurrentUser},
};

#[derive(Template)]
#[template(path = "final_report/protocol.html")]
struct ProtocolView {
    chrome: Chrome,
    heading: Heading,
    decision: Decision,
    case_number: String,
    title: String,
    summary: Vec<String>,
    proceedings: String,
    send_to: Vec<String>,
}

/// The protocol extract of a decided report; not found before the decision.
pub async fn show_protocol(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let loaded = load(&state.db, &me, id).await?;
    let mut conn = state.db.acquire().await?;
    let decision = repo::decision(&mut conn, id)
        .await?
        .filter(|d| d.status.is_decided())
        .ok_or(AppError::NotFound)?;
    // The extract quotes what was decided, not later corrections.
    let (decided, figures) = repo::numbered(&mut conn, id, decision.decided_version)
        .await?
        .map_or_else(
            || (loaded.content.clone(), loaded.document.figures.clone()),
            |v| (v.content.0, v.figures.0),
        );
    let view = ProtocolView::new(chrome, &loaded, decision, &decided, &figures);
    Ok(Html(view.render()?).into_response())
}

impl ProtocolView {
    /// The extract of `decision`, on the text and figures `decided` on.
    fn new(
        chrome: Chrome,
        loaded: &Loaded,
        decision: Decision,
        decided: &Content,
        figures: &Figures,
    ) -> Self {
        let title = if decided.title.trim().is_empty() {
            loaded.document.title.clone()
        } else {
            decided.title.clone()
        };
        let body = decision.decision_body.clone().unwrap_or_default();
        let lower = lowercase_first(&body);
        Self {
            chrome,
            heading: Heading::new(&loaded.project, Tab::FinalReport),
            case_number: loaded.project.case_number.clone(),
            title,
            summary: paragraphs(&fill(&decided.summary, &figures.appropriation)),
            proceedings: format!(
                "Ordföranden frågar om {lower} kan besluta i enlighet med tjänsteutlåtandets förslag, och finner att {lower} beslutar i enlighet med förslaget."
            ),
            send_to: paragraphs(&decided.send_to),
            decision,
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}
