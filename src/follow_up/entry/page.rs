//! The data entry's pages: the list of boards, a board's activities, an activity's budget or
//! outcome per month, the occasions of a year, a board's key and its projects' appropriations.
//! Each shows what is saved, or after a refused save what was typed, with the messages next to
//! the fields and, after a conflict, what is saved now.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::{budget::OutcomeSource, follow_up::text::month_name, money::Money},
    follow_up::{
        entry::{
            forms::{ActivityForm, NewActivityForm, OccasionForm},
            grid::{self, GridForm},
            months_repo,
            operations::{KEY_FIELD, shown_percent},
            outcome::{self, Months},
            repo::{self, Activity, Board, Member, ProjectYear},
        },
        repo::Occasion,
    },
    web::{AppError, AppState, Page, Typed, form::FieldErrors, format},
};

/// The year a page is about: `?ar=`, else the current year.
pub fn year_asked(asked: &str) -> Result<i32, AppError> {
    if asked.trim().is_empty() {
        return Ok(format::today().year());
    }
    grid::year(asked).map_err(AppError::BadRequest)
}

/// What every entry page's form shares: the messages by field and, after a conflict, what is
/// saved now.
struct Refused {
    errors: FieldErrors,
    conflict: Option<String>,
}

impl Refused {
    fn of<F>(typed: &Typed<F>) -> Self {
        Self {
            errors: typed.errors.clone(),
            conflict: typed.conflict.clone(),
        }
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

fn respond(status: axum::http::StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

/// A grid's form: what was typed (after a conflict rebased on `cells`, what is saved now), or
/// what is saved.
fn grid_typed(
    typed: Option<Typed<GridForm>>,
    year: i32,
    cells: Vec<(String, (String, String))>,
) -> Typed<GridForm> {
    Typed::or_fresh(
        typed,
        || GridForm::saved(year, cells.clone()),
        |f| f.rebase(&cells),
    )
}

async fn board(conn: &mut PgConnection, id: Uuid) -> Result<Board, AppError> {
    repo::board(conn, id).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "follow_up/entry/hub.html")]
struct HubView {
    chrome: crate::web::Chrome,
    year: i32,
    boards: Vec<Board>,
}

pub async fn render_hub(state: &AppState, page: &Page, year: i32) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let boards = repo::boards(&mut conn).await?;
    let view = HubView {
        chrome: page.chrome().await?,
        year,
        boards,
    };
    Ok(Html(view.render()?).into_response())
}

#[derive(Template)]
#[template(path = "follow_up/entry/activities.html")]
struct ActivitiesView {
    chrome: crate::web::Chrome,
    board: Board,
    year: i32,
    activities: Vec<Activity>,
    form: NewActivityForm,
    refused: Refused,
}

pub async fn render_activities(
    state: &AppState,
    page: &Page,
    (board_id, year): (Uuid, i32),
    typed: Option<Typed<NewActivityForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let board = board(&mut conn, board_id).await?;
    let activities = repo::activities(&mut conn, board_id).await?;
    let typed = typed.unwrap_or_else(|| Typed::fresh(NewActivityForm::default()));
    let status = typed.page_status();
    let view = ActivitiesView {
        chrome: page.chrome().await?,
        board,
        year,
        activities,
        refused: Refused::of(&typed),
        form: typed.form,
    };
    Ok(respond(status, view.render()?))
}

#[derive(Template)]
#[template(path = "follow_up/entry/activity.html")]
struct ActivityView {
    chrome: crate::web::Chrome,
    board: Board,
    activity: Activity,
    form: ActivityForm,
    refused: Refused,
}

pub async fn render_activity(
    state: &AppState,
    page: &Page,
    (board_id, id): (Uuid, Uuid),
    typed: Option<Typed<ActivityForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let board = board(&mut conn, board_id).await?;
    let activity = repo::activity(&mut conn, board_id, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = Typed::or_fresh(
        typed,
        || ActivityForm::from_saved(&activity),
        |f| {
            let saved = ActivityForm::from_saved(&activity);
            f.was_name = saved.was_name;
            f.was_active = saved.was_active;
        },
    );
    let status = typed.page_status();
    let view = ActivityView {
        chrome: page.chrome().await?,
        board,
        activity,
        refused: Refused::of(&typed),
        form: typed.form,
    };
    Ok(respond(status, view.render()?))
}

/// Which of an activity's monthly figures a page enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    Budget,
    /// The budget's form that spreads the year's amounts evenly.
    Spread,
    Outcome,
}

/// A month's source, and the import that set an imported month: (id, file name).
type MonthSource = (OutcomeSource, Option<(Uuid, String)>);

#[derive(Template)]
#[template(path = "follow_up/entry/months.html")]
struct MonthsView {
    chrome: crate::web::Chrome,
    board: Board,
    activity: Activity,
    year: i32,
    budget: bool,
    action: String,
    saved: Months,
    sources: [Option<MonthSource>; 12],
    form: GridForm,
    refused: Refused,
}

impl MonthsView {
    /// Each month: (key, name).
    fn months(&self) -> Vec<(String, String)> {
        (1..=12u32)
            .map(|m| {
                let name = month_name(m);
                let mut chars = name.chars();
                let capital = chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
                (m.to_string(), capital)
            })
            .collect()
    }

