//! What needs each role now, for the start page: the controller's projects over budget and
//! ledger files waiting to be checked, the coordination group's round and its cut line, where a
//! strategy group's recommendations ended up, and IT-center's items that lack what the round
//! needs. Each is read in one statement (the cut line from the board's own rows).

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::{money::Money, portfolio::Decision, role::Role},
    final_report::repo::Listed,
    portfolio::{
        board::{repo as board_repo, rows::Rows},
        orders::repo::{self as orders, Order},
        rounds::repo::Round,
    },
    web::CurrentUser,
};

/// Every desk of the reader's roles; empty for the roles not held.
#[derive(Debug, Default)]
pub struct Desks {
    pub controller: Option<ControllerDesk>,
    pub coordination: Option<CoordinationDesk>,
    pub recommendations: Option<(Round, Vec<RecommendationOutcome>)>,
    pub items_missing_data: Vec<ItemMissingData>,
    /// IT-center: orders the gate refused, waiting for prioritisation.
    pub waiting_orders: Vec<Order>,
    /// A secretary's final-report drafts by meeting and status.
    pub drafts: Vec<Listed>,
}

pub async fn load(
    conn: &mut PgConnection,
    me: &CurrentUser,
    open_round: Option<&Round>,
) -> Result<Desks, sqlx::Error> {
    Ok(Desks {
        controller: controller(conn, me).await?,
        coordination: coordination(conn, me, open_round).await?,
        recommendations: recommendations(conn, me).await?,
        items_missing_data: items_missing_data(conn, me).await?,
        waiting_orders: if me.has_role(Role::ItCenter) {
            orders::waiting(conn).await?
        } else {
            vec![]
        },
        drafts: if me.has_role(Role::Secretary) {
            let boards: Vec<Uuid> = me.grants.iter().filter_map(|g| g.board_id).collect();
            crate::final_report::repo::listed(conn, Some(&boards), None).await?
        } else {
            vec![]
        },
    })
}

/// A project whose figures need the controller: outcome over budget, or budget over the
/// appropriation.
#[derive(Debug)]
pub struct ProjectToCheck {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub appropriation: Option<Decimal>,
    pub budget: Option<Decimal>,
    pub outcome: Option<Decimal>,
}

impl ProjectToCheck {
    pub fn why(&self) -> String {
        let kr = |d: Option<Decimal>| Money::from_stored(d.unwrap_or_default()).format_kr();
        match (self.outcome > self.budget, self.budget > self.appropriation) {
            (true, _) => format!(
                "utfallet {} kr är över budgeten {} kr",
                kr(self.outcome),
                kr(self.budget)
            ),
            _ => format!(
                "budgeten {} kr är över anslaget {} kr",
                kr(self.budget),
                kr(self.appropriation)
            ),
        }
    }
}

/// A ledger file read but not saved, or that could not be read.
#[derive(Debug)]
pub struct ImportToCheck {
    pub id: Uuid,
    pub file_name: String,
    pub failed: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Default)]
pub struct ControllerDesk {
    pub projects: Vec<ProjectToCheck>,
    pub imports: Vec<ImportToCheck>,
}

