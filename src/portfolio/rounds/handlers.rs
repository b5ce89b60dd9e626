//! The round requests: the list and a new round, a round's overview, its settings, weights,
//! phase and new items. Each calls one operation and redirects to the round, or shows the form
//! again with what was refused.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::{Actor, Refusal},
    paths,
    portfolio::rounds::{
        forms::{AdvanceForm, ModelForm, NewRoundForm, SettingsForm},
        operations,
        page::{self, RoundTyped},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page},
};

pub async fn list_rounds(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    page::render_list(&state, chrome, &me, None).await
}

pub async fn create_round(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<NewRoundForm>,
) -> Result<Response, AppError> {
    let created = match form.parse(crate::web::format::today()) {
        Ok(new) => operations::create_round(&state.db, &actor, (&new, form.submission))
            .await
            .map(|(id, taken)| (id, taken, new.quarter)),
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match created {
        Ok((id, taken, quarter)) => {
            let message = format!("Omgång {quarter} är skapad med {taken} objekt från portföljen.");
            page.done(message, &paths::round(id)).await
        }
        Err(Refusal::AlreadySent(first)) => {
            let to = first.map_or_else(paths::rounds, paths::round);
            page.sent_before(&to).await
        }
        Err(Refusal::Invalid(errors)) => {
            let chrome = page.chrome().await?;
            page::render_list(&state, chrome, &actor.user, Some((form, errors))).await
        }
        Err(refusal) => Err(refusal.into()),
    }
}

pub async fn show_round(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    page::render_round(&state, chrome, me, id, RoundTyped::default()).await
}

/// The round page again after a refused save, with the form as typed (`typed` names which).
async fn refused(
    state: &AppState,
    page: &Page,
    actor: Actor,
    id: Uuid,
    (mut typed, refusal): (RoundTyped, Refusal),
) -> Result<Response, AppError> {
    match refusal {
        Refusal::Invalid(errors) => typed.errors = errors,
        Refusal::Conflict(_) => typed.conflict = true,
        refusal @ (Refusal::Failed(_) | Refusal::AlreadySent(_)) => return Err(refusal.into()),
    }
    page::render_round(state, page.chrome().await?, actor.user, id, typed).await
}

pub async fn update_settings(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(settings) => {
            operations::update_settings(&state.db, &actor, (id, form.version), &settings).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(()) => {
            page.done("Omgångens ramar har sparats.", &paths::round(id))
                .await
        }
        Err(refusal) => {
            let typed = RoundTyped {
                settings: Some(form),
                ..RoundTyped::default()
            };
            refused(&state, &page, actor, id, (typed, refusal)).await
        }
    }
}

pub async fn choose_model(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ModelForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(model) => operations::choose_model(&state.db, &actor, (id, form.version), model).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(name) => {
            let message = format!("Omgången värderar nu objekten med modellen {name}.");
            page.done(message, &paths::round(id)).await
        }
        Err(refusal) => {
            let typed = RoundTyped {
                model: Some(form),
                ..RoundTyped::default()
            };
            refused(&state, &page, actor, id, (typed, refusal)).await
        }
    }
}

/// Moves a round from compiling to review, or from review to the meeting.
pub async fn advance_phase(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<AdvanceForm>,
) -> Result<Response, AppError> {
    let (quarter, to) = operations::advance_phase(&state.db, &actor, (id, form.version)).await?;
    let phase = to.in_sentence();
    let message = format!("Omgång {quarter} är nu i fasen {phase}.");
    page.done(message, &paths::round(id)).await
}

/// Takes items added to the portfolio since the round was created onto its agenda.
pub async fn take_items(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let taken = operations::take_items(&state.db, &actor, id).await?;
    let message = format!("{taken} nya objekt har tagits in.");
    page.done(message, &paths::round(id)).await
}
