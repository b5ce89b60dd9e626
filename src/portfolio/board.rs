//! The coordination group's ranking board: every item of the round with its figures, benefit
//! and the strategy groups' recommendations side by side, ranked by typed positions, by
//! move-up/move-down buttons or by drag and drop, with the cut line where the running totals
//! pass the hours capacity or the budget.
//!
//! One POST saves any of these. Without JavaScript it redirects back to the board; the board's
//! script posts the same form and swaps in the rows the server renders, so the cut line is
//! computed in one place.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor},
    domain::{
        money::Money,
        portfolio::{CutLine, Phase, Weights, cut_line},
        project::Plan,
        ranking::{self, Entry, Move},
        role::Role,
    },
    portfolio::{
        board_repo::{self, BoardRow},
        round_repo::{self, Frame, Round},
        rounds::load_round,
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

/// A board row with its running totals and whether it falls below the cut line.
pub struct Line {
    pub row: BoardRow,
    pub benefit: String,
    pub cumulative_hours: u64,
    pub cumulative_cost: Money,
    pub below: bool,
    /// The typed position when the page comes back with the user's input.
    pub typed: String,
}

/// The board's rows and the cut line; also what the script swaps in after a save.
#[derive(Template)]
#[template(path = "portfolio/_board_rows.html")]
pub struct Rows {
    pub round: Round,
    pub lines: Vec<Line>,
    /// Index of the first line below the cut line, and why it is there.
    pub cut: Option<(usize, &'static str)>,
    pub ranked: usize,
    pub editable: bool,
    pub errors: FieldErrors,
}

impl Rows {
    pub fn new(
        round: Round,
        rows: Vec<BoardRow>,
        typed: Option<&RankForm>,
        editable: bool,
    ) -> Self {
        let weights: Weights = round.weights();
        let ranked_rows: Vec<_> = rows
            .iter()
            .filter(|r| r.rank.is_some())
            .map(BoardRow::demand)
            .collect();
        let line: CutLine = cut_line(&ranked_rows, round.hours(), round.budget());
        let cut = line.first_outside().map(|i| {
            let why = match (line.hours, line.cost) {
                (Some(h), Some(c)) if h == c => {
                    "både kapaciteten i timmar och budgetramen överskrids"
                }
                (Some(h), _) if h == i => "kapaciteten i timmar överskrids",
                _ => "budgetramen överskrids",
            };
            (i, why)
        });
        let (mut hours, mut cost) = (0u64, Money::ZERO);
        let lines = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                if row.rank.is_some() {
                    hours += row.demand().hours;
                    cost = cost + row.cost();
                }
                Line {
                    benefit: crate::domain::number::format_quantity(row.scores().percent(weights)),
                    cumulative_hours: hours,
                    cumulative_cost: cost,
                    below: row.rank.is_none() || cut.is_some_and(|(c, _)| i >= c),
                    typed: typed
                        .and_then(|f| f.typed(row.number))
                        .unwrap_or_else(|| row.rank.map(|r| r.to_string()).unwrap_or_default()),
                    row,
                }
            })
            .collect::<Vec<_>>();
        Rows {
            ranked: lines.iter().filter(|l| l.row.rank.is_some()).count(),
            round,
            lines,
            cut,
            editable,
            errors: FieldErrors::new(),
        }
    }

    fn is_cut(&self, i: &usize) -> bool {
        self.cut.is_some_and(|(c, _)| c == *i)
    }

    /// The board's columns: the decision only once there is one.
    fn columns(&self) -> usize {
        if self.round.is_decided() { 12 } else { 11 }
    }

    fn plan(&self, code: &str) -> &'static str {
        Plan::from_code(code).map_or("", Plan::short_label)
    }

    fn cut_reason(&self) -> &'static str {
        self.cut.map_or("", |(_, why)| why)
    }

    fn rank_error(&self, row: &BoardRow) -> Option<&str> {
        self.errors.get(&format!("rank-{}", row.number))
    }
}

/// Hours and cost above the cut line per plan, against the plan's frame.
pub struct PlanUse {
    pub plan: Plan,
    pub hours: u64,
    pub cost: Money,
    pub frame: Option<Frame>,
}

impl PlanUse {
    pub fn over_hours(&self) -> bool {
        self.frame
            .as_ref()
            .and_then(|f| f.hours_capacity)
            .is_some_and(|h| self.hours > u64::try_from(h).unwrap_or(0))
    }
    pub fn over_cost(&self) -> bool {
        self.frame
            .as_ref()
            .and_then(|f| f.budget)
            .is_some_and(|b| self.cost.amount() > b)
    }
}

