//! User administration pages: list, create, edit, deactivate and reactivate.

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
    admin::{
        forms::{GrantInput, UserForm, UserInput},
        repo::{self, Reference, UserDetail, UserSummary},
    },
    audit::{self, Actor, repo::Entry},
    auth::password,
    db::constraints,
    domain::role::Role,
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListView {
    chrome: Chrome,
    users: Vec<UserSummary>,
}

pub async fn list_users(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let users = repo::list_users(&state.db).await?;
    Ok(Html(ListView { chrome, users }.render()?))
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormView {
    chrome: Chrome,
    /// None when creating.
    user: Option<UserDetail>,
    form: UserForm,
    errors: FieldErrors,
    reference: Reference,
    roles: [Role; 7],
    /// What someone else saved meanwhile, when the save was refused for that.
    conflict: Option<String>,
}

impl FormView {
    async fn render_with(
        state: &AppState,
        chrome: Chrome,
        user: Option<UserDetail>,
        form: UserForm,
        errors: FieldErrors,
        conflict: Option<String>,
    ) -> Result<Response, AppError> {
        let reference = Reference::load(&state.db).await?;
        let status = crate::web::form::status(&errors, conflict.is_some());
        let view = FormView {
            chrome,
            user,
            form,
            errors,
            reference,
            roles: Role::ALL,
            conflict,
        };
        Ok((status, Html(view.render()?)).into_response())
    }
}

pub async fn new_user(State(state): State<AppState>, chrome: Chrome) -> Result<Response, AppError> {
    FormView::render_with(
        &state,
        chrome,
        None,
        UserForm::default(),
        FieldErrors::new(),
        None,
    )
    .await
}

pub async fn create_user(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    let input = match form.parse(&reference, true) {
        Ok(input) => input,
        Err(errors) => {
            return FormView::render_with(&state, chrome, None, form, errors, None).await;
        }
    };
    let hash = password::hash(input.password.clone().unwrap_or_default()).await?;
    let mut tx = state.db.begin().await?;
    let id = match repo::insert_user(&mut tx, &input, &hash).await {
        Ok(id) => id,
        Err(e) => {
            drop(tx);
            return unique_violation(&state, chrome, None, form, e).await;
        }
    };
    let actor = Actor::user(&me, &client);
    let created: Vec<(&str, String, String)> = input_fields(&reference, &input)
        .into_iter()
        .map(|(field, new)| (field, String::new(), new))
        .collect();
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "user_created",
        ("user", &id.to_string()),
        None,
        &created,
    )
    .await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("Användaren {} har skapats.", input.display_name)),
    )
    .await?;
    Ok(Redirect::to("/admin/anvandare").into_response())
}

pub async fn edit_user(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let user = repo::find_user(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let form = form_from(&user);
    FormView::render_with(&state, chrome, Some(user), form, FieldErrors::new(), None).await
}

pub async fn update_user(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    let mut tx = state.db.begin().await?;
    let saved = repo::find_user(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut input = match form.parse(&reference, false) {
        Ok(input) => input,
        Err(errors) => {
            drop(tx);
            return FormView::render_with(&state, chrome, Some(saved), form, errors, None).await;
        }
    };
    if id == me.id && !input.grants.iter().any(|g| g.role == Role::Admin) {
        let mut errors = FieldErrors::new();
        errors.add("roles", "Du kan inte ta bort din egen administratörsroll.");
        drop(tx);
        return FormView::render_with(&state, chrome, Some(saved), form, errors, None).await;
    }
    if saved.version != form.version {
        let conflict = describe_saved(&reference, &saved);
        // Saving again from this page means "mine over theirs", having seen theirs.
        let form = UserForm {
            version: saved.version,
            ..form
        };
        drop(tx);
        return FormView::render_with(
            &state,
            chrome,
            Some(saved),
            form,
            FieldErrors::new(),
            Some(conflict),
        )
        .await;
    }
    let hash = match input.password.take() {
        Some(new) => Some(password::hash(new).await?),
        None => None,
    };
    match repo::update_user(&mut tx, id, form.version, &input, hash.as_deref()).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(AppError::Conflict(
                "Användaren ändrades samtidigt av någon annan.".into(),
            ));
        }
        Err(e) => {
            drop(tx);
            return unique_violation(&state, chrome, Some(saved), form, e).await;
        }
    }
    let actor = Actor::user(&me, &client);
    let changes: Vec<(&str, String, String)> = saved_fields(&reference, &saved)
        .into_iter()
        .zip(input_fields(&reference, &input))
        .map(|((field, old), (_, new))| (field, old, new))
        .collect();
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "user_updated",
        ("user", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    if hash.is_some() {
        audit::record(
            &mut tx,
            &actor,
            Entry::event("password_changed", "user", Some(id.to_string())),
        )
        .await?;
    }
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!(
            "Ändringarna för {} har sparats.",
            input.display_name
        )),
    )
    .await?;
    Ok(Redirect::to("/admin/anvandare").into_response())
}

