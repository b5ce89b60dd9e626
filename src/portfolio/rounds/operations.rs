//! The round writes, one function per verb (see `crate::operation` for the shape): creating a
//! round, its settings and prioritisation model, the phase button and taking in new items.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::{money::Money, portfolio::Phase, project::Plan},
    operation::{Actor, Refusal, Submission},
    portfolio::trail,
    portfolio::{
        models::repo as models,
        rounds::{
            forms::SettingsForm,
            policy,
            repo::{self, NewRound, Settings},
        },
        scope::load_round,
    },
    web::{AppError, form::FieldErrors},
};

/// Creates the next round with every open item on its agenda; returns its id and how many
/// items it took in.
pub async fn create_round(
    db: &PgPool,
    actor: &Actor,
    (new, submission): (&NewRound, Submission),
) -> Result<(Uuid, u64), Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    repo::lock_rounds(&mut tx).await?;
    if let Some(open) = repo::open(&mut tx).await? {
        return Err(Refusal::invalid(
            "quarter",
            format!(
                "Omgång {} är inte beslutad ännu. Besluta den innan nästa skapas.",
                open.quarter
            ),
        ));
    }
    if let Some(latest) = repo::list(&mut tx).await?.first()
        && latest.quarter >= new.quarter.to_string()
    {
        // Rounds follow each other: the latest decided one is the authority on orders.
        return Err(Refusal::invalid(
            "quarter",
            format!(
                "Nästa omgång måste gälla ett kvartal efter {}.",
                latest.quarter
            ),
        ));
    }
    let id = Uuid::now_v7();
    let taken = repo::create(&mut tx, id, new).await?;
    submission.created(&mut tx, id).await?;
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
    trail::round_changes(&mut tx, actor, "round_created", id, &fields).await?;
    tx.commit().await?;
    Ok((id, taken))
}

/// The audited changes of a settings save: (field, before, after).
fn settings_changes(
    before: &SettingsForm,
    after: &Settings,
) -> Vec<(&'static str, String, String)> {
    let date = crate::projects::views::date;
    let mut changes = vec![
        (
            "hours_capacity",
            before.hours_capacity.clone(),
            after.hours_capacity.to_string(),
        ),
        ("budget", before.budget.clone(), after.budget.format_kr()),
        (
            "review_deadline",
            before.review_deadline.clone(),
            date(&after.review_deadline),
        ),
        (
            "meeting_date",
            before.meeting_date.clone(),
            date(&after.meeting_date),
        ),
    ];
    let after_frames: Vec<String> = after
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
    changes
}

/// Saves capacity, budget, dates and frames over the version the form showed.
pub async fn update_settings(
    db: &PgPool,
    actor: &Actor,
    (id, version): (Uuid, i32),
    settings: &Settings,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    policy::check_change(&round)?;
    let frames = repo::frames(&mut tx, id).await?;
    if !repo::save_settings(&mut tx, id, version, settings).await? {
        return Err(Refusal::Conflict(Default::default()));
    }
    let before = SettingsForm::from_round(&round, &frames);
    let changes = settings_changes(&before, settings);
    trail::round_changes(&mut tx, actor, "round_settings_updated", id, &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes `model` the round's prioritisation model over the version the form showed; returns
/// the model's name. The board, the suggestion and the decision value the items with it.
pub async fn choose_model(
    db: &PgPool,
    actor: &Actor,
    (id, version): (Uuid, i32),
    model: Uuid,
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    policy::check_change(&round)?;
    let before = models::find(&mut tx, round.scoring_model_id, false)
        .await?
        .map(|r| r.model.name)
        .unwrap_or_default();
    let Some(chosen) = models::find(&mut tx, model, false).await? else {
        let mut e = FieldErrors::new();
        e.add(
            "scoring_model_id",
            "Modellen finns inte längre. Välj en annan.",
        );
        return Err(Refusal::Invalid(e));
    };
    if !repo::save_model(&mut tx, id, version, model).await? {
        return Err(Refusal::Conflict(Default::default()));
    }
    let changes = [("scoring_model", before, chosen.model.name.clone())];
    trail::round_changes(&mut tx, actor, "round_model_chosen", id, &changes).await?;
    tx.commit().await?;
    Ok(chosen.model.name)
}

/// Moves a round from compiling to review, or from review to the meeting; returns the round's
/// quarter and its new phase. Deciding is the decision form's.
pub async fn advance_phase(
    db: &PgPool,
    actor: &Actor,
    (id, version): (Uuid, i32),
) -> Result<(String, Phase), Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    let to = policy::next_phase(&round)?;
    let from = round.phase();
    if !repo::advance(&mut tx, id, version, from, to).await? {
        return Err(AppError::Conflict(
            "Omgången har redan flyttats till en annan fas av någon annan. Ladda om sidan.".into(),
        )
        .into());
    }
    let entry = Entry::change(
        "round_phase",
        "round",
        id.to_string(),
        "phase",
        Some(from.label().to_owned()),
        Some(to.label().to_owned()),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok((round.quarter, to))
}

/// Takes items added to the portfolio since the round was created onto its agenda; returns how
/// many.
pub async fn take_items(db: &PgPool, actor: &Actor, id: Uuid) -> Result<u64, Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    policy::check_take_items(&round)?;
    let taken = repo::take_open_items(&mut tx, id).await?;
    let entry = Entry::change(
        "round_items_taken",
        "round",
        id.to_string(),
        "items",
        None,
        Some(taken.to_string()),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(taken)
}
