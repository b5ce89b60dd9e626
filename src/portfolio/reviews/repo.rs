//! SQL for the strategy groups' reviews: who has submitted, a municipality's notes on the items
//! that concern it, and saving and submitting them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::{
    portfolio::{Kind, item_reference},
    project::Plan,
    role::Role,
};

/// One municipality's review of a round, as IT-center follows it.
#[derive(Debug, Clone)]
pub struct ReviewStatus {
    pub municipality_id: Uuid,
    pub municipality: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    pub version: i32,
}

impl ReviewStatus {
    pub fn submitted(&self) -> Option<String> {
        self.submitted_at.map(crate::web::format::date_time)
    }
}

/// The `SELECT` of [`ReviewStatus`] from every municipality and its review of round `$1`,
/// written once, followed by the rest of the statement.
macro_rules! select_reviews {
    ($tail:tt $(, $arg:expr)*) => {
        sqlx::query_as!(
            ReviewStatus,
            r#"SELECT m.id AS municipality_id, m.name AS municipality,
                      r.submitted_at AS "submitted_at?", u.display_name AS "submitted_by?",
                      coalesce(r.version, 0) AS "version!"
               FROM municipality m
               LEFT JOIN review r ON r.municipality_id = m.id AND r.round_id = $1
               LEFT JOIN app_user u ON u.id = r.submitted_by "# + $tail
            $(, $arg)*
        )
    };
}

/// The reviews of a round: every municipality with a strategy group, and any that has begun.
pub async fn statuses(
    conn: &mut PgConnection,
    round: Uuid,
) -> Result<Vec<ReviewStatus>, sqlx::Error> {
    select_reviews!(
        "WHERE r.round_id IS NOT NULL OR EXISTS ( \
             SELECT 1 FROM user_role ur JOIN app_user a ON a.id = ur.user_id \
             WHERE ur.role = $2 AND ur.municipality_id = m.id AND a.active) \
         ORDER BY m.name COLLATE sv",
        round,
        Role::StrategyGroup.code()
    )
    .fetch_all(conn)
    .await
}

/// The review of `municipality`: an empty draft (version 0) until the group first saves.
pub async fn find(
    conn: &mut PgConnection,
    round: Uuid,
    municipality: Uuid,
) -> Result<Option<ReviewStatus>, sqlx::Error> {
    select_reviews!("WHERE m.id = $2", round, municipality)
        .fetch_optional(conn)
        .await
}

/// Creates the draft if the group has none yet, and locks it for a save.
pub async fn lock(
    conn: &mut PgConnection,
    round: Uuid,
    municipality: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO review (round_id, municipality_id, version) VALUES ($1, $2, 0) \
         ON CONFLICT DO NOTHING",
        round,
        municipality
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "SELECT 1 AS held FROM review WHERE round_id = $1 AND municipality_id = $2 FOR UPDATE",
        round,
        municipality
    )
    .fetch_optional(conn)
    .await?;
    Ok(())
}

/// One item as a strategy group reviews it, with the group's note.
#[derive(Debug, Clone)]
pub struct ReviewLine {
    pub item_id: Uuid,
    pub number: i32,
    pub title: String,
    pub plan: Plan,
    pub kind: Kind,
    pub municipalities: String,
    pub effort_hours: i32,
    pub investment: Decimal,
    pub running_cost: Decimal,
    pub comment: String,
    pub recommended_rank: Option<i32>,
    pub must_have: bool,
}

impl ReviewLine {
    pub fn reference(&self) -> String {
        item_reference(self.number)
    }
}

/// The round's items that concern `municipality` (its own and the shared ones), with its notes.
pub async fn lines(
    conn: &mut PgConnection,
    round: Uuid,
    municipality: Uuid,
) -> Result<Vec<ReviewLine>, sqlx::Error> {
    sqlx::query_as!(
        ReviewLine,
        r#"SELECT a.item_id AS "item_id!", a.number AS "number!", a.title AS "title!",
                  a.plan AS "plan!: Plan", a.kind AS "kind!: Kind",
                  a.municipalities AS "municipalities!", a.effort_hours AS "effort_hours!",
                  a.investment AS "investment!", a.running_cost AS "running_cost!",
                  coalesce(n.comment, '') AS "comment!", n.recommended_rank AS "recommended_rank?",
                  coalesce(n.must_have, false) AS "must_have!"
           FROM round_agenda a
           LEFT JOIN review_note n ON n.round_id = a.round_id AND n.item_id = a.item_id
                                   AND n.municipality_id = $2
           WHERE a.round_id = $1 AND portfolio_item_concerns(a.item_id, ARRAY[$2]::uuid[])
           ORDER BY n.recommended_rank NULLS LAST, a.plan, a.number"#,
        round,
        municipality
    )
    .fetch_all(conn)
    .await
}

/// A strategy group's note on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub item_id: Uuid,
    pub comment: String,
    pub recommended_rank: Option<i32>,
    pub must_have: bool,
}

/// Replaces the draft's notes on the items of `notes` (the lines the group saw); empty notes
/// are not kept, and notes on other items stay as they are.
pub async fn save_notes(
    conn: &mut PgConnection,
    round: Uuid,
    municipality: Uuid,
    notes: &[Note],
) -> Result<(), sqlx::Error> {
    let shown: Vec<Uuid> = notes.iter().map(|n| n.item_id).collect();
    sqlx::query!("DELETE FROM review_note WHERE round_id = $1 AND municipality_id = $2 AND item_id = ANY($3)", round, municipality, &shown)
    .execute(&mut *conn)
    .await?;
    let kept: Vec<&Note> = notes
        .iter()
        .filter(|n| !n.comment.is_empty() || n.recommended_rank.is_some() || n.must_have)
        .collect();
    let items: Vec<Uuid> = kept.iter().map(|n| n.item_id).collect();
    let comments: Vec<&str> = kept.iter().map(|n| n.comment.as_str()).collect();
    let ranks: Vec<Option<i32>> = kept.iter().map(|n| n.recommended_rank).collect();
    let musts: Vec<bool> = kept.iter().map(|n| n.must_have).collect();
    sqlx::query!("INSERT INTO review_note (round_id, municipality_id, item_id, comment, recommended_rank, must_have) \
         SELECT $1, $2, item, comment, rank, must \
         FROM unnest($3::uuid[], $4::text[], $5::int[], $6::bool[]) AS n(item, comment, rank, must)", round, municipality, &items, &comments as _, &ranks as _, &musts)
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE review SET version = version + 1 WHERE round_id = $1 AND municipality_id = $2",
        round,
        municipality
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn submit(
    conn: &mut PgConnection,
    round: Uuid,
    municipality: Uuid,
    user: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE review SET submitted_at = now(), submitted_by = $3, version = version + 1 \
         WHERE round_id = $1 AND municipality_id = $2",
        round,
        municipality,
        user
    )
    .execute(conn)
    .await?;
    Ok(())
}
