//! The follow-up's pages: the overview of every board's status at the year's occasions, and one
//! board's report at one occasion.

use axum::{
    extract::{Path, Query, State},
    response::{Html, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    follow_up::{decision, forms::ForecastForm, operations, page, policy},
    operation::Actor,
    paths,
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed},
};

#[derive(Debug, Default, Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    ar: String,
}

pub async fn show_overview(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
    Query(query): Query<OverviewQuery>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let overview = page::Overview::load(&mut conn, &user, &query.ar).await?;
    page::render_overview(chrome, overview)
}

pub async fn show_report(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let report = policy::readable_report(&mut conn, &user, (occasion, board)).await?;
    let corrections = decision::record::corrections(&mut conn, &report).await?;
    page::render_report(chrome, &user, report, corrections)
}

pub async fn edit_forecast(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_write(&user, board)?;
    page::render_forecast_form(&state, &page, (occasion, board), None).await
}

pub async fn save_forecast(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((occasion, board)): Path<(Uuid, Uuid)>,
    Form(form): Form<ForecastForm>,
) -> Result<Response, AppError> {
    let refusal = match form.parse() {
        Ok(input) => {
            match operations::save_forecast(&state.db, &actor, board, occasion, input).await {
                Ok(()) => {
                    let to = paths::follow_up(occasion, board);
                    return page.done("Prognoser och text är sparade.", &to).await;
                }
                Err(refusal) => refusal,
            }
        }
        Err(errors) => crate::operation::Refusal::Invalid(errors),
    };
    let typed = Typed::refused(form, refusal)?;
    page::render_forecast_form(&state, &page, (occasion, board), Some(typed)).await
}
