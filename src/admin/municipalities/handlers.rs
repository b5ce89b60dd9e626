//! The municipalities page: each municipality's hourly cost and its source, and its Word
//! template (`crate::letterheads`), one form of each per municipality.

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
    documents::letterhead::{Letterhead, Summary},
    domain::number,
    letterheads::{self, operations::LetterheadForm, repo::Stored},
    operation::Actor,
    paths,
    web::{AppError, AppState, Chrome, Page, Typed},
};

/// A municipality's template as the page shows it, with its form.
pub struct LetterheadPanel {
    /// The stored template, or none (the house style).
    pub stored: Option<Stored>,
    pub summary: Summary,
    pub typed: Typed<LetterheadForm>,
}

#[derive(Template)]
#[template(path = "admin/municipalities.html")]
struct MunicipalitiesView {
    chrome: Chrome,
    /// Each municipality with its forms: as saved, or as typed when refused.
    rows: Vec<(Settings, Typed<HourlyCostForm>, LetterheadPanel)>,
}

/// A form of one municipality that was refused, shown again with its messages.
pub enum Refused {
    None,
    HourlyCost(Uuid, Typed<HourlyCostForm>),
    Letterhead(Uuid, Typed<LetterheadForm>),
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

async fn panel(
    state: &AppState,
    id: Uuid,
    stored: Option<Stored>,
    typed: Option<Typed<LetterheadForm>>,
) -> Result<LetterheadPanel, AppError> {
    let letterhead = match &stored {
        Some(_) => letterheads::of_municipality(&mut *state.db.acquire().await?, id).await?,
        None => Letterhead::house(),
    };
    let based_on = stored
        .as_ref()
        .map(|s| s.sha256.clone())
        .unwrap_or_default();
    let typed = Typed::or_fresh(
        typed,
        || LetterheadForm {
            based_on: based_on.clone(),
        },
        |form| form.based_on = based_on.clone(),
    );
    Ok(LetterheadPanel {
        stored,
        summary: letterhead.summary(),
        typed,
    })
}

/// The page, with `refused`'s form as typed and its messages.
pub async fn render(
    state: &AppState,
    chrome: Chrome,
    refused: Refused,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let status = match &refused {
        Refused::None => axum::http::StatusCode::OK,
        Refused::HourlyCost(_, t) => t.page_status(),
        Refused::Letterhead(_, t) => t.page_status(),
    };
    let (mut cost, mut template) = match refused {
        Refused::None => (None, None),
        Refused::HourlyCost(id, typed) => (Some((id, typed)), None),
        Refused::Letterhead(id, typed) => (None, Some((id, typed))),
    };
    let mut stored = letterheads::repo::all(&mut conn).await?;
    drop(conn);
    let mut rows = Vec::new();
    for s in repo::all(&mut *state.db.acquire().await?).await? {
        let typed = match cost.take_if(|(id, _)| *id == s.id) {
            Some((_, typed)) => typed,
            None => Typed::fresh(fresh(&s)),
        };
        let own = stored
            .iter()
            .position(|l| l.municipality_id == s.id)
            .map(|i| stored.swap_remove(i));
        let typed_template = template.take_if(|(id, _)| *id == s.id).map(|(_, t)| t);
        let panel = panel(state, s.id, own, typed_template).await?;
        rows.push((s, typed, panel));
    }
    let view = MunicipalitiesView { chrome, rows };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn list_municipalities(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    render(&state, chrome, Refused::None).await
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
            render(&state, page.chrome().await?, Refused::HourlyCost(id, typed)).await
        }
    }
}
