//! The carry-over form (controllers, at the year-end occasion).

use axum::{
    extract::{Path, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    follow_up::{
        carry_over::{forms::CarryOverForm, operations, page},
        policy,
    },
    operation::{Actor, Refusal},
    paths,
    web::{AppError, AppState, Page, Typed},
};

pub async fn edit_carry_over(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    policy::check_write(&actor.user, at.1)?;
    page::render(&state, &page, at, None).await
}

pub async fn save_carry_over(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(at): Path<(Uuid, Uuid)>,
    Form(form): Form<CarryOverForm>,
) -> Result<Response, AppError> {
    let result = match form.parse() {
        Ok(input) => operations::save_carry_over(&state.db, &actor, at, input).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match result {
        Ok(()) => {
            let to = paths::follow_up(at.0, at.1);
            page.done("Förslagen till överföring är sparade.", &to)
                .await
        }
        Err(refusal) => {
            let typed = Typed::refused(form, refusal)?;
            page::render(&state, &page, at, Some(typed)).await
        }
    }
}
