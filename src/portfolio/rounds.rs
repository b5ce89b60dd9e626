//! Prioritisation round pages: the list of rounds, creating one from the open items, and a
//! round's overview with its phases, settings, weights and who has submitted a review.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{
        money::Money,
        portfolio::{Criterion, Phase, Quarter},
        project::Plan,
        role::Role,
    },
    portfolio::{
        review_repo::{self, ReviewStatus},
        round_forms::{NewRoundForm, SettingsForm, WeightsForm},
        round_repo::{self, Frame, Round},
    },
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

/// The round `id`; auditors read a round's working material only once it is decided.
pub async fn load_round(
    conn: &mut PgConnection,
    id: Uuid,
    me: &CurrentUser,
    lock: bool,
) -> Result<Round, AppError> {
    let round = round_repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    let only_auditor = me.roles() == [Role::Auditor];
    if only_auditor && !round.is_decided() {
        return Err(AppError::Forbidden);
    }
    Ok(round)
}

/// Refuses any change to a decided round: it is the authority until the next one.
pub fn ensure_open(round: &Round) -> Result<(), AppError> {
    if round.is_decided() {
        Err(AppError::Conflict(format!(
            "Omgång {} är beslutad och kan inte ändras.",
            round.quarter
        )))
    } else {
        Ok(())
    }
}

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

