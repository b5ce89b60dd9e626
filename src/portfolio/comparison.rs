//! The comparison of a round with the one before it: what entered, left, moved up or down, and
//! the reasons each round recorded.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Html,
};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::{
        portfolio::{Decision, item_reference},
        round_diff::{Diff, Moved, Seen, diff},
    },
    portfolio::{round_repo::Round, rounds::load_round},
    web::{AppError, AppState, Chrome, CurrentUser},
};

#[derive(sqlx::FromRow)]
struct AgendaRow {
    item_id: Uuid,
    number: i32,
    title: String,
    rank: Option<i32>,
    decision: Option<String>,
    decision_reason: String,
}

async fn agenda(conn: &mut PgConnection, round: Uuid) -> Result<Vec<AgendaRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT item_id, number, title, rank, decision, decision_reason FROM round_agenda \
         WHERE round_id = $1 ORDER BY rank NULLS LAST, number",
    )
    .bind(round)
    .fetch_all(conn)
    .await
}

async fn previous(conn: &mut PgConnection, round: &Round) -> Result<Option<Round>, sqlx::Error> {
    let rounds = crate::portfolio::round_repo::list(conn).await?;
    Ok(rounds.into_iter().find(|r| r.quarter < round.quarter))
}

fn seen(row: &AgendaRow) -> Seen<Uuid> {
    Seen {
        key: row.item_id,
        rank: row.rank,
        decision: row
            .decision
            .as_deref()
            .and_then(Decision::from_code)
            .map(|d| d.label().to_owned()),
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

pub async fn show_comparison(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, &me, false).await?;
    let previous = previous(&mut conn, &round).await?;
    let now = agenda(&mut conn, id).await?;
    let then = match &previous {
        Some(p) => agenda(&mut conn, p.id).await?,
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
    Ok(Html(view.render()?))
}
