//! Moving a project through its life: the status form's handler. Only the transitions the
//! status machine allows (`operations::change_status`), each recorded with its date, who made it
//! and why.

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::Actor,
    paths,
    projects::{forms::StatusForm, operations, page::render_show},
    web::{AppError, AppState, Page, Typed},
};

/// A refused change shows the project page again with the reason next to the status field.
pub async fn change_status(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    match operations::change_status(&state.db, &actor, id, &form).await {
        Ok(to) => {
            let message = format!("Projektets status är nu ”{}”.", to.label());
            page.done(message, &paths::project(id)).await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            render_show(&state.db, &page, &actor.user, id, typed).await
        }
    }
}