#[derive(Debug, Deserialize)]
pub struct VersionForm {
    version: i32,
}

pub async fn deactivate_user(
    state: State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    id: Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    if id.0 == me.id {
        return Err(AppError::BadRequest(
            "Du kan inte inaktivera ditt eget konto.".into(),
        ));
    }
    set_active(state, session, client, me, id, form.version, false).await
}

pub async fn activate_user(
    state: State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    id: Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    set_active(state, session, client, me, id, form.version, true).await
}

async fn set_active(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    version: i32,
    active: bool,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let user = repo::find_user(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::set_active(&mut tx, id, version, active).await? {
        let state_now = if user.active { "aktiv" } else { "inaktiverad" };
        return Err(AppError::Conflict(format!(
            "{} ändrades av någon annan innan din åtgärd sparades. Kontot är nu {state_now}. \
             Ladda om sidan och försök igen om det behövs.",
            user.display_name
        )));
    }
    let action = if active {
        "user_activated"
    } else {
        "user_deactivated"
    };
    let entry = Entry::change(
        action,
        "user",
        id.to_string(),
        "active",
        Some(audit::yes_no(user.active)),
        Some(audit::yes_no(active)),
    );
    audit::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    let done = if active { "aktiverats" } else { "inaktiverats" };
    flash::push(
        &session,
        Flash::success(format!("Kontot för {} har {done}.", user.display_name)),
    )
    .await?;
    Ok(Redirect::to("/admin/anvandare").into_response())
}

/// A constraint violation becomes a message next to its field; anything else is an error.
async fn unique_violation(
    state: &AppState,
    chrome: Chrome,
    user: Option<UserDetail>,
    form: UserForm,
    error: sqlx::Error,
) -> Result<Response, AppError> {
    let Some((field, message)) = constraints::field_message(&error) else {
        return Err(error.into());
    };
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    FormView::render_with(state, chrome, user, form, errors, None).await
}

fn form_from(user: &UserDetail) -> UserForm {
    UserForm {
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        title: user.title.clone(),
        password: String::new(),
        roles: user
            .grants
            .iter()
            .map(|g| g.role.code().to_owned())
            .collect(),
        strategy_municipality: user
            .grants
            .iter()
            .find_map(|g| g.municipality_id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
        secretary_boards: user
            .grants
            .iter()
            .filter_map(|g| g.board_id)
            .map(|id| id.to_string())
            .collect(),
        version: user.version,
    }
}

/// The audited fields of a user, as (field, value) in a fixed order.
fn audited_fields(
    reference: &Reference,
    email: &str,
    name: &str,
    title: &str,
    grants: &[GrantInput],
) -> [(&'static str, String); 4] {
    [
        ("email", email.to_owned()),
        ("display_name", name.to_owned()),
        ("title", title.to_owned()),
        ("roles", reference.describe(grants)),
    ]
}

fn saved_fields(reference: &Reference, user: &UserDetail) -> [(&'static str, String); 4] {
    audited_fields(
        reference,
        &user.email,
        &user.display_name,
        &user.title,
        &user.grants,
    )
}

fn input_fields(reference: &Reference, input: &UserInput) -> [(&'static str, String); 4] {
    audited_fields(
        reference,
        input.email.as_str(),
        &input.display_name,
        &input.title,
        &input.grants,
    )
}

/// What is saved now, for the person whose save was refused because of it.
fn describe_saved(reference: &Reference, user: &UserDetail) -> String {
    let mut parts: Vec<String> = saved_fields(reference, user)
        .iter()
        .map(|(field, value)| format!("{}: {}", crate::audit::handlers::field_label(field), value))
        .collect();
    parts.push(format!("Aktiv: {}", audit::yes_no(user.active)));
    parts.join(" · ")
}
