//! SQL for deciding a round: the fingerprint of the agenda the form showed, holding the items
//! still while the decision is written, writing the decisions with the frozen figures, and
//! reading them back.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::portfolio::{ItemStatus, Phase},
    portfolio::{decision::forms::ItemDecision, rounds::repo::Round},
};

/// Runs `query!` on `$head`, then the figures a decision freezes into `round_item.snapshot`
/// from the agenda row `a` (the view `round_agenda` reads them back under the same names), then
/// `$tail`: the one copy of that expression, for [`save`] and the demo data's decided round.
macro_rules! update_with_snapshot {
    ($head:literal, $tail:literal, $($arg:expr),+ $(,)?) => {
        sqlx::query!(
            $head
                + "jsonb_build_object('title', a.title, 'plan', a.plan, 'kind', a.kind, \
                   'effort_hours', a.effort_hours, 'investment', a.investment, \
                   'running_cost', a.running_cost, 'score_citizen', a.score_citizen, \
                   'score_efficiency', a.score_efficiency, 'score_necessity', a.score_necessity, \
                   'score_strategy', a.score_strategy, 'municipalities', a.municipalities, \
                   'scores', a.scores)"
                + $tail,
            $($arg),+
        )
    };
}
pub(crate) use update_with_snapshot;

/// A fingerprint of the agenda's items, their benefit calculations and the round's
/// prioritisation model, by their versions: a decision freezes the figures and values, so they
/// must be the ones the group saw when it filled in the form.
pub async fn agenda_fingerprint(
    conn: &mut PgConnection,
    round: Uuid,
) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT coalesce(md5(string_agg(i.id::text || ':' || i.version || ':' || coalesce(c.version, 0), ',' ORDER BY i.id)), '')
                || (SELECT ':' || m.id || '@' || m.version FROM round r
                    JOIN scoring_model m ON m.id = r.scoring_model_id WHERE r.id = $1) AS "fingerprint!"
         FROM round_item ri JOIN portfolio_item i ON i.id = ri.item_id
         LEFT JOIN benefit_calculation c ON c.item_id = i.id
         WHERE ri.round_id = $1"#, round)
    .fetch_one(conn)
    .await
}

/// Holds the agenda's items, their calculations and the round's model still (`FOR SHARE`) from
/// the check until the figures are frozen.
pub async fn hold_items(conn: &mut PgConnection, round: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT 1 AS held FROM portfolio_item WHERE id IN (SELECT item_id FROM round_item WHERE round_id = $1) \
         FOR SHARE", round)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query!("SELECT 1 AS held FROM benefit_calculation WHERE item_id IN (SELECT item_id FROM round_item WHERE round_id = $1) \
         FOR SHARE", round)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query!("SELECT 1 AS held FROM scoring_model WHERE id = (SELECT scoring_model_id FROM round WHERE id = $1) \
         FOR SHARE", round)
    .fetch_all(conn)
    .await?;
    Ok(())
}

/// Writes the decisions, freezes the items' figures into the round, moves the items to their
/// new status (an item ordered on an earlier round's authority meanwhile stays ordered) and
/// closes the round.
pub async fn save(
    conn: &mut PgConnection,
    round: &Round,
    decisions: &[ItemDecision],
    scores: &[String],
    meeting: chrono::NaiveDate,
    (by, by_label): (Uuid, &str),
) -> Result<(), sqlx::Error> {
    let items: Vec<Uuid> = decisions.iter().map(|d| d.item_id).collect();
    let codes: Vec<&str> = decisions.iter().map(|d| d.decision.code()).collect();
    let quarters: Vec<Option<String>> = decisions
        .iter()
        .map(|d| d.quarter.map(|q| q.to_string()))
        .collect();
    let reasons: Vec<&str> = decisions.iter().map(|d| d.reason.as_str()).collect();
    let statuses: Vec<&str> = decisions
        .iter()
        .map(|d| d.decision.item_status().code())
        .collect();
    update_with_snapshot!(
        "UPDATE round_item ri SET decision = d.decision, decision_quarter = d.quarter, \
                decision_reason = d.reason, snapshot = ",
        // Every criterion's score as the model read it, the calculation's too, replaces the
        // agenda's own scores: the decided round shows the values it was decided with.
        " || jsonb_build_object('scores', d.scores::jsonb) \
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) \
                AS d(item_id, decision, quarter, reason, scores), round_agenda a \
         WHERE ri.round_id = $1 AND ri.item_id = d.item_id \
           AND a.round_id = ri.round_id AND a.item_id = ri.item_id",
        round.id,
        &items,
        &codes as _,
        &quarters as _,
        &reasons as _,
        scores
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE portfolio_item i SET status = d.status, version = version + 1, updated_at = now() \
         FROM unnest($1::uuid[], $2::text[]) AS d(item_id, status) \
         WHERE i.id = d.item_id AND i.status = $3",
        &items,
        &statuses as _,
        ItemStatus::InRound.code()
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE round SET phase = $5, decided_at = now(), decided_by = $2, \
                decided_by_label = $3, meeting_date = $4, version = version + 1 \
         WHERE id = $1",
        round.id,
        by,
        by_label,
        meeting,
        Phase::Decided.code()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An item's decision in a decided round, as the protocol records it.
#[derive(Debug, Clone)]
pub struct Decided {
    pub item_id: Uuid,
    pub number: i32,
    pub title: String,
    pub rank: Option<i32>,
    pub decision: Option<crate::domain::portfolio::Decision>,
    pub decision_quarter: Option<String>,
    pub decision_reason: String,
    /// The requesting municipalities; empty: all of them.
    pub municipalities: Vec<Uuid>,
}

/// The round's items with their decisions, by rank.
pub async fn decided(conn: &mut PgConnection, round: Uuid) -> Result<Vec<Decided>, sqlx::Error> {
    sqlx::query_as!(
        Decided,
        r#"SELECT ri.item_id, i.number, i.title, ri.rank,
                  ri.decision AS "decision: crate::domain::portfolio::Decision",
                  ri.decision_quarter, ri.decision_reason,
                  coalesce((SELECT array_agg(im.municipality_id) FROM portfolio_item_municipality im
                            WHERE im.item_id = i.id), '{}') AS "municipalities!"
           FROM round_item ri JOIN portfolio_item i ON i.id = ri.item_id
           WHERE ri.round_id = $1 ORDER BY ri.rank NULLS LAST, i.number"#,
        round
    )
    .fetch_all(conn)
    .await
}
