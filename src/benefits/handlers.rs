//! The benefit calculation's handlers: a project's or an item's calculation (or the form that
//! starts one), the calculation page with its versions, its three forms, the removal of a
//! benefit and the Excel export. The writes live in `operations`, the views in `page`.

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    benefits::{
        forms::{LineForm, SettingsForm, StakeholderForm},
        operations,
        page::{Forms, render_calculation, render_new},
        policy, repo,
        repo::Subject,
        xlsx,
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, CurrentUser, Page, Typed, download, format},
};

/// The calculation of `subject`, or the page that starts one.
async fn show_subject(
    state: &AppState,
    page: &Page,
    me: &CurrentUser,
    subject: Subject,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let view = policy::load_subject(&mut conn, subject, me).await?;
    if let Some(id) = repo::of_subject(&mut conn, subject).await? {
        return Ok(Redirect::to(&paths::calculation(id)).into_response());
    }
    let hourly = repo::default_hourly_cost(&mut conn, &view.municipalities).await?;
    drop(conn);
    let year = chrono::Datelike::year(&format::today());
    let form = Typed::fresh(SettingsForm::new_for(year, hourly));
    render_new(page.chrome().await?, me, view, form).await
}

async fn create_for(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    subject: Subject,
    form: SettingsForm,
) -> Result<Response, AppError> {
    let created = match form.parse() {
        Ok(settings) => {
            let at = (subject, form.submission);
            operations::create_calculation(&state.db, actor, at, &settings).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match created {
        Ok(id) => {
            page.done("Nyttokalkylen har skapats.", &paths::calculation(id))
                .await
        }
        Err(Refusal::AlreadySent(_)) => {
            let mut conn = state.db.acquire().await?;
            let to = match repo::of_subject(&mut conn, subject).await? {
                Some(id) => paths::calculation(id),
                None => paths::start(),
            };
            page.sent_before(&to).await
        }
        Err(refusal) => {
            let mut conn = state.db.acquire().await?;
            let view = policy::load_subject(&mut conn, subject, &actor.user).await?;
            drop(conn);
            let typed = Typed::refused(form, refusal)?;
            render_new(page.chrome().await?, &actor.user, view, typed).await
        }
    }
}

pub async fn show_project_calculation(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    show_subject(&state, &page, &me, Subject::Project(id)).await
}

pub async fn create_project_calculation(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    create_for(&state, &page, &actor, Subject::Project(id), form).await
}

pub async fn show_item_calculation(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    show_subject(&state, &page, &me, Subject::Item(id)).await
}

pub async fn create_item_calculation(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    create_for(&state, &page, &actor, Subject::Item(id), form).await
}

pub async fn show_application_calculation(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    show_subject(&state, &page, &me, Subject::Application(id)).await
}

pub async fn create_application_calculation(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    create_for(&state, &page, &actor, Subject::Application(id), form).await
}

#[derive(Debug, Default, Deserialize)]
pub struct VersionQuery {
    #[serde(default)]
    version: Option<String>,
}

impl VersionQuery {
    /// The frozen version asked for, if any; a version that is no number is not found.
    fn number(&self) -> Result<Option<i32>, AppError> {
        self.version
            .as_deref()
            .map(|v| v.parse::<i32>().map_err(|_| AppError::NotFound))
            .transpose()
    }
}

pub async fn show_calculation(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let number = query.number()?;
    render_calculation(
        &state,
        page.chrome().await?,
        &me,
        (id, number),
        Forms::default(),
    )
    .await
}

/// What a refused form of the calculation page shows again.
async fn refused(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: Uuid,
    forms: Forms,
) -> Result<Response, AppError> {
    render_calculation(state, page.chrome().await?, &actor.user, (id, None), forms).await
}

pub async fn update_settings(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(s) => operations::update_settings(&state.db, &actor, (id, form.version), &s).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(()) => {
            page.done("Kalkylens indata har sparats.", &paths::calculation(id))
                .await
        }
        Err(refusal) => {
            let settings = Some(Typed::refused(form, refusal)?);
            let forms = Forms {
                settings,
                ..Forms::default()
            };
            refused(&state, &page, &actor, id, forms).await
        }
    }
}

pub async fn add_stakeholder(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<StakeholderForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(name) => {
            operations::add_stakeholder(&state.db, &actor, (id, form.submission), &name).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    let to = format!("{}#intressenter", paths::calculation(id));
    match saved {
        Ok(_) => page.done("Intressenten har lagts till.", &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let stakeholder = Some(Typed::refused(form, refusal)?);
            let forms = Forms {
                stakeholder,
                ..Forms::default()
            };
            refused(&state, &page, &actor, id, forms).await
        }
    }
}

pub async fn add_line(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<LineForm>,
) -> Result<Response, AppError> {
    let saved = operations::add_line(&state.db, &actor, (id, form.submission), &form).await;
    let to = format!("{}#nyttor", paths::calculation(id));
    match saved {
        Ok(_) => page.done("Nyttan har lagts till.", &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let line = Some(Typed::refused(form, refusal)?);
            let forms = Forms {
                line,
                ..Forms::default()
            };
            refused(&state, &page, &actor, id, forms).await
        }
    }
}

pub async fn remove_line(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, benefit)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let description = operations::remove_line(&state.db, &actor, (id, benefit)).await?;
    let message = format!("Nyttan ”{description}” har tagits bort ur kalkylen.");
    page.done(message, &format!("{}#nyttor", paths::calculation(id)))
        .await
}

/// The calculation (or a frozen version) as an Excel workbook with live formulas.
pub async fn download_xlsx(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let live = repo::find(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = policy::load_subject(&mut conn, live.subject(), &me).await?;
    let (calculation, suffix) = match query.number()? {
        None => (live, String::new()),
        Some(n) => {
            let (_, c) = repo::version(&mut conn, id, n)
                .await?
                .ok_or(AppError::NotFound)?;
            (c, format!(" version {n}"))
        }
    };
    let title = format!("Nyttokalkyl {}{suffix}", subject.title);
    let bytes = xlsx::write(&title, &calculation.inputs(), xlsx::Cached::ModelResults)
        .map_err(AppError::Internal)?;
    Ok(download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{title}.xlsx"),
        bytes,
    ))
}
