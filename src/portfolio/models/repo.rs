//! SQL for prioritisation models: the models with their criteria, which rounds use them, the
//! items' scores on the models' own criteria, and what the items' benefit calculations say.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    benefits::repo::{BenefitLine, Calculation},
    domain::{
        benefit::{Kind, Scenario, register::KindCode},
        portfolio::Phase,
        scoring::{CalculationFacts, Criterion, Model, Ranking, Source},
    },
};

/// A model as its page shows it.
#[derive(Debug, Clone)]
pub struct Record {
    pub model: Model,
    pub description: String,
    /// The built-in model this is, if any.
    pub preset: Option<String>,
    pub version: i32,
    /// Quarters of the decided rounds that used it: then it never changes again.
    pub decided_in: Vec<String>,
    /// The quarter of the open round that uses it.
    pub open_in: Option<String>,
}

impl Record {
    pub fn is_frozen(&self) -> bool {
        !self.decided_in.is_empty()
    }
}

struct Head {
    id: Uuid,
    name: String,
    description: String,
    ranking: Ranking,
    scale_max: i16,
    kronor_per_step: Decimal,
    preset: Option<String>,
    version: i32,
    decided_in: Vec<String>,
    open_in: Option<String>,
}

/// `SELECT` of [`Head`] from `scoring_model m`, followed by the rest of the statement.
macro_rules! select_heads {
    ($tail:tt $(, $arg:expr)*) => {
        sqlx::query_as!(
            Head,
            r#"SELECT m.id, m.name, m.description, m.ranking AS "ranking: Ranking", m.scale_max,
                      m.kronor_per_step, m.preset, m.version,
                      coalesce((SELECT array_agg(r.quarter ORDER BY r.quarter) FROM round r
                                WHERE r.scoring_model_id = m.id AND r.phase = 'decided'),
                               '{}') AS "decided_in!",
                      (SELECT r.quarter FROM round r
                       WHERE r.scoring_model_id = m.id AND r.phase <> 'decided') AS "open_in?"
               FROM scoring_model m "# + $tail
            $(, $arg)*
        )
    };
}

