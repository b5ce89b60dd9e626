//! The round pages: the list of rounds with the form that creates the next one, and a round's
//! overview with its phases, agenda per plan, reviews, settings and prioritisation model.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        portfolio::{Phase, Quarter},
        project::Plan,
        role::Role,
        scoring::Model,
    },
    portfolio::{
        models::repo as models,
        reviews::{
            policy::{reads_reviews, speaks_for},
            repo::{self as review_repo, ReviewStatus},
        },
        rounds::{
            forms::{ModelForm, NewRoundForm, SettingsForm},
            repo::{self, Frame, Round},
        },
        scope::load_round,
    },
    web::{AppError, AppState, Chrome, CurrentUser, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "portfolio/rounds.html")]
struct ListView {
    chrome: Chrome,
    rounds: Vec<Round>,
    form: NewRoundForm,
    errors: FieldErrors,
    can_create: bool,
    open_exists: bool,
}

impl ListView {
    fn phase_label(&self, round: &Round) -> &'static str {
        round.phase().label()
    }
}

/// The list of rounds with the new-round form: as typed with its messages, or (None) proposing
/// the quarter after the latest round.
pub async fn render_list(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    typed: Option<(NewRoundForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let rounds = repo::list(&mut conn).await?;
    let (form, errors) = typed.unwrap_or_else(|| {
        let next = rounds
            .first()
            .and_then(|r| r.quarter.parse::<Quarter>().ok())
            .map_or_else(|| Quarter::of(crate::web::format::today()), Quarter::next);
        let form = NewRoundForm {
            quarter: next.to_string(),
            ..NewRoundForm::default()
        };
        (form, FieldErrors::new())
    });
    let status = crate::web::form::status(&errors, false);
    let view = ListView {
        chrome,
        open_exists: rounds.iter().any(|r| !r.is_decided()),
        rounds,
        form,
        errors,
        can_create: me.has_role(Role::ItCenter),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// Sums of a round's agenda per plan.
pub struct AgendaSum {
    pub plan: Plan,
    pub count: i64,
    pub hours: i64,
    pub cost: Money,
    pub frame: Option<Frame>,
}

#[derive(Template)]
#[template(path = "portfolio/round.html")]
struct ShowView {
    chrome: Chrome,
    round: Round,
    agenda: Vec<AgendaSum>,
    reviews: Vec<ReviewStatus>,
    settings: SettingsForm,
    model_form: ModelForm,
    /// The round's prioritisation model, and every model to choose from.
    model: Model,
    models: Vec<(Uuid, String)>,
    /// The municipalities with a Word template, whose template the protocol may be written in.
    letterheads: Vec<(Uuid, String)>,
    errors: FieldErrors,
    conflict: Option<String>,
    me: CurrentUser,
    /// Whether the user may open the decision form now (`decision::policy::may_decide`).
    may_decide: bool,
}

impl ShowView {
    fn phases(&self) -> &'static [Phase] {
        &Phase::ALL
    }
    fn is_current(&self, phase: &Phase) -> bool {
        self.round.phase() == *phase
    }
    fn plans(&self) -> Vec<(usize, Plan)> {
        Plan::ALL.iter().copied().enumerate().collect()
    }
    fn is_chosen(&self, id: &Uuid) -> bool {
        self.model_form.scoring_model_id == id.to_string()
    }
    fn can(&self, role: Role) -> bool {
        self.me.has_role(role)
    }
    fn can_run(&self) -> bool {
        !self.round.is_decided() && (self.can(Role::ItCenter) || self.can(Role::CoordinationGroup))
    }
    fn reads_board(&self) -> bool {
        crate::portfolio::scope::reads_board(&self.me, self.round.is_decided())
    }
    /// The comparison is working material: not for strategy groups.
    fn reads_comparison(&self) -> bool {
        crate::portfolio::scope::reads_board(&self.me, false)
    }
    fn may_open(&self, review: &ReviewStatus) -> bool {
        (review.submitted_at.is_some() && reads_reviews(&self.me))
            || speaks_for(&self.me, review.municipality_id)
    }
    fn my_review(&self) -> Option<&ReviewStatus> {
        self.reviews
            .iter()
            .find(|r| speaks_for(&self.me, r.municipality_id))
    }
    fn total_hours(&self) -> i64 {
        self.agenda.iter().map(|a| a.hours).sum()
    }
    fn total_cost(&self) -> Money {
        self.agenda.iter().map(|a| a.cost).sum()
    }
    fn total_count(&self) -> i64 {
        self.agenda.iter().map(|a| a.count).sum()
    }
}

/// What was typed on the round page: one of its two forms, its messages, and whether it was
/// refused because someone else saved first (the page then shows what is saved now and the
/// form takes the saved version).
#[derive(Debug, Default)]
pub struct RoundTyped {
    pub settings: Option<SettingsForm>,
    pub model: Option<ModelForm>,
    pub errors: FieldErrors,
    pub conflict: bool,
}

/// A stale form: what is saved now, for the conflict box.
fn saved_settings(round: &Round, model: &Model) -> String {
    format!(
        "Kapacitet: {} timmar · Budgetram: {} kr · Prioriteringsmodell: {}",
        round.hours_capacity,
        round.budget().format_kr(),
        model.name
    )
}

fn agenda(sums: &[(Plan, i64, i64, rust_decimal::Decimal)], frames: &[Frame]) -> Vec<AgendaSum> {
    Plan::ALL
        .iter()
        .map(|plan| {
            let sum = sums.iter().find(|s| s.0 == *plan);
            AgendaSum {
                plan: *plan,
                count: sum.map_or(0, |s| s.1),
                hours: sum.map_or(0, |s| s.2),
                cost: sum.map_or(Money::ZERO, |s| Money::from_stored(s.3)),
                frame: frames.iter().find(|f| f.plan == *plan).cloned(),
            }
        })
        .collect()
}

/// The round's overview.
pub async fn render_round(
    state: &AppState,
    chrome: Chrome,
    me: CurrentUser,
    id: Uuid,
    typed: RoundTyped,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, false).await?;
    let frames = repo::frames(&mut conn, id).await?;
    let sums = repo::agenda_sums(&mut conn, id).await?;
    let reviews = review_repo::statuses(&mut conn, id).await?;
    let model = models::of_round(&mut conn, id).await?;
    let conflict = typed.conflict.then(|| saved_settings(&round, &model));
    let mut settings = typed
        .settings
        .unwrap_or_else(|| SettingsForm::from_round(&round, &frames));
    let mut model_form = typed.model.unwrap_or_else(|| ModelForm::from_round(&round));
    if typed.conflict {
        settings.version = round.version;
        model_form.version = round.version;
    }
    let status = crate::web::form::status(&typed.errors, typed.conflict);
    let view = ShowView {
        chrome,
        may_decide: crate::portfolio::decision::policy::may_decide(&me, &round),
        agenda: agenda(&sums, &frames),
        settings,
        model_form,
        model,
        models: models::names(&mut conn).await?,
        letterheads: crate::letterheads::repo::names(&mut conn).await?,
        round,
        reviews,
        errors: typed.errors,
        conflict,
        me,
    };
    Ok((status, Html(view.render()?)).into_response())
}
