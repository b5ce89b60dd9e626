//! The budget tab's lines: the page, saving the grid (or one line's form, a grid of one) and
//! adding a line. A total above the project's appropriation is saved only once the user has
//! confirmed it on the same form.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use sqlx::PgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry as AuditEntry},
    budget::{
        forms::{self, EntryForm, GridForm, GridRow},
        page::{CONFIRM_OVER, LineEdit, LineTyped, Typed, render_budget, render_line},
        repo::{self, Line, LineInput, SubEntityRow},
    },
    domain::{budget_entry::OverAppropriation, money::Money},
    projects::{ensure_open, load_visible, repo::Project},
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

// The line page, outcome entries and sub-entities live in `entries`; the router names every
// budget handler here.
pub use crate::budget::entries::{create_entry, create_sub_entity, show_line};

pub async fn show_budget(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, &me, false).await?;
    let typed = Typed::default();
    render_budget(&mut conn, chrome, &me, project, typed, FieldErrors::new()).await
}

/// Saves the grid: every changed line whose version still matches, or nothing at all.
pub async fn update_lines(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let back = Back::Grid;
    save_rows(&state, chrome, session, client, me, (id, back), form).await
}

/// Saves one line (the line's own form posts a grid of one row).
pub async fn update_line(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path((id, line_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let rows = form.rows();
    if rows.len() != 1 || forms::line_id(&rows[0]) != Some(line_id) {
        return Err(AppError::BadRequest(
            "Formuläret gäller en annan budgetpost.".into(),
        ));
    }
    let back = Back::Line(line_id);
    save_rows(&state, chrome, session, client, me, (id, back), form).await
}

/// Where a budget save came from, and so where its answer goes.
#[derive(Clone, Copy)]
enum Back {
    Grid,
    Line(Uuid),
}

/// The project's budget total now: every line, a sub-entity's included, as the appropriation
/// covers the whole project.
fn total(lines: &[Line]) -> Money {
    lines.iter().map(|l| Money::from_stored(l.budget)).sum()
}

/// The question to ask before a save that takes the total from `before` to `after`, unless
/// `confirmed` is the confirmation of exactly that total.
fn unconfirmed_over(
    project: &Project,
    (before, after): (Money, Money),
    confirmed: Option<&str>,
) -> Option<OverAppropriation> {
    let appropriation = project.appropriation.map(Money::from_stored);
    OverAppropriation::check(before, after, appropriation).filter(|o| !o.confirmed_by(confirmed))
}

/// Audits a confirmed save above the appropriation, with both figures, under the project.
async fn audit_over(
    conn: &mut PgConnection,
    actor: &Actor,
    project: &Project,
    (before, after): (Money, Money),
) -> Result<Option<OverAppropriation>, AppError> {
    let appropriation = project.appropriation.map(Money::from_stored);
    let Some(over) = OverAppropriation::check(before, after, appropriation) else {
        return Ok(None);
    };
    let entry = AuditEntry::change(
        "budget_over_appropriation",
        "project",
        project.id.to_string(),
        "budget",
        Some(before.format_kr()),
        Some(format!(
            "{} (anslag {})",
            after.format_kr(),
            over.appropriation.format_kr()
        )),
    )
    .in_project(project.id);
    audit::record(conn, actor, entry).await?;
    Ok(Some(over))
}

/// What a flash adds after a confirmed save above the appropriation.
fn over_note(over: Option<OverAppropriation>) -> String {
    over.map_or_else(String::new, |o| {
        format!(
            " Budgeten är {} kr, över anslaget {} kr.",
            o.total.format_kr(),
            o.appropriation.format_kr()
        )
    })
}

async fn save_rows(
    state: &AppState,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    (id, back): (Uuid, Back),
    form: GridForm,
) -> Result<Response, AppError> {
    let rows = form.rows();
    let mut tx = state.db.begin().await?;
    let project = load_visible(&mut tx, id, &me, true).await?;
    ensure_open(&project)?;
    // The project row lock orders concurrent saves of its lines.
    let saved = repo::lines(&mut tx, id).await?;
    let subs = repo::sub_entities(&mut tx, id).await?;
    let mut errors = FieldErrors::new();
    let mut changes: Vec<(&Line, LineInput)> = Vec::new();
    let mut conflicts = vec![None; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        let Some(line) = forms::line_id(row).and_then(|lid| saved.iter().find(|l| l.id == lid))
        else {
            return Err(AppError::NotFound);
        };
        if !row.edited() {
            continue;
        }
        let prefix = format!("line-{i}-");
        let Some(input) = forms::parse_line(row, &subs, &prefix, &mut errors) else {
            continue;
        };
        let unchanged = input.category == line.category
            && input.sub_entity_id == line.sub_entity_id
            && input.budget == Money::from_stored(line.budget)
            && input.income == line.income;
        if unchanged {
            continue;
        }
        if line.version != row.version {
            conflicts[i] = Some(describe(line));
        }
        changes.push((line, input));
    }
    let before = total(&saved);
    let after = changes.iter().fold(before, |sum, (line, input)| {
        sum - Money::from_stored(line.budget) + input.budget
    });
    let refused = !errors.is_empty() || conflicts.iter().any(Option::is_some);
    // Asked only once everything else is right, so the question names the total that saves.
    let over = if refused {
        None
    } else {
        unconfirmed_over(&project, (before, after), form.confirm_over.as_deref())
    };
    if let Some(over) = over {
        errors.add(CONFIRM_OVER, over.question());
    }
    if refused || over.is_some() {
        // Rows the user did not touch show what is saved now; a conflicting row keeps what the
        // user typed but is based on the saved version, so saving again means "mine over
        // theirs", having seen theirs.
        let rows: Vec<GridRow> = rows
            .into_iter()
            .zip(&conflicts)
            .map(|(row, conflict)| {
                let line = saved.iter().find(|l| l.id.to_string() == row.id);
                match (line, conflict) {
                    (Some(line), _) if !row.edited() => GridRow::from_line(line),
                    (Some(line), Some(_)) => GridRow {
                        version: line.version,
                        original: GridRow::from_line(line).original,
                        ..row
                    },
                    _ => row,
                }
            })
            .collect();
        drop(tx);
        if let Back::Line(line_id) = back {
            let edit = rows.into_iter().next().map(|row| LineEdit {
                row,
                conflict: conflicts[0].clone(),
                over,
            });
            let entry = EntryForm::default();
            let typed = LineTyped {
                entry,
                edit,
                errors,
            };
            return render_line(state, chrome, &me, (id, line_id), typed).await;
        }
        let mut conn = state.db.acquire().await?;
        let typed = Typed {
            grid: Some((rows, conflicts)),
            over,
            ..Typed::default()
        };
        return render_budget(&mut conn, chrome, &me, project, typed, errors).await;
    }
    let actor = Actor::user(&me, &client);
    for (line, input) in &changes {
        if !repo::update_line(&mut tx, line.id, line.version, input).await? {
            return Err(AppError::Conflict(
                "Budgetposten ändrades samtidigt av någon annan.".into(),
            ));
        }
        let fields = audit::compared(line_fields(line, &subs), input_fields(input, &subs));
        audit::repo::record_changes(
            &mut tx,
            &actor,
            "budget_line_updated",
            ("budget_line", &line.id.to_string()),
            Some(id),
            &fields,
        )
        .await?;
    }
    let over = audit_over(&mut tx, &actor, &project, (before, after)).await?;
    tx.commit().await?;
    let message = match changes.len() {
        0 => "Inget var ändrat.".to_owned(),
        1 => "Budgetposten har sparats.".to_owned(),
        n => format!("{n} budgetposter har sparats."),
    };
    flash::push(&session, Flash::success(message + &over_note(over))).await?;
    let to = match back {
        Back::Grid => format!("/projekt/{id}/budget"),
        Back::Line(line_id) => format!("/projekt/{id}/budget/rader/{line_id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// A saved line's audited fields.
fn line_fields<'a>(line: &Line, subs: &[SubEntityRow]) -> [(&'a str, String); 4] {
    [
        ("category", line.category.clone()),
        ("sub_entity", sub_name(subs, line.sub_entity_id)),
        ("budget", Money::from_stored(line.budget).format_kr()),
        ("income", audit::yes_no(line.income)),
    ]
}

/// A checked line's audited fields, in the order of [`line_fields`].
fn input_fields<'a>(input: &LineInput, subs: &[SubEntityRow]) -> [(&'a str, String); 4] {
    [
        ("category", input.category.clone()),
        ("sub_entity", sub_name(subs, input.sub_entity_id)),
        ("budget", input.budget.format_kr()),
        ("income", audit::yes_no(input.income)),
    ]
}

fn sub_name(subs: &[SubEntityRow], id: Option<Uuid>) -> String {
    id.and_then(|id| subs.iter().find(|s| s.id == id))
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn describe(line: &Line) -> String {
    let income = if line.income {
        ", intäkt/kreditering"
    } else {
        ""
    };
    format!(
        "{}: budget {} kr{income}",
        line.label(),
        Money::from_stored(line.budget).format_kr()
    )
}

/// New line form fields, posted as `category`, `sub_entity`, `budget`, `income` (a checkbox)
/// and, when asked, `confirm_over`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewLineForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub sub_entity: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub income: Option<String>,
    #[serde(default)]
    pub confirm_over: Option<String>,
}

pub async fn create_line(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<NewLineForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let project = load_visible(&mut tx, id, &me, true).await?;
    ensure_open(&project)?;
    let subs = repo::sub_entities(&mut tx, id).await?;
    let before = total(&repo::lines(&mut tx, id).await?);
    let typed = GridRow {
        category: form.category,
        sub_entity: form.sub_entity,
        budget: form.budget,
        income: form.income.is_some(),
        ..GridRow::default()
    };
    let mut errors = FieldErrors::new();
    let input = forms::parse_line(&typed, &subs, "new-", &mut errors).filter(|_| errors.is_empty());
    let over = input.as_ref().and_then(|input| {
        let after = before + input.budget;
        unconfirmed_over(&project, (before, after), form.confirm_over.as_deref())
    });
    if let Some(over) = over {
        errors.add(format!("new-{CONFIRM_OVER}"), over.question());
    }
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        drop(tx);
        let mut conn = state.db.acquire().await?;
        let typed = Typed {
            new_line: typed,
            over,
            ..Typed::default()
        };
        return render_budget(&mut conn, chrome, &me, project, typed, errors).await;
    };
    let line_id = repo::insert_line(&mut tx, id, &input).await?;
    let actor = Actor::user(&me, &client);
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "budget_line_created",
        ("budget_line", &line_id.to_string()),
        Some(id),
        &audit::created(input_fields(&input, &subs).map(|(field, value)| {
            // An ordinary line is the default; only the income marking is worth a log row.
            let unmarked = field == "income" && !input.income;
            (field, if unmarked { String::new() } else { value })
        })),
    )
    .await?;
    let after = before + input.budget;
    let over = audit_over(&mut tx, &actor, &project, (before, after)).await?;
    tx.commit().await?;
    let message = format!("Budgetposten ”{}” har lagts till.", input.category);
    flash::push(&session, Flash::success(message + &over_note(over))).await?;
    Ok(Redirect::to(&format!("/projekt/{id}/budget")).into_response())
}
