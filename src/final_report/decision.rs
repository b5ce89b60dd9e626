//! A draft's way to the committee: draft → ready for a meeting → decided. At "decided" the
//! secretary records the body, the paragraph and the decision; the draft is then locked and the
//! project's final report is approved. The protocol extract is produced from the decided draft.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{project::Status, text},
    final_report::{
        content::paragraphs,
        handlers::load,
        policy::{self, may_edit},
        repo::{self, Decision, Move},
    },
    projects::{
        forms::optional_date,
        load_visible, repo as projects_repo,
        views::{Heading, Tab},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
        format,
    },
};

/// The choices of the status form for a draft at `current`: the current status first (kept,
/// it changes the meeting date of a ready draft), then the moves the workflow allows, recording
/// the decision only for those who may.
pub fn choices(current: &str, may_decide: bool) -> Vec<(&'static str, &'static str)> {
    let mut choices = vec![match current {
        "ready" => ("ready", "Klar för sammanträde (nuvarande; ändra datum)"),
        _ => ("draft", "Utkast (nuvarande)"),
    }];
    match current {
        "draft" => choices.push(("ready", "Klar för sammanträde")),
        "ready" => {
            choices.push(("draft", "Tillbaka till utkast"));
            if may_decide {
                choices.push(("decided", "Beslutad (registrera nämndens beslut)"));
            }
        }
        _ => {}
    }
    choices
}

pub fn status_label(code: &str) -> &'static str {
    match code {
        "ready" => "Klar för sammanträde",
        "decided" => "Beslutad",
        _ => "Utkast",
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub meeting_date: String,
    #[serde(default)]
    pub decision_body: String,
    #[serde(default)]
    pub decision_paragraph: String,
    #[serde(default)]
    pub decision_text: String,
    #[serde(default)]
    pub report_version: i32,
}

