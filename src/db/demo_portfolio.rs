//! Demo digitalisation portfolio for Ludvika and Smedjebacken (seed 002), loaded from
//! `fixtures/demo/portfolio.json` (embedded in the binary): 44 items across the four plans,
//! among them the seed's projects 0003-0365, 0005 and 0010; a decided round 2026-Q3 that is
//! the authority on orders; and the round 2026-Q4 at its prioritisation meeting, with both
//! strategy groups' submitted reviews and a ranking the coordination group has begun.
//!
//! The fixture, in the order it is inserted:
//! - `items`: `number` is the item's number, which the database gives in insertion order, so
//!   it must count 1, 2, 3 …; `depends_on`, the agendas, rankings, notes and orders refer to
//!   items by it. `asked_by` names the municipalities that asked; empty means the item
//!   concerns every member. An item serves the council goals of the municipalities that asked
//!   (of all `members` when none did) if its strategic fit scores 3 or more. `project` is the
//!   project number of its investment project. Amounts are decimal strings, parsed exactly.
//! - `decided_round` (2026-Q3): its agenda, decided the way the decision form does it
//!   (decisions, frozen figures, item statuses), then the orders: Windows 11 ordered and
//!   delivered, the school transport e-service ordered, and an order of the paused digital
//!   workplace that the gate refused (`registered: false`) and that waits for prioritisation.
//!   The library's wireless network, prioritised in 2026-Q3, is not ordered yet: it is on
//!   2026-Q4's agenda and may be ordered meanwhile.
//! - `meeting_round` (2026-Q4): every item still open goes on its agenda; `ranking` lists item
//!   numbers from rank 1 (the rest are unranked); then the submitted reviews and their notes.
//!
//! Dates and times are absolute (none is relative to today), with their UTC offset.

use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::portfolio::{ItemStatus, Phase},
    portfolio::decision::repo::update_with_snapshot,
};

const FIXTURE: &str = include_str!("../../fixtures/demo/portfolio.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    /// The municipalities whose portfolio this is.
    members: Vec<String>,
    items: Vec<Item>,
    /// The four criteria with the coordination group's own weights, which both rounds use.
    scoring_model: ScoringModel,
    /// Scores on the built-in WSJF model's three criteria, in its order, so that a round
    /// switched to it ranks by something.
    wsjf_scores: Vec<WsjfScores>,
    decided_round: DecidedRound,
    meeting_round: MeetingRound,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    number: i32,
    title: String,
    plan: String,
    asked_by: Vec<String>,
    unit: String,
    contact: String,
    description: String,
    kind: String,
    complexity: String,
    complexity_reason: String,
    effort_hours: i32,
    #[serde(with = "rust_decimal::serde::str")]
    investment: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    running_cost: Decimal,
    scores: Scores,
    project: Option<String>,
    depends_on: Vec<i32>,
}

