//! Effect goal pages: a project's goals with their SMART check and measurements, the goal form,
//! measurements, and the SMART list across all projects.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{
        effect_goal::{Assessment, SmartFlag, smart_flags},
        number,
    },
    goals::{
        forms::{self, GoalForm, MeasurementForm},
        repo::{self, Goal, GoalWithProject},
    },
    projects::{
        ensure_open, load_visible, scope,
        views::{Heading, Permissions, Tab},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Template)]
#[template(path = "goals/list.html")]
struct GoalsView {
    chrome: Chrome,
    heading: Heading,
    goals: Vec<(Goal, Vec<SmartFlag>)>,
    /// The goal whose measurement form was refused, with its messages and what was typed.
    refused: Option<(Uuid, MeasurementForm, FieldErrors)>,
    can: Permissions,
}

impl GoalsView {
    fn quantity(&self, value: &Option<rust_decimal::Decimal>) -> String {
        value
            .map(number::format_quantity)
            .unwrap_or_else(|| "–".to_owned())
    }
    fn value(&self, value: &rust_decimal::Decimal) -> String {
        number::format_quantity(*value)
    }
    fn typed<'a>(&self, form: &'a MeasurementForm, field: &str) -> &'a str {
        match field {
            "measured_on" => &form.measured_on,
            "value" => &form.value,
            _ => &form.comment,
        }
    }

    fn measurement_form(&self, goal: &Uuid) -> (MeasurementForm, FieldErrors) {
        match &self.refused {
            Some((id, form, errors)) if id == goal => (form.clone(), errors.clone()),
            _ => (MeasurementForm::default(), FieldErrors::new()),
        }
    }
}

async fn render_goals(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    refused: Option<(Uuid, MeasurementForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    let today = crate::web::format::today();
    let goals = repo::goals(&mut conn, id)
        .await?
        .into_iter()
        .map(|g| {
            let flags = smart_flags(&g.facts(), today);
            (g, flags)
        })
        .collect();
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let view = GoalsView {
        chrome,
        heading: Heading::new(&project, Tab::Goals).for_reader(me, &project),
        goals,
        refused,
        can: Permissions::of(me),
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn show_goals(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_goals(&state, chrome, &me, id, None).await
}

#[derive(Template)]
#[template(path = "goals/form.html")]
struct FormView {
    chrome: Chrome,
    heading: Heading,
    goal_id: Option<Uuid>,
    form: GoalForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl FormView {
    fn assessments(&self) -> [Assessment; 4] {
        Assessment::ALL
    }
}

async fn render_form(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    (id, goal_id): (Uuid, Option<Uuid>),
    form: GoalForm,
    errors: FieldErrors,
    conflict: Option<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    let status = crate::web::form::status(&errors, conflict.is_some());
    let view = FormView {
        chrome,
        heading: Heading::new(&project, Tab::Goals).for_reader(me, &project),
        goal_id,
        form,
        errors,
        conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn new_goal(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_form(
        &state,
        chrome,
        &me,
        (id, None),
        GoalForm::default(),
        FieldErrors::new(),
        None,
    )
    .await
}

pub async fn create_goal(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            return render_form(&state, chrome, &me, (id, None), form, errors, None).await;
        }
    };
    let mut tx = state.db.begin().await?;
    ensure_open(&load_visible(&mut tx, id, &me, true).await?)?;
    let goal_id = repo::insert(&mut tx, id, &input).await?;
    let fields = audit::created(forms::audited(&input));
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "effect_goal_created",
        ("effect_goal", &goal_id.to_string()),
        Some(id),
        &fields,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Effektmålet har lagts till.")).await?;
    Ok(Redirect::to(&format!("/projekt/{id}/effektmal")).into_response())
}

pub async fn edit_goal(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path((id, goal_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let goal = repo::find(&mut conn, id, goal_id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    render_form(
        &state,
        chrome,
        &me,
        (id, Some(goal_id)),
        GoalForm::from_goal(&goal),
        FieldErrors::new(),
        None,
    )
    .await
}

pub async fn update_goal(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path((id, goal_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            return render_form(&state, chrome, &me, (id, Some(goal_id)), form, errors, None).await;
        }
    };
    let mut tx = state.db.begin().await?;
    ensure_open(&load_visible(&mut tx, id, &me, true).await?)?;
    let saved = repo::find(&mut tx, id, goal_id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if saved.version != form.version {
        let before = GoalForm::from_goal(&saved);
        let conflict = format!(
            "Mål: {} · Indikator: {} · Målvärde: {} {} · Bedömning: {}",
            before.goal,
            before.indicator,
            before.target_value,
            before.unit,
            saved.assessment().map_or("ej bedömt", Assessment::label)
        );
        drop(tx);
        let form = GoalForm {
            version: saved.version,
            ..form
        };
        return render_form(
            &state,
            chrome,
            &me,
            (id, Some(goal_id)),
            form,
            FieldErrors::new(),
            Some(conflict),
        )
        .await;
    }
    if !repo::update(&mut tx, goal_id, form.version, &input).await? {
        return Err(AppError::Conflict(
            "Effektmålet ändrades samtidigt av någon annan.".into(),
        ));
    }
    let old = GoalForm::from_goal(&saved)
        .parse()
        .map_err(|_| AppError::Internal("stored goal does not parse".into()))?;
    let changes = audit::compared(forms::audited(&old), forms::audited(&input));
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "effect_goal_updated",
        ("effect_goal", &goal_id.to_string()),
        Some(id),
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Effektmålet har sparats.")).await?;
    Ok(Redirect::to(&format!("/projekt/{id}/effektmal")).into_response())
}

pub async fn create_measurement(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path((id, goal_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<MeasurementForm>,
) -> Result<Response, AppError> {
    let (date, value, comment) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            return render_goals(&state, chrome, &me, id, Some((goal_id, form, errors))).await;
        }
    };
    let mut tx = state.db.begin().await?;
    load_visible(&mut tx, id, &me, false).await?;
    repo::find(&mut tx, id, goal_id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let measurement =
        repo::insert_measurement(&mut tx, goal_id, date, value, &comment, me.id).await?;
    let entry = Entry::change(
        "measurement_created",
        "goal_measurement",
        measurement.to_string(),
        "value",
        None,
        Some(format!("{date}: {}", number::format_quantity(value))),
    )
    .in_project(id);
    audit::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Mätningen har registrerats.")).await?;
    Ok(Redirect::to(&format!("/projekt/{id}/effektmal#mal-{goal_id}")).into_response())
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
    let visible = scope::visible_municipalities(&me);
    let today = crate::web::format::today();
    let goals: Vec<(GoalWithProject, Vec<SmartFlag>)> =
        repo::all_goals(&mut conn, visible.as_deref())
            .await?
            .into_iter()
            .map(|g| {
                let flags = smart_flags(&g.goal.facts(), today);
                (g, flags)
            })
            .collect();
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
