//! SQL for the ranking board: every item of a round with its figures, place and decision, and
//! the submitted reviews side by side; and saving a new order under the round's ranking version.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        portfolio::{Decision, Demand, ItemStatus, Kind, Phase, Scores, item_reference},
        project::Plan,
        scoring::{Facts, Model, Valuation},
    },
    portfolio::models::repo as models,
};

/// A submitted strategy group's view of an item.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupNote {
    pub municipality_id: Uuid,
    pub municipality: String,
    pub comment: String,
    pub recommended_rank: Option<i32>,
    pub must_have: bool,
}

#[derive(Debug, Clone)]
pub struct BoardRow {
    pub item_id: Uuid,
    pub number: i32,
    pub title: String,
    pub plan: Plan,
    pub kind: Kind,
    pub municipalities: String,
    pub effort_hours: i32,
    pub investment: Decimal,
    pub running_cost: Decimal,
    /// The item's value in the round's model.
    pub valuation: Valuation,
    pub rank: Option<i32>,
    pub decision: Option<Decision>,
    pub decision_quarter: Option<String>,
    pub decision_reason: String,
    pub notes: Json<Vec<GroupNote>>,
    /// Items this one depends on: (id, number, status).
    pub dependencies: Json<Vec<Dependency>>,
    /// The quarter of the decided round the order gate judges the item by as of this round
    /// (`gate_round`: the latest decided round before it), when that round prioritised the
    /// item: it is back because nobody has ordered it yet. A later decided round that postponed
    /// or rejected it is the authority now, so then there is none.
    pub prioritised_in: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dependency {
    pub id: Uuid,
    pub number: i32,
    pub status: ItemStatus,
}

impl BoardRow {
    pub fn reference(&self) -> String {
        item_reference(self.number)
    }

    pub fn cost(&self) -> Money {
        Money::from_stored(self.investment + self.running_cost)
    }

    pub fn demand(&self) -> Demand {
        Demand {
            hours: u64::try_from(self.effort_hours).unwrap_or(0),
            cost: self.cost(),
        }
    }

    pub fn is_mandatory(&self) -> bool {
        self.kind == Kind::Mandatory
    }
}

/// The round's items, ranked ones in order, then the unranked by number.
pub async fn rows(conn: &mut PgConnection, round: Uuid) -> Result<Vec<BoardRow>, sqlx::Error> {
    let model = models::of_round(&mut *conn, round).await?;
    let rows = agenda(&mut *conn, round).await?;
    let calculations = if model.reads_calculation() {
        let items: Vec<Uuid> = rows.iter().map(|r| r.item_id).collect();
        models::calculation_facts(&mut *conn, &items).await?
    } else {
        HashMap::new()
    };
    Ok(rows
        .into_iter()
        .map(|row| row.valued(&model, &calculations))
        .collect())
}

/// An agenda row as the database has it, before the model values it.
struct AgendaRow {
    item_id: Uuid,
    number: i32,
    title: String,
    plan: Plan,
    kind: Kind,
    municipalities: String,
    effort_hours: i32,
    investment: Decimal,
    running_cost: Decimal,
    score_citizen: i16,
    score_efficiency: i16,
    score_necessity: i16,
    score_strategy: i16,
    scores: Json<HashMap<Uuid, u8>>,
    rank: Option<i32>,
    decision: Option<Decision>,
    decision_quarter: Option<String>,
    decision_reason: String,
    notes: Json<Vec<GroupNote>>,
    dependencies: Json<Vec<Dependency>>,
    prioritised_in: Option<String>,
}

impl AgendaRow {
    fn valued(
        self,
        model: &Model,
        calculations: &HashMap<Uuid, crate::domain::scoring::CalculationFacts>,
    ) -> BoardRow {
        let facts = Facts {
            standard: Scores::from_columns([
                self.score_citizen,
                self.score_efficiency,
                self.score_necessity,
                self.score_strategy,
            ]),
            stored: self.scores.0,
            // A decided round's snapshot holds every criterion's score.
            frozen: self.decision.is_some(),
            calculation: calculations.get(&self.item_id).cloned(),
            effort_hours: u64::try_from(self.effort_hours).unwrap_or(0),
        };
        BoardRow {
            item_id: self.item_id,
            number: self.number,
            title: self.title,
            plan: self.plan,
            kind: self.kind,
            municipalities: self.municipalities,
            effort_hours: self.effort_hours,
            investment: self.investment,
            running_cost: self.running_cost,
            valuation: model.value(&facts),
            rank: self.rank,
            decision: self.decision,
            decision_quarter: self.decision_quarter,
            decision_reason: self.decision_reason,
            notes: self.notes,
            dependencies: self.dependencies,
            prioritised_in: self.prioritised_in,
        }
    }
}

/// The items of round `round` that concern one of `municipalities`, or every municipality
/// (an item ordered by none in particular).
pub async fn items_concerning(
    conn: &mut PgConnection,
    round: Uuid,
    municipalities: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT ri.item_id AS "item_id!" FROM round_item ri
           WHERE ri.round_id = $1
             AND (NOT EXISTS (SELECT 1 FROM portfolio_item_municipality im
                              WHERE im.item_id = ri.item_id)
                  OR EXISTS (SELECT 1 FROM portfolio_item_municipality im
                             WHERE im.item_id = ri.item_id AND im.municipality_id = ANY($2)))"#,
        round,
        municipalities
    )
    .fetch_all(conn)
    .await
}

