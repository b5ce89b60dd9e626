//! The budget tab's lines: the page, saving the grid (or one line's form, a grid of one) and
//! adding a line. The writes live in `operations`: a total above the project's appropriation is
//! saved only once the user has confirmed it on the same form.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    budget::{
        forms::{self, GridForm, NewLineForm},
        operations::{self, LinesRefusal, over_note},
        page::{BudgetTyped, LineRef, LineTyped, render_budget, render_line},
    },
    operation::Actor,
    paths,
    web::{AppError, AppState, CurrentUser, Page},
};

// The line page, outcome entries and sub-entities live in `entries`; the router names every
// budget handler here.
pub use crate::budget::entries::{create_entry, create_sub_entity, show_line};

pub async fn show_budget(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_budget(&state, &page, &me, id, BudgetTyped::default()).await
}

/// The project's budget lines with their outcome and deviation as an Excel workbook.
pub async fn export_budget(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (name, bytes) = crate::budget::export::project_workbook(&state, &me, id).await?;
    Ok(crate::web::download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}

/// Saves the grid: every changed line whose version still matches, or nothing at all.
pub async fn update_lines(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    match operations::save_lines(&state.db, &actor, id, &form).await {
        Ok(saved) => page.done(saved.message(), &paths::project_budget(id)).await,
        Err(refusal) => {
            let typed = BudgetTyped::refused(refusal)?;
            render_budget(&state, &page, &actor.user, id, typed).await
        }
    }
}

/// Saves one line (the line's own form posts a grid of one row).
pub async fn update_line(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, line_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let rows = form.rows();
    if rows.len() != 1 || forms::line_id(&rows[0]) != Some(line_id) {
        return Err(AppError::BadRequest(
            "Formuläret gäller en annan budgetpost.".into(),
        ));
    }
    match operations::save_lines(&state.db, &actor, id, &form).await {
        Ok(saved) => {
            page.done(saved.message(), &paths::budget_line(id, line_id))
                .await
        }
        Err(refusal) => {
            let at = LineRef {
                project: id,
                line: line_id,
            };
            let typed = LineTyped::refused(refusal)?;
            render_line(&state, &page, &actor.user, at, typed).await
        }
    }
}

pub async fn create_line(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<NewLineForm>,
) -> Result<Response, AppError> {
    match operations::add_line(&state.db, &actor, id, &form).await {
        Ok((category, over)) => {
            let message = format!("Budgetposten ”{category}” har lagts till.");
            page.done(message + &over_note(over), &paths::project_budget(id))
                .await
        }
        Err(LinesRefusal::AlreadySent) => page.sent_before(&paths::project_budget(id)).await,
        Err(refusal) => {
            let typed = BudgetTyped::refused(refusal)?;
            render_budget(&state, &page, &actor.user, id, typed).await
        }
    }
}
