//! The budget tab: the table, the grid controllers edit the lines in, one line's outcome
//! entries, new lines, outcome entries and sub-entities.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use sqlx::PgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry as AuditEntry},
    budget::{
        forms::{self, EntryForm, GridForm, GridRow, SubEntityForm},
        repo::{self, Entry, Line, LineInput, SubEntityRow},
        table::BudgetTable,
    },
    db::constraints,
    domain::money::Money,
    projects::{
        ensure_open, load_visible,
        repo::Project,
        views::{Heading, Permissions, Tab},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Template)]
#[template(path = "budget/show.html")]
struct BudgetView {
    chrome: Chrome,
    heading: Heading,
    project: Project,
    table: BudgetTable,
    lines: Vec<Line>,
    subs: Vec<SubEntityRow>,
    /// The grid as typed (or as saved), one row per line.
    grid: Vec<GridRow>,
    /// Per row: what is saved now, when the save was refused because it moved.
    conflicts: Vec<Option<String>>,
    errors: FieldErrors,
    new_line: GridRow,
    sub_entity: SubEntityForm,
    can: Permissions,
}

/// What the user typed into the budget page's forms, shown again when a save is refused.
#[derive(Default)]
struct Typed {
    /// The grid rows and, per row, what is saved now when it moved meanwhile.
    grid: Option<(Vec<GridRow>, Vec<Option<String>>)>,
    new_line: GridRow,
    sub_entity: SubEntityForm,
}

impl BudgetView {
    fn row_error(&self, i: &usize, field: &str) -> Option<&str> {
        self.errors.get(&format!("line-{i}-{field}"))
    }
    fn new_error(&self, field: &str) -> Option<&str> {
        self.errors.get(&format!("new-{field}"))
    }
}

async fn render_budget(
    conn: &mut PgConnection,
    chrome: Chrome,
    me: &CurrentUser,
    project: Project,
    typed: Typed,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let lines = repo::lines(conn, project.id).await?;
    let subs = repo::sub_entities(conn, project.id).await?;
    let has_conflict = typed
        .grid
        .as_ref()
        .is_some_and(|(_, c)| c.iter().any(Option::is_some));
    let (grid, conflicts) = typed.grid.unwrap_or_else(|| {
        (
            lines.iter().map(row_from).collect(),
            vec![None; lines.len()],
        )
    });
    let status = crate::web::form::status(&errors, has_conflict);
    let view = BudgetView {
        chrome,
        heading: Heading::new(&project, Tab::Budget),
        table: BudgetTable::new(&lines),
        project,
        lines,
        subs,
        grid,
        conflicts,
        errors,
        new_line: typed.new_line,
        sub_entity: typed.sub_entity,
        can: Permissions::of(me),
    };
    Ok((status, Html(view.render()?)).into_response())
}

fn row_from(line: &Line) -> GridRow {
    let category = line.category.clone();
    let sub_entity = line
        .sub_entity_id
        .map(|s| s.to_string())
        .unwrap_or_default();
    let budget = Money::from_stored(line.budget).format_kr();
    GridRow {
        id: line.id.to_string(),
        version: line.version,
        original: Some((category.clone(), sub_entity.clone(), budget.clone())),
        category,
        sub_entity,
        budget,
    }
}

pub async fn show_budget(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, &me, false).await?;
    render_budget(
        &mut conn,
        chrome,
        &me,
        project,
        Typed::default(),
        FieldErrors::new(),
    )
    .await
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
    save_rows(&state, chrome, session, client, me, (id, back), form.rows()).await
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
    save_rows(&state, chrome, session, client, me, (id, back), rows).await
}

/// Where a budget save came from, and so where its answer goes.
#[derive(Clone, Copy)]
enum Back {
    Grid,
    Line(Uuid),
}

