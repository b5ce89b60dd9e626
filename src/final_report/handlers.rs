//! The final-report pages: the assembled draft (also the print view) and its edit form.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    budget,
    domain::text,
    final_report::{
        content::{Content, Figures},
        decision::{self, MoveForm},
        document::{self, Block, Document, Imprint},
        policy::{self, may_edit},
        repo::{self, Decision, Version},
    },
    goals,
    projects::{
        load_visible,
        repo::Project,
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

/// Whether the draft is decided: its decided version is then locked and a save is a correction,
/// a new version with its reason, linked to the decision.
async fn is_decided(state: &AppState, id: Uuid) -> Result<bool, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(repo::decision(&mut conn, id)
        .await?
        .is_some_and(|d| d.status == "decided"))
}

/// A first draft's text, from what the project already knows.
fn starting_content(project: &Project) -> Content {
    Content {
        proposing_body: project.board.clone(),
        deciding_body: project.decision_body.clone().unwrap_or_default(),
        title: format!("Slutredovisning – {}", project.name),
        name_in_decision: project.name.clone(),
        governing_documents: project
            .council_goals
            .iter()
            .map(|g| g.title.clone())
            .collect::<Vec<_>>()
            .join("\n\n"),
        figures_as_of: project
            .actual_end
            .map(|d| d.to_string())
            .unwrap_or_default(),
        ..Content::default()
    }
}

pub(crate) struct Loaded {
    pub project: Project,
    pub document: Document,
    pub version: Option<Version>,
    pub content: Content,
}

impl Loaded {
    /// How an export made `at` is marked: with the board's municipality, and as a draft unless
    /// the report is ready for its meeting or decided.
    pub fn imprint(&self, at: chrono::DateTime<chrono::Utc>) -> Imprint {
        Imprint {
            municipality: self.project.board_municipality.clone(),
            at,
            draft: self.version.as_ref().is_none_or(|v| v.status == "draft"),
        }
    }
}

pub(crate) async fn load(state: &AppState, me: &CurrentUser, id: Uuid) -> Result<Loaded, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    policy::check_read(&mut conn, me, &project).await?;
    let lines = budget::repo::lines(&mut conn, id).await?;
    let goals = goals::repo::goals(&mut conn, id).await?;
    let version = repo::latest(&mut conn, id).await?;
    let content = version
        .as_ref()
        .map_or_else(|| starting_content(&project), |v| v.content.0.clone());
    let document = document::assemble(&project, &lines, &goals, &content);
    Ok(Loaded {
        project,
        document,
        version,
        content,
    })
}

#[derive(Template)]
#[template(path = "final_report/show.html")]
struct ShowView {
    chrome: Chrome,
    heading: Heading,
    document: Document,
    version: Option<Version>,
    decision: Option<Decision>,
    /// Figures that changed since the text was saved: (what, then, now).
    changed: Vec<(&'static str, String, String)>,
    can_edit: bool,
    /// The status form's choices: (code, label), the current status first.
    choices: Vec<(&'static str, &'static str)>,
    move_form: MoveForm,
    errors: FieldErrors,
}

impl ShowView {
    fn saved_at(&self, version: &Version) -> String {
        format::date_time(version.created_at)
    }
    fn status_label(&self, code: &str) -> &'static str {
        decision::status_label(code)
    }
    fn is_decided(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.status == "decided")
    }
}

