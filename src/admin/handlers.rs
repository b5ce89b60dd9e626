//! User administration pages: list, create, edit, deactivate and reactivate. The form's view
//! lives in `page`, the writes in `operations`.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    admin::{
        forms::UserForm,
        operations,
        page::{form_from, render_form},
        repo::{self, Reference, UserDetail, UserSummary},
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Chrome, Page, Typed},
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

pub async fn new_user(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    render_form(&state, &page, None, Typed::fresh(UserForm::default())).await
}

pub async fn create_user(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    let created = match form.parse(&reference, true) {
        Ok(input) => {
            operations::create_user(&state.db, &actor, &reference, (&input, form.submission))
                .await
                .map(|_| input.display_name)
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match created {
        Ok(name) => {
            let message = format!("Användaren {name} har skapats.");
            page.done(message, &paths::users()).await
        }
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::users()).await,
        Err(refusal) => render_form(&state, &page, None, Typed::refused(form, refusal)?).await,
    }
}

async fn find_user(state: &AppState, id: Uuid) -> Result<UserDetail, AppError> {
    let mut conn = state.db.acquire().await?;
    repo::find_user(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_user(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let user = find_user(&state, id).await?;
    let typed = Typed::fresh(form_from(&user));
    render_form(&state, &page, Some(user), typed).await
}

pub async fn update_user(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    match operations::update_user(&state.db, &actor, &reference, id, &form).await {
        Ok(name) => {
            let message = format!("Ändringarna för {name} har sparats.");
            page.done(message, &paths::users()).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render_form(&state, &page, Some(find_user(&state, id).await?), typed).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct VersionForm {
    version: i32,
}

pub async fn deactivate_user(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let name = operations::set_active(&state.db, &actor, id, form.version, false).await?;
    let message = format!("Kontot för {name} har inaktiverats.");
    page.done(message, &paths::users()).await
}

pub async fn activate_user(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let name = operations::set_active(&state.db, &actor, id, form.version, true).await?;
    let message = format!("Kontot för {name} har aktiverats.");
    page.done(message, &paths::users()).await
}