pub async fn controller(
    conn: &mut PgConnection,
    me: &CurrentUser,
) -> Result<Option<ControllerDesk>, sqlx::Error> {
    if !me.has_role(Role::Controller) {
        return Ok(None);
    }
    let projects = sqlx::query_as!(
        ProjectToCheck,
        r#"SELECT p.id, p.name, p.case_number, p.appropriation, p.budget_total AS budget,
                  p.outcome_total AS outcome
           FROM project p
           WHERE p.status IN ('decided', 'in_progress', 'completed')
             AND (p.outcome_total > p.budget_total OR p.budget_total > p.appropriation)
           ORDER BY p.name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let imports = sqlx::query_as!(
        ImportToCheck,
        r#"SELECT id, file_name, status = 'failed' AS "failed!", created_at
           FROM ledger_import WHERE status IN ('read', 'failed') ORDER BY created_at DESC"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(ControllerDesk { projects, imports }))
}

/// The open round as the coordination group meets it: where its reviews stand and what lies
/// above the cut line.
#[derive(Debug)]
pub struct CoordinationDesk {
    pub reviews_submitted: i64,
    pub reviews: i64,
    pub ranked: usize,
    pub above: usize,
    pub hours_above: u64,
    pub cost_above: Money,
    pub hours_capacity: i32,
    pub budget: Money,
}

pub async fn coordination(
    conn: &mut PgConnection,
    me: &CurrentUser,
    round: Option<&Round>,
) -> Result<Option<CoordinationDesk>, sqlx::Error> {
    let Some(round) = round.filter(|_| me.has_role(Role::CoordinationGroup)) else {
        return Ok(None);
    };
    let counts = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE submitted_at IS NOT NULL) AS "submitted!",
                  count(*) AS "all!"
           FROM review WHERE round_id = $1"#,
        round.id
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows = Rows::new(
        round.clone(),
        board_repo::rows(conn, round.id).await?,
        None,
        false,
    );
    let above: Vec<_> = rows
        .lines
        .iter()
        .filter(|l| l.row.rank.is_some() && !l.below)
        .collect();
    Ok(Some(CoordinationDesk {
        reviews_submitted: counts.submitted,
        reviews: counts.all,
        ranked: rows.ranked,
        above: above.len(),
        hours_above: above.last().map_or(0, |l| l.cumulative_hours),
        cost_above: above.last().map_or(Money::ZERO, |l| l.cumulative_cost),
        hours_capacity: round.hours_capacity,
        budget: round.budget(),
    }))
}

/// One of a strategy group's recommendations and what the coordination group decided.
#[derive(Debug)]
pub struct RecommendationOutcome {
    pub item_id: Uuid,
    pub number: i32,
    pub title: String,
    pub municipality: String,
    pub recommended_rank: Option<i32>,
    pub must_have: bool,
    pub rank: Option<i32>,
    pub decision: Option<Decision>,
}

impl RecommendationOutcome {
    pub fn reference(&self) -> String {
        crate::domain::portfolio::item_reference(self.number)
    }
}

/// The latest decided round and what became of the reader's municipalities' recommendations
/// (a place or a "must"), for a strategy group.
pub async fn recommendations(
    conn: &mut PgConnection,
    me: &CurrentUser,
) -> Result<Option<(Round, Vec<RecommendationOutcome>)>, sqlx::Error> {
    let mine = crate::portfolio::scope::strategy_municipalities(me);
    if mine.is_empty() {
        return Ok(None);
    }
    let Some(round) = crate::portfolio::rounds::repo::latest_decided(conn).await? else {
        return Ok(None);
    };
    let outcomes = sqlx::query_as!(
        RecommendationOutcome,
        r#"SELECT i.id AS item_id, i.number, i.title::text AS "title!", m.name::text AS "municipality!",
                  n.recommended_rank, n.must_have, ri.rank, ri.decision AS "decision: Decision"
           FROM review_note n
           JOIN review v ON v.round_id = n.round_id AND v.municipality_id = n.municipality_id
           JOIN round_item ri ON ri.round_id = n.round_id AND ri.item_id = n.item_id
           JOIN portfolio_item i ON i.id = n.item_id
           JOIN municipality m ON m.id = n.municipality_id
           WHERE n.round_id = $1 AND n.municipality_id = ANY($2) AND v.submitted_at IS NOT NULL
             AND (n.recommended_rank IS NOT NULL OR n.must_have)
           ORDER BY m.name, n.recommended_rank NULLS LAST, i.number"#,
        round.id,
        &mine
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some((round, outcomes)))
}

/// An item on its way into a round that lacks what the valuation and the cut line need.
#[derive(Debug)]
pub struct ItemMissingData {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub no_description: bool,
    /// Neither hours nor money: no estimate at all (either alone may be right).
    pub no_estimate: bool,
    pub no_scores: bool,
    pub no_contact: bool,
}

impl ItemMissingData {
    pub fn reference(&self) -> String {
        crate::domain::portfolio::item_reference(self.number)
    }

    pub fn missing(&self) -> String {
        [
            (self.no_description, "beskrivning"),
            (self.no_estimate, "uppskattning av timmar och kostnad"),
            (self.no_scores, "nyttovärdering"),
            (self.no_contact, "kontaktperson"),
        ]
        .iter()
        .filter(|(lacks, _)| *lacks)
        .map(|(_, what)| *what)
        .collect::<Vec<_>>()
        .join(", ")
    }
}

pub async fn items_missing_data(
    conn: &mut PgConnection,
    me: &CurrentUser,
) -> Result<Vec<ItemMissingData>, sqlx::Error> {
    if !me.has_role(Role::ItCenter) {
        return Ok(vec![]);
    }
    sqlx::query_as!(
        ItemMissingData,
        r#"SELECT id, number, title::text AS "title!",
                  description = '' AS "no_description!",
                  effort_hours = 0 AND investment = 0 AND running_cost = 0 AS "no_estimate!",
                  score_citizen + score_efficiency + score_necessity + score_strategy = 0
                      AS "no_scores!",
                  contact = '' AS "no_contact!"
           FROM portfolio_item
           WHERE status IN ('proposed', 'in_round')
             AND (description = '' OR (effort_hours = 0 AND investment = 0 AND running_cost = 0)
                  OR score_citizen + score_efficiency + score_necessity + score_strategy = 0
                  OR contact = '')
           ORDER BY number"#
    )
    .fetch_all(conn)
    .await
}
