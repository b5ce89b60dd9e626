//! One budget line's page and its outcome entries (utfall), and the project's sub-entities:
//! the budget tab's forms besides the lines themselves.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    budget::{
        forms::{EntryForm, SubEntityForm},
        operations::{self, NewOutcome},
        page::{BudgetTyped, LineRef, LineTyped, render_budget, render_line},
    },
    domain::budget::OutcomeSource,
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, CurrentUser, Page},
};

pub async fn show_line(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path((project, line)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let at = LineRef { project, line };
    render_line(&state, &page, &me, at, LineTyped::default()).await
}

/// Books an outcome entry typed on the line page.
pub async fn create_entry(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, line_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(entry) => {
            let new = NewOutcome {
                project: id,
                line: line_id,
                entry: entry.clone(),
                source: OutcomeSource::Manual,
            };
            operations::record_outcome(&state.db, &actor, new)
                .await
                .map(|_| entry)
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(entry) => {
            let message = format!(
                "Utfall {} kr för {} har registrerats.",
                entry.amount.format_kr(),
                entry.month.format("%Y-%m")
            );
            page.done(message, &paths::budget_line(id, line_id)).await
        }
        Err(Refusal::Invalid(errors)) => {
            let typed = LineTyped {
                entry: form,
                errors,
                ..LineTyped::default()
            };
            let at = LineRef {
                project: id,
                line: line_id,
            };
            render_line(&state, &page, &actor.user, at, typed).await
        }
        Err(refusal) => Err(refusal.into()),
    }
}

pub async fn create_sub_entity(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<SubEntityForm>,
) -> Result<Response, AppError> {
    match operations::add_sub_entity(&state.db, &actor, id, &form).await {
        Ok(name) => {
            let message = format!("Delenheten ”{name}” har lagts till.");
            page.done(message, &paths::project_budget(id)).await
        }
        Err(refusal) => {
            let (errors, _) = refusal.for_form()?;
            let typed = BudgetTyped {
                sub_entity: form,
                errors,
                ..BudgetTyped::default()
            };
            render_budget(&state, &page, &actor.user, id, typed).await
        }
    }
}
