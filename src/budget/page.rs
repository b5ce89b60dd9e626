//! The budget tab's pages: the table with the grid, the new-line and sub-entity forms, and one
//! line's page with its outcome entries. Rendered fresh or again with what the user typed.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    budget::chart::{self, OutcomeChart},
    budget::{
        forms::{EntryForm, GridRow, SubEntityForm},
        operations::LinesRefusal,
        repo::{self, Entry, Line, SubEntityRow},
        table::BudgetTable,
    },
    domain::{budget_entry::OverAppropriation, money::Money},
    projects::{
        load_visible,
        repo::Project,
        views::{Heading, Permissions, Tab},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page, form::FieldErrors},
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
    /// The total above the appropriation the grid or the new-line form asks to confirm.
    over: Option<OverAppropriation>,
    can: Permissions,
    batches: Vec<repo::Batch>,
    /// Whether the reader may open a batch's page (controllers).
    batch_links: bool,
    /// Which budget line each ledger account goes to (account, line; `None`: left out).
    mappings: Vec<(String, Option<String>)>,
    /// Budget against the cumulative outcome by month; `None` before any outcome.
    chart: Option<OutcomeChart>,
}

/// What the user typed into the budget page's forms, shown again when a save is refused.
#[derive(Default)]
pub struct BudgetTyped {
    /// The grid rows and, per row, what is saved now when it moved meanwhile.
    pub grid: Option<(Vec<GridRow>, Vec<Option<String>>)>,
    pub new_line: GridRow,
    pub sub_entity: SubEntityForm,
    pub over: Option<OverAppropriation>,
    pub errors: FieldErrors,
}

impl BudgetTyped {
    /// The page again after a refused save of lines; a failure is answered with the error page.
    pub fn refused(refusal: LinesRefusal) -> Result<Self, AppError> {
        Ok(match refusal {
            LinesRefusal::Grid {
                rows,
                conflicts,
                over,
                errors,
            } => BudgetTyped {
                grid: Some((rows, conflicts)),
                over,
                errors,
                ..BudgetTyped::default()
            },
            LinesRefusal::NewLine { row, over, errors } => BudgetTyped {
                new_line: row,
                over,
                errors,
                ..BudgetTyped::default()
            },
            LinesRefusal::Failed(e) => return Err(e),
            LinesRefusal::AlreadySent => {
                return Err(crate::operation::Refusal::AlreadySent(None).into());
            }
        })
    }
}

impl BudgetView {
    fn kr(&self, amount: &rust_decimal::Decimal) -> String {
        Money::from_stored(*amount).format_kr()
    }
    fn row_error(&self, i: &usize, field: &str) -> Option<&str> {
        self.errors.get(&format!("line-{i}-{field}"))
    }
    fn new_error(&self, field: &str) -> Option<&str> {
        self.errors.get(&format!("new-{field}"))
    }
    fn over_token(&self) -> String {
        self.over.map(|o| o.token()).unwrap_or_default()
    }
}

/// The budget tab of project `id`, fresh or with what the user typed.
pub async fn render_budget(
    state: &AppState,
    page: &Page,
    me: &CurrentUser,
    id: Uuid,
    typed: BudgetTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    let lines = repo::lines(&mut conn, id).await?;
    let subs = repo::sub_entities(&mut conn, id).await?;
    let errors = typed.errors;
    let has_conflict = typed
        .grid
        .as_ref()
        .is_some_and(|(_, c)| c.iter().any(Option::is_some));
    let (grid, conflicts) = typed.grid.unwrap_or_else(|| {
        (
            lines.iter().map(GridRow::from_line).collect(),
            vec![None; lines.len()],
        )
    });
    let status = crate::web::form::status(&errors, has_conflict);
    let can = Permissions::on(me, &project);
    let budget = lines.iter().map(|l| l.budget).sum();
    let chart = OutcomeChart::new(
        &chart::months(&mut conn, id).await?,
        budget,
        project.appropriation,
    );
    let view = BudgetView {
        chrome: page.chrome().await?,
        heading: Heading::new(&project, Tab::Budget).for_reader(me, &project),
        table: BudgetTable::new(&lines),
        project,
        lines,
        subs,
        grid,
        conflicts,
        errors,
        new_line: typed.new_line,
        sub_entity: typed.sub_entity,
        over: typed.over,
        can,
        batches: repo::batches(&mut conn, id).await?,
        batch_links: me.has_role(crate::domain::role::Role::Controller),
        mappings: repo::account_mappings(&mut conn, id).await?,
        chart,
    };
    Ok((status, Html(view.render()?)).into_response())
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
    over: Option<OverAppropriation>,
    can: Permissions,
    /// Whether the reader may open a batch's page (controllers).
    batch_links: bool,
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
    fn over_token(&self) -> String {
        self.over.map(|o| o.token()).unwrap_or_default()
    }
}

/// The line form as typed when its save was refused: the row, what is saved now if it moved,
/// and the total above the appropriation to confirm, if that was why.
pub struct LineEdit {
    pub row: GridRow,
    pub conflict: Option<String>,
    pub over: Option<OverAppropriation>,
}

/// What the user typed into the line page's forms, shown again when a save is refused.
#[derive(Default)]
pub struct LineTyped {
    pub entry: EntryForm,
    /// The line form, when a save of the line was refused.
    pub edit: Option<LineEdit>,
    pub errors: FieldErrors,
}

impl LineTyped {
    /// The line page again after a refused save of the line (a grid of one row); a failure is
    /// answered with the error page.
    pub fn refused(refusal: LinesRefusal) -> Result<Self, AppError> {
        match refusal {
            LinesRefusal::Grid {
                rows,
                conflicts,
                over,
                errors,
            } => {
                let edit = rows.into_iter().next().map(|row| LineEdit {
                    row,
                    conflict: conflicts.into_iter().next().flatten(),
                    over,
                });
                Ok(LineTyped {
                    edit,
                    errors,
                    ..LineTyped::default()
                })
            }
            // A save of lines is never refused as a new line; its messages, if it were.
            LinesRefusal::NewLine { errors, .. } => Ok(LineTyped {
                errors,
                ..LineTyped::default()
            }),
            LinesRefusal::Failed(e) => Err(e),
            LinesRefusal::AlreadySent => Err(crate::operation::Refusal::AlreadySent(None).into()),
        }
    }
}

/// One line of a project.
#[derive(Debug, Clone, Copy)]
pub struct LineRef {
    pub project: Uuid,
    pub line: Uuid,
}

/// The line page, fresh or with what the user typed.
pub async fn render_line(
    state: &AppState,
    page: &Page,
    me: &CurrentUser,
    at: LineRef,
    typed: LineTyped,
) -> Result<Response, AppError> {
    let LineRef {
        project: id,
        line: line_id,
    } = at;
    let LineTyped {
        entry,
        edit,
        errors,
    } = typed;
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
    let edit = edit.unwrap_or_else(|| LineEdit {
        row: GridRow::from_line(&line),
        conflict: None,
        over: None,
    });
    let status = crate::web::form::status(&errors, edit.conflict.is_some());
    let view = LineView {
        chrome: page.chrome().await?,
        heading: Heading::new(&project, Tab::Budget).for_reader(me, &project),
        row: edit.row,
        conflict: edit.conflict,
        over: edit.over,
        line,
        subs: repo::sub_entities(&mut conn, id).await?,
        entries,
        entry,
        errors,
        can: Permissions::on(me, &project),
        batch_links: me.has_role(crate::domain::role::Role::Controller),
    };
    Ok((status, Html(view.render()?)).into_response())
}
