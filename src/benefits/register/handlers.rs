//! The benefit register's handlers: the register, a benefit's page, and its three forms
//! (follow-up, measurement, effect goals). The writes live in `operations`, the views in `page`.

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    benefits::register::{
        forms::{FilterForm, FollowUpForm, GoalLinksForm, MeasurementForm},
        operations,
        page::{Forms, render_benefit, render_register},
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed},
};

pub async fn list_benefits(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Query(filter): Query<FilterForm>,
) -> Result<Response, AppError> {
    render_register(&state, chrome, &me, filter).await
}

pub async fn show_benefit(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_benefit(&state, chrome, &me, id, Forms::default()).await
}

async fn refused(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: Uuid,
    forms: Forms,
) -> Result<Response, AppError> {
    render_benefit(state, page.chrome().await?, &actor.user, id, forms).await
}

pub async fn update_follow_up(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    match operations::update_follow_up(&state.db, &actor, id, &form).await {
        Ok(()) => {
            page.done("Uppföljningen har sparats.", &paths::benefit(id))
                .await
        }
        Err(refusal) => {
            let follow_up = Some(Typed::refused(form, refusal)?);
            let forms = Forms {
                follow_up,
                ..Forms::default()
            };
            refused(&state, &page, &actor, id, forms).await
        }
    }
}

pub async fn create_measurement(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<MeasurementForm>,
) -> Result<Response, AppError> {
    let saved = operations::record_measurement(&state.db, &actor, (id, form.submission), &form);
    let to = format!("{}#matningar", paths::benefit(id));
    match saved.await {
        Ok(_) => page.done("Mätningen har registrerats.", &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let measurement = Some(Typed::refused(form, refusal)?);
            let forms = Forms {
                measurement,
                ..Forms::default()
            };
            refused(&state, &page, &actor, id, forms).await
        }
    }
}

pub async fn update_goal_links(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<GoalLinksForm>,
) -> Result<Response, AppError> {
    match operations::set_goal_links(&state.db, &actor, id, &form).await {
        Ok(()) => {
            let to = format!("{}#effektmal", paths::benefit(id));
            page.done("Kopplingen till effektmålen har sparats.", &to)
                .await
        }
        Err(refusal) => {
            let (errors, _) = refusal.for_form()?;
            let forms = Forms {
                goals: Some(errors),
                ..Forms::default()
            };
            refused(&state, &page, &actor, id, forms).await
        }
    }
}
