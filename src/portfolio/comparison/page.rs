//! The comparison page: what entered, left, moved up or down between a round and the one
//! before it, with the reasons each round recorded.

use std::collections::HashMap;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::{
        portfolio::item_reference,
        round_diff::{Diff, Moved, Seen, diff},
    },
    portfolio::{
        comparison::repo::{self, AgendaRow},
        rounds::repo::{self as round_repo, Round},
        scope::load_round,
    },
    web::{AppError, AppState, Chrome},
};

fn seen(row: &AgendaRow) -> Seen<Uuid> {
    Seen {
        key: row.item_id,
        rank: row.rank,
        decision: row.decision.map(|d| d.label().to_owned()),
        reason: row.decision_reason.clone(),
    }
}

#[derive(Template)]
#[template(path = "portfolio/comparison.html")]
struct ComparisonView {
    chrome: Chrome,
    round: Round,
    previous: Option<Round>,
    diff: Diff<Uuid>,
    names: HashMap<Uuid, String>,
}

impl ComparisonView {
    fn name(&self, id: &Uuid) -> &str {
        self.names.get(id).map_or("", String::as_str)
    }

    /// "inget objekt", "1 objekt", "3 objekt": how the summary counts.
    fn count(&self, n: usize) -> String {
        if n == 0 {
            "inget objekt".to_owned()
        } else {
            format!("{n} objekt")
        }
    }

    fn moves(&self) -> [(&'static str, &'static str, &[Moved<Uuid>]); 2] {
        [
            ("upp", "Flyttats upp", &self.diff.up),
            ("ned", "Flyttats ned", &self.diff.down),
        ]
    }

    /// How many places an item moved; a dash when it left or entered the ranking.
    fn places(&self, moved: &Moved<Uuid>) -> String {
        match (moved.before.rank, moved.after.rank) {
            (Some(_), Some(_)) => moved.places(self.diff.unranked).abs().to_string(),
            _ => "–".to_owned(),
        }
    }

    fn rank(&self, seen: &Seen<Uuid>) -> String {
        seen.rank
            .map_or("ej rangordnad".to_owned(), |r| format!("plats {r}"))
    }

    fn outcome(&self, seen: &Seen<Uuid>) -> String {
        match (&seen.decision, seen.reason.is_empty()) {
            (Some(d), true) => d.clone(),
            (Some(d), false) => format!("{d}: {}", seen.reason),
            (None, _) => "Inte beslutad ännu".to_owned(),
        }
    }
}

/// Round `id` compared with the round before it.
pub async fn render_comparison(
    state: &AppState,
    chrome: Chrome,
    id: Uuid,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    let rounds = round_repo::list(&mut conn).await?;
    let previous = rounds.into_iter().find(|r| r.quarter < round.quarter);
    let now = repo::agenda(&mut conn, id).await?;
    let then = match &previous {
        Some(p) => repo::agenda(&mut conn, p.id).await?,
        None => Vec::new(),
    };
    let names = now
        .iter()
        .chain(&then)
        .map(|r| {
            (
                r.item_id,
                format!("{} {}", item_reference(r.number), r.title),
            )
        })
        .collect();
    let before: Vec<Seen<Uuid>> = then.iter().map(seen).collect();
    let after: Vec<Seen<Uuid>> = now.iter().map(seen).collect();
    let view = ComparisonView {
        chrome,
        diff: diff(&before, &after),
        round,
        previous,
        names,
    };
    Ok(Html(view.render()?).into_response())
}