fn plan_use(rows: &Rows, frames: &[Frame]) -> Vec<PlanUse> {
    Plan::ALL
        .iter()
        .map(|plan| {
            let above = rows
                .lines
                .iter()
                .filter(|l| !l.below && l.row.plan == plan.code());
            PlanUse {
                plan: *plan,
                hours: above.clone().map(|l| l.row.demand().hours).sum(),
                cost: above.map(|l| l.row.cost()).sum(),
                frame: frames.iter().find(|f| f.plan == plan.code()).cloned(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portfolio/board.html")]
struct BoardView {
    chrome: Chrome,
    rows: Rows,
    /// The rows rendered by their own template, the same the script swaps in.
    rows_html: String,
    plans: Vec<PlanUse>,
    /// After a refused save: what the other person's save changed, and the form that re-applies
    /// the user's own changes on top of it.
    conflict: Option<Conflict>,
}

pub struct Conflict {
    /// The user's changes, as "P-014: plats 7 → 2".
    pub mine: Vec<String>,
    /// (item, rank) to post to re-apply them.
    /// (item number, place to post, place saved now).
    pub reapply: Vec<(i32, String, String)>,
    /// The button move to re-apply, if the refused save was one.
    pub mv: String,
}

impl BoardView {
    fn total_hours(&self) -> String {
        crate::portfolio::views::hours(self.rows.round.hours_capacity)
    }
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    typed: Option<&RankForm>,
    errors: FieldErrors,
    conflict: Option<Conflict>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, me, false).await?;
    let rows = board_repo::rows(&mut conn, id).await?;
    let frames = round_repo::frames(&mut conn, id).await?;
    let editable = may_rank(me, &round);
    let mut rows = Rows::new(round, rows, typed, editable);
    rows.errors = errors;
    let status = crate::web::form::status(&rows.errors, conflict.is_some());
    let view = BoardView {
        chrome,
        plans: plan_use(&rows, &frames),
        rows_html: rows.render()?,
        rows,
        conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

fn may_rank(me: &CurrentUser, round: &Round) -> bool {
    me.has_role(Role::CoordinationGroup) && round.phase() == Phase::Meeting
}

pub async fn show_board(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render(&state, chrome, &me, id, None, FieldErrors::new(), None).await
}

/// The board form: every row's item (by its number, which keeps a page of 500 rows small), the
/// position it showed and the position typed, in the page's order; `move` is a button's
/// "up:<number>" or "down:<number>".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RankForm {
    #[serde(default)]
    pub item: Vec<String>,
    #[serde(default)]
    pub was: Vec<String>,
    #[serde(default)]
    pub rank: Vec<String>,
    #[serde(default, rename = "move")]
    pub mv: String,
    #[serde(default)]
    pub version: i32,
}

impl RankForm {
    fn typed(&self, item: i32) -> Option<String> {
        let key = item.to_string();
        let i = self.item.iter().position(|x| *x == key)?;
        self.rank.get(i).cloned()
    }

    fn was(&self, item: i32) -> Option<u32> {
        let key = item.to_string();
        let i = self.item.iter().position(|x| *x == key)?;
        self.was.get(i)?.trim().parse().ok()
    }

    /// The typed positions of the round's rows; a row not in the form keeps its place.
    fn entries(&self, rows: &[BoardRow]) -> Result<Vec<Entry<i32>>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let saved = row.rank.and_then(|r| u32::try_from(r).ok());
            let typed = match self.typed(row.number) {
                None => saved,
                Some(t) if t.trim().is_empty() => None,
                Some(t) => match t.trim().parse::<u32>() {
                    Ok(p) if p >= 1 => Some(p),
                    _ => {
                        e.add(
                            format!("rank-{}", row.number),
                            format!(
                                "{}: ”{}” är ingen plats. Ange ett heltal från 1, eller lämna tomt.",
                                row.reference(),
                                t.trim()
                            ),
                        );
                        None
                    }
                },
            };
            entries.push(Entry {
                key: row.number,
                saved,
                typed,
            });
        }
        if e.is_empty() { Ok(entries) } else { Err(e) }
    }

    fn parsed_move(&self) -> Option<Move<i32>> {
        let (direction, id) = self.mv.split_once(':')?;
        let id = id.parse().ok()?;
        match direction {
            "up" => Some(Move::Up(id)),
            "down" => Some(Move::Down(id)),
            _ => None,
        }
    }
}

/// Whether the request came from the board's script, which wants the rows back, not a page.
fn from_script(headers: &HeaderMap) -> bool {
    headers
        .get("x-requested-with")
        .is_some_and(|v| v == "portfolj-board")
}

// An axum handler's arguments are its extractors; the board's save needs all of them.
#[allow(clippy::too_many_arguments)]
pub async fn save_ranking(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(form): Form<RankForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let round = load_round(&mut tx, id, &me, true).await?;
    if !may_rank(&me, &round) {
        return Err(AppError::Conflict(format!(
            "Omgång {} rangordnas bara under prioriteringsmötet (nu: {}).",
            round.quarter,
            round.phase().label().to_lowercase()
        )));
    }
    let rows = board_repo::rows(&mut tx, id).await?;
    if round.ranking_version != form.version {
        drop(tx);
        if from_script(&headers) {
            return Ok((StatusCode::CONFLICT, "conflict").into_response());
        }
        let conflict = conflict(&form, &rows);
        return render(
            &state,
            chrome,
            &me,
            id,
            None,
            FieldErrors::new(),
            Some(conflict),
        )
        .await;
    }
    let entries = match form.entries(&rows) {
        Ok(entries) => entries,
        Err(errors) => {
            drop(tx);
            return render(&state, chrome, &me, id, Some(&form), errors, None).await;
        }
    };
    let mut order = ranking::renumber(&entries);
    let mv = form.parsed_move();
    if let Some(mv) = mv {
        ranking::apply(&mut order, mv);
    }
    let by_item: Vec<(Uuid, Option<u32>)> = order
        .iter()
        .filter_map(|(number, place)| {
            let row = rows.iter().find(|r| r.number == *number)?;
            Some((row.item_id, *place))
        })
        .collect();
    let Some(version) = board_repo::save_ranks(&mut tx, id, form.version, &by_item).await? else {
        return Err(AppError::Conflict(
            "Rangordningen ändrades samtidigt.".into(),
        ));
    };
    let changes = rank_changes(&rows, &by_item);
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "ranking_updated",
        ("round", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    let announcement = announce(&order, mv, changes.len());
    if from_script(&headers) {
        // The rows as just saved, from what this request already holds: the same rows with their
        // new places, in the board's order, under the new version. No second read.
        let mut saved = rows;
        for row in &mut saved {
            row.rank = order
                .iter()
                .find(|(k, _)| *k == row.number)
                .and_then(|(_, p)| p.and_then(|p| i32::try_from(p).ok()));
        }
        saved.sort_by_key(|r| (r.rank.is_none(), r.rank, r.number));
        let round = Round {
            ranking_version: version,
            ..round
        };
        let rows = Rows::new(round, saved, None, true);
        let mut response = Html(rows.render()?).into_response();
        let headers = response.headers_mut();
        headers.insert("x-ranking-version", HeaderValue::from(version));
        if let Ok(text) = HeaderValue::from_str(&urlencode(&announcement)) {
            headers.insert("x-announcement", text);
        }
        return Ok(response);
    }
    flash::push(&session, Flash::success(announcement)).await?;
    let anchor = match mv {
        Some(Move::Up(k) | Move::Down(k)) => format!("#rad-{k}"),
        None => String::new(),
    };
    Ok(Redirect::to(&format!("/omgangar/{id}/rangordning{anchor}")).into_response())
}

/// The audited place changes of a save: (field, "P-014: 7", "P-014: 2") for every row whose
/// place in `saved` (item, place) differs from the one it had.
pub fn rank_changes(
    rows: &[BoardRow],
    saved: &[(Uuid, Option<u32>)],
) -> Vec<(&'static str, String, String)> {
    let saved: HashMap<Uuid, Option<u32>> = saved.iter().copied().collect();
    let show = |p: Option<u32>| p.map_or("ej rangordnad".to_owned(), |p| p.to_string());
    rows.iter()
        .filter_map(|row| {
            let new = *saved.get(&row.item_id)?;
            let old = row.rank.and_then(|r| u32::try_from(r).ok());
            (new != old).then(|| {
                (
                    "rank",
                    format!("{}: {}", row.reference(), show(old)),
                    format!("{}: {}", row.reference(), show(new)),
                )
            })
        })
        .collect()
}

/// Headers carry ASCII only; the script decodes this.
fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// What a screen reader hears after a save.
fn announce(order: &[(i32, Option<u32>)], mv: Option<Move<i32>>, changed: usize) -> String {
    let ranked = order.iter().filter(|(_, p)| p.is_some()).count();
    let moved = match mv {
        Some(Move::Up(k) | Move::Down(k)) => {
            order.iter().find(|(id, _)| *id == k).and_then(|o| o.1)
        }
        None => None,
    };
    match moved {
        Some(p) => format!("Flyttad till plats {p} av {ranked}. Rangordningen är sparad."),
        None if changed == 0 => "Rangordningen är oförändrad.".to_owned(),
        None => format!("Rangordningen är sparad: {changed} objekt fick ny plats."),
    }
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