pub async fn show_report(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_show(
        &state,
        chrome,
        &me,
        id,
        MoveForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// The draft page; with the status form as typed and its messages when a move was refused.
pub async fn render_show(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    move_form: MoveForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let loaded = load(state, me, id).await?;
    let mut conn = state.db.acquire().await?;
    let decision = repo::decision(&mut conn, id).await?;
    drop(conn);
    let changed = loaded
        .version
        .as_ref()
        .map(|v| v.figures.0.changes(&loaded.document.figures))
        .unwrap_or_default();
    // A fresh form starts from what the draft and its decision already say; a refused one
    // keeps exactly what was typed, emptied fields included.
    let fresh = errors.is_empty();
    let move_form = MoveForm {
        report_version: decision.as_ref().map_or(0, |d| d.version),
        meeting_date: if fresh && move_form.meeting_date.is_empty() {
            decision
                .as_ref()
                .and_then(|d| d.meeting_date)
                .map(|d| d.to_string())
                .unwrap_or_default()
        } else {
            move_form.meeting_date
        },
        decision_body: if fresh && move_form.decision_body.is_empty() {
            loaded.content.proposing_body.clone()
        } else {
            move_form.decision_body
        },
        decision_text: if fresh && move_form.decision_text.is_empty() {
            proposal_text(&loaded.document)
        } else {
            move_form.decision_text
        },
        ..move_form
    };
    let status = crate::web::form::status(&errors, false);
    let view = ShowView {
        chrome,
        heading: Heading::new(&loaded.project, Tab::FinalReport),
        can_edit: may_edit(me, &loaded.project),
        choices: decision::choices(
            decision.as_ref().map_or("draft", |d| d.status.as_str()),
            policy::may_record_decision(me, &loaded.project),
        ),
        document: loaded.document,
        version: loaded.version,
        decision,
        changed,
        move_form,
        errors,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The proposal as the decision text starts out: "<body> föreslår: <decision>".
fn proposal_text(document: &Document) -> String {
    let mut blocks = document.blocks.iter().filter_map(Block::paragraph);
    match (blocks.next(), blocks.next()) {
        (Some(intro), Some(proposal)) => format!("{intro}\n{proposal}"),
        _ => String::new(),
    }
}

/// The edit form as posted: the text and the version it was based on.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ContentForm {
    #[serde(flatten)]
    pub content: Content,
    #[serde(default)]
    pub report_version: i32,
    /// Why a decided report is corrected (required then, unused before the decision).
    #[serde(default)]
    pub correction_reason: String,
}

#[derive(Template)]
#[template(path = "final_report/edit.html")]
struct EditView {
    chrome: Chrome,
    heading: Heading,
    form: ContentForm,
    errors: FieldErrors,
    conflict: bool,
    decided: bool,
}

impl EditView {
    /// (field name, label, value, rows): the form's text fields in document order.
    fn fields(&self) -> Vec<(&'static str, &'static str, &str, u8)> {
        let c = &self.form.content;
        vec![
            ("issuing_unit", "Utfärdande enhet", &c.issuing_unit, 1),
            ("officer_name", "Handläggare", &c.officer_name, 1),
            ("officer_title", "Handläggarens titel", &c.officer_title, 1),
            ("officer_email", "Handläggarens e-post", &c.officer_email, 1),
            (
                "proposing_body",
                "Till (nämnden som föreslår beslutet)",
                &c.proposing_body,
                1,
            ),
            ("deciding_body", "Beslutande organ", &c.deciding_body, 1),
            ("title", "Rubrik", &c.title, 1),
            (
                "name_in_decision",
                "Projektets namn i beslutet",
                &c.name_in_decision,
                1,
            ),
            (
                "summary",
                "Sammanfattning av tjänsteutlåtandet",
                &c.summary,
                8,
            ),
            ("description", "Ärendet – beskrivning", &c.description, 8),
            (
                "verdict_explanation",
                "Förklaring efter bedömningen av ekonomi, effektmål och tidplan",
                &c.verdict_explanation,
                4,
            ),
            (
                "goals_followup",
                "Efter meningen om effektmålens uppfyllelse",
                &c.goals_followup,
                4,
            ),
            ("legal_requirements", "Lagkrav", &c.legal_requirements, 2),
            (
                "governing_documents",
                "Koppling till gällande styrdokument",
                &c.governing_documents,
                2,
            ),
            (
                "sub_entity_explanation",
                "Förklaring till delenhet som räknats bort (fortsätter första budgetmeningen)",
                &c.sub_entity_explanation,
                3,
            ),
            (
                "figures_as_of",
                "Utfall per datum (ÅÅÅÅ-MM-DD)",
                &c.figures_as_of,
                1,
            ),
            (
                "analysis",
                "Förvaltningens analys och slutsatser",
                &c.analysis,
                8,
            ),
            (
                "signatures",
                "Underskrifter (namn, titel, enhet på var sin rad; tom rad mellan personer)",
                &c.signatures,
                6,
            ),
            ("send_to", "Beslut skickas till", &c.send_to, 2),
        ]
    }
}

fn check(form: &ContentForm, decided: bool) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if decided {
        match text::bounded(&form.correction_reason, 2000, true) {
            Ok(_) => {}
            Err(_) if form.correction_reason.trim().is_empty() => errors.add(
                "correction_reason",
                "Slutredovisningen är beslutad: ange varför den rättas.",
            ),
            Err(e) => errors.add("correction_reason", e.to_string()),
        }
    }
    for (name, value, max) in [
        ("summary", &form.content.summary, 50_000),
        ("description", &form.content.description, 50_000),
        ("analysis", &form.content.analysis, 50_000),
        ("title", &form.content.title, 300),
        ("name_in_decision", &form.content.name_in_decision, 300),
        ("officer_email", &form.content.officer_email, 254),
    ] {
        errors.check(name, text::bounded(value, max, false));
    }
    errors.check(
        "figures_as_of",
        crate::projects::forms::optional_date(&form.content.figures_as_of),
    );
    errors
}

pub async fn edit_report(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &me, id).await?;
    if !may_edit(&me, &loaded.project) {
        return Err(AppError::Forbidden);
    }
    let decided = is_decided(&state, id).await?;
    let form = ContentForm {
        report_version: loaded.version.as_ref().map_or(0, |v| v.report_version),
        content: loaded.content,
        correction_reason: String::new(),
    };
    let view = EditView {
        chrome,
        heading: Heading::new(&loaded.project, Tab::FinalReport),
        form,
        errors: FieldErrors::new(),
        conflict: false,
        decided,
    };
    Ok(Html(view.render()?).into_response())
}

pub async fn update_report(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<ContentForm>,
) -> Result<Response, AppError> {
    let form = ContentForm {
        content: form.content.cleaned(),
        ..form
    };
    let loaded = load(&state, &me, id).await?;
    if !may_edit(&me, &loaded.project) {
        return Err(AppError::Forbidden);
    }
    let decided = is_decided(&state, id).await?;
    let errors = check(&form, decided);
    let render =
        |form: ContentForm, errors: FieldErrors, conflict: bool| -> Result<Response, AppError> {
            let status = crate::web::form::status(&errors, conflict);
            let view = EditView {
                chrome: chrome.clone(),
                heading: Heading::new(&loaded.project, Tab::FinalReport),
                form,
                errors,
                conflict,
                decided,
            };
            Ok((status, Html(view.render()?)).into_response())
        };
    if !errors.is_empty() {
        return render(form, errors, false);
    }
    let figures: Figures = loaded.document.figures.clone();
    let mut tx = state.db.begin().await?;
    load_visible(&mut tx, id, &me, true).await?;
    if !repo::save(
        &mut tx,
        id,
        form.report_version,
        &form.content,
        &figures,
        Some(me.id),
        decided.then_some(form.correction_reason.trim()),
    )
    .await?
    {
        drop(tx);
        let current = loaded.version.as_ref().map_or(0, |v| v.report_version);
        let form = ContentForm {
            report_version: current,
            ..form
        };
        return render(form, FieldErrors::new(), true);
    }
    let saved = repo::latest(&mut tx, id).await?.map_or(0, |v| v.number);
    let entry = Entry::change(
        if decided {
            "final_report_corrected"
        } else {
            "final_report_saved"
        },
        "final_report",
        id.to_string(),
        "version",
        (saved > 1).then(|| (saved - 1).to_string()),
        Some(saved.to_string()),
    )
    .in_project(id);
    audit::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    if decided {
        let reason = Entry::change(
            "final_report_corrected",
            "final_report",
            id.to_string(),
            "correction_reason",
            None,
            Some(form.correction_reason.trim().to_owned()),
        )
        .in_project(id);
        audit::record(&mut tx, &Actor::user(&me, &client), reason).await?;
    }
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!(
            "Slutredovisningen har sparats som version {saved}."
        )),
    )
    .await?;
    Ok(Redirect::to(&format!("/projekt/{id}/slutredovisning")).into_response())
}

