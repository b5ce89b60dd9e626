//! SQL for reading the log as auditors do: the entries a filter selects, newest first, a page
//! at a time from a given entry (so the order is stable however fast the log grows), each with
//! what it concerns by name.

use chrono::Duration;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::{
    audit::{
        filter::{Filter, SIGN_IN_ENTITY},
        repo::{HistoryRow, Subjected},
    },
    web::format::stockholm_midnight,
};

/// The ids of at most `limit` entries the filter selects, newest first.
///
/// Each condition has its index (`audit_log_*_idx`); the period is turned into a range of ids
/// through the time index first, so that paging newest first never scans the years before it.
pub async fn ids(
    conn: &mut PgConnection,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new("SELECT a.id FROM audit_log a WHERE true");
    if let Some(from) = filter.from {
        let start = stockholm_midnight(from);
        q.push(" AND a.at >= ")
            .push_bind(start)
            .push(" AND a.id >= coalesce((SELECT id FROM audit_log WHERE at >= ")
            .push_bind(start)
            .push(" ORDER BY at LIMIT 1), 9223372036854775807)");
    }
    if let Some(to) = filter.to {
        let end = stockholm_midnight(to) + Duration::days(1);
        q.push(" AND a.at < ")
            .push_bind(end)
            .push(" AND a.id <= coalesce((SELECT id FROM audit_log WHERE at < ")
            .push_bind(end)
            .push(" ORDER BY at DESC LIMIT 1), 0)");
    }
    if let Some(actor) = filter.actor {
        q.push(" AND a.actor_id = ").push_bind(actor);
    }
    if let Some(project) = filter.project {
        q.push(" AND a.project_id = ").push_bind(project);
    }
    if let Some(item) = filter.item {
        q.push(" AND a.entity = 'portfolio_item' AND a.entity_id = ")
            .push_bind(item.to_string());
    }
    if let Some(entity) = filter.entity {
        q.push(" AND a.entity = ").push_bind(entity);
    }
    if !filter.sign_ins {
        // The partial index `audit_log_changes_idx` holds exactly these.
        q.push(" AND a.entity <> ").push_bind(SIGN_IN_ENTITY);
    }
    if let Some(before) = filter.before {
        q.push(" AND a.id < ").push_bind(before);
    }
    q.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit);
    q.build_query_scalar().fetch_all(conn).await
}

