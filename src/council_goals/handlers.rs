//! The council goals page: read by everyone (with the coverage the auditors ask for), changed by
//! administrators. Goals are never deleted; one no longer in force is deactivated, which keeps
//! the links of projects that served it.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    audit::{self, Actor, repo::Entry},
    council_goals::repo::{self, GoalRow, UnlinkedProject},
    db::constraints,
    domain::{role::Role, text},
    projects::scope,
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoalForm {
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub title: String,
}

#[derive(Template)]
#[template(path = "council_goals/list.html")]
struct ListView {
    chrome: Chrome,
    goals: Vec<GoalRow>,
    unlinked: Vec<UnlinkedProject>,
    reference: Reference,
    form: GoalForm,
    errors: FieldErrors,
    can_edit: bool,
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    form: GoalForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let visible = scope::visible_municipalities(me);
    let status = crate::web::form::status(&errors, false);
    let view = ListView {
        chrome,
        goals: repo::goals(&state.db, visible.as_deref()).await?,
        unlinked: repo::projects_without_goal(&state.db, visible.as_deref()).await?,
        reference: Reference::load(&state.db).await?,
        form,
        errors,
        can_edit: me.has_role(Role::Admin),
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn list_goals(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    render(&state, chrome, &me, GoalForm::default(), FieldErrors::new()).await
}

pub async fn create_goal(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Form(form): Form<GoalForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    let mut errors = FieldErrors::new();
    let municipality = reference.municipality(&form.municipality);
    if municipality.is_none() {
        errors.add("municipality", "Välj kommun.");
    }
    let title = errors.check("title", text::bounded(&form.title, 300, true));
    let (Some(municipality), Some(title)) = (municipality, title) else {
        return render(&state, chrome, &me, form, errors).await;
    };
    let mut tx = state.db.begin().await?;
    let id = match repo::insert(&mut tx, municipality, &title).await {
        Ok(id) => id,
        Err(e) => {
            drop(tx);
            let (field, message) = constraints::field_message(&e).ok_or(e)?;
            errors.add(field, message);
            return render(&state, chrome, &me, form, errors).await;
        }
    };
    let entry = Entry::change(
        "council_goal_created",
        "council_goal",
        id.to_string(),
        "title",
        None,
        Some(title.clone()),
    );
    audit::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("Målet ”{title}” har lagts till.")),
    )
    .await?;
    Ok(Redirect::to("/mal").into_response())
}

pub async fn deactivate_goal(
    state: State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    id: Path<Uuid>,
) -> Result<Response, AppError> {
    set_active(state, session, client, me, id, false).await
}

pub async fn activate_goal(
    state: State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    id: Path<Uuid>,
) -> Result<Response, AppError> {
    set_active(state, session, client, me, id, true).await
}

async fn set_active(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    active: bool,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let (title, was_active) = repo::find_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if was_active == active {
        return Ok(Redirect::to("/mal").into_response());
    }
    repo::set_active(&mut tx, id, active).await?;
    let entry = Entry::change(
        "council_goal_updated",
        "council_goal",
        id.to_string(),
        "active",
        Some(audit::yes_no(!active)),
        Some(audit::yes_no(active)),
    );
    audit::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    let done = if active { "aktiverats" } else { "inaktiverats" };
    flash::push(
        &session,
        Flash::success(format!("Målet ”{title}” har {done}.")),
    )
    .await?;
    Ok(Redirect::to("/mal").into_response())
}
