//! The board page: the rows, what lies above the cut line per plan against its frame, and after
//! a refused save either the messages next to the places or, when someone else saved first,
//! the other person's order with a form that re-applies the user's own changes on top of it.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    columns::Shown,
    domain::ranking::Move,
    portfolio::{
        board::{
            forms::RankForm,
            policy::may_rank,
            repo::{self, BoardRow},
            rows::{PlanUse, Rows, plan_use},
        },
        rounds::repo as round_repo,
        scope::{load_round, reads_board, strategy_municipalities},
    },
    web::{AppError, AppState, Chrome, CurrentUser, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "portfolio/board.html")]
struct BoardView {
    chrome: Chrome,
    rows: Rows,
    /// The rows rendered by their own template, the same the script swaps in.
    rows_html: String,
    plans: Vec<PlanUse>,
    /// The round's prioritisation model: (id, name).
    model: (Uuid, String),
    /// After a refused save: what the other person's save changed, and the form that re-applies
    /// the user's own changes on top of it.
    conflict: Option<Conflict>,
    /// A strategy group sees only its own recommendations.
    own_notes_only: bool,
}

pub struct Conflict {
    /// The user's changes, as "P-014: plats 7 → 2".
    pub mine: Vec<String>,
    /// (item number, place to post, place saved now): the form that re-applies them.
    pub reapply: Vec<(i32, String, String)>,
    /// The button move to re-apply, if the refused save was one.
    pub mv: String,
}

impl BoardView {
    fn total_hours(&self) -> String {
        crate::portfolio::views::hours(self.rows.round.hours_capacity)
    }
}

/// What was posted, when a save was refused: the form, its messages, and whether someone else
/// saved first.
#[derive(Debug, Default)]
pub struct BoardTyped {
    pub form: Option<RankForm>,
    pub errors: FieldErrors,
    pub conflict: bool,
}

/// The board of round `id`.
pub async fn render_board(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    columns: Shown,
    id: Uuid,
    typed: BoardTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    if !reads_board(me, round.is_decided()) {
        return Err(AppError::NotYet(format!(
            "Rangordningen av {} visas för strategigrupperna när omgången är beslutad. \
             Till dess finns er beredning under omgången.",
            round.quarter
        )));
    }
    let mut rows = repo::rows(&mut conn, id).await?;
    // A strategy group reads the items that concern its municipalities (as everywhere) and
    // its own recommendations; the others were given to the coordination group.
    let concerning = if reads_board(me, false) {
        None
    } else {
        let mine = strategy_municipalities(me);
        for row in &mut rows {
            row.notes.0.retain(|n| mine.contains(&n.municipality_id));
        }
        Some(repo::items_concerning(&mut conn, id, &mine).await?)
    };
    let frames = round_repo::frames(&mut conn, id).await?;
    let model = crate::portfolio::models::repo::of_round(&mut conn, id).await?;
    let editable = may_rank(me, &round);
    let (shown, conflict) = match &typed.form {
        Some(form) if typed.conflict => (None, Some(conflict(form, &rows))),
        form => (form.as_ref(), None),
    };
    let mut rows = Rows::new(round, rows, shown, editable);
    rows.errors = typed.errors;
    rows.columns = columns;
    if let Some(items) = concerning {
        rows.retain_items(|item| items.contains(&item));
    }
    let status = crate::web::form::status(&rows.errors, conflict.is_some());
    let view = BoardView {
        chrome,
        plans: plan_use(&rows, &frames),
        model: (model.id, model.name),
        rows_html: rows.render()?,
        rows,
        conflict,
        own_notes_only: !reads_board(me, false),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The user's refused changes, and how to re-apply them on top of the saved order.
fn conflict(form: &RankForm, rows: &[BoardRow]) -> Conflict {
    let mut mine = Vec::new();
    let mut reapply = Vec::new();
    let moved = form.parsed_move();
    for row in rows {
        let saved = row.rank.map(|r| r.to_string()).unwrap_or_default();
        let was = form.was(row.number);
        let typed = form.typed(row.number).unwrap_or_default();
        let typed_changed = typed.trim().parse::<u32>().ok() != was;
        let button = match moved {
            Some(Move::Up(k)) if k == row.number => Some("upp"),
            Some(Move::Down(k)) if k == row.number => Some("ned"),
            _ => None,
        };
        if typed_changed {
            let show =
                |p: Option<u32>| p.map_or("ej rangordnad".to_owned(), |p| format!("plats {p}"));
            mine.push(format!(
                "{}: {} → {}",
                row.reference(),
                show(was),
                show(typed.trim().parse().ok())
            ));
            reapply.push((row.number, typed.trim().to_owned(), saved));
        } else {
            if let Some(direction) = button {
                mine.push(format!("{}: ett steg {direction}", row.reference()));
            }
            reapply.push((row.number, saved.clone(), saved));
        }
    }
    Conflict {
        mine,
        reapply,
        mv: form.mv.clone(),
    }
}
