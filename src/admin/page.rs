//! The user form's view, rendered fresh or again with what the administrator typed.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::{
    admin::{
        forms::UserForm,
        repo::{Reference, UserDetail},
    },
    domain::role::Role,
    web::{AppError, AppState, Chrome, Page, Typed, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormView {
    chrome: Chrome,
    /// None when creating.
    user: Option<UserDetail>,
    form: UserForm,
    errors: FieldErrors,
    reference: Reference,
    roles: [Role; Role::ALL.len()],
    /// What someone else saved meanwhile, when the save was refused for that.
    conflict: Option<String>,
}

impl FormView {
    /// Whether the form is the administrator's own account, which they cannot deactivate.
    fn own_account(&self) -> bool {
        matches!((&self.user, &self.chrome.user), (Some(u), Some(me)) if u.id == me.id)
    }
}

/// The user form, for a new user (`user` None) or an existing one. After a conflict the form is
/// based on the saved version, so saving again means "mine over theirs", having seen theirs.
pub async fn render_form(
    state: &AppState,
    page: &Page,
    user: Option<UserDetail>,
    typed: Typed<UserForm>,
) -> Result<Response, AppError> {
    let status = typed.page_status();
    let mut form = typed.form;
    if let (Some(saved), Some(_)) = (&user, &typed.conflict) {
        form.version = saved.version;
    }
    let view = FormView {
        chrome: page.chrome().await?,
        user,
        form,
        errors: typed.errors,
        reference: Reference::load(&state.db).await?,
        roles: Role::ALL,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The form as the saved user fills it.
pub fn form_from(user: &UserDetail) -> UserForm {
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
        boards: user
            .grants
            .iter()
            .filter_map(|g| g.board_id)
            .map(|id| id.to_string())
            .collect(),
        version: user.version,
        ..UserForm::default()
    }
}
