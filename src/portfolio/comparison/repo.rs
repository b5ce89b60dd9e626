//! SQL for the comparison: a round's agenda with places and decisions.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::portfolio::Decision;

pub struct AgendaRow {
    pub item_id: Uuid,
    pub number: i32,
    pub title: String,
    pub rank: Option<i32>,
    pub decision: Option<Decision>,
    pub decision_reason: String,
}

/// The round's agenda, ranked items in order, then the unranked by number.
pub async fn agenda(conn: &mut PgConnection, round: Uuid) -> Result<Vec<AgendaRow>, sqlx::Error> {
    sqlx::query_as!(
        AgendaRow,
        r#"SELECT item_id AS "item_id!", number AS "number!", title AS "title!", rank,
                  decision AS "decision: Decision", decision_reason AS "decision_reason!"
           FROM round_agenda WHERE round_id = $1 ORDER BY rank NULLS LAST, number"#,
        round
    )
    .fetch_all(conn)
    .await
}
