//! The data entry's handlers: extract, call one operation, render or redirect.

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    follow_up::entry::{
        forms::{ActivityForm, NewActivityForm, OccasionForm},
        grid::{self, GridForm},
        keys::{self, KeyForm},
        keys_page, operations, outcome,
        page::{self, BoardGrid, Figures, year_asked},
        policy,
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, CurrentUser, Page, Typed},
};

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    ar: String,
}

/// `path?ar=year`
fn in_year(path: &str, year: i32) -> String {
    format!("{path}?ar={year}")
}

/// The year a grid was posted for; a form without one is not ours.
fn posted_year(form: &GridForm) -> Result<i32, AppError> {
    grid::year(&form.year).map_err(AppError::BadRequest)
}

/// "Inget var ändrat." or "3 månader har sparats." and the like.
fn saved_message(count: usize, one: &str, many: &str) -> String {
    match count {
        0 => "Inget var ändrat.".to_owned(),
        1 => format!("1 {one} har sparats."),
        n => format!("{n} {many} har sparats."),
    }
}

pub async fn show_hub(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    page::render_hub(&state, &page, year_asked(&query.ar)?).await
}

pub async fn show_activities(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path(board): Path<Uuid>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    policy::check_enter(&user, board)?;
    let year = year_asked(&query.ar)?;
    page::render_activities(&state, &page, (board, year), None).await
}

pub async fn create_activity(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(board): Path<Uuid>,
    Query(query): Query<YearQuery>,
    Form(form): Form<NewActivityForm>,
) -> Result<Response, AppError> {
    let year = year_asked(&query.ar)?;
    let to = in_year(&paths::follow_up_activities(board), year);
    match operations::create_activity(&state.db, &actor, board, &form).await {
        Ok(_) => {
            let message = format!("Verksamheten {} har lagts till.", form.code.trim());
            page.done(message, &to).await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_activities(&state, &page, (board, year), Some(typed)).await
        }
    }
}

pub async fn edit_activity(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path((board, activity)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_enter(&user, board)?;
    page::render_activity(&state, &page, (board, activity), None).await
}

pub async fn update_activity(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((board, activity)): Path<(Uuid, Uuid)>,
    Form(form): Form<ActivityForm>,
) -> Result<Response, AppError> {
    let to = paths::follow_up_activities(board);
    match operations::update_activity(&state.db, &actor, (board, activity), &form).await {
        Ok(true) => page.done("Verksamheten har sparats.", &to).await,
        Ok(false) => page.unchanged("Inget var ändrat.", &to).await,
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_activity(&state, &page, (board, activity), Some(typed)).await
        }
    }
}

async fn show_months(
    (state, page, user): (AppState, Page, CurrentUser),
    (board, activity): (Uuid, Uuid),
    query: YearQuery,
    figures: Figures,
) -> Result<Response, AppError> {
    policy::check_enter(&user, board)?;
    let year = year_asked(&query.ar)?;
    page::render_months(&state, &page, (board, activity, year), figures, None).await
}

pub async fn show_budget(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    show_months((state, page, user), ids, query, Figures::Budget).await
}

pub async fn show_outcome(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    show_months((state, page, user), ids, query, Figures::Outcome).await
}

async fn save_months(
    (state, page, actor): (AppState, Page, Actor),
    (board, activity): (Uuid, Uuid),
    form: GridForm,
    figures: Figures,
) -> Result<Response, AppError> {
    let year = posted_year(&form)?;
    let at = (board, activity);
    let saved = match figures {
        Figures::Budget => outcome::save_budget(&state.db, &actor, at, &form, false).await,
        Figures::Spread => outcome::save_budget(&state.db, &actor, at, &form, true).await,
        Figures::Outcome => outcome::save_outcome(&state.db, &actor, at, &form).await,
    };
    match saved {
        Ok(count) => {
            let to = match figures {
                Figures::Budget | Figures::Spread => paths::follow_up_budget(board, activity),
                Figures::Outcome => paths::follow_up_outcome(board, activity),
            };
            let message = saved_message(count, "månad", "månader");
            page.done(message, &in_year(&to, year)).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            let at = (board, activity, year);
            page::render_months(&state, &page, at, figures, Some(typed)).await
        }
    }
}

pub async fn save_budget(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(ids): Path<(Uuid, Uuid)>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    save_months((state, page, actor), ids, form, Figures::Budget).await
}

pub async fn spread_budget(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(ids): Path<(Uuid, Uuid)>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    save_months((state, page, actor), ids, form, Figures::Spread).await
}

