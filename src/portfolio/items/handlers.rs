//! The item requests: the list, one item, and the item form (create and edit).

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use axum_extra::extract::Form;
use uuid::Uuid;

use crate::{
    columns::{ColumnChoice, tables},
    domain::portfolio::{Complexity, Kind},
    operation::{Actor, Refusal},
    paths,
    portfolio::{
        items::{
            export,
            forms::{ItemForm, ListQuery},
            operations,
            page::{self, FormTyped, ItemTyped},
        },
        scope::load_visible_item,
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page},
};

pub async fn list_items(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    choice: ColumnChoice,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let columns = choice.shown(&tables::ITEMS);
    page::render_list(&state, chrome, &me, query, columns).await
}

/// The items the list's filter selects, in its order, as an Excel workbook.
pub async fn export_items(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let (model, items, valuations) = page::listed(&mut conn, &me, &query.filter()).await?;
    drop(conn);
    let bytes = export::workbook(&model, &items, &valuations).map_err(AppError::Internal)?;
    let name = format!("portfolj-{}.xlsx", crate::web::format::today());
    Ok(crate::web::download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}

pub async fn show_item(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    page::render_item(&state, chrome, &me, id, ItemTyped::default()).await
}

pub async fn new_item(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    let form = ItemForm {
        kind: Kind::NewNeed.code().to_owned(),
        complexity: Complexity::Medium.code().to_owned(),
        ..ItemForm::default()
    };
    let typed = FormTyped {
        form,
        ..FormTyped::default()
    };
    page::render_form(&state, chrome, &me, None, typed).await
}

/// The form again after a refused save: with its messages, or with what is saved now.
async fn refused(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    item: Option<Uuid>,
    (form, refusal): (ItemForm, Refusal),
) -> Result<Response, AppError> {
    let typed = match refusal {
        Refusal::Invalid(errors) => FormTyped {
            form,
            errors,
            conflict: false,
        },
        Refusal::Conflict(_) => FormTyped {
            form,
            conflict: true,
            ..FormTyped::default()
        },
        refusal @ (Refusal::Failed(_) | Refusal::AlreadySent(_)) => return Err(refusal.into()),
    };
    page::render_form(state, page.chrome().await?, &actor.user, item, typed).await
}

pub async fn create_item(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    match operations::create_item(&state.db, &actor, &form).await {
        Ok((id, reference)) => {
            let message = format!("Objekt {reference} har lagts till i portföljen.");
            page.done(message, &paths::item(id)).await
        }
        Err(Refusal::AlreadySent(first)) => {
            let to = first.map_or_else(paths::items, paths::item);
            page.sent_before(&to).await
        }
        Err(refusal) => refused(&state, &page, &actor, None, (form, refusal)).await,
    }
}

pub async fn edit_item(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let item = load_visible_item(&mut conn, id, &me, false).await?;
    drop(conn);
    let typed = FormTyped {
        form: ItemForm::from_item(&item),
        ..FormTyped::default()
    };
    page::render_form(&state, chrome, &me, Some(id), typed).await
}

pub async fn update_item(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    match operations::update_item(&state.db, &actor, id, &form).await {
        Ok(()) => page.done("Objektet har sparats.", &paths::item(id)).await,
        Err(refusal) => refused(&state, &page, &actor, Some(id), (form, refusal)).await,
    }
}
