//! The suggestion page: the selection with the most benefit within the round's frames, a
//! reason for every item, and the frontier of benefit versus cost as an accessible chart.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    domain::{optimiser::Selection, portfolio::Phase, role::Role},
    portfolio::{
        board::repo as board_repo,
        rounds::repo::Round,
        scope::load_round,
        suggestion::analysis::{self, Analysis, Explained, Point, kronor},
    },
    web::{AppError, AppState, Chrome, CurrentUser},
};

#[derive(Template)]
#[template(path = "portfolio/suggestion.html")]
struct SuggestionView {
    chrome: Chrome,
    round: Round,
    selection: Selection,
    items: Vec<Explained>,
    frontier: Vec<Point>,
    /// The board's current selection (above the cut line), for comparison.
    current: Point,
    suggested: Point,
    /// Where the budget frame stands on the cost axis, and the benefit at the top of the chart.
    budget_x: i64,
    axis_cost: crate::domain::money::Money,
    top_benefit: Decimal,
    benefit_total: Decimal,
    can_apply: bool,
    /// The round's prioritisation model: (id, name).
    model: (Uuid, String),
}

impl SuggestionView {
    fn money(&self, ore: impl std::borrow::Borrow<u64>) -> String {
        kronor(*ore.borrow()).format_kr()
    }
    fn hours(&self, h: impl ToString) -> String {
        crate::portfolio::views::hours(h)
    }
    fn num(&self, value: impl std::borrow::Borrow<Decimal>) -> String {
        crate::domain::number::format_quantity(*value.borrow())
    }
    /// A marker's label above it, kept inside the drawing.
    fn above(&self, p: &Point) -> i64 {
        (p.y - 12).max(14)
    }
    fn below(&self, p: &Point) -> i64 {
        (p.y + 22).min(256)
    }
    fn items_chosen(&self) -> usize {
        self.items.iter().filter(|e| e.chosen).count()
    }
    fn polyline(&self) -> String {
        self.frontier
            .iter()
            .map(|p| format!("{},{}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The suggestion for round `id`.
pub async fn render_suggestion(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    let rows = board_repo::rows(&mut conn, id).await?;
    let model = crate::portfolio::models::repo::of_round(&mut conn, id).await?;
    drop(conn);
    let Analysis {
        selection,
        items,
        frontier,
        current,
        suggested,
        budget_x,
        axis_cost,
        top_benefit,
        benefit_total,
    } = analysis::analyse(&round, &rows).await?;
    let view = SuggestionView {
        chrome,
        can_apply: me.has_role(Role::CoordinationGroup) && round.phase() == Phase::Meeting,
        round,
        selection,
        items,
        frontier,
        current,
        suggested,
        budget_x,
        axis_cost,
        top_benefit,
        benefit_total,
        model: (model.id, model.name),
    };
    Ok(Html(view.render()?).into_response())
}
