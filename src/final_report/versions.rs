//! The versions of a draft, and what changed between two of them, field by field.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Html,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    final_report::{
        content::Content,
        policy,
        repo::{self, Version},
    },
    projects::{
        load_visible,
        views::{Heading, Tab},
    },
    web::{AppError, AppState, Chrome, CurrentUser, format},
};

/// The text fields of a draft with their Swedish names, for comparing versions.
fn fields(c: &Content) -> [(&'static str, &str); 19] {
    [
        ("Utfärdande enhet", &c.issuing_unit),
        ("Handläggare", &c.officer_name),
        ("Handläggarens titel", &c.officer_title),
        ("Handläggarens e-post", &c.officer_email),
        ("Till", &c.proposing_body),
        ("Beslutande organ", &c.deciding_body),
        ("Rubrik", &c.title),
        ("Projektets namn i beslutet", &c.name_in_decision),
        ("Sammanfattning", &c.summary),
        ("Beskrivning", &c.description),
        ("Förklaring efter bedömningen", &c.verdict_explanation),
        ("Efter meningen om effektmålen", &c.goals_followup),
        ("Lagkrav", &c.legal_requirements),
        ("Koppling till styrdokument", &c.governing_documents),
        ("Förklaring till delenhet", &c.sub_entity_explanation),
        ("Utfall per datum", &c.figures_as_of),
        ("Analys och slutsatser", &c.analysis),
        ("Underskrifter", &c.signatures),
        ("Beslut skickas till", &c.send_to),
    ]
}

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    fran: Option<i32>,
    till: Option<i32>,
}

/// Two versions compared: the fields that differ, as (field, in `from`, in `to`).
struct Comparison {
    from: i32,
    to: i32,
    changes: Vec<(&'static str, String, String)>,
}

impl Comparison {
    /// The versions the query names (by default the newest and the one before), if both exist.
    fn of(versions: &[Version], query: &CompareQuery) -> Option<Self> {
        let newest = versions.first().map_or(0, |v| v.number);
        let to = query.till.unwrap_or(newest);
        let from = query.fran.unwrap_or(to - 1);
        let find = |n: i32| versions.iter().find(|v| v.number == n);
        let (a, b) = (find(from)?, find(to)?);
        let changes = fields(&a.content.0)
            .into_iter()
            .zip(fields(&b.content.0))
            .filter(|((_, x), (_, y))| x != y)
            .map(|((name, x), (_, y))| (name, x.to_owned(), y.to_owned()))
            .collect();
        Some(Self { from, to, changes })
    }
}

#[derive(Template)]
#[template(path = "final_report/versions.html")]
struct VersionsView {
    chrome: Chrome,
    id: Uuid,
    heading: Heading,
    versions: Vec<Version>,
    compared: Option<Comparison>,
}

impl VersionsView {
    fn when(&self, v: &Version) -> String {
        format::date_time(v.created_at)
    }
}

pub async fn show_versions(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Query(query): Query<CompareQuery>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, &me, false).await?;
    policy::check_read(&mut conn, &me, &project).await?;
    let versions = repo::versions(&mut conn, id).await?;
    let view = VersionsView {
        chrome,
        id,
        heading: Heading::new(&project, Tab::FinalReport),
        compared: Comparison::of(&versions, &query),
        versions,
    };
    Ok(Html(view.render()?))
}
