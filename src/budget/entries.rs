//! One budget line's page and its outcome entries (utfall), and the project's sub-entities:
//! the budget tab's forms besides the lines themselves.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit,
    budget::{
        forms::{EntryForm, SubEntityForm},
        operations::{self, NewOutcome},
        page::{LineTyped, Typed, render_budget, render_line},
        repo,
    },
    db::constraints,
    domain::budget::OutcomeSource,
    operation::{Actor, Refusal},
    paths,
    projects::{ensure_open, load_visible},
    web::{
        AppError, AppState, Chrome, CurrentUser, Page,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

pub async fn show_line(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let chrome = page.chrome().await?;
    render_line(&state, chrome, &me, ids, LineTyped::default()).await
}

/// Books an outcome entry typed on the line page.
pub async fn create_entry(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path((id, line_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(entry) => {
            let new = NewOutcome {
                project: id,
                line: line_id,
                entry: entry.clone(),
                source: OutcomeSource::Manual,
            };
            operations::record_outcome(&state.db, &actor, new)
                .await
                .map(|_| entry)
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match saved {
        Ok(entry) => {
            let message = format!(
                "Utfall {} kr för {} har registrerats.",
                entry.amount.format_kr(),
                entry.month.format("%Y-%m")
            );
            page.done(message, &paths::budget_line(id, line_id)).await
        }
        Err(Refusal::Invalid(errors)) => {
            let typed = LineTyped {
                entry: form,
                errors,
                ..LineTyped::default()
            };
            render_line(
                &state,
                page.chrome().await?,
                &actor.user,
                (id, line_id),
                typed,
            )
            .await
        }
        Err(refusal) => Err(refusal.into()),
    }
}

pub async fn create_sub_entity(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<SubEntityForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let project = load_visible(&mut tx, id, &me, true).await?;
    ensure_open(&project)?;
    let parsed = form.parse();
    let result = match &parsed {
        Ok((name, short, excluded)) => repo::insert_sub_entity(&mut tx, id, name, short, *excluded)
            .await
            .map(Some),
        Err(_) => Ok(None),
    };
    let errors = match (&parsed, result) {
        (Err(errors), _) => errors.clone(),
        (Ok(_), Err(e)) => match constraints::field_message(&e) {
            Some((_, message)) => {
                let mut errors = FieldErrors::new();
                errors.add("sub_name", message);
                errors
            }
            None => return Err(e.into()),
        },
        (Ok((name, short, excluded)), Ok(Some(sub_id))) => {
            let fields = [
                ("name", String::new(), name.clone()),
                ("short_name", String::new(), short.clone()),
                ("excluded", String::new(), audit::yes_no(*excluded)),
            ];
            audit::repo::record_changes(
                &mut tx,
                &audit::Actor::user(&me, &client),
                "sub_entity_created",
                ("sub_entity", &sub_id.to_string()),
                Some(id),
                &fields,
            )
            .await?;
            tx.commit().await?;
            flash::push(
                &session,
                Flash::success(format!("Delenheten ”{name}” har lagts till.")),
            )
            .await?;
            return Ok(Redirect::to(&format!("/projekt/{id}/budget")).into_response());
        }
        (Ok(_), Ok(None)) => FieldErrors::new(),
    };
    drop(tx);
    let mut conn = state.db.acquire().await?;
    let typed = Typed {
        sub_entity: form,
        ..Typed::default()
    };
    render_budget(&mut conn, chrome, &me, project, typed, errors).await
}