async fn with_criteria(
    conn: &mut PgConnection,
    heads: Vec<Head>,
) -> Result<Vec<Record>, sqlx::Error> {
    let ids: Vec<Uuid> = heads.iter().map(|h| h.id).collect();
    let rows = sqlx::query!(
        r#"SELECT id, model_id, name, source AS "source: Source", weight FROM scoring_criterion
           WHERE model_id = ANY($1) ORDER BY position"#,
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut criteria: HashMap<Uuid, Vec<Criterion>> = HashMap::new();
    for row in rows {
        criteria.entry(row.model_id).or_default().push(Criterion {
            id: row.id,
            name: row.name,
            source: row.source,
            // The table's check keeps a weight within 0–100.
            weight: u8::try_from(row.weight).unwrap_or(0),
        });
    }
    Ok(heads
        .into_iter()
        .map(|h| Record {
            model: Model {
                id: h.id,
                name: h.name,
                ranking: h.ranking,
                scale_max: u8::try_from(h.scale_max).unwrap_or(1),
                kronor_per_step: h.kronor_per_step,
                criteria: criteria.remove(&h.id).unwrap_or_default(),
            },
            description: h.description,
            preset: h.preset,
            version: h.version,
            decided_in: h.decided_in,
            open_in: h.open_in,
        })
        .collect())
}

/// Every model, built-in ones first, then by name.
pub async fn all(conn: &mut PgConnection) -> Result<Vec<Record>, sqlx::Error> {
    let heads = select_heads!(
        "ORDER BY array_position(ARRAY['four_criteria', 'benefit_calculation', 'wsjf'], m.preset), \
         m.created_at, m.name"
    )
    .fetch_all(&mut *conn)
    .await?;
    with_criteria(conn, heads).await
}

/// The model `id`; `lock` for a write in the same transaction.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Record>, sqlx::Error> {
    if lock {
        sqlx::query!(
            "SELECT 1 AS one FROM scoring_model WHERE id = $1 FOR UPDATE",
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    let heads = select_heads!("WHERE m.id = $1", id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(with_criteria(conn, heads).await?.pop())
}

/// The model of round `round`.
pub async fn of_round(conn: &mut PgConnection, round: Uuid) -> Result<Model, sqlx::Error> {
    let heads = select_heads!(
        "WHERE m.id = (SELECT scoring_model_id FROM round WHERE id = $1)",
        round
    )
    .fetch_all(&mut *conn)
    .await?;
    with_criteria(conn, heads)
        .await?
        .pop()
        .map(|r| r.model)
        .ok_or(sqlx::Error::RowNotFound)
}

/// The model items are valued with outside a round: the open round's, else the latest
/// round's, else the built-in four criteria.
pub async fn current(conn: &mut PgConnection) -> Result<Model, sqlx::Error> {
    let heads = select_heads!(
        "WHERE m.id = coalesce(
             (SELECT scoring_model_id FROM round ORDER BY (phase <> $1) DESC, quarter DESC LIMIT 1),
             (SELECT id FROM scoring_model WHERE preset = 'four_criteria'))",
        Phase::Decided.code()
    )
    .fetch_all(&mut *conn)
    .await?;
    with_criteria(conn, heads)
        .await?
        .pop()
        .map(|r| r.model)
        .ok_or(sqlx::Error::RowNotFound)
}

/// Every model's id and name, for choosing one.
pub async fn names(conn: &mut PgConnection) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    Ok(sqlx::query!(
        "SELECT id, name FROM scoring_model \
         ORDER BY array_position(ARRAY['four_criteria', 'benefit_calculation', 'wsjf'], preset), \
                  created_at, name COLLATE sv"
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}

/// A model's settings as a form saves them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub name: String,
    pub description: String,
    pub ranking: Ranking,
    pub scale_max: u8,
    pub kronor_per_step: Decimal,
}

/// A new model, a copy of `from`'s criteria under `settings`.
pub async fn insert_copy(
    conn: &mut PgConnection,
    id: Uuid,
    from: &Model,
    settings: &Settings,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO scoring_model (id, name, description, ranking, scale_max, kronor_per_step) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        &settings.name,
        &settings.description,
        settings.ranking.code(),
        i16::from(settings.scale_max),
        settings.kronor_per_step
    )
    .execute(&mut *conn)
    .await?;
    let criteria: Vec<_> = from
        .criteria
        .iter()
        .map(|c| Criterion {
            id: Uuid::now_v7(),
            ..c.clone()
        })
        .collect();
    save_criteria(conn, id, &criteria).await
}

/// Saves a model's settings over `version`; false when someone else saved first.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    settings: &Settings,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE scoring_model SET name = $3, description = $4, ranking = $5, scale_max = $6, \
         kronor_per_step = $7, version = version + 1 WHERE id = $1 AND version = $2",
        id,
        version,
        &settings.name,
        &settings.description,
        settings.ranking.code(),
        i16::from(settings.scale_max),
        settings.kronor_per_step
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Makes `criteria` the model's, in their order: those named by an existing id are updated,
/// new ids inserted, and the criteria not named removed (with their scores).
pub async fn save_criteria(
    conn: &mut PgConnection,
    model: Uuid,
    criteria: &[Criterion],
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = criteria.iter().map(|c| c.id).collect();
    let positions: Vec<i16> = (0..criteria.len())
        .map(|i| i16::try_from(i).unwrap_or(i16::MAX))
        .collect();
    let names: Vec<&str> = criteria.iter().map(|c| c.name.as_str()).collect();
    let sources: Vec<&str> = criteria.iter().map(|c| c.source.code()).collect();
    let weights: Vec<i16> = criteria.iter().map(|c| i16::from(c.weight)).collect();
    sqlx::query!(
        "DELETE FROM scoring_criterion WHERE model_id = $1 AND NOT (id = ANY($2))",
        model,
        &ids
    )
    .execute(&mut *conn)
    .await?;
    // Names are unique within a model: move the kept ones aside first so that two criteria
    // may swap names in one save.
    sqlx::query!(
        "UPDATE scoring_criterion SET name = id::text WHERE model_id = $1",
        model
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO scoring_criterion (id, model_id, position, name, source, weight) \
         SELECT c.id, $1, c.position, c.name, c.source, c.weight \
         FROM unnest($2::uuid[], $3::int2[], $4::text[], $5::text[], $6::int2[]) \
              AS c(id, position, name, source, weight) \
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name, \
              source = excluded.source, weight = excluded.weight \
         WHERE scoring_criterion.model_id = $1",
        model,
        &ids,
        &positions,
        &names as _,
        &sources as _,
        &weights
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The items' scores on models' own criteria: item → criterion → score.
pub async fn own_scores(
    conn: &mut PgConnection,
    items: &[Uuid],
) -> Result<HashMap<Uuid, HashMap<Uuid, u8>>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT item_id, criterion_id, score FROM portfolio_item_score WHERE item_id = ANY($1)",
        items
    )
    .fetch_all(conn)
    .await?;
    let mut scores: HashMap<Uuid, HashMap<Uuid, u8>> = HashMap::new();
    for row in rows {
        scores
            .entry(row.item_id)
            .or_default()
            .insert(row.criterion_id, u8::try_from(row.score).unwrap_or(0));
    }
    Ok(scores)
}

/// How many items' scores on model `model`'s own criteria are above `scale_max`.
pub async fn scores_above(
    conn: &mut PgConnection,
    model: Uuid,
    scale_max: u8,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM portfolio_item_score s
           JOIN scoring_criterion c ON c.id = s.criterion_id
           WHERE c.model_id = $1 AND c.source = 'scored' AND s.score > $2"#,
        model,
        i16::from(scale_max)
    )
    .fetch_one(conn)
    .await
}

