//! SQL for prioritisation rounds: the rounds, their settings and phases, and the agenda of
//! items each one carries.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::{
    money::Money,
    portfolio::{ItemStatus, Phase, Quarter},
    project::Plan,
};

#[derive(Debug, Clone)]
pub struct Round {
    pub id: Uuid,
    pub quarter: String,
    pub phase: Phase,
    pub review_deadline: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    pub hours_capacity: i32,
    pub budget: Decimal,
    pub scoring_model_id: Uuid,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by_label: Option<String>,
    pub version: i32,
    pub ranking_version: i32,
}

impl Round {
    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn is_decided(&self) -> bool {
        self.phase() == Phase::Decided
    }

    /// Who decided, by name (the log keeps the address too).
    pub fn decided_by_name(&self) -> Option<&str> {
        self.decided_by_label
            .as_deref()
            .map(|l| l.split(" <").next().unwrap_or(l))
    }

    /// When the round was decided, in Swedish time.
    pub fn decided(&self) -> Option<String> {
        self.decided_at.map(crate::web::format::date_time)
    }

    pub fn budget(&self) -> Money {
        Money::from_stored(self.budget)
    }

    pub fn hours(&self) -> u64 {
        u64::try_from(self.hours_capacity).unwrap_or(0)
    }
}

/// `SELECT` of [`Round`] from `round`, written once, followed by the rest of the statement:
/// `select_rounds!("WHERE id = $1", id)`.
macro_rules! select_rounds {
    ($tail:tt $(, $arg:expr)*) => {
        sqlx::query_as!(
            Round,
            r#"SELECT id, quarter, phase AS "phase: Phase",
                      review_deadline,
                      meeting_date, hours_capacity, budget,
                      scoring_model_id,
                      decided_at, decided_by_label, version, ranking_version
               FROM round "# + $tail
            $(, $arg)*
        )
    };
}

/// Every round, newest quarter first.
pub async fn list(conn: &mut PgConnection) -> Result<Vec<Round>, sqlx::Error> {
    select_rounds!("ORDER BY quarter DESC")
        .fetch_all(conn)
        .await
}

pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Round>, sqlx::Error> {
    if lock {
        select_rounds!("WHERE id = $1 FOR UPDATE", id)
            .fetch_optional(conn)
            .await
    } else {
        select_rounds!("WHERE id = $1", id)
            .fetch_optional(conn)
            .await
    }
}

/// The round not yet decided, if any (there is at most one).
pub async fn open(conn: &mut PgConnection) -> Result<Option<Round>, sqlx::Error> {
    select_rounds!("WHERE phase <> $1", Phase::Decided.code())
        .fetch_optional(conn)
        .await
}

/// The latest decided round: the authority on what may be ordered (`gate_round`, which the
/// ranking board asks too).
pub async fn latest_decided(conn: &mut PgConnection) -> Result<Option<Round>, sqlx::Error> {
    select_rounds!("WHERE id = gate_round(NULL)")
        .fetch_optional(conn)
        .await
}

/// What a new round is created with.
#[derive(Debug)]
pub struct NewRound {
    pub quarter: Quarter,
    pub hours_capacity: i32,
    pub budget: Money,
    pub review_deadline: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
}

/// Serialises the creation of rounds until the transaction ends: the one-open-round rule and
/// the unique quarter are checked with messages first, and by the database's indexes as the
/// last word.
pub async fn lock_rounds(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("LOCK TABLE round IN SHARE ROW EXCLUSIVE MODE")
        .execute(conn)
        .await?;
    Ok(())
}

/// Creates a round with the prioritisation model of the previous one (the built-in four
/// criteria for the first) and puts every open item on its agenda. Returns the number of items
/// taken in.
pub async fn create(conn: &mut PgConnection, id: Uuid, new: &NewRound) -> Result<u64, sqlx::Error> {
    sqlx::query!(
        "INSERT INTO round (id, quarter, hours_capacity, budget, review_deadline, meeting_date, \
         scoring_model_id) \
         SELECT $1, $2, $3, $4, $5, $6, \
                coalesce(p.scoring_model_id, \
                         (SELECT id FROM scoring_model WHERE preset = 'four_criteria')) \
         FROM (SELECT 1) one LEFT JOIN LATERAL \
              (SELECT * FROM round ORDER BY quarter DESC LIMIT 1) p ON true",
        id,
        new.quarter.to_string(),
        new.hours_capacity,
        new.budget.amount(),
        new.review_deadline,
        new.meeting_date
    )
    .execute(&mut *conn)
    .await?;
    take_open_items(conn, id).await
}

/// Puts the open items not yet on the agenda onto it, unranked: proposed ones, those an earlier
/// round postponed, and those it prioritised that nobody has ordered yet (the next decided round
/// is the authority on them). Returns how many were added.
pub async fn take_open_items(conn: &mut PgConnection, round: Uuid) -> Result<u64, sqlx::Error> {
    let added = sqlx::query!("WITH taken AS ( \
             INSERT INTO round_item (round_id, item_id) \
             SELECT $1, i.id FROM portfolio_item i WHERE i.status IN ($2, $3, $4) \
               AND NOT EXISTS (SELECT 1 FROM round_item ri WHERE ri.round_id = $1 AND ri.item_id = i.id) \
             RETURNING item_id) \
         UPDATE portfolio_item SET status = $5, version = version + 1, updated_at = now() \
         WHERE id IN (SELECT item_id FROM taken)", round, ItemStatus::Proposed.code(),
         ItemStatus::Postponed.code(), ItemStatus::Prioritised.code(), ItemStatus::InRound.code())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(added)
}

