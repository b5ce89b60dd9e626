//! HTTP for prioritisation models and an item's scores on a model's own criteria.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::{Actor, Refusal},
    paths,
    portfolio::{
        items::page::{ItemTyped, render_item},
        models::{
            forms::{ModelForm, NewModelForm, ScoresForm},
            operations, page,
        },
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed},
};

pub async fn list_models(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    page::render_list(&state, chrome, &me, Typed::fresh(NewModelForm::default())).await
}

pub async fn create_model(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<NewModelForm>,
) -> Result<Response, AppError> {
    match operations::create_model(&state.db, &actor, &form).await {
        Ok(id) => {
            let message = "Modellen har lagts upp. Ändra dess kriterier, skala och vikter nedan.";
            page.done(message, &paths::scoring_model(id)).await
        }
        Err(Refusal::AlreadySent(first)) => {
            let to = first.map_or_else(paths::scoring_models, paths::scoring_model);
            page.sent_before(&to).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_list(&state, page.chrome().await?, &actor.user, typed).await
        }
    }
}

pub async fn show_model(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    page::render_model(&state, chrome, &me, id, None).await
}

pub async fn update_model(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ModelForm>,
) -> Result<Response, AppError> {
    match operations::update_model(&state.db, &actor, id, &form).await {
        Ok(name) => {
            let message = format!("Modellen {name} har sparats.");
            page.done(message, &paths::scoring_model(id)).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render_model(&state, page.chrome().await?, &actor.user, id, Some(typed)).await
        }
    }
}

pub async fn save_item_scores(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ScoresForm>,
) -> Result<Response, AppError> {
    match operations::save_item_scores(&state.db, &actor, id, &form).await {
        Ok(changed) => {
            let message = if changed {
                "Poängen har sparats."
            } else {
                "Poängen var redan de sparade; inget ändrades."
            };
            page.done(message, &paths::item(id)).await
        }
        Err(refusal) => {
            let (errors, conflict) = match refusal {
                Refusal::Invalid(errors) => (errors, false),
                Refusal::Conflict(_) => (Default::default(), true),
                other => return Err(other.into()),
            };
            let typed = ItemTyped {
                scores: Some(form),
                errors,
                conflict,
                ..ItemTyped::default()
            };
            render_item(&state, page.chrome().await?, &actor.user, id, typed).await
        }
    }
}