/// The entries `ids`, newest first, each with what it concerns by name where the log has only
/// its id: a project, an item, a round, a person, a model, a fund application and so on.
pub async fn entries(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<HistoryRow>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Subjected,
        r#"SELECT a.id, a.at, a.actor_label, a.action, a.entity, a.entity_id, a.field, a.old_value,
                  a.new_value, a.source,
                  coalesce(CASE a.entity
                    WHEN 'project' THEN (SELECT p.name || ' (' || p.case_number || ')' FROM project p WHERE p.id = k.eid)
                    WHEN 'portfolio_item' THEN (SELECT 'P-' || lpad(i.number::text, 3, '0') || ' ' || i.title
                       FROM portfolio_item i WHERE i.id = k.eid)
                    WHEN 'portfolio_order' THEN (SELECT o.reference || ', P-' || lpad(i.number::text, 3, '0')
                       FROM portfolio_order o JOIN portfolio_item i ON i.id = o.item_id WHERE o.id = k.eid)
                    WHEN 'round' THEN (SELECT r.quarter FROM round r WHERE r.id = k.eid)
                    WHEN 'scoring_model' THEN (SELECT m.name FROM scoring_model m WHERE m.id = k.eid)
                    WHEN 'user' THEN (SELECT u.display_name FROM app_user u WHERE u.id = k.eid)
                    WHEN 'municipality' THEN (SELECT m.name FROM municipality m WHERE m.id = k.eid)
                    WHEN 'council_goal' THEN (SELECT g.title FROM council_goal g WHERE g.id = k.eid)
                    WHEN 'fund' THEN (SELECT m.name || ' ' || f.year FROM fund f
                       JOIN municipality m ON m.id = f.municipality_id WHERE f.id = k.eid)
                    WHEN 'fund_application' THEN (SELECT f.title FROM fund_application f WHERE f.id = k.eid)
                    WHEN 'benefit' THEN (SELECT b.description FROM benefit b WHERE b.id = k.eid)
                    WHEN 'budget_line' THEN (SELECT p.name || ', ' || l.category FROM budget_line l
                       JOIN project p ON p.id = l.project_id WHERE l.id = k.eid)
                    WHEN 'effect_goal' THEN (SELECT p.name || ', effektmål ' || g.position FROM effect_goal g
                       JOIN project p ON p.id = g.project_id WHERE g.id = k.eid)
                    WHEN 'member_key' THEN (SELECT 'Andel för '
                         || regexp_replace(a.entity_id, '^\S+ \S+ ', '') || ' '
                         || split_part(a.entity_id, ' ', 2) || ', ' || b.name
                       FROM board b WHERE b.id::text = split_part(a.entity_id, ' ', 1))
                    WHEN 'follow_up' THEN (SELECT b.name || ', tillfälle ' || o.number || ' ' || o.year
                       FROM follow_up f JOIN board b ON b.id = f.board_id
                       JOIN follow_up_occasion o ON o.id = f.occasion_id
                       WHERE f.id = k.eid)
                    WHEN 'action_measure' THEN (SELECT 'Åtgärd ' || m.group_number || '.' || m.number
                         || ', ' || b.name || ', tillfälle ' || o.number || ' ' || o.year
                       FROM action_measure m JOIN follow_up f ON f.id = m.follow_up_id
                       JOIN board b ON b.id = f.board_id
                       JOIN follow_up_occasion o ON o.id = f.occasion_id
                       WHERE m.id = k.eid)
                    END, '') AS "subject!"
           FROM audit_log a
           -- Most entries name their subject by its UUID; a few by a composite key.
           CROSS JOIN LATERAL (SELECT CASE WHEN a.entity_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                           THEN a.entity_id::uuid END AS eid) k
           WHERE a.id = ANY($1) ORDER BY a.id DESC"#,
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(HistoryRow::from).collect())
}

/// Where the subject of an entry is shown, when it has a page of its own.
pub fn link(entity: &str, entity_id: Option<&str>) -> Option<String> {
    let id: Uuid = entity_id?.parse().ok()?;
    use crate::paths;
    Some(match entity {
        "project" => paths::project(id),
        "portfolio_item" => paths::item(id),
        "round" => paths::round(id),
        "scoring_model" => paths::scoring_model(id),
        "user" => paths::user(id),
        "fund" => paths::fund(id),
        "fund_application" => paths::fund_application(id),
        "benefit" => paths::benefit(id),
        "benefit_calculation" => paths::calculation(id),
        _ => return None,
    })
}

/// What the filter offers to choose from: (id, name) of people, projects and items.
pub struct Choices {
    pub people: Vec<(Uuid, String)>,
    pub projects: Vec<(Uuid, String)>,
    pub items: Vec<(Uuid, String)>,
}

pub async fn choices(conn: &mut PgConnection) -> Result<Choices, sqlx::Error> {
    let people =
        sqlx::query!("SELECT id, display_name FROM app_user ORDER BY display_name COLLATE sv")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.display_name))
            .collect();
    let projects = sqlx::query!(
        "SELECT id, name || ' (' || case_number || ')' AS \"name!\" FROM project ORDER BY name COLLATE sv"
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect();
    let items = sqlx::query!(
        "SELECT id, 'P-' || lpad(number::text, 3, '0') || ' ' || title AS \"name!\" \
         FROM portfolio_item ORDER BY number"
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect();
    Ok(Choices {
        people,
        projects,
        items,
    })
}
