//! The decision form and the correction form, each beside the report it changes.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    follow_up::{
        decision::forms::{CorrectionForm, DecisionForm},
        report::{self, Report},
    },
    web::{AppError, AppState, Chrome, Page, Typed, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "follow_up/decision.html")]
struct DecisionView {
    chrome: Chrome,
    report: Report,
    form: DecisionForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

#[derive(Template)]
#[template(path = "follow_up/correction.html")]
struct CorrectionView {
    chrome: Chrome,
    report: Report,
    form: CorrectionForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

async fn load(state: &AppState, (occasion, board): (Uuid, Uuid)) -> Result<Report, AppError> {
    let mut conn = state.db.acquire().await?;
    report::load(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn render_decision(
    state: &AppState,
    page: &Page,
    at: (Uuid, Uuid),
    typed: Option<Typed<DecisionForm>>,
) -> Result<Response, AppError> {
    let report = load(state, at).await?;
    let typed = Typed::or_fresh(
        typed,
        || DecisionForm::from_report(&report),
        |f| f.version = report.header.version.to_string(),
    );
    let status = typed.page_status();
    let view = DecisionView {
        chrome: page.chrome().await?,
        report,
        form: typed.form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn render_correction(
    state: &AppState,
    page: &Page,
    at: (Uuid, Uuid),
    typed: Option<Typed<CorrectionForm>>,
) -> Result<Response, AppError> {
    let report = load(state, at).await?;
    let typed = Typed::or_fresh(
        typed,
        || CorrectionForm::from_report(&report),
        |f| f.version = report.header.version.to_string(),
    );
    let status = typed.page_status();
    let view = CorrectionView {
        chrome: page.chrome().await?,
        report,
        form: typed.form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The first day of the period's last month of the report at `at`: no decision before it.
pub async fn period_last_month(
    state: &AppState,
    (occasion, board): (Uuid, Uuid),
) -> Result<chrono::NaiveDate, AppError> {
    let mut conn = state.db.acquire().await?;
    let header = crate::follow_up::repo::header(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(header.occasion.last_month())
}
