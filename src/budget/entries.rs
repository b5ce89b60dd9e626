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
    Path((project, line)): Path<(Uuid, Uuid)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let booked = match form.parse() {
        Ok(entry) => {
            let source = OutcomeSource::Manual;
            let new = NewOutcome {
                project,
                line,
                entry,
                source,
                submission: form.submission,
                line_version: None,
            };
            operations::record_outcome(&state.db, &actor, new).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    let to = paths::budget_line(project, line);
    match booked {
        Ok((_, entry)) => page.done(booked_message(&entry), &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(Refusal::Invalid(errors)) => {
            let typed = LineTyped {
                entry: form,
                errors,
                ..LineTyped::default()
            };
            let at = LineRef { project, line };
            render_line(&state, &page, &actor.user, at, typed).await
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// "Utfall 1 200 kr för 2026-03 har registrerats."
fn booked_message(entry: &crate::budget::repo::EntryInput) -> String {
    let month = entry.month.format("%Y-%m");
    format!(
        "Utfall {} kr för {month} har registrerats.",
        entry.amount.format_kr()
    )
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
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::project_budget(id)).await,
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
