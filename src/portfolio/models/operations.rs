//! The writes of prioritisation models (see `crate::operation` for the shape): a new model as a
//! copy of another, a model's settings and criteria, and an item's scores on a model's own
//! criteria. Every change is audited with the old and the new value.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::{number::format_quantity, scoring::Criterion},
    operation::{Actor, Refusal},
    portfolio::{
        models::{
            forms::{ModelForm, NewModelForm, ScoresForm},
            policy,
            repo::{self, Record, Settings},
        },
        scope::load_visible_item,
    },
    web::{AppError, form::FieldErrors},
};

/// Creates a model with the settings and criteria of another; returns its id.
pub async fn create_model(
    db: &PgPool,
    actor: &Actor,
    form: &NewModelForm,
) -> Result<Uuid, Refusal> {
    let (name, from) = form.parse().map_err(Refusal::Invalid)?;
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let Some(source) = repo::find(&mut tx, from, false).await? else {
        return Err(Refusal::invalid(
            "copy_of",
            "Modellen finns inte längre. Välj en annan.",
        ));
    };
    let id = Uuid::now_v7();
    let settings = Settings {
        name,
        description: source.description.clone(),
        ranking: source.model.ranking,
        scale_max: source.model.scale_max,
        kronor_per_step: source.model.kronor_per_step,
    };
    repo::insert_copy(&mut tx, id, &source.model, &settings)
        .await
        .map_err(Refusal::from_constraint)?;
    form.submission.created(&mut tx, id).await?;
    let entry = Entry::change(
        "scoring_model_created",
        "scoring_model",
        id.to_string(),
        "scoring_model",
        None,
        Some(format!(
            "{} (kopia av {})",
            settings.name, source.model.name
        )),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The criteria as one line each, for the audit log.
fn described(criteria: &[Criterion]) -> String {
    criteria
        .iter()
        .map(|c| format!("{}: {}, vikt {}", c.name, c.source.label(), c.weight))
        .collect::<Vec<_>>()
        .join("; ")
}

fn audited(settings: &Settings, criteria: &[Criterion]) -> Vec<(&'static str, String)> {
    vec![
        ("name", settings.name.clone()),
        ("description", settings.description.clone()),
        ("ranking", settings.ranking.code().to_owned()),
        ("scale_max", settings.scale_max.to_string()),
        (
            "kronor_per_step",
            format_quantity(settings.kronor_per_step.normalize()),
        ),
        ("criteria", described(criteria)),
    ]
}

fn saved_settings(record: &Record) -> Settings {
    Settings {
        name: record.model.name.clone(),
        description: record.description.clone(),
        ranking: record.model.ranking,
        scale_max: record.model.scale_max,
        kronor_per_step: record.model.kronor_per_step,
    }
}

/// Saves a model's settings and criteria over the version the form showed; returns its name.
/// A model a decided round used is refused: the decision keeps the model it was made with.
pub async fn update_model(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &ModelForm,
) -> Result<String, Refusal> {
    let (settings, criteria) = form.parse().map_err(Refusal::Invalid)?;
    let mut tx = db.begin().await?;
    let saved = repo::find(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_change(&saved)?;
    if saved.version != form.version {
        return Err(Refusal::conflict(format!(
            "{}: {}",
            saved.model.name,
            described(&saved.model.criteria)
        )));
    }
    // Each row names one of this model's criteria at most once, or none (a new one).
    let known: Vec<Uuid> = saved.model.criteria.iter().map(|c| c.id).collect();
    let mut seen = std::collections::HashSet::new();
    let mut e = FieldErrors::new();
    for (i, id) in form.criterion_id.iter().enumerate() {
        let foreign = id
            .trim()
            .parse::<Uuid>()
            .map_or(!id.trim().is_empty(), |id| {
                !known.contains(&id) || !seen.insert(id)
            });
        if foreign {
            e.add(
                format!("criterion_name_{i}"),
                "Raden hör inte till den här modellen. Ladda om sidan.",
            );
        }
    }
    // A lower scale would cut scores the items have: they are lowered by hand first, so that
    // none changes without someone deciding it.
    let above = repo::scores_above(&mut tx, id, settings.scale_max).await?;
    if above > 0 {
        e.add(
            "scale_max",
            format!(
                "{above} poäng på modellens egna kriterier är högre än {}. Sänk dem på \
                 objektens sidor först, eller behåll skalan.",
                settings.scale_max
            ),
        );
    }
    if !e.is_empty() {
        return Err(Refusal::Invalid(e));
    }
    if !repo::update(&mut tx, id, form.version, &settings)
        .await
        .map_err(Refusal::from_constraint)?
    {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    repo::save_criteria(&mut tx, id, &criteria).await?;
    let changes = audit::compared(
        audited(&saved_settings(&saved), &saved.model.criteria),
        audited(&settings, &criteria),
    );
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "scoring_model_updated",
        ("scoring_model", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(settings.name)
}

/// Bumps an item's version over `version`: its value changed with its scores, so a decision
/// form showing the old value is refused (`decision::repo::agenda_fingerprint`).
async fn touch_item(conn: &mut PgConnection, id: Uuid, version: i32) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE portfolio_item SET version = version + 1, updated_at = now() \
         WHERE id = $1 AND version = $2",
        id,
        version
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Saves an item's scores on the own criteria of the model the form showed; false when they
/// were the scores saved already.
pub async fn save_item_scores(
    db: &PgPool,
    actor: &Actor,
    item: Uuid,
    form: &ScoresForm,
) -> Result<bool, Refusal> {
    let mut tx = db.begin().await?;
    let saved = load_visible_item(&mut tx, item, &actor.user, true).await?;
    // The form scores the current round's model; one shown before the round changed model is
    // stale.
    let model = repo::current(&mut tx).await?;
    if form.model != model.id.to_string() || saved.version != form.version {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    if model.own_criteria().next().is_none() {
        return Err(AppError::NotFound.into());
    }
    let scores = form.parse(&model).map_err(Refusal::Invalid)?;
    let before = repo::own_scores(&mut tx, &[item])
        .await?
        .remove(&item)
        .unwrap_or_default();
    if scores.iter().all(|(c, s)| before.get(c) == s.as_ref()) {
        return Ok(false);
    }
    if !touch_item(&mut tx, item, form.version).await? {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    repo::save_own_scores(&mut tx, item, &scores).await?;
    let shown = |s: Option<&u8>| s.map(u8::to_string).unwrap_or_default();
    let changes: Vec<(String, String, String)> = model
        .own_criteria()
        .zip(&scores)
        .map(|(c, (_, after))| {
            (
                format!("{}: {}", model.name, c.name),
                shown(before.get(&c.id)),
                shown(after.as_ref()),
            )
        })
        .filter(|(_, old, new)| old != new)
        .collect();
    let changes: Vec<(&str, String, String)> = changes
        .iter()
        .map(|(f, o, n)| (f.as_str(), o.clone(), n.clone()))
        .collect();
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "portfolio_item_scored",
        ("portfolio_item", &item.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