/// Citizen benefit, efficiency, legal/security necessity, strategic fit: 0–5 for an item's
/// scores, 0–100 for a round's weights.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scores {
    citizen: i16,
    efficiency: i16,
    necessity: i16,
    strategy: i16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringModel {
    name: String,
    weights: Scores,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WsjfScores {
    item: i32,
    scores: Vec<i16>,
}

/// What both rounds have, flattened into each. Neither can `deny_unknown_fields` beside
/// `flatten` (serde does not support it), but every field is required, so a misspelt key still
/// fails as missing.
#[derive(Deserialize)]
struct Round {
    quarter: String,
    hours_capacity: i32,
    #[serde(with = "rust_decimal::serde::str")]
    budget: Decimal,
    review_deadline: String,
    meeting_date: String,
}

#[derive(Deserialize)]
struct DecidedRound {
    #[serde(flatten)]
    round: Round,
    agenda: Vec<Decision>,
    decided_at: String,
    /// The email of the account that decided.
    decided_by: String,
    decided_by_label: String,
    orders: Vec<Order>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decision {
    item: i32,
    rank: Option<i32>,
    decision: crate::domain::portfolio::Decision,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Order {
    item: i32,
    reference: String,
    /// The email of the account that asked.
    requested_by: String,
    requested_at: String,
    /// Registered against the decided round when requested (the gate let it through).
    registered: bool,
    /// The item's status afterwards, when the order changed it.
    status: Option<String>,
}

#[derive(Deserialize)]
struct MeetingRound {
    #[serde(flatten)]
    round: Round,
    /// Item numbers, from rank 1.
    ranking: Vec<i32>,
    ranking_version: i32,
    reviews: Vec<Review>,
    notes: Vec<Note>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Review {
    municipality: String,
    /// The email of the account that submitted.
    submitted_by: String,
    submitted_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Note {
    municipality: String,
    item: i32,
    recommended_rank: Option<i32>,
    must_have: bool,
    comment: String,
}

fn fixture() -> Result<Fixture, sqlx::Error> {
    serde_json::from_str(FIXTURE).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Inserts the items, the decided round 2026-Q3 and the round 2026-Q4 at its meeting.
pub async fn load(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let fixture = fixture()?;
    let mut ids = Vec::with_capacity(fixture.items.len());
    for (number, item) in (1..).zip(&fixture.items) {
        if item.number != number {
            let message = format!("demo item {number} is numbered {}", item.number);
            return Err(sqlx::Error::Decode(message.into()));
        }
        ids.push(insert_item(conn, item, &fixture.members).await?);
    }
    for (item, depends) in fixture.items.iter().zip(&ids) {
        for on in &item.depends_on {
            sqlx::query!(
                "INSERT INTO portfolio_item_dependency (item_id, depends_on_id) \
                 SELECT $1, id FROM portfolio_item WHERE number = $2",
                depends,
                on
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    let model = insert_model(conn, &fixture.scoring_model).await?;
    insert_wsjf_scores(conn, &fixture.wsjf_scores).await?;
    let decided = &fixture.decided_round;
    let q3 = Uuid::now_v7();
    insert_round(conn, q3, &decided.round, model).await?;
    for entry in &decided.agenda {
        add_to_round(conn, q3, entry.item, entry.rank).await?;
    }
    decide(conn, q3, decided).await?;
    insert_orders(conn, q3, &decided.orders).await?;
    let meeting = &fixture.meeting_round;
    let q4 = Uuid::now_v7();
    insert_round(conn, q4, &meeting.round, model).await?;
    sqlx::query!(
        "INSERT INTO round_item (round_id, item_id) SELECT $1, id FROM portfolio_item \
         WHERE status IN ($2, $3, $4)",
        q4,
        ItemStatus::Proposed.code(),
        ItemStatus::Postponed.code(),
        ItemStatus::Prioritised.code()
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE portfolio_item SET status = $1 WHERE status IN ($2, $3, $4)",
        ItemStatus::InRound.code(),
        ItemStatus::Proposed.code(),
        ItemStatus::Postponed.code(),
        ItemStatus::Prioritised.code()
    )
    .execute(&mut *conn)
    .await?;
    for (rank, number) in (1..).zip(&meeting.ranking) {
        sqlx::query!(
            "UPDATE round_item SET rank = $3 WHERE round_id = $1 \
             AND item_id = (SELECT id FROM portfolio_item WHERE number = $2)",
            q4,
            number,
            rank
        )
        .execute(&mut *conn)
        .await?;
    }
    insert_reviews(conn, q4, meeting).await?;
    sqlx::query!(
        "UPDATE round SET phase = $3, ranking_version = $2 WHERE id = $1",
        q4,
        meeting.ranking_version,
        Phase::Meeting.code()
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert_item(
    conn: &mut PgConnection,
    item: &Item,
    members: &[String],
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO portfolio_item (id, title, plan, unit, contact, kind, complexity, \
         complexity_reason, effort_hours, investment, running_cost, score_citizen, \
         score_efficiency, score_necessity, score_strategy, project_id, description) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                 (SELECT id FROM project WHERE project_number = $16), $17)",
        id,
        &item.title,
        &item.plan,
        &item.unit,
        &item.contact,
        &item.kind,
        &item.complexity,
        &item.complexity_reason,
        item.effort_hours,
        item.investment,
        item.running_cost,
        item.scores.citizen,
        item.scores.efficiency,
        item.scores.necessity,
        item.scores.strategy,
        item.project.as_deref(),
        &item.description
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO portfolio_item_municipality (item_id, municipality_id) \
         SELECT $1, id FROM municipality WHERE name = ANY($2)",
        id,
        &item.asked_by
    )
    .execute(&mut *conn)
    .await?;
    // Items serve the council goal of the municipalities that asked (or of all, when shared).
    sqlx::query!(
        "INSERT INTO portfolio_item_council_goal (item_id, council_goal_id) \
         SELECT $1, g.id FROM council_goal g JOIN municipality m ON m.id = g.municipality_id \
         WHERE m.name = ANY($2) AND $3::int2 >= 3",
        id,
        if item.asked_by.is_empty() {
            members
        } else {
            &item.asked_by[..]
        },
        item.scores.strategy
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A copy of the built-in four criteria with the fixture's weights.
async fn insert_model(conn: &mut PgConnection, model: &ScoringModel) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO scoring_model (id, name, description, ranking, scale_max) \
         VALUES ($1, $2, 'Nyttovärderingens fyra kriterier med samordningsgruppens vikter.', \
                 'value', 5)",
        id,
        &model.name
    )
    .execute(&mut *conn)
    .await?;
    let w = &model.weights;
    sqlx::query!(
        "INSERT INTO scoring_criterion (id, model_id, position, name, source, weight) \
         SELECT uuid_v7(), $1, c.position, c.name, c.source, \
                ($2::int2[])[c.position + 1] \
         FROM scoring_criterion c JOIN scoring_model m ON m.id = c.model_id \
         WHERE m.preset = 'four_criteria'",
        id,
        &[w.citizen, w.efficiency, w.necessity, w.strategy]
    )
    .execute(conn)
    .await?;
    Ok(id)
}

async fn insert_wsjf_scores(
    conn: &mut PgConnection,
    scores: &[WsjfScores],
) -> Result<(), sqlx::Error> {
    for s in scores {
        sqlx::query!(
            "INSERT INTO portfolio_item_score (item_id, criterion_id, score) \
             SELECT i.id, c.id, ($2::int2[])[c.position + 1] \
             FROM portfolio_item i, scoring_criterion c JOIN scoring_model m ON m.id = c.model_id \
             WHERE i.number = $1 AND m.preset = 'wsjf'",
            s.item,
            &s.scores
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn insert_round(
    conn: &mut PgConnection,
    id: Uuid,
    round: &Round,
    model: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO round (id, quarter, hours_capacity, budget, review_deadline, meeting_date, \
         scoring_model_id) \
         VALUES ($1, $2, $3, $4, $5::text::date, $6::text::date, $7)",
        id,
        &round.quarter,
        round.hours_capacity,
        round.budget,
        &round.review_deadline,
        &round.meeting_date,
        model
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn add_to_round(
    conn: &mut PgConnection,
    round: Uuid,
    number: i32,
    rank: Option<i32>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO round_item (round_id, item_id, rank) \
         SELECT $1, id, $3 FROM portfolio_item WHERE number = $2",
        round,
        number,
        rank
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Decides a round the way the decision form does: decisions, frozen figures, item statuses.
async fn decide(
    conn: &mut PgConnection,
    round: Uuid,
    decided: &DecidedRound,
) -> Result<(), sqlx::Error> {
    for entry in &decided.agenda {
        let quarter = (entry.decision == crate::domain::portfolio::Decision::Prioritised)
            .then_some(&decided.round.quarter);
        update_with_snapshot!(
            "UPDATE round_item ri SET decision = $3, decision_quarter = $4, \
             decision_reason = $5, snapshot = (SELECT ",
            " FROM round_agenda a WHERE a.round_id = ri.round_id AND a.item_id = ri.item_id) \
             WHERE ri.round_id = $1 \
               AND ri.item_id = (SELECT id FROM portfolio_item WHERE number = $2)",
            round,
            entry.item,
            entry.decision.code(),
            quarter,
            &entry.reason,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "UPDATE portfolio_item SET status = $2 WHERE number = $1",
            entry.item,
            entry.decision.item_status().code()
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        "UPDATE round SET phase = $5, decided_at = $2::text::timestamptz, \
         decided_by_label = $3, decided_by = (SELECT id FROM app_user WHERE email = $4) \
         WHERE id = $1",
        round,
        &decided.decided_at,
        &decided.decided_by_label,
        &decided.decided_by,
        Phase::Decided.code()
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_reviews(
    conn: &mut PgConnection,
    round: Uuid,
    meeting: &MeetingRound,
) -> Result<(), sqlx::Error> {
    for review in &meeting.reviews {
        sqlx::query!(
            "INSERT INTO review (round_id, municipality_id, submitted_at, submitted_by) \
             SELECT $1, m.id, $3::text::timestamptz, u.id FROM municipality m, app_user u \
             WHERE m.name = $2 AND u.email = $4",
            round,
            &review.municipality,
            &review.submitted_at,
            &review.submitted_by
        )
        .execute(&mut *conn)
        .await?;
    }
    for note in &meeting.notes {
        sqlx::query!("INSERT INTO review_note (round_id, municipality_id, item_id, comment, recommended_rank, must_have) \
             SELECT $1, m.id, i.id, $4, $5, $6 FROM municipality m, portfolio_item i \
             WHERE m.name = $2 AND i.number = $3", round, &note.municipality, note.item, &note.comment, note.recommended_rank, note.must_have)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The orders, after the round they are registered against was decided.
async fn insert_orders(
    conn: &mut PgConnection,
    round: Uuid,
    orders: &[Order],
) -> Result<(), sqlx::Error> {
    for order in orders {
        sqlx::query!("INSERT INTO portfolio_order (id, item_id, reference, requested_by, requested_at, round_id, registered_at) \
             SELECT $1, i.id, $3, u.id, $6::text::timestamptz, \
                    CASE WHEN $4 THEN $5::uuid END, CASE WHEN $4 THEN $6::text::timestamptz END \
             FROM portfolio_item i, app_user u WHERE i.number = $2 AND u.email = $7", Uuid::now_v7(), order.item, &order.reference, order.registered, round, &order.requested_at, &order.requested_by)
        .execute(&mut *conn)
        .await?;
        if let Some(status) = &order.status {
            sqlx::query!(
                "UPDATE portfolio_item SET status = $2 WHERE number = $1",
                order.item,
                status
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_parses_and_every_item_reference_exists() {
        let fixture = fixture().expect("fixtures/demo/portfolio.json");
        assert_eq!(fixture.items.len(), 44);
        let count = i32::try_from(fixture.items.len()).expect("few items");
        let exists = |n: &i32| (1..=count).contains(n);
        for (number, item) in (1..).zip(&fixture.items) {
            assert_eq!(item.number, number, "{}", item.title);
            assert!(item.depends_on.iter().all(exists), "{}", item.title);
        }
        let decided = &fixture.decided_round;
        assert!(decided.agenda.iter().all(|e| exists(&e.item)));
        assert!(decided.orders.iter().all(|o| exists(&o.item)));
        let meeting = &fixture.meeting_round;
        assert!(meeting.ranking.iter().all(exists));
        assert!(meeting.notes.iter().all(|n| exists(&n.item)));
    }
}