    fn cells(&self, key: &str) -> (&str, &str, &str, &str) {
        self.form.cells(key)
    }

    /// A month's source, and the import that set it.
    fn source(&self, key: &str) -> (&'static str, Option<(Uuid, &str)>) {
        let source = key
            .parse::<usize>()
            .ok()
            .and_then(|m| self.sources.get(m.checked_sub(1)?)?.as_ref());
        match source {
            Some((source, batch)) => (
                source.label(),
                batch.as_ref().map(|(id, file)| (*id, file.as_str())),
            ),
            None => ("–", None),
        }
    }

    /// The saved year: (revenue, costs).
    fn totals(&self) -> (String, String) {
        let sum =
            |f: fn(&(Money, Money)) -> Money| -> Money { self.saved.iter().flatten().map(f).sum() };
        (sum(|m| m.0).format_kr(), sum(|m| m.1).format_kr())
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.refused.error(field)
    }
}

pub async fn render_months(
    state: &AppState,
    page: &Page,
    (board_id, id, year): (Uuid, Uuid, i32),
    figures: Figures,
    typed: Option<Typed<GridForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let board = board(&mut conn, board_id).await?;
    let activity = repo::activity(&mut conn, board_id, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = match figures {
        Figures::Budget | Figures::Spread => {
            months_repo::budget_months(&mut conn, id, year).await?
        }
        Figures::Outcome => months_repo::outcome_months(&mut conn, id, year).await?,
    };
    let saved = outcome::months(&rows);
    let mut sources: [Option<MonthSource>; 12] = Default::default();
    for r in &rows {
        if let (Some(slot), Some(source)) = (sources.get_mut(r.month.month0() as usize), r.source) {
            *slot = Some((source, r.batch.zip(r.batch_file.clone())));
        }
    }
    let typed = grid_typed(typed, year, outcome::cells(&saved));
    let action = match figures {
        Figures::Budget | Figures::Spread => crate::paths::follow_up_budget(board_id, id),
        Figures::Outcome => crate::paths::follow_up_outcome(board_id, id),
    };
    let status = typed.page_status();
    let view = MonthsView {
        chrome: page.chrome().await?,
        board,
        activity,
        year,
        budget: figures != Figures::Outcome,
        action,
        saved,
        sources,
        refused: Refused::of(&typed),
        form: typed.form,
    };
    Ok(respond(status, view.render()?))
}

#[derive(Template)]
#[template(path = "follow_up/entry/occasions.html")]
struct OccasionsView {
    chrome: crate::web::Chrome,
    year: i32,
    occasions: Vec<Occasion>,
    /// The occasion being changed; none for a new one.
    editing: Option<Occasion>,
    /// A board's report at the occasion being changed is decided: it cannot change.
    locked: bool,
    form: OccasionForm,
    refused: Refused,
}

impl OccasionsView {
    fn month_name(&self, m: &i32) -> &'static str {
        month_name(u32::try_from(*m).unwrap_or(1))
    }

    fn months(&self) -> Vec<(String, &'static str)> {
        (1..=12u32)
            .map(|m| (m.to_string(), month_name(m)))
            .collect()
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.refused.error(field)
    }

    /// Where the back link leads: the data entry's hub for those who enter data, else the
    /// start page (administrators set occasions but enter no figures).
    fn back(&self) -> (String, String) {
        let enters = self
            .chrome
            .user
            .as_ref()
            .is_some_and(super::policy::may_enter_any);
        if enters {
            (
                format!("{}?ar={}", crate::paths::follow_up_entry(), self.year),
                format!("Underlag för uppföljning {}", self.year),
            )
        } else {
            (crate::paths::start(), "Start".to_owned())
        }
    }

    fn action(&self) -> String {
        self.editing
            .as_ref()
            .map_or_else(crate::paths::follow_up_occasions, |o| {
                crate::paths::follow_up_occasion(o.id)
            })
    }
}

/// The occasions of `year` with the form for a new one, or for the occasion `editing`.
pub async fn render_occasions(
    state: &AppState,
    page: &Page,
    (year, editing): (i32, Option<Uuid>),
    typed: Option<Typed<OccasionForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let editing = match editing {
        Some(id) => Some(
            repo::occasion(&mut conn, id, false)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let locked = match &editing {
        Some(o) => repo::has_decided_report(&mut conn, o.id).await?,
        None => false,
    };
    let year = editing.as_ref().map_or(year, |o| o.year);
    let occasions = repo::other_occasions(&mut conn, year, None).await?;
    let fresh = editing
        .as_ref()
        .map_or_else(|| OccasionForm::new_in(year), OccasionForm::from_saved);
    let typed = Typed::or_fresh(typed, || fresh.clone(), |f| f.was = fresh.was.clone());
    let status = typed.page_status();
    let view = OccasionsView {
        chrome: page.chrome().await?,
        year,
        occasions,
        editing,
        locked,
        refused: Refused::of(&typed),
        form: typed.form,
    };
    Ok(respond(status, view.render()?))
}

#[derive(Template)]
#[template(path = "follow_up/entry/member_key.html")]
struct KeyView {
    chrome: crate::web::Chrome,
    board: Board,
    year: i32,
    members: Vec<Member>,
    form: GridForm,
    refused: Refused,
}

impl KeyView {
    fn cells(&self, id: &Uuid) -> (&str, &str) {
        let (typed, _, was, _) = self.form.cells(&id.to_string());
        (typed, was)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.refused.error(field)
    }

    fn key_field(&self) -> &'static str {
        KEY_FIELD
    }
}

async fn render_member_key(
    state: &AppState,
    page: &Page,
    (board_id, year): (Uuid, i32),
    typed: Option<Typed<GridForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let board = board(&mut conn, board_id).await?;
    let members = repo::members(&mut conn, board_id, year).await?;
    let cells = members
        .iter()
        .map(|m| (m.id.to_string(), (shown_percent(m.percent), String::new())))
        .collect();
    let typed = grid_typed(typed, year, cells);
    let status = typed.page_status();
    let view = KeyView {
        chrome: page.chrome().await?,
        board,
        year,
        members,
        refused: Refused::of(&typed),
        form: typed.form,
    };
    Ok(respond(status, view.render()?))
}

#[derive(Template)]
#[template(path = "follow_up/entry/project_years.html")]
struct ProjectYearsView {
    chrome: crate::web::Chrome,
    board: Board,
    year: i32,
    projects: Vec<ProjectYear>,
    form: GridForm,
    refused: Refused,
}

impl ProjectYearsView {
    fn cells(&self, id: &Uuid) -> (&str, &str, &str, &str) {
        self.form.cells(&id.to_string())
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.refused.error(field)
    }
}

async fn render_project_years(
    state: &AppState,
    page: &Page,
    (board_id, year): (Uuid, i32),
    typed: Option<Typed<GridForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let board = board(&mut conn, board_id).await?;
    let projects = repo::project_years(&mut conn, board_id, year).await?;
    let shown = |v: Option<rust_decimal::Decimal>| grid::shown(v.map(Money::from_stored));
    let cells = projects
        .iter()
        .map(|p| {
            let cells = (shown(p.annual_budget), shown(p.extra_granted));
            (p.id.to_string(), cells)
        })
        .collect();
    let typed = grid_typed(typed, year, cells);
    let status = typed.page_status();
    let view = ProjectYearsView {
        chrome: page.chrome().await?,
        board,
        year,
        projects,
        refused: Refused::of(&typed),
        form: typed.form,
    };
    Ok(respond(status, view.render()?))
}

/// A board's grid of a year: the members' key or the projects' appropriations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardGrid {
    Key,
    ProjectYears,
}

impl BoardGrid {
    /// The grid's page.
    pub fn path(self, board: Uuid) -> String {
        match self {
            BoardGrid::Key => crate::paths::follow_up_member_key(board),
            BoardGrid::ProjectYears => crate::paths::follow_up_project_years(board),
        }
    }
}

pub async fn render_board_grid(
    state: &AppState,
    page: &Page,
    grid: BoardGrid,
    at: (Uuid, i32),
    typed: Option<Typed<GridForm>>,
) -> Result<Response, AppError> {
    match grid {
        BoardGrid::Key => render_member_key(state, page, at, typed).await,
        BoardGrid::ProjectYears => render_project_years(state, page, at, typed).await,
    }
}
