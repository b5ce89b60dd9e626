//! The municipalities page: each municipality's hourly cost and its source, one form per row.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    admin::municipalities::{
        operations::{self, HourlyCostForm},
        repo::{self, Settings},
    },
    domain::number,
    operation::Actor,
    paths,
    web::{AppError, AppState, Chrome, Page, Typed},
};

#[derive(Template)]
#[template(path = "admin/municipalities.html")]
struct MunicipalitiesView {
    chrome: Chrome,
    /// Each municipality with its form: as saved, or as typed when refused.
    rows: Vec<(Settings, Typed<HourlyCostForm>)>,
}

fn fresh(s: &Settings) -> HourlyCostForm {
    HourlyCostForm {
        hourly_cost: s
            .hourly_cost
            .map(number::format_quantity)
            .unwrap_or_default(),
        hourly_cost_source: s.hourly_cost_source.clone(),
        version: s.version,
    }
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    refused: Option<(Uuid, Typed<HourlyCostForm>)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut refused = refused;
    let status = refused
        .as_ref()
        .map_or(axum::http::StatusCode::OK, |(_, t)| t.page_status());
    let rows = repo::all(&mut conn)
        .await?
        .into_iter()
        .map(|s| {
            let typed = match refused.take_if(|(id, _)| *id == s.id) {
                Some((_, typed)) => typed,
                None => Typed::fresh(fresh(&s)),
            };
            (s, typed)
        })
        .collect();
    let view = MunicipalitiesView { chrome, rows };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn list_municipalities(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    render(&state, chrome, None).await
}

pub async fn update_municipality(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<HourlyCostForm>,
) -> Result<Response, AppError> {
    match operations::save_hourly_cost(&state.db, &actor, id, &form).await {
        Ok(name) => {
            let message = format!("Timkostnaden för {name} har sparats.");
            page.done(message, &paths::municipalities()).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render(&state, page.chrome().await?, Some((id, typed))).await
        }
    }
}