/// Sets an item's scores on the given criteria; `None` clears a score.
pub async fn save_own_scores(
    conn: &mut PgConnection,
    item: Uuid,
    scores: &[(Uuid, Option<u8>)],
) -> Result<(), sqlx::Error> {
    let criteria: Vec<Uuid> = scores.iter().map(|(c, _)| *c).collect();
    let values: Vec<Option<i16>> = scores.iter().map(|(_, s)| s.map(i16::from)).collect();
    sqlx::query!(
        "DELETE FROM portfolio_item_score WHERE item_id = $1 AND criterion_id = ANY($2)",
        item,
        &criteria
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO portfolio_item_score (item_id, criterion_id, score) \
         SELECT $1, s.criterion, s.score FROM unnest($2::uuid[], $3::int2[]) AS s(criterion, score) \
         WHERE s.score IS NOT NULL",
        item,
        &criteria,
        &values as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What the items' benefit calculations say: the net present value of the base calculation
/// and the ratings of the qualitative benefits, by item. Two statements for any number of
/// items, reading only what the valuation needs (a board of 500 calculated items reads them on
/// every request).
pub async fn calculation_facts(
    conn: &mut PgConnection,
    items: &[Uuid],
) -> Result<HashMap<Uuid, CalculationFacts>, sqlx::Error> {
    let heads = sqlx::query!(
        r#"SELECT id, item_id AS "item_id!", first_year, horizon, discount_rate, benefit_start,
                  hourly_cost, investment, running_per_year, internal_hours
           FROM benefit_calculation WHERE item_id = ANY($1)"#,
        items
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = heads.iter().map(|h| h.id).collect();
    let mut lines: HashMap<Uuid, Vec<BenefitLine>> = HashMap::new();
    for b in sqlx::query!(
        r#"SELECT calculation_id, id, stakeholder_id, kind AS "kind: KindCode", amount, rating
           FROM benefit WHERE calculation_id = ANY($1) AND NOT removed"#,
        &ids
    )
    .fetch_all(&mut *conn)
    .await?
    {
        lines
            .entry(b.calculation_id)
            .or_default()
            .push(BenefitLine {
                id: b.id,
                stakeholder_id: b.stakeholder_id,
                description: String::new(),
                kind: b.kind,
                amount: b.amount,
                rating: b.rating,
                rating_reason: String::new(),
            });
    }
    Ok(heads
        .into_iter()
        .map(|h| {
            // Only what the model computes with: the valuation needs no names.
            let calculation = Calculation {
                id: h.id,
                project_id: None,
                item_id: Some(h.item_id),
                application_id: None,
                first_year: h.first_year,
                horizon: h.horizon,
                discount_rate: h.discount_rate,
                benefit_start: h.benefit_start,
                hourly_cost: h.hourly_cost,
                hourly_cost_source: String::new(),
                investment: h.investment,
                running_per_year: h.running_per_year,
                internal_hours: h.internal_hours,
                version: 0,
                stakeholders: Vec::new(),
                benefits: lines.remove(&h.id).unwrap_or_default(),
            };
            let inputs = calculation.inputs();
            let ratings = inputs
                .lines
                .iter()
                .filter_map(|l| match l.kind {
                    Kind::Qualitative { rating, .. } => Some(rating),
                    _ => None,
                })
                .collect();
            let facts = CalculationFacts {
                net_present_value: inputs.evaluate(Scenario::Base).net_present_value(),
                ratings,
            };
            (h.item_id, facts)
        })
        .collect())
}