async fn render_list(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    form: NewRoundForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let rounds = round_repo::list(&mut conn).await?;
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

pub async fn list_rounds(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let next = round_repo::list(&mut conn)
        .await?
        .first()
        .and_then(|r| r.quarter.parse::<Quarter>().ok())
        .map_or_else(|| Quarter::of(crate::web::format::today()), Quarter::next);
    drop(conn);
    let form = NewRoundForm {
        quarter: next.to_string(),
        ..NewRoundForm::default()
    };
    render_list(&state, chrome, &me, form, FieldErrors::new()).await
}

pub async fn create_round(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Form(form): Form<NewRoundForm>,
) -> Result<Response, AppError> {
    let new = match form.parse() {
        Ok(new) => new,
        Err(errors) => return render_list(&state, chrome, &me, form, errors).await,
    };
    let mut tx = state.db.begin().await?;
    // Serialise creation: the one-open-round rule and the unique quarter are checked here with
    // messages, and by the database's indexes as the last word.
    sqlx::query("LOCK TABLE round IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let mut errors = FieldErrors::new();
    if let Some(open) = round_repo::open(&mut tx).await? {
        errors.add(
            "quarter",
            format!(
                "Omgång {} är inte beslutad ännu. Besluta den innan nästa skapas.",
                open.quarter
            ),
        );
    } else if let Some(latest) = round_repo::list(&mut tx).await?.first()
        && latest.quarter >= new.quarter.to_string()
    {
        // Rounds follow each other: the latest decided one is the authority on orders.
        errors.add(
            "quarter",
            format!(
                "Nästa omgång måste gälla ett kvartal efter {}.",
                latest.quarter
            ),
        );
    }
    if !errors.is_empty() {
        drop(tx);
        return render_list(&state, chrome, &me, form, errors).await;
    }
    let id = Uuid::now_v7();
    let taken = round_repo::create(&mut tx, id, &new).await?;
    let fields = [
        ("quarter", String::new(), new.quarter.to_string()),
        (
            "hours_capacity",
            String::new(),
            new.hours_capacity.to_string(),
        ),
        ("budget", String::new(), new.budget.format_kr()),
        ("items", String::new(), taken.to_string()),
    ];
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "round_created",
        ("round", &id.to_string()),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    let message = format!(
        "Omgång {} är skapad med {taken} objekt från portföljen.",
        new.quarter
    );
    flash::push(&session, Flash::success(message)).await?;
    Ok(Redirect::to(&format!("/omgangar/{id}")).into_response())
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
    weights: WeightsForm,
    errors: FieldErrors,
    conflict: Option<String>,
    me: CurrentUser,
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
    fn criteria(&self) -> Vec<(usize, Criterion)> {
        Criterion::ALL.iter().copied().enumerate().collect()
    }
    fn can(&self, role: Role) -> bool {
        self.me.has_role(role)
    }
    fn can_run(&self) -> bool {
        !self.round.is_decided() && (self.can(Role::ItCenter) || self.can(Role::CoordinationGroup))
    }
    fn reads_board(&self) -> bool {
        self.can(Role::ItCenter)
            || self.can(Role::CoordinationGroup)
            || self.can(Role::Admin)
            || (self.can(Role::Auditor) && self.round.is_decided())
    }
    fn may_open(&self, review: &ReviewStatus) -> bool {
        (review.submitted_at.is_some() && crate::portfolio::review::reads_reviews(&self.me))
            || review_repo::speaks_for(&self.me, review.municipality_id)
    }
    fn my_review(&self) -> Option<&ReviewStatus> {
        self.reviews
            .iter()
            .find(|r| review_repo::speaks_for(&self.me, r.municipality_id))
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

async fn render_show(
    state: &AppState,
    chrome: Chrome,
    me: CurrentUser,
    id: Uuid,
    forms: (Option<SettingsForm>, Option<WeightsForm>),
    errors: FieldErrors,
    conflict: Option<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = load_round(&mut conn, id, &me, false).await?;
    let frames = round_repo::frames(&mut conn, id).await?;
    let sums = round_repo::agenda_sums(&mut conn, id).await?;
    let agenda = Plan::ALL
        .iter()
        .map(|plan| {
            let sum = sums.iter().find(|s| s.0 == plan.code());
            AgendaSum {
                plan: *plan,
                count: sum.map_or(0, |s| s.1),
                hours: sum.map_or(0, |s| s.2),
                cost: sum.map_or(Money::ZERO, |s| Money::from_stored(s.3)),
                frame: frames.iter().find(|f| f.plan == plan.code()).cloned(),
            }
        })
        .collect();
    let reviews = review_repo::statuses(&mut conn, id).await?;
    let status = crate::web::form::status(&errors, conflict.is_some());
    let view = ShowView {
        chrome,
        settings: forms
            .0
            .unwrap_or_else(|| SettingsForm::from_round(&round, &frames)),
        weights: forms.1.unwrap_or_else(|| WeightsForm::from_round(&round)),
        round,
        agenda,
        reviews,
        errors,
        conflict,
        me,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn show_round(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render_show(
        &state,
        chrome,
        me,
        id,
        (None, None),
        FieldErrors::new(),
        None,
    )
    .await
}

/// A stale form: what is saved now, for the conflict box.
fn saved_settings(round: &Round) -> String {
    format!(
        "Kapacitet: {} timmar · Budgetram: {} kr · Vikter: {}",
        round.hours_capacity,
        round.budget().format_kr(),
        round
            .weights()
            .0
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

pub async fn update_settings(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let settings = match form.parse() {
        Ok(s) => s,
        Err(errors) => {
            return render_show(&state, chrome, me, id, (Some(form), None), errors, None).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let round = load_round(&mut tx, id, &me, true).await?;
    ensure_open(&round)?;
    let frames = round_repo::frames(&mut tx, id).await?;
    if !round_repo::save_settings(&mut tx, id, form.version, &settings).await? {
        drop(tx);
        let form = SettingsForm {
            version: round.version,
            ..form
        };
        let conflict = Some(saved_settings(&round));
        return render_show(
            &state,
            chrome,
            me,
            id,
            (Some(form), None),
            FieldErrors::new(),
            conflict,
        )
        .await;
    }
    let before = SettingsForm::from_round(&round, &frames);
    let mut changes = vec![
        (
            "hours_capacity",
            before.hours_capacity.clone(),
            settings.hours_capacity.to_string(),
        ),
        ("budget", before.budget.clone(), settings.budget.format_kr()),
        (
            "review_deadline",
            before.review_deadline.clone(),
            crate::projects::views::date(&settings.review_deadline),
        ),
        (
            "meeting_date",
            before.meeting_date.clone(),
            crate::projects::views::date(&settings.meeting_date),
        ),
    ];
    let after_frames: Vec<String> = settings
        .frames
        .iter()
        .map(|(_, h, b)| {
            format!(
                "{} h / {} kr",
                h.map(|h| h.to_string()).unwrap_or_default(),
                b.map(Money::format_kr).unwrap_or_default()
            )
        })
        .collect();
    for (i, plan) in Plan::ALL.iter().enumerate() {
        let (h, b) = before.frame(i);
        changes.push((
            plan.code(),
            format!("{h} h / {b} kr"),
            after_frames.get(i).cloned().unwrap_or_default(),
        ));
    }
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "round_settings_updated",
        ("round", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Omgångens ramar har sparats.")).await?;
    Ok(Redirect::to(&format!("/omgangar/{id}")).into_response())
}

pub async fn update_weights(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<WeightsForm>,
) -> Result<Response, AppError> {
    let weights = match form.parse() {
        Ok(w) => w,
        Err(errors) => {
            return render_show(&state, chrome, me, id, (None, Some(form)), errors, None).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let round = load_round(&mut tx, id, &me, true).await?;
    ensure_open(&round)?;
    if !round_repo::save_weights(&mut tx, id, form.version, weights).await? {
        drop(tx);
        let form = WeightsForm {
            version: round.version,
            ..form
        };
        let conflict = Some(saved_settings(&round));
        return render_show(
            &state,
            chrome,
            me,
            id,
            (None, Some(form)),
            FieldErrors::new(),
            conflict,
        )
        .await;
    }
    let changes: Vec<(&str, String, String)> = Criterion::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.code(),
                round.weights().0[i].to_string(),
                weights.0[i].to_string(),
            )
        })
        .collect();
    audit::repo::record_changes(
        &mut tx,
        &Actor::user(&me, &client),
        "round_weights_updated",
        ("round", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    flash::push(&session, Flash::success("Vikterna har sparats.")).await?;
    Ok(Redirect::to(&format!("/omgangar/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AdvanceForm {
    #[serde(default)]
    pub version: i32,
}

/// Moves a round from compiling to review, or from review to the meeting. Deciding is the
/// decision form's.
pub async fn advance_phase(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<AdvanceForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let round = load_round(&mut tx, id, &me, true).await?;
    ensure_open(&round)?;
    let from = round.phase();
    let to = from
        .next()
        .filter(|to| *to != Phase::Decided)
        .ok_or_else(|| AppError::Conflict("Omgången beslutas med beslutsformuläret.".into()))?;
    if !round_repo::advance(&mut tx, id, form.version, from, to).await? {
        return Err(AppError::Conflict(
            "Omgången har redan flyttats till en annan fas av någon annan. Ladda om sidan.".into(),
        ));
    }
    let entry = Entry::change(
        "round_phase",
        "round",
        id.to_string(),
        "phase",
        Some(from.label().to_owned()),
        Some(to.label().to_owned()),
    );
    audit::repo::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    let message = format!(
        "Omgång {} är nu i fasen {}.",
        round.quarter,
        to.label().to_lowercase()
    );
    flash::push(&session, Flash::success(message)).await?;
    Ok(Redirect::to(&format!("/omgangar/{id}")).into_response())
}

/// Takes items added to the portfolio since the round was created onto its agenda.
pub async fn take_items(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let round = load_round(&mut tx, id, &me, true).await?;
    if round.phase() != Phase::Compiling {
        return Err(AppError::Conflict(
            "Objekt tas in i omgången bara medan den sammanställs.".into(),
        ));
    }
    let taken = round_repo::take_open_items(&mut tx, id).await?;
    let entry = Entry::change(
        "round_items_taken",
        "round",
        id.to_string(),
        "items",
        None,
        Some(taken.to_string()),
    );
    audit::repo::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("{taken} nya objekt har tagits in.")),
    )
    .await?;
    Ok(Redirect::to(&format!("/omgangar/{id}")).into_response())
}