impl MoveForm {
    fn parse(&self, current: &Decision) -> Result<Move, FieldErrors> {
        let mut e = FieldErrors::new();
        let meeting = e
            .check("meeting_date", optional_date(&self.meeting_date))
            .flatten();
        let optional = |t: String| (!t.is_empty()).then_some(t);
        let body = e
            .check(
                "decision_body",
                text::bounded(&self.decision_body, 200, false),
            )
            .and_then(optional);
        let paragraph = e
            .check(
                "decision_paragraph",
                text::bounded(&self.decision_paragraph, 20, false),
            )
            .and_then(optional);
        let decision = e
            .check(
                "decision_text",
                text::bounded(&self.decision_text, 20_000, false),
            )
            .and_then(optional);
        let status = match (current.status.as_str(), self.to.as_str()) {
            (_, "") => {
                e.add("to", "Välj en ny status.");
                return Err(e);
            }
            ("draft", "draft") => {
                e.add(
                    "to",
                    "Slutredovisningen är redan ett utkast. Välj den status den ska få.",
                );
                return Err(e);
            }
            ("draft" | "ready", "ready") => "ready",
            ("ready", "draft") => "draft",
            ("ready", "decided") => "decided",
            (from, to) => {
                e.add(
                    "to",
                    format!(
                        "En slutredovisning med status ”{}” kan inte bli ”{}”.",
                        status_label(from),
                        status_label(to)
                    ),
                );
                return Err(e);
            }
        };
        if status != "draft" && meeting.is_none() {
            e.add("meeting_date", "Ange sammanträdets datum.");
        }
        if status == "decided" && meeting.is_some_and(|d| d > format::today()) {
            e.add(
                "meeting_date",
                "Beslutet registreras efter sammanträdet: datumet ligger i framtiden.",
            );
        }
        if status == "decided" {
            for (field, value, message) in [
                ("decision_body", &body, "Ange vilket organ som beslutade."),
                (
                    "decision_paragraph",
                    &paragraph,
                    "Ange paragrafen, till exempel §43.",
                ),
                ("decision_text", &decision, "Skriv beslutet."),
            ] {
                if value.is_none() {
                    e.add(field, message);
                }
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        let decided = status == "decided";
        Ok(Move {
            status,
            meeting_date: if status == "draft" { None } else { meeting },
            decision_body: body.filter(|_| decided),
            decision_paragraph: paragraph.filter(|_| decided),
            decision_text: decision.filter(|_| decided),
        })
    }
}

/// Moves the draft. Refusals go back to the draft page with the messages next to the fields.
pub async fn move_report(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    // What keeps the draft from being complete, from the same assembly the page shows.
    let loaded_missing = load(&state, &me, id).await?.document.missing;
    let mut tx = state.db.begin().await?;
    let project = load_visible(&mut tx, id, &me, true).await?;
    if !may_edit(&me, &project) {
        return Err(AppError::Forbidden);
    }
    let Some(current) = repo::decision(&mut tx, id).await? else {
        return Err(AppError::Conflict(
            "Spara slutredovisningens text innan den går vidare.".into(),
        ));
    };
    let mut parsed = form.parse(&current);
    let secretary_of_board = policy::may_record_decision(&me, &project);
    if let Ok(m) = &parsed {
        let mut errors = FieldErrors::new();
        if m.status == "decided" && !secretary_of_board {
            errors.add("to", "Bara nämndens sekreterare registrerar beslutet.");
        }
        if m.status == "decided" && !loaded_missing.is_empty() {
            errors.add(
                "to",
                format!(
                    "Slutredovisningen är ofullständig och kan inte beslutas: {}",
                    loaded_missing.join(" ")
                ),
            );
        }
        if m.status == "decided" && Status::from_code(&project.status) != Some(Status::Completed) {
            errors.add(
                "to",
                "Projektet måste ha status Avslutat innan slutredovisningen beslutas.",
            );
        }
        if current.version != form.report_version {
            errors.add("to", "Slutredovisningen har ändrats sedan du öppnade sidan. Kontrollera och försök igen.");
        }
        if !errors.is_empty() {
            parsed = Err(errors);
        }
    }
    let to = match parsed {
        Ok(to) => to,
        Err(errors) => {
            drop(tx);
            return super::handlers::render_show(&state, chrome, &me, id, form, errors).await;
        }
    };
    if !repo::move_to(&mut tx, id, form.report_version, &to, me.id).await? {
        return Err(AppError::Conflict(
            "Slutredovisningen ändrades samtidigt av någon annan.".into(),
        ));
    }
    let actor = Actor::user(&me, &client);
    let mut entry = Entry::change(
        "final_report_moved",
        "final_report",
        id.to_string(),
        "status",
        Some(status_label(&current.status).to_owned()),
        Some(status_label(to.status).to_owned()),
    )
    .in_project(id);
    if to.status == "decided" {
        entry.new = Some(format!(
            "Beslutad {} {} ({})",
            to.decision_body.as_deref().unwrap_or_default(),
            to.decision_paragraph.as_deref().unwrap_or_default(),
            to.meeting_date.map(|d| d.to_string()).unwrap_or_default()
        ));
        let today = format::today();
        let approved = Status::FinalReportApproved.code();
        projects_repo::change_status(
            &mut tx,
            &project,
            approved,
            to.meeting_date.unwrap_or(today),
            "Slutredovisningen beslutad",
            me.id,
        )
        .await?;
        let status_entry = Entry::change(
            "project_status_changed",
            "project",
            id.to_string(),
            "status",
            Some(Status::Completed.label().to_owned()),
            Some(Status::FinalReportApproved.label().to_owned()),
        )
        .in_project(id);
        audit::record(&mut tx, &actor, status_entry).await?;
    }
    audit::record(&mut tx, &actor, entry).await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let fields = [
        (
            "meeting_date",
            date(&current.meeting_date),
            date(&to.meeting_date),
        ),
        (
            "decision_body",
            text(&current.decision_body),
            text(&to.decision_body),
        ),
        (
            "decision_paragraph",
            text(&current.decision_paragraph),
            text(&to.decision_paragraph),
        ),
        (
            "decision_text",
            text(&current.decision_text),
            text(&to.decision_text),
        ),
    ];
    let subject = id.to_string();
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "final_report_moved",
        ("final_report", &subject),
        Some(id),
        &fields,
    )
    .await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!(
            "Slutredovisningen har status ”{}”.",
            status_label(to.status)
        )),
    )
    .await?;
    Ok(Redirect::to(&format!("/projekt/{id}/slutredovisning")).into_response())
}

#[derive(Template)]
#[template(path = "final_report/protocol.html")]
struct ProtocolView {
    chrome: Chrome,
    heading: Heading,
    decision: Decision,
    case_number: String,
    title: String,
    summary: Vec<String>,
    proceedings: String,
    send_to: Vec<String>,
}

/// The protocol extract (protokollsutdrag) of a decided draft.
pub async fn show_protocol(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &me, id).await?;
    let mut conn = state.db.acquire().await?;
    let decision = repo::decision(&mut conn, id)
        .await?
        .filter(|d| d.status == "decided")
        .ok_or(AppError::NotFound)?;
    // The extract quotes what was decided, not later corrections.
    let (decided, figures) = repo::numbered(&mut conn, id, decision.decided_version)
        .await?
        .map_or_else(
            || (loaded.content.clone(), loaded.document.figures.clone()),
            |v| (v.content.0, v.figures.0),
        );
    let body = decision.decision_body.clone().unwrap_or_default();
    let lower = lowercase_first(&body);
    let view = ProtocolView {
        chrome,
        heading: Heading::new(&loaded.project, Tab::FinalReport),
        case_number: loaded.project.case_number.clone(),
        title: if decided.title.trim().is_empty() {
            loaded.document.title.clone()
        } else {
            decided.title.clone()
        },
        summary: paragraphs(&super::content::fill(
            &decided.summary,
            &figures.appropriation,
        )),
        proceedings: format!(
            "Ordföranden frågar om {lower} kan besluta i enlighet med tjänsteutlåtandets förslag, och finner att {lower} beslutar i enlighet med förslaget."
        ),
        send_to: paragraphs(&decided.send_to),
        decision,
    };
    Ok(Html(view.render()?).into_response())
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}
