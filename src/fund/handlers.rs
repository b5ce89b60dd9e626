//! The fund's handlers: the overview and a new fund year, a fund year with its direction and
//! application forms, an application with its decision and follow-up forms. The writes live
//! in `operations`, the views in `page`.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    fund::{
        forms::{ApplicationForm, DecisionForm, DirectionForm, FollowUpForm, FundForm},
        operations,
        page::{
            ApplicationForms, FundForms, render_application, render_fund, render_funds,
            visible_municipalities,
        },
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed},
};

pub async fn list_funds(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    render_funds(&state, chrome, &me, Typed::fresh(FundForm::default())).await
}

pub async fn create_fund(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<FundForm>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let mine: Vec<Uuid> = visible_municipalities(&mut conn, &actor.user)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    drop(conn);
    match operations::create_fund(&state.db, &actor, &form, &mine).await {
        Ok(id) => page.done("Fonden har lagts upp.", &paths::fund(id)).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::funds()).await,
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render_funds(&state, page.chrome().await?, &actor.user, typed).await
        }
    }
}

pub async fn show_fund(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_fund(&state, chrome, &me, id, FundForms::default()).await
}

pub async fn add_direction(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<DirectionForm>,
) -> Result<Response, AppError> {
    let to = format!("{}#inriktningar", paths::fund(id));
    match operations::add_direction(&state.db, &actor, id, &form).await {
        Ok(_) => page.done("Inriktningen har lagts till.", &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let direction = Some(Typed::refused(form, refusal)?);
            let forms = FundForms {
                direction,
                ..FundForms::default()
            };
            render_fund(&state, page.chrome().await?, &actor.user, id, forms).await
        }
    }
}

pub async fn create_application(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ApplicationForm>,
) -> Result<Response, AppError> {
    match operations::create_application(&state.db, &actor, id, &form).await {
        Ok(a) => {
            page.done("Ansökan har registrerats.", &paths::fund_application(a))
                .await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::fund(id)).await,
        Err(refusal) => {
            let application = Some(Typed::refused(form, refusal)?);
            let forms = FundForms {
                application,
                ..FundForms::default()
            };
            render_fund(&state, page.chrome().await?, &actor.user, id, forms).await
        }
    }
}

pub async fn show_application(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_application(&state, chrome, &me, id, ApplicationForms::default()).await
}

pub async fn decide_application(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    match operations::decide(&state.db, &actor, id, &form).await {
        Ok(()) => {
            page.done("Beslutet har registrerats.", &paths::fund_application(id))
                .await
        }
        Err(refusal) => {
            let decision = Some(Typed::refused(form, refusal)?);
            let forms = ApplicationForms {
                decision,
                ..ApplicationForms::default()
            };
            render_application(&state, page.chrome().await?, &actor.user, id, forms).await
        }
    }
}

pub async fn follow_up_grant(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let to = format!("{}#uppfoljning", paths::fund_application(id));
    match operations::follow_up(&state.db, &actor, (id, form.submission), &form).await {
        Ok(_) => page.done("Uppföljningen har registrerats.", &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let follow_up = Some(Typed::refused(form, refusal)?);
            let forms = ApplicationForms {
                follow_up,
                ..ApplicationForms::default()
            };
            render_application(&state, page.chrome().await?, &actor.user, id, forms).await
        }
    }
}
