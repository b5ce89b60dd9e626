//! The fund's pages: the overview of every fund year, a fund year with its directions and
//! applications, and an application with its decision and follow-ups.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    domain::{
        fund::{format_share, share},
        money::Money,
    },
    fund::{
        forms::{ApplicationForm, DecisionForm, DirectionForm, FollowUpForm, FundForm},
        policy::{check_visible, may_write},
        repo::{self, Application, Direction, FollowUp, FundYear},
    },
    projects::scope,
    web::{AppError, AppState, Chrome, CurrentUser, Typed},
};

/// Kronor as the tables show them.
pub fn kr(amount: &Decimal) -> String {
    Money::from_stored(*amount).format_kr()
}

/// "2 av 3" and the share of granted money with a realised benefit.
pub fn followed(f: &FundYear) -> String {
    format!("{} av {}", f.followed_up, f.grants)
}

pub fn realised_share(f: &FundYear) -> String {
    format_share(share(f.granted_realised, f.granted))
}

#[derive(Template)]
#[template(path = "fund/list.html")]
struct FundsView {
    chrome: Chrome,
    funds: Vec<FundYear>,
    municipalities: Vec<(Uuid, String)>,
    form: Typed<FundForm>,
    can_write: bool,
}

pub async fn render_funds(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    form: Typed<FundForm>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let visible = scope::visible_municipalities(me);
    let status = form.page_status();
    let view = FundsView {
        chrome,
        funds: repo::fund_years(&mut conn, visible.as_deref()).await?,
        municipalities: visible_municipalities(&mut conn, me).await?,
        form,
        can_write: may_write(me),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The municipalities `me` may see: (id, name).
pub async fn visible_municipalities(
    conn: &mut sqlx::PgConnection,
    me: &CurrentUser,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let visible = scope::visible_municipalities(me);
    Ok(Reference::municipalities_of(&mut *conn, visible.as_deref()).await?)
}

/// The fund year page's two forms; the refused one comes back as typed.
#[derive(Default)]
pub struct FundForms {
    pub direction: Option<Typed<DirectionForm>>,
    pub application: Option<Typed<ApplicationForm>>,
}

#[derive(Template)]
#[template(path = "fund/fund.html")]
struct FundView {
    chrome: Chrome,
    fund: FundYear,
    directions: Vec<Direction>,
    applications: Vec<Application>,
    goals: Vec<(Uuid, String)>,
    projects: Vec<(Uuid, String)>,
    direction: Typed<DirectionForm>,
    application: Typed<ApplicationForm>,
    can_write: bool,
}

impl FundView {
    fn direction_has(&self, id: &Uuid) -> bool {
        self.direction
            .form
            .goal
            .iter()
            .any(|g| *g == id.to_string())
    }
}

pub async fn render_fund(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    forms: FundForms,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let fund = repo::fund_year(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_visible(me, fund.municipality_id)?;
    let status = crate::web::form::worst([
        forms.direction.as_ref().map(Typed::page_status),
        forms.application.as_ref().map(Typed::page_status),
    ]);
    let view = FundView {
        chrome,
        directions: repo::directions(&mut conn, fund.municipality_id).await?,
        applications: repo::applications(&mut conn, id).await?,
        goals: repo::council_goals(&mut conn, fund.municipality_id).await?,
        projects: repo::projects(&mut conn, fund.municipality_id).await?,
        fund,
        direction: forms
            .direction
            .unwrap_or_else(|| Typed::fresh(DirectionForm::default())),
        application: forms
            .application
            .unwrap_or_else(|| Typed::fresh(ApplicationForm::default())),
        can_write: may_write(me),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The application page's two forms; the refused one comes back as typed.
#[derive(Default)]
pub struct ApplicationForms {
    pub decision: Option<Typed<DecisionForm>>,
    pub follow_up: Option<Typed<FollowUpForm>>,
}

#[derive(Template)]
#[template(path = "fund/application.html")]
struct ApplicationView {
    chrome: Chrome,
    a: Application,
    follow_ups: Vec<FollowUp>,
    decision: Typed<DecisionForm>,
    follow_up: Typed<FollowUpForm>,
    can_write: bool,
}

pub async fn render_application(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    forms: ApplicationForms,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let a = repo::application(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    check_visible(me, a.municipality_id)?;
    let status = crate::web::form::worst([
        forms.decision.as_ref().map(Typed::page_status),
        forms.follow_up.as_ref().map(Typed::page_status),
    ]);
    let decision = Typed::or_fresh(
        forms.decision,
        || DecisionForm {
            version: a.version,
            ..DecisionForm::default()
        },
        |f| f.version = a.version,
    );
    let view = ApplicationView {
        chrome,
        follow_ups: repo::follow_ups(&mut conn, id).await?,
        decision,
        follow_up: forms
            .follow_up
            .unwrap_or_else(|| Typed::fresh(FollowUpForm::default())),
        can_write: may_write(me),
        a,
    };
    Ok((status, Html(view.render()?)).into_response())
}