async fn agenda(conn: &mut PgConnection, round: Uuid) -> Result<Vec<AgendaRow>, sqlx::Error> {
    // The notes and dependencies are grouped once per round and joined: row-by-row lookups
    // made a board of 500 items three times slower.
    sqlx::query_as!(
        AgendaRow,
        r#"WITH notes AS (
             SELECT n.item_id, json_agg(json_build_object('municipality_id', m.id, 'municipality', m.name,
                        'comment', n.comment, 'recommended_rank', n.recommended_rank,
                        'must_have', n.must_have) ORDER BY m.name COLLATE sv) AS notes
             FROM review_note n
             JOIN review r ON r.round_id = n.round_id AND r.municipality_id = n.municipality_id
             JOIN municipality m ON m.id = n.municipality_id
             WHERE n.round_id = $1 AND r.submitted_at IS NOT NULL
             GROUP BY n.item_id),
         dependencies AS (
             SELECT dep.item_id, json_agg(json_build_object('id', d.id, 'number', d.number,
                        'status', d.status) ORDER BY d.number) AS dependencies
             FROM portfolio_item_dependency dep JOIN portfolio_item d ON d.id = dep.depends_on_id
             WHERE dep.item_id IN (SELECT item_id FROM round_item WHERE round_id = $1)
             GROUP BY dep.item_id),
         earlier AS (
             SELECT p.item_id, r.quarter
             FROM round_item p JOIN round r ON r.id = p.round_id
             WHERE p.round_id = gate_round((SELECT quarter FROM round WHERE id = $1))
               AND p.decision = $2)
         SELECT a.item_id AS "item_id!", a.number AS "number!", a.title AS "title!",
                a.plan AS "plan!: Plan", a.kind AS "kind!: Kind",
                a.municipalities AS "municipalities!", a.effort_hours AS "effort_hours!",
                a.investment AS "investment!", a.running_cost AS "running_cost!",
                a.score_citizen AS "score_citizen!", a.score_efficiency AS "score_efficiency!",
                a.score_necessity AS "score_necessity!", a.score_strategy AS "score_strategy!",
                a.scores AS "scores!: Json<HashMap<Uuid, u8>>",
                a.rank, a.decision AS "decision: Decision", a.decision_quarter,
                a.decision_reason AS "decision_reason!",
                coalesce(notes.notes, '[]') AS "notes!: Json<Vec<GroupNote>>",
                coalesce(dependencies.dependencies, '[]') AS "dependencies!: Json<Vec<Dependency>>",
                earlier.quarter AS "prioritised_in?"
         FROM round_agenda a
         LEFT JOIN notes ON notes.item_id = a.item_id
         LEFT JOIN dependencies ON dependencies.item_id = a.item_id
         LEFT JOIN earlier ON earlier.item_id = a.item_id
         WHERE a.round_id = $1
         ORDER BY a.rank NULLS LAST, a.number"#,
        round,
        Decision::Prioritised.code()
    )
    .fetch_all(conn)
    .await
}

/// Saves a new order if the ranking is still at `version`; returns the new version, or None
/// when someone else saved in between.
pub async fn save_ranks(
    conn: &mut PgConnection,
    round: Uuid,
    version: i32,
    ranks: &[(Uuid, Option<u32>)],
) -> Result<Option<i32>, sqlx::Error> {
    let new_version: Option<i32> = sqlx::query_scalar!(
        "UPDATE round SET ranking_version = ranking_version + 1 \
         WHERE id = $1 AND ranking_version = $2 AND phase <> $3 RETURNING ranking_version",
        round,
        version,
        Phase::Decided.code()
    )
    .fetch_optional(&mut *conn)
    .await?;
    if new_version.is_none() {
        return Ok(None);
    }
    let items: Vec<Uuid> = ranks.iter().map(|(id, _)| *id).collect();
    let positions: Vec<Option<i32>> = ranks
        .iter()
        .map(|(_, p)| p.and_then(|p| i32::try_from(p).ok()))
        .collect();
    sqlx::query!(
        "UPDATE round_item ri SET rank = r.rank \
         FROM unnest($2::uuid[], $3::int[]) AS r(item_id, rank) \
         WHERE ri.round_id = $1 AND ri.item_id = r.item_id AND ri.rank IS DISTINCT FROM r.rank",
        round,
        &items,
        &positions as _
    )
    .execute(conn)
    .await?;
    Ok(new_version)
}