pub async fn save_outcome(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(ids): Path<(Uuid, Uuid)>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    save_months((state, page, actor), ids, form, Figures::Outcome).await
}

pub async fn show_occasions(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    page::render_occasions(&state, &page, (year_asked(&query.ar)?, None), None).await
}

pub async fn create_occasion(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<OccasionForm>,
) -> Result<Response, AppError> {
    match operations::create_occasion(&state.db, &actor, &form).await {
        Ok(year) => {
            let to = in_year(&paths::follow_up_occasions(), year);
            page.done("Tillfället har lagts till.", &to).await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::follow_up_occasions()).await,
        Err(refusal) => {
            let year = grid::year(&form.year).unwrap_or_else(|_| year_asked("").unwrap_or(2000));
            let typed = Typed::refused(form, refusal)?;
            page::render_occasions(&state, &page, (year, None), Some(typed)).await
        }
    }
}

pub async fn edit_occasion(
    State(state): State<AppState>,
    page: Page,
    Path(occasion): Path<Uuid>,
) -> Result<Response, AppError> {
    page::render_occasions(&state, &page, (0, Some(occasion)), None).await
}

pub async fn update_occasion(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(occasion): Path<Uuid>,
    Form(form): Form<OccasionForm>,
) -> Result<Response, AppError> {
    match operations::update_occasion(&state.db, &actor, occasion, &form).await {
        Ok(year) => {
            let to = in_year(&paths::follow_up_occasions(), year);
            page.done("Tillfället har sparats.", &to).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_occasions(&state, &page, (0, Some(occasion)), Some(typed)).await
        }
    }
}

async fn show_board_grid(
    (state, page, user): (AppState, Page, CurrentUser),
    board: Uuid,
    query: YearQuery,
    grid: BoardGrid,
) -> Result<Response, AppError> {
    policy::check_enter(&user, board)?;
    let year = year_asked(&query.ar)?;
    page::render_board_grid(&state, &page, grid, (board, year), None).await
}

async fn save_board_grid(
    (state, page, actor): (AppState, Page, Actor),
    board: Uuid,
    form: GridForm,
    grid: BoardGrid,
) -> Result<Response, AppError> {
    let year = posted_year(&form)?;
    let saved = match grid {
        BoardGrid::Key => operations::save_member_key(&state.db, &actor, board, &form).await,
        BoardGrid::ProjectYears => {
            operations::save_project_years(&state.db, &actor, board, &form).await
        }
    };
    match saved {
        Ok(count) => {
            let message = match grid {
                BoardGrid::Key => saved_message(count, "andel", "andelar"),
                BoardGrid::ProjectYears => saved_message(count, "projektanslag", "projektanslag"),
            };
            page.done(message, &in_year(&grid.path(board), year)).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_board_grid(&state, &page, grid, (board, year), Some(typed)).await
        }
    }
}

pub async fn show_member_key(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path(board): Path<Uuid>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    show_board_grid((state, page, user), board, query, BoardGrid::Key).await
}

pub async fn save_member_key(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(board): Path<Uuid>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    save_board_grid((state, page, actor), board, form, BoardGrid::Key).await
}

pub async fn show_project_years(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path(board): Path<Uuid>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    show_board_grid((state, page, user), board, query, BoardGrid::ProjectYears).await
}

pub async fn save_project_years(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(board): Path<Uuid>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    save_board_grid((state, page, actor), board, form, BoardGrid::ProjectYears).await
}

pub async fn show_keys(
    State(state): State<AppState>,
    page: Page,
    user: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_enter(&user, ids.0)?;
    keys_page::render_keys(&state, &page, ids, None).await
}

pub async fn add_key(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((board, activity)): Path<(Uuid, Uuid)>,
    Form(form): Form<KeyForm>,
) -> Result<Response, AppError> {
    let to = paths::follow_up_keys(board, activity);
    match keys::add(&state.db, &actor, (board, activity), &form).await {
        Ok(key) => {
            let message = format!("Nyckeln {} har lagts till.", key.describe());
            page.done(message, &to).await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            keys_page::render_keys(&state, &page, (board, activity), Some(typed)).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct KeyChoice {
    key: Uuid,
}

pub async fn remove_key(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((board, activity)): Path<(Uuid, Uuid)>,
    Form(form): Form<KeyChoice>,
) -> Result<Response, AppError> {
    let to = paths::follow_up_keys(board, activity);
    match keys::remove(&state.db, &actor, (board, activity), form.key).await {
        Ok(key) => {
            let message = format!("Nyckeln {} har tagits bort.", key.describe());
            page.done(message, &to).await
        }
        Err(refusal) => page.refused_because(refusal, &to).await,
    }
}
