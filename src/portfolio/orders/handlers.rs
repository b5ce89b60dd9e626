//! The order requests: order an item from its page, register a waiting order, mark an item
//! delivered. Each calls one operation and redirects to the item's page.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    operation::{Actor, Refusal},
    paths,
    portfolio::{
        items::page::{ItemTyped, render_item},
        orders::{
            forms::OrderForm,
            operations::{self, Ordered},
        },
    },
    web::{
        AppError, AppState, Page,
        flash::{self, Flash},
    },
};

/// The end of an order request: the gate's answer as the message on the item's page.
async fn answer(page: &Page, item: Uuid, outcome: Ordered) -> Result<Response, AppError> {
    let url = paths::item(item);
    match outcome {
        Ordered::Registered { item } => {
            page.done(format!("Beställningen av {item} är registrerad."), &url)
                .await
        }
        Ordered::Waiting { reason } => {
            flash::push(page.session(), Flash::error(reason)).await?;
            Ok(Redirect::to(&url).into_response())
        }
    }
}

/// Registers an order of the item, if the gate allows it; otherwise the refusal is recorded
/// and the order waits for prioritisation.
pub async fn create_order(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<OrderForm>,
) -> Result<Response, AppError> {
    let ordered = match form.parse() {
        Ok(input) => operations::order_item(&state.db, &actor, id, input).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match ordered {
        Ok(Ordered::Waiting { reason }) => {
            let waiting = format!(
                "{reason} Beställningen väntar nu på prioritering och visas på IT-centers startsida."
            );
            answer(&page, id, Ordered::Waiting { reason: waiting }).await
        }
        Ok(outcome) => answer(&page, id, outcome).await,
        Err(Refusal::AlreadySent(_)) => page.sent_before(&paths::item(id)).await,
        Err(Refusal::Invalid(errors)) => {
            let typed = ItemTyped {
                order: form,
                errors,
                ..ItemTyped::default()
            };
            render_item(&state, page.chrome().await?, &actor.user, id, typed).await
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// Registers a waiting order once its item has been prioritised.
pub async fn register_order(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(order): Path<Uuid>,
) -> Result<Response, AppError> {
    let (item, outcome) = operations::register_order(&state.db, &actor, order).await?;
    answer(&page, item, outcome).await
}

/// Marks an ordered item delivered.
pub async fn mark_delivered(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let item = operations::mark_delivered(&state.db, &actor, id).await?;
    let message = format!("{item} är markerat som levererat.");
    page.done(message, &paths::item(id)).await
}
