//! The economic fields of a project, which controllers own: the decided appropriation
//! (investeringsanslag) and the decision behind it (body, date, paragraph).

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::Actor,
    paths,
    projects::{
        choices::economy_form_from, forms::EconomyForm, load_open, load_visible, operations,
        page::render_economy,
    },
    web::{AppError, AppState, CurrentUser, Page, Typed},
};

pub async fn edit_economy(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let project = load_open(&mut *state.db.acquire().await?, id, &me).await?;
    let typed = Typed::fresh(economy_form_from(&project));
    render_economy(&page, &project, typed).await
}

pub async fn update_economy(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<EconomyForm>,
) -> Result<Response, AppError> {
    match operations::update_economy(&state.db, &actor, id, &form).await {
        Ok(()) => {
            page.done("Anslag och beslut har sparats.", &paths::project(id))
                .await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            let project =
                load_visible(&mut *state.db.acquire().await?, id, &actor.user, false).await?;
            render_economy(&page, &project, typed).await
        }
    }
}
