//! Effect goal pages: a project's goals with their SMART check and measurements, the goal form,
//! measurements, and the SMART list across all projects. The views live in `page`, the writes
//! in `operations`.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    domain::effect_goal::{SmartFlag, smart_flags},
    goals::{
        forms::{GoalForm, MeasurementForm},
        operations,
        page::{GoalRef, RefusedMeasurement, render_form, render_goals},
        repo::{self, GoalWithProject},
    },
    operation::{Actor, Refusal},
    paths,
    projects::{load_open, scope},
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed},
};

pub async fn show_goals(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_goals(&state, &page, &me, id, None).await
}

pub async fn new_goal(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    load_open(&mut *state.db.acquire().await?, id, &me).await?;
    let at = GoalRef {
        project: id,
        goal: None,
    };
    render_form(&state, &page, &me, at, Typed::fresh(GoalForm::default())).await
}

pub async fn create_goal(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(input) => {
            operations::create_goal(&state.db, &actor, (id, form.submission), &input).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(_) => {
            page.done("Effektmålet har lagts till.", &paths::project_goals(id))
                .await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::project_goals(id)).await,
        Err(refusal) => {
            let at = GoalRef {
                project: id,
                goal: None,
            };
            let typed = Typed::refused(form, refusal)?;
            render_form(&state, &page, &actor.user, at, typed).await
        }
    }
}

pub async fn edit_goal(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path((id, goal_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    load_open(&mut conn, id, &me).await?;
    let goal = repo::find(&mut conn, id, goal_id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let at = GoalRef {
        project: id,
        goal: Some(goal_id),
    };
    render_form(
        &state,
        &page,
        &me,
        at,
        Typed::fresh(GoalForm::from_goal(&goal)),
    )
    .await
}

pub async fn update_goal(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, goal_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(input) => {
            operations::update_goal(&state.db, &actor, (id, goal_id), form.version, &input).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(()) => {
            page.done("Effektmålet har sparats.", &paths::project_goals(id))
                .await
        }
        Err(refusal) => {
            let at = GoalRef {
                project: id,
                goal: Some(goal_id),
            };
            let typed = Typed::refused(form, refusal)?;
            render_form(&state, &page, &actor.user, at, typed).await
        }
    }
}

pub async fn create_measurement(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, goal_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<MeasurementForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(input) => {
            let typed = (&input, form.submission);
            operations::record_measurement(&state.db, &actor, (id, goal_id), typed).await
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    let to = format!("{}#mal-{goal_id}", paths::project_goals(id));
    match saved {
        Ok(_) => page.done("Mätningen har registrerats.", &to).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&to).await,
        Err(refusal) => {
            let refused = RefusedMeasurement {
                goal: goal_id,
                typed: Typed::refused(form, refusal)?,
            };
            render_goals(&state, &page, &actor.user, id, Some(refused)).await
        }
    }
}

#[derive(Template)]
#[template(path = "goals/smart.html")]
struct SmartView {
    chrome: Chrome,
    goals: Vec<(GoalWithProject, Vec<SmartFlag>)>,
    flagged: usize,
}

/// Every goal of every visible project with its SMART check: the auditors' question answered.
pub async fn show_smart_list(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let goals = checked_goals(&mut conn, &me).await?;
    let flagged = goals.iter().filter(|(_, f)| !f.is_empty()).count();
    Ok(Html(
        SmartView {
            chrome,
            goals,
            flagged,
        }
        .render()?,
    ))
}

/// The SMART list as an Excel workbook.
pub async fn export_smart_list(
    State(state): State<AppState>,
    me: CurrentUser,
) -> Result<axum::response::Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let goals = checked_goals(&mut conn, &me).await?;
    drop(conn);
    let bytes = crate::goals::export::workbook(&goals).map_err(AppError::Internal)?;
    Ok(crate::web::download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("effektmal-{}.xlsx", crate::web::format::today()),
        bytes,
    ))
}

/// Every goal the reader may see with its SMART findings today.
async fn checked_goals(
    conn: &mut sqlx::PgConnection,
    me: &CurrentUser,
) -> Result<Vec<(GoalWithProject, Vec<SmartFlag>)>, AppError> {
    let visible = scope::visible_municipalities(me);
    let today = crate::web::format::today();
    Ok(repo::all_goals(conn, visible.as_deref())
        .await?
        .into_iter()
        .map(|g| {
            let flags = smart_flags(&g.goal.facts(), today);
            (g, flags)
        })
        .collect())
}
