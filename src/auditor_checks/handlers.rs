//! The auditors' pages: the six checks with their counts, a check's drill-down and its Excel
//! export, for one municipality or all.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    auditor_checks::{
        checks::{self, Check, Outcome, Scope},
        xlsx,
    },
    web::{AppError, AppState, Chrome, download},
};

/// The query every check page takes: the check, the municipality and the year.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    pub k: String,
    #[serde(default)]
    pub kommun: String,
    #[serde(default)]
    pub ar: String,
}

impl CheckQuery {
    /// The scope the query asks for: a municipality of `known`, or all when none is given, and
    /// the year (this one when none is given). Anything else is no page.
    pub fn scope(&self, known: &[(Uuid, String)]) -> Result<Scope, AppError> {
        let municipality = match self.kommun.trim() {
            "" => None,
            text => Some(
                text.parse::<Uuid>()
                    .ok()
                    .filter(|id| known.iter().any(|(k, _)| k == id))
                    .ok_or(AppError::NotFound)?,
            ),
        };
        let year = match self.ar.trim() {
            "" => checks::this_year(),
            text => text
                .parse()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or(AppError::NotFound)?,
        };
        Ok(Scope { municipality, year })
    }

    /// The year shown: the one asked for, else this one.
    pub fn year(&self) -> String {
        match self.ar.trim() {
            "" => checks::this_year().to_string(),
            text => text.to_owned(),
        }
    }

    /// The query of `check`'s drill-down in the same scope.
    pub fn for_check(&self, check: &Check) -> String {
        format!(
            "?k={}&kommun={}&ar={}",
            check.code(),
            self.kommun,
            self.year()
        )
    }
}

#[derive(Template)]
#[template(path = "auditor_checks/overview.html")]
struct OverviewView {
    chrome: Chrome,
    outcomes: Vec<Outcome>,
    query: CheckQuery,
    year: i32,
    municipalities: Vec<(Uuid, String)>,
}

pub async fn show_checks(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<CheckQuery>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let known = Reference::municipalities_of(&mut *conn, None).await?;
    let scope = query.scope(&known)?;
    let view = OverviewView {
        chrome,
        outcomes: checks::run_all(&mut conn, scope).await?,
        municipalities: known,
        year: scope.year,
        query,
    };
    Ok(Html(view.render()?))
}

#[derive(Template)]
#[template(path = "auditor_checks/check.html")]
struct CheckView {
    chrome: Chrome,
    outcome: Outcome,
    query: CheckQuery,
    scope_label: String,
}

/// The check the query names, run in its scope, with the scope in words.
async fn run(state: &AppState, query: &CheckQuery) -> Result<(Outcome, String), AppError> {
    let check = Check::from_code(&query.k).ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let known = Reference::municipalities_of(&mut *conn, None).await?;
    let scope = query.scope(&known)?;
    let place = known
        .into_iter()
        .find(|(id, _)| Some(*id) == scope.municipality)
        .map_or("alla kommuner".to_owned(), |(_, name)| name);
    let outcome = checks::run(&mut conn, check, scope).await?;
    Ok((outcome, format!("{place}, {}", scope.year)))
}

pub async fn show_check(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<CheckQuery>,
) -> Result<Html<String>, AppError> {
    let (outcome, scope_label) = run(&state, &query).await?;
    let view = CheckView {
        chrome,
        outcome,
        query,
        scope_label,
    };
    Ok(Html(view.render()?))
}

pub async fn export_check(
    State(state): State<AppState>,
    Query(query): Query<CheckQuery>,
) -> Result<Response, AppError> {
    let (outcome, scope_label) = run(&state, &query).await?;
    let bytes = xlsx::write(&outcome, &scope_label).map_err(AppError::Internal)?;
    let name = format!("{} – {scope_label}.xlsx", outcome.check.label());
    Ok(download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}