async fn save_rows(
    state: &AppState,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    (id, back): (Uuid, Back),
    rows: Vec<GridRow>,
) -> Result<Response, AppError> {
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
        let Some(input) = forms::parse_line(
            &row.category,
            &row.sub_entity,
            &row.budget,
            &subs,
            &prefix,
            &mut errors,
        ) else {
            continue;
        };
        let unchanged = input.category == line.category
            && input.sub_entity_id == line.sub_entity_id
            && input.budget == Money::from_stored(line.budget);
        if unchanged {
            continue;
        }
        if line.version != row.version {
            conflicts[i] = Some(describe(line));
        }
        changes.push((line, input));
    }
    if !errors.is_empty() || conflicts.iter().any(Option::is_some) {
        // Rows the user did not touch show what is saved now; a conflicting row keeps what the
        // user typed but is based on the saved version, so saving again means "mine over
        // theirs", having seen theirs.
        let rows: Vec<GridRow> = rows
            .into_iter()
            .zip(&conflicts)
            .map(|(row, conflict)| {
                let line = saved.iter().find(|l| l.id.to_string() == row.id);
                match (line, conflict) {
                    (Some(line), _) if !row.edited() => row_from(line),
                    (Some(line), Some(_)) => GridRow {
                        version: line.version,
                        original: row_from(line).original,
                        ..row
                    },
                    _ => row,
                }
            })
            .collect();
        drop(tx);
        if let Back::Line(line_id) = back {
            let edit = rows
                .into_iter()
                .next()
                .map(|row| (row, conflicts[0].clone()));
            let entry = EntryForm::default();
            return render_line(state, chrome, &me, (id, line_id), entry, edit, errors).await;
        }
        let mut conn = state.db.acquire().await?;
        return render_budget(
            &mut conn,
            chrome,
            &me,
            project,
            Typed {
                grid: Some((rows, conflicts)),
                ..Typed::default()
            },
            errors,
        )
        .await;
    }
    let actor = Actor::user(&me, &client);
    for (line, input) in &changes {
        if !repo::update_line(&mut tx, line.id, line.version, input).await? {
            return Err(AppError::Conflict(
                "Budgetposten ändrades samtidigt av någon annan.".into(),
            ));
        }
        let fields = [
            ("category", line.category.clone(), input.category.clone()),
            (
                "sub_entity",
                sub_name(&subs, line.sub_entity_id),
                sub_name(&subs, input.sub_entity_id),
            ),
            (
                "budget",
                Money::from_stored(line.budget).format_kr(),
                input.budget.format_kr(),
            ),
        ];
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
    tx.commit().await?;
    let message = match changes.len() {
        0 => "Inget var ändrat.".to_owned(),
        1 => "Budgetposten har sparats.".to_owned(),
        n => format!("{n} budgetposter har sparats."),
    };
    flash::push(&session, Flash::success(message)).await?;
    let to = match back {
        Back::Grid => format!("/projekt/{id}/budget"),
        Back::Line(line_id) => format!("/projekt/{id}/budget/rader/{line_id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

fn sub_name(subs: &[SubEntityRow], id: Option<Uuid>) -> String {
    id.and_then(|id| subs.iter().find(|s| s.id == id))
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn describe(line: &Line) -> String {
    format!(
        "{}: budget {} kr",
        line.label(),
        Money::from_stored(line.budget).format_kr()
    )
}

/// New line form fields, posted as `category`, `sub_entity`, `budget`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewLineForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub sub_entity: String,
    #[serde(default)]
    pub budget: String,
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
    let mut errors = FieldErrors::new();
    let input = forms::parse_line(
        &form.category,
        &form.sub_entity,
        &form.budget,
        &subs,
        "new-",
        &mut errors,
    );
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        drop(tx);
        let typed = GridRow {
            category: form.category,
            sub_entity: form.sub_entity,
            budget: form.budget,
            ..GridRow::default()
        };
        let mut conn = state.db.acquire().await?;
        let typed = Typed {
            new_line: typed,
            ..Typed::default()
        };
        return render_budget(&mut conn, chrome, &me, project, typed, errors).await;
    };
    let line_id = repo::insert_line(&mut tx, id, &input).await?;
    let fields = [
        ("category", String::new(), input.category.clone()),
        (
            "sub_entity",
            String::new(),
            sub_name(&subs, input.sub_entity_id),
        ),
        ("budget", String::new(), input.budget.format_kr()),
    ];
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "budget_line_created",
        ("budget_line", &line_id.to_string()),
        Some(id),
        &fields,
    )
    .await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("Budgetposten ”{}” har lagts till.", input.category)),
    )
    .await?;
    Ok(Redirect::to(&format!("/projekt/{id}/budget")).into_response())
}

#[derive(Template)]
#[template(path = "budget/line.html")]
struct LineView {
    chrome: Chrome,
    heading: Heading,
    line: Line,
    row: GridRow,
    subs: Vec<SubEntityRow>,
    entries: Vec<Entry>,
    entry: EntryForm,
    errors: FieldErrors,
    /// What is saved now, when a save of the line was refused because it moved.
    conflict: Option<String>,
    can: Permissions,
}

impl LineView {
    fn edit_error(&self, field: &str) -> Option<&str> {
        self.errors.get(&format!("line-0-{field}"))
    }

    fn kr(&self, amount: &rust_decimal::Decimal) -> String {
        Money::from_stored(*amount).format_kr()
    }
    fn outcome(&self) -> String {
        self.line
            .outcome
            .map(|o| Money::from_stored(o).format_kr())
            .unwrap_or_default()
    }
}

/// The line page; `edit` is the line form as typed and what is saved now, when a save of the
/// line was refused.
async fn render_line(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    (id, line_id): (Uuid, Uuid),
    entry: EntryForm,
    edit: Option<(GridRow, Option<String>)>,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    let lines = repo::lines(&mut conn, id).await?;
    let line = lines
        .into_iter()
        .find(|l| l.id == line_id)
        .ok_or(AppError::NotFound)?;
    let entries = repo::entries(&mut conn, id)
        .await?
        .into_iter()
        .filter(|e| e.budget_line_id == line_id)
        .collect();
    let (row, conflict) = edit.unwrap_or_else(|| (row_from(&line), None));
    let status = crate::web::form::status(&errors, conflict.is_some());
    let view = LineView {
        chrome,
        heading: Heading::new(&project, Tab::Budget),
        row,
        conflict,
        line,
        subs: repo::sub_entities(&mut conn, id).await?,
        entries,
        entry,
        errors,
        can: Permissions::of(me),
    };
    Ok((status, Html(view.render()?)).into_response())
}

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
