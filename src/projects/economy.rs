//! The economic fields of a project, which controllers own: the decided appropriation
//! (investeringsanslag) and the decision behind it (body, date, paragraph).

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
    audit::{self, Actor},
    domain::{money::Money, text},
    projects::{
        forms::optional_date,
        load_visible,
        repo::{self, EconomyInput, Project},
        views::{self, Heading, Tab},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EconomyForm {
    #[serde(default)]
    pub appropriation: String,
    #[serde(default)]
    pub decision_body: String,
    #[serde(default)]
    pub decision_date: String,
    #[serde(default)]
    pub decision_paragraph: String,
    #[serde(default)]
    pub version: i32,
}

impl EconomyForm {
    fn from_project(p: &Project) -> Self {
        EconomyForm {
            appropriation: views::kr(&p.appropriation),
            decision_body: p.decision_body.clone().unwrap_or_default(),
            decision_date: views::date(&p.decision_date),
            decision_paragraph: p.decision_paragraph.clone().unwrap_or_default(),
            version: p.version,
        }
    }

    fn parse(&self) -> Result<EconomyInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let appropriation = if self.appropriation.trim().is_empty() {
            Some(None)
        } else {
            e.check(
                "appropriation",
                Money::parse(&self.appropriation)
                    .map_err(|err| format!("Investeringsanslag: {err}"))
                    .and_then(|m| {
                        if m.is_negative() {
                            Err(format!(
                                "Investeringsanslag: ”{}” är negativt; ett anslag är ett belopp större än eller lika med 0.",
                                self.appropriation.trim()
                            ))
                        } else {
                            Ok(Some(m))
                        }
                    }),
            )
        };
        let optional = |t: String| (!t.is_empty()).then_some(t);
        let body = e.check(
            "decision_body",
            text::bounded(&self.decision_body, 200, false),
        );
        let date = e.check("decision_date", optional_date(&self.decision_date));
        let paragraph = e.check(
            "decision_paragraph",
            text::bounded(&self.decision_paragraph, 20, false),
        );
        match (appropriation, body, date, paragraph) {
            (Some(appropriation), Some(body), Some(date), Some(paragraph)) if e.is_empty() => {
                Ok(EconomyInput {
                    appropriation,
                    decision_body: optional(body),
                    decision_date: date,
                    decision_paragraph: optional(paragraph),
                })
            }
            _ => Err(e),
        }
    }
}

fn audited(input: &EconomyInput) -> [(&'static str, String); 4] {
    [
        (
            "appropriation",
            input
                .appropriation
                .map(Money::format_kr)
                .unwrap_or_default(),
        ),
        (
            "decision_body",
            input.decision_body.clone().unwrap_or_default(),
        ),
        ("decision_date", views::date(&input.decision_date)),
        (
            "decision_paragraph",
            input.decision_paragraph.clone().unwrap_or_default(),
        ),
    ]
}

#[derive(Template)]
#[template(path = "projects/economy.html")]
struct EconomyView {
    chrome: Chrome,
    heading: Heading,
    form: EconomyForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn render(
    chrome: Chrome,
    project: &Project,
    form: EconomyForm,
    errors: FieldErrors,
    conflict: Option<String>,
) -> Result<Response, AppError> {
    let status = crate::web::form::status(&errors, conflict.is_some());
    let view = EconomyView {
        chrome,
        heading: Heading::new(project, Tab::Overview),
        form,
        errors,
        conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn edit_economy(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, &me, false).await?;
    let form = EconomyForm::from_project(&project);
    render(chrome, &project, form, FieldErrors::new(), None)
}

pub async fn update_economy(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<EconomyForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let saved = load_visible(&mut tx, id, &me, true).await?;
    super::ensure_open(&saved)?;
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            drop(tx);
            return render(chrome, &saved, form, errors, None);
        }
    };
    let before = EconomyForm::from_project(&saved)
        .parse()
        .map_err(|_| AppError::Internal("stored economy does not parse".into()))?;
    if saved.version != form.version {
        let conflict = audited(&before)
            .iter()
            .map(|(f, v)| format!("{}: {v}", crate::audit::handlers::field_label(f)))
            .collect::<Vec<_>>()
            .join(" · ");
        let form = EconomyForm {
            version: saved.version,
            ..form
        };
        drop(tx);
        return render(chrome, &saved, form, FieldErrors::new(), Some(conflict));
    }
    if !repo::update_economy(&mut tx, id, form.version, &input).await? {
        return Err(AppError::Conflict(
            "Projektet ändrades samtidigt av någon annan.".into(),
        ));
    }
    let changes: Vec<(&str, String, String)> = audited(&before)
        .into_iter()
        .zip(audited(&input))
        .map(|((f, old), (_, new))| (f, old, new))
        .collect();
    let subject = id.to_string();
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "project_economy_updated",
        ("project", &subject),
        Some(id),
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Anslag och beslut har sparats.")).await?;
    Ok(Redirect::to(&format!("/projekt/{id}")).into_response())
}