/// For the templates: whether a block is of a kind.
impl Block {
    pub fn heading(&self) -> Option<(u8, &str)> {
        match self {
            Block::Heading(level, text) => Some((*level, text)),
            _ => None,
        }
    }
    pub fn paragraph(&self) -> Option<&str> {
        match self {
            Block::Paragraph(text) => Some(text),
            _ => None,
        }
    }
    pub fn is_table(&self) -> bool {
        matches!(self, Block::Table)
    }
    pub fn signature(&self) -> Option<&[String]> {
        match self {
            Block::Signature(lines) => Some(lines),
            _ => None,
        }
    }
}

/// The formats a draft exports to.
#[derive(Clone, Copy)]
enum Format {
    Docx,
    Pdf,
}

/// The draft as a Word document.
pub async fn export_docx(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    export(&state, &me, id, Format::Docx).await
}

/// The draft as PDF/A-2b, for the archive.
pub async fn export_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    export(&state, &me, id, Format::Pdf).await
}

async fn export(
    state: &AppState,
    me: &CurrentUser,
    id: Uuid,
    format: Format,
) -> Result<Response, AppError> {
    // `load` has checked that `me` may read, and so export, this report.
    let loaded = load(state, me, id).await?;
    let imprint = loaded.imprint(chrono::Utc::now());
    let document = loaded.document;
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Docx => super::docx::write(&document, &imprint),
        Format::Pdf => super::pdf::write(&document, &imprint),
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let (content_type, extension) = match format {
        Format::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Format::Pdf => ("application/pdf", "pdf"),
    };
    let filename = format!(
        "Slutredovisning {} {}.{extension}",
        loaded.project.case_number, loaded.project.name
    );
    Ok(crate::web::download::attachment(
        content_type,
        &filename,
        bytes,
    ))
}
