//! The effect goal pages' views: a project's goals with their SMART check, measurements and a
//! measurement form per goal, and the goal form; each rendered fresh or again with what the user
//! typed.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::{
        effect_goal::{Assessment, SmartFlag, smart_flags},
        number,
    },
    goals::{
        forms::{GoalForm, MeasurementForm},
        repo::{self, Goal},
    },
    projects::{
        load_visible,
        views::{Heading, Permissions, Tab},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "goals/list.html")]
struct GoalsView {
    chrome: Chrome,
    heading: Heading,
    goals: Vec<(Goal, Vec<SmartFlag>)>,
    /// The benefits the goals evidence.
    evidenced: Vec<repo::Evidenced>,
    refused: Option<RefusedMeasurement>,
    can: Permissions,
}

/// The goal whose measurement form was refused, with what was typed and the messages.
pub struct RefusedMeasurement {
    pub goal: Uuid,
    pub typed: Typed<MeasurementForm>,
}

impl GoalsView {
    /// The benefits goal `id` evidences.
    fn evidence_of(&self, id: &Uuid) -> Vec<&repo::Evidenced> {
        self.evidenced.iter().filter(|e| e.goal_id == *id).collect()
    }

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
            Some(r) if r.goal == *goal => (r.typed.form.clone(), r.typed.errors.clone()),
            _ => (MeasurementForm::default(), FieldErrors::new()),
        }
    }
}

/// A project's goals; with one goal's measurement form as typed when it was refused.
pub async fn render_goals(
    state: &AppState,
    page: &Page,
    me: &CurrentUser,
    id: Uuid,
    refused: Option<RefusedMeasurement>,
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
    let evidenced = repo::evidenced(&mut conn, id).await?;
    let status = refused
        .as_ref()
        .map_or(axum::http::StatusCode::OK, |r| r.typed.page_status());
    let view = GoalsView {
        evidenced,
        chrome: page.chrome().await?,
        heading: Heading::new(&project, Tab::Goals).for_reader(me, &project),
        goals,
        refused,
        can: Permissions::on(me, &project),
    };
    Ok((status, Html(view.render()?)).into_response())
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

/// Which goal the form is for: a new one of `project`, or `goal`.
#[derive(Clone, Copy)]
pub struct GoalRef {
    pub project: Uuid,
    pub goal: Option<Uuid>,
}

/// The goal form. After a conflict the form is based on the saved version, so saving again
/// means "mine over theirs", having seen theirs.
pub async fn render_form(
    state: &AppState,
    page: &Page,
    me: &CurrentUser,
    at: GoalRef,
    typed: Typed<GoalForm>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, at.project, me, false).await?;
    let status = typed.page_status();
    let mut form = typed.form;
    if let (Some(goal), Some(_)) = (at.goal, &typed.conflict) {
        let saved = repo::find(&mut conn, at.project, goal, false)
            .await?
            .ok_or(AppError::NotFound)?;
        form.version = saved.version;
    }
    let view = FormView {
        chrome: page.chrome().await?,
        heading: Heading::new(&project, Tab::Goals).for_reader(me, &project),
        goal_id: at.goal,
        form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}
