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
    audit::{self, Actor, repo::Entry as AuditEntry},
    budget::{
        forms::{EntryForm, SubEntityForm},
        page::{Typed, render_budget, render_line},
        repo,
    },
    db::constraints,
    domain::money::Money,
    projects::{ensure_open, load_visible},
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

pub async fn show_line(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    render_line(
        &state,
        chrome,
        &me,
        ids,
        EntryForm::default(),
        None,
        FieldErrors::new(),
    )
    .await
}

pub async fn create_entry(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path((id, line_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            return render_line(&state, chrome, &me, (id, line_id), form, None, errors).await;
        }
    };
    let mut tx = state.db.begin().await?;
    ensure_open(&load_visible(&mut tx, id, &me, true).await?)?;
    let line = repo::find_line_for_update(&mut tx, id, line_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry_id = repo::insert_entry(&mut tx, line_id, &input, "manual", Some(me.id)).await?;
    let old = line
        .outcome
        .map(|o| Money::from_stored(o).format_kr())
        .unwrap_or_default();
    let new =
        (line.outcome.map(Money::from_stored).unwrap_or(Money::ZERO) + input.amount).format_kr();
    let actor = Actor::user(&me, &client);
    let month = input.month.format("%Y-%m").to_string();
    audit::record(
        &mut tx,
        &actor,
        AuditEntry::change(
            "outcome_entry_created",
            "budget_line",
            line_id.to_string(),
            "outcome",
            Some(old),
            Some(new),
        )
        .in_project(id),
    )
    .await?;
    audit::record(
        &mut tx,
        &actor,
        AuditEntry::change(
            "outcome_entry_created",
            "outcome_entry",
            entry_id.to_string(),
            "amount",
            None,
            Some(format!("{month}: {}", input.amount.format_kr())),
        )
        .in_project(id),
    )
    .await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!(
            "Utfall {} kr för {month} har registrerats.",
            input.amount.format_kr()
        )),
    )
    .await?;
    Ok(Redirect::to(&format!("/projekt/{id}/budget/rader/{line_id}")).into_response())
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
                &Actor::user(&me, &client),
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
