//! The action plan page (measures with their approval and the actions each role may take) and
//! the measure form.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::{
        follow_up::action_plan::{DecidedBy, Stage},
        money::Money,
    },
    follow_up::{
        plan::{
            forms::MeasureForm,
            repo::{self, PlanMeasure},
        },
        policy,
        repo::{self as report_repo, Header},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed, form::FieldErrors, format},
};

#[derive(Template)]
#[template(path = "follow_up/plan.html")]
struct PlanView {
    chrome: Chrome,
    header: Header,
    measures: Vec<PlanMeasure>,
    can_edit: bool,
    can_approve: bool,
    /// The board's head of administration on a report that is submitted or decided: told why
    /// there is nothing to approve.
    approval_closed: bool,
}

impl PlanView {
    fn mnkr2(&self, amount: &Money) -> String {
        amount.format_mnkr_cents()
    }

    fn period(&self) -> String {
        crate::domain::follow_up::text::period_name(
            self.header.occasion.year,
            self.header.occasion.through(),
        )
    }

    fn approved_on(&self, m: &PlanMeasure) -> String {
        m.approved_at.map(format::date_time).unwrap_or_default()
    }
}

pub async fn render_plan(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    (occasion, board): (Uuid, Uuid),
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let header = report_repo::header(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_read(me, board)?;
    let measures = repo::measures(&mut conn, board, occasion).await?;
    let view = PlanView {
        chrome,
        can_edit: policy::may_write(me, board) && policy::editable(header.status),
        // An approval changes the full-year forecast: only while the report is in progress.
        can_approve: policy::may_approve(me, board) && policy::editable(header.status),
        approval_closed: policy::may_approve(me, board) && !policy::editable(header.status),
        header,
        measures,
    };
    Ok(Html(view.render()?))
}

#[derive(Template)]
#[template(path = "follow_up/measure.html")]
struct MeasureView {
    chrome: Chrome,
    header: Header,
    /// None for a new measure.
    measure: Option<Uuid>,
    form: MeasureForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl MeasureView {
    fn decided_by_options(&self) -> [DecidedBy; 2] {
        DecidedBy::ALL
    }

    fn stage_options(&self) -> [Stage; 2] {
        Stage::ALL
    }

    fn groups(&self) -> std::ops::RangeInclusive<u8> {
        1..=crate::domain::follow_up::action_plan::GROUPS
    }
}

/// The measure form: new (`measure` none) or a saved one, fresh or as typed.
pub async fn render_measure(
    state: &AppState,
    page: &Page,
    (occasion, board, measure): (Uuid, Uuid, Option<Uuid>),
    typed: Option<Typed<MeasureForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let header = report_repo::header(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::editable(header.status) {
        return Err(AppError::Conflict(policy::NOT_IN_PROGRESS.to_owned()));
    }
    let saved = match measure {
        Some(id) => Some(
            repo::measures(&mut conn, board, occasion)
                .await?
                .into_iter()
                .find(|m| m.id == id)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let fresh = saved.as_ref().map_or_else(MeasureForm::fresh, form_of);
    let typed = Typed::or_fresh(
        typed,
        || fresh,
        |f| {
            if let Some(saved) = &saved {
                f.version = saved.version.to_string();
            }
        },
    );
    let status = typed.page_status();
    let form = typed.form;
    let view = MeasureView {
        chrome: page.chrome().await?,
        header,
        measure,
        form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The form of a saved measure, amounts as people write them.
fn form_of(saved: &PlanMeasure) -> MeasureForm {
    let m = &saved.measure;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    MeasureForm {
        submission: crate::operation::Submission::fresh(),
        version: saved.version.to_string(),
        group: m.group.to_string(),
        number: m.number.to_string(),
        activity: m.activity.clone(),
        description: m.description.clone(),
        goal: m.goal.clone(),
        decided_by: m
            .decided_by
            .map(|d| d.code().to_owned())
            .unwrap_or_default(),
        decided_on: date(m.decided_on),
        stage: m.stage.map(|s| s.code().to_owned()).unwrap_or_default(),
        go_live: date(m.go_live),
        effect_period: m.effect_period.format_kr(),
        effect_forecast: m.effect_forecast.format_kr(),
        in_forecast: if m.in_forecast {
            "ja".into()
        } else {
            String::new()
        },
    }
}