/// A plan's frame within a round.
#[derive(Debug, Clone)]
pub struct Frame {
    pub plan: Plan,
    pub hours_capacity: Option<i32>,
    pub budget: Option<Decimal>,
}

pub async fn frames(conn: &mut PgConnection, round: Uuid) -> Result<Vec<Frame>, sqlx::Error> {
    sqlx::query_as!(
        Frame,
        r#"SELECT plan AS "plan: Plan", hours_capacity, budget FROM round_plan_frame
           WHERE round_id = $1"#,
        round
    )
    .fetch_all(conn)
    .await
}

/// The settings of a round that IT-center and the coordination group set.
#[derive(Debug)]
pub struct Settings {
    pub hours_capacity: i32,
    pub budget: Money,
    pub review_deadline: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    /// Per plan: (hours, budget), either optional.
    pub frames: Vec<(Plan, Option<i32>, Option<Money>)>,
}

/// Saves the settings over `version`; false when someone else saved first.
pub async fn save_settings(
    conn: &mut PgConnection,
    round: Uuid,
    version: i32,
    s: &Settings,
) -> Result<bool, sqlx::Error> {
    let saved = sqlx::query!("UPDATE round SET hours_capacity = $3, budget = $4, review_deadline = $5, meeting_date = $6, \
         version = version + 1 WHERE id = $1 AND version = $2 AND phase <> $7", round, version, s.hours_capacity, s.budget.amount(), s.review_deadline, s.meeting_date, Phase::Decided.code())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !saved {
        return Ok(false);
    }
    let plans: Vec<&str> = s.frames.iter().map(|(p, _, _)| p.code()).collect();
    let hours: Vec<Option<i32>> = s.frames.iter().map(|(_, h, _)| *h).collect();
    let budgets: Vec<Option<Decimal>> = s
        .frames
        .iter()
        .map(|(_, _, b)| b.map(Money::amount))
        .collect();
    sqlx::query!("DELETE FROM round_plan_frame WHERE round_id = $1", round)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO round_plan_frame (round_id, plan, hours_capacity, budget) \
         SELECT $1, plan, hours, budget FROM unnest($2::text[], $3::int[], $4::numeric[]) \
                AS f(plan, hours, budget) \
         WHERE hours IS NOT NULL OR budget IS NOT NULL",
        round,
        &plans as _,
        &hours as _,
        &budgets as _
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// Makes `model` the round's prioritisation model over `version`; false when someone else
/// saved first.
pub async fn save_model(
    conn: &mut PgConnection,
    round: Uuid,
    version: i32,
    model: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE round SET scoring_model_id = $3, version = version + 1 \
         WHERE id = $1 AND version = $2 AND phase <> $4",
        round,
        version,
        model,
        Phase::Decided.code()
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Moves the round from `from` to the next phase over `version`; false when it moved already.
pub async fn advance(
    conn: &mut PgConnection,
    round: Uuid,
    version: i32,
    from: Phase,
    to: Phase,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE round SET phase = $4, version = version + 1 \
         WHERE id = $1 AND version = $2 AND phase = $3",
        round,
        version,
        from.code(),
        to.code()
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Per plan: (plan, items, hours, cost), cost being investment plus one year's running cost.
pub async fn agenda_sums(
    conn: &mut PgConnection,
    round: Uuid,
) -> Result<Vec<(Plan, i64, i64, Decimal)>, sqlx::Error> {
    let sums = sqlx::query!(
        r#"SELECT plan AS "plan!: Plan", count(*) AS "count!",
                  coalesce(sum(effort_hours), 0)::bigint AS "hours!",
                  coalesce(sum(investment + running_cost), 0) AS "cost!"
           FROM round_agenda WHERE round_id = $1 GROUP BY plan"#,
        round
    )
    .fetch_all(conn)
    .await?;
    Ok(sums
        .into_iter()
        .map(|s| (s.plan, s.count, s.hours, s.cost))
        .collect())
}

/// Locks the open round, if any: taken before an item's row by everything that may change both,
/// so two such transactions always lock in the same order.
pub async fn lock_open(conn: &mut PgConnection) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM round WHERE phase <> $1 FOR UPDATE",
        Phase::Decided.code()
    )
    .fetch_optional(conn)
    .await
}

/// Takes an item off the open round's agenda (it was ordered on an earlier round's authority),
/// with its review notes, and closes the gap in the ranking. Returns the round's quarter when
/// the item was on its agenda.
pub async fn withdraw_from_open(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    let round = sqlx::query!(
        "SELECT r.id, r.quarter FROM round r JOIN round_item ri ON ri.round_id = r.id \
         WHERE r.phase <> $2 AND ri.item_id = $1",
        item,
        Phase::Decided.code()
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.id, r.quarter));
    let Some((round, quarter)) = round else {
        return Ok(None);
    };
    sqlx::query!(
        "WITH notes AS (DELETE FROM review_note WHERE round_id = $1 AND item_id = $2) \
         DELETE FROM round_item WHERE round_id = $1 AND item_id = $2",
        round,
        item
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE round_item ri SET rank = r.place \
         FROM (SELECT item_id, row_number() OVER (ORDER BY rank)::int AS place \
               FROM round_item WHERE round_id = $1 AND rank IS NOT NULL) r \
         WHERE ri.round_id = $1 AND ri.item_id = r.item_id AND ri.rank <> r.place",
        round
    )
    .execute(&mut *conn)
    .await?;
    // Boards open on the old order must notice.
    sqlx::query!(
        "UPDATE round SET ranking_version = ranking_version + 1 WHERE id = $1",
        round
    )
    .execute(conn)
    .await?;
    Ok(Some(quarter))
}
