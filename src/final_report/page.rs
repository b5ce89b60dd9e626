//! The final report's pages: the assembled draft with its status form (also the print view),
//! and the text's edit form; each rendered fresh or from what the user typed when refused.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    domain::final_report::ReportStatus,
    final_report::{
        document::{Block, Document},
        forms::{ContentForm, MoveForm},
        loader::{Loaded, load},
        policy,
        repo::{self, Decision, Version},
    },
    operation::Refusal,
    projects::views::{Heading, Tab},
    web::{
        AppError, Chrome, CurrentUser,
        form::{FieldErrors, status},
        format,
    },
};

/// The status form as typed and why it was refused.
#[derive(Debug, Default)]
pub struct MoveTyped {
    pub form: MoveForm,
    pub errors: FieldErrors,
}

impl MoveTyped {
    /// The form again for a move refused for what was typed; any other refusal is the error
    /// page (a concurrent move is not something the form can show).
    pub fn refused(form: MoveForm, refusal: Refusal) -> Result<Self, AppError> {
        match refusal {
            Refusal::Invalid(errors) => Ok(Self { form, errors }),
            refusal => Err(refusal.into()),
        }
    }
}

#[derive(Template)]
#[template(path = "final_report/show.html")]
struct ShowView {
    chrome: Chrome,
    id: Uuid,
    heading: Heading,
    document: Document,
    version: Option<Version>,
    decision: Option<Decision>,
    /// Figures that changed since the text was saved: (what, then, now).
    changed: Vec<(&'static str, String, String)>,
    can_edit: bool,
    /// The status form's choices, the current status first.
    choices: Vec<(ReportStatus, &'static str)>,
    move_form: MoveForm,
    errors: FieldErrors,
}

impl ShowView {
    fn saved_at(&self, version: &Version) -> String {
        format::date_time(version.created_at)
    }
    fn is_decided(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.status.is_decided())
    }
}

/// The draft page; with the status form as typed and its messages when a move was refused.
pub async fn render_show(
    db: &PgPool,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    typed: MoveTyped,
) -> Result<Response, AppError> {
    let loaded = load(db, me, id).await?;
    let decision = repo::decision(&mut *db.acquire().await?, id).await?;
    let changed = loaded
        .version
        .as_ref()
        .map(|v| v.figures.0.changes(&loaded.document.figures))
        .unwrap_or_default();
    let move_form = move_form(typed.form, typed.errors.is_empty(), &loaded, &decision);
    let current = decision.as_ref().map_or(ReportStatus::Draft, |d| d.status);
    let view = ShowView {
        chrome,
        id,
        heading: Heading::new(&loaded.project, Tab::FinalReport),
        can_edit: policy::may_edit(me, &loaded.project),
        choices: choices(current, policy::may_record_decision(me, &loaded.project)),
        document: loaded.document,
        version: loaded.version,
        decision,
        changed,
        move_form,
        errors: typed.errors,
    };
    Ok((status(&view.errors, false), Html(view.render()?)).into_response())
}

/// The status form to show: a fresh one starts from what the draft and its decision already
/// say; a refused one keeps exactly what was typed, emptied fields included.
fn move_form(
    typed: MoveForm,
    fresh: bool,
    loaded: &Loaded,
    decision: &Option<Decision>,
) -> MoveForm {
    let or_saved = |typed: String, saved: &dyn Fn() -> String| {
        if fresh && typed.is_empty() {
            saved()
        } else {
            typed
        }
    };
    MoveForm {
        report_version: decision.as_ref().map_or(0, |d| d.version),
        meeting_date: or_saved(typed.meeting_date, &|| {
            decision
                .as_ref()
                .and_then(|d| d.meeting_date)
                .map(|d| d.to_string())
                .unwrap_or_default()
        }),
        decision_body: or_saved(typed.decision_body, &|| {
            loaded.content.proposing_body.clone()
        }),
        decision_text: or_saved(typed.decision_text, &|| proposal_text(&loaded.document)),
        ..typed
    }
}

/// The choices of the status form for a report at `current`: the current status first (kept,
/// it changes the meeting date of a ready draft), then the moves the workflow allows.
fn choices(current: ReportStatus, may_decide: bool) -> Vec<(ReportStatus, &'static str)> {
    let kept = match current {
        ReportStatus::Ready => (
            ReportStatus::Ready,
            "Klar för sammanträde (nuvarande; ändra datum)",
        ),
        _ => (ReportStatus::Draft, "Utkast (nuvarande)"),
    };
    let moves = current.next(may_decide).into_iter().map(|to| {
        let label = match to {
            ReportStatus::Draft => "Tillbaka till utkast",
            ReportStatus::Ready => "Klar för sammanträde",
            ReportStatus::Decided => "Beslutad (registrera nämndens beslut)",
        };
        (to, label)
    });
    std::iter::once(kept).chain(moves).collect()
}

/// The proposal as the decision text starts out: "<body> föreslår: <decision>".
fn proposal_text(document: &Document) -> String {
    let mut blocks = document.blocks.iter().filter_map(Block::paragraph);
    match (blocks.next(), blocks.next()) {
        (Some(intro), Some(proposal)) => format!("{intro}\n{proposal}"),
        _ => String::new(),
    }
}

/// The edit form as typed, why it was refused, and whether someone else saved first.
#[derive(Debug)]
pub struct EditTyped {
    pub form: ContentForm,
    pub errors: FieldErrors,
    pub conflict: bool,
}

impl EditTyped {
    /// The form again for a refused save. After a conflict the page says so in its own words
    /// above the text as typed.
    pub fn refused(form: ContentForm, refusal: Refusal) -> Result<Self, AppError> {
        let (errors, conflict) = match refusal {
            Refusal::Invalid(errors) => (errors, false),
            Refusal::Conflict(_) => (FieldErrors::new(), true),
            refusal => return Err(refusal.into()),
        };
        Ok(Self {
            form,
            errors,
            conflict,
        })
    }
}

#[derive(Template)]
#[template(path = "final_report/edit.html")]
struct EditView {
    chrome: Chrome,
    id: Uuid,
    heading: Heading,
    form: ContentForm,
    errors: FieldErrors,
    conflict: bool,
    decided: bool,
}

/// The edit form: the saved text, or what was typed when a save was refused. After a conflict
/// the form is based on the version saved now, so that saving again overwrites it knowingly.
pub async fn render_edit(
    db: &PgPool,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    typed: Option<EditTyped>,
) -> Result<Response, AppError> {
    let loaded = load(db, me, id).await?;
    policy::check_edit(me, &loaded.project)?;
    let decided = repo::is_decided(&mut *db.acquire().await?, id).await?;
    let saved = loaded.report_version();
    let typed = typed.unwrap_or_else(|| EditTyped {
        form: ContentForm {
            report_version: saved,
            content: loaded.content.clone(),
            ..ContentForm::default()
        },
        errors: FieldErrors::new(),
        conflict: false,
    });
    let form = if typed.conflict {
        ContentForm {
            report_version: saved,
            ..typed.form
        }
    } else {
        typed.form
    };
    let view = EditView {
        chrome,
        id,
        heading: Heading::new(&loaded.project, Tab::FinalReport),
        form,
        errors: typed.errors,
        conflict: typed.conflict,
        decided,
    };
    let status = status(&view.errors, view.conflict);
    Ok((status, Html(view.render()?)).into_response())
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
