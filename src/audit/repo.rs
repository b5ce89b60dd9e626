//! Writing and reading the audit log. Writes take the caller's transaction, so an entry exists
//! exactly when the change it describes was committed.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::{CurrentUser, client::Client};

/// Who did it and from where.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub label: String,
    pub source: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn user(user: &CurrentUser, client: &Client) -> Self {
        Self {
            id: Some(user.id),
            label: user.label(),
            source: client.source().to_owned(),
            request_id: client.request_id.clone(),
        }
    }

    /// Someone not signed in, e.g. a failed sign-in, named by what they typed.
    pub fn anonymous(typed: &str, client: &Client) -> Self {
        Self {
            id: None,
            label: typed.chars().take(254).collect(),
            source: client.source().to_owned(),
            request_id: client.request_id.clone(),
        }
    }

    /// The command line on the server itself.
    pub fn cli(label: &str) -> Self {
        Self {
            id: None,
            label: label.to_owned(),
            source: "cli".to_owned(),
            request_id: None,
        }
    }
}

/// One audited event; `field`, `old` and `new` are set for a change of a value.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub field: Option<&'a str>,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The project the change belongs to, for the project's history.
    pub project_id: Option<Uuid>,
}

impl<'a> Entry<'a> {
    pub fn event(action: &'a str, entity: &'a str, entity_id: Option<String>) -> Self {
        Self {
            action,
            entity,
            entity_id,
            ..Self::default()
        }
    }

    pub fn change(
        action: &'a str,
        entity: &'a str,
        entity_id: String,
        field: &'a str,
        old: Option<String>,
        new: Option<String>,
    ) -> Self {
        Self {
            action,
            entity,
            entity_id: Some(entity_id),
            field: Some(field),
            old,
            new,
            project_id: None,
        }
    }

    /// The same entry, filed under a project's history.
    pub fn in_project(self, project_id: Uuid) -> Self {
        Self {
            project_id: Some(project_id),
            ..self
        }
    }
}

pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!("INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, field, old_value, \
         new_value, source, request_id, project_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", actor.id, &actor.label, entry.action, entry.entity, entry.entity_id, entry.field, entry.old, entry.new, &actor.source, actor.request_id.as_deref(), entry.project_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records one entry per field whose value differs, filed under `project_id` when given, in
/// one statement however many fields changed (a ranking may move hundreds of items at once).
pub async fn record_changes(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    (entity, entity_id): (&str, &str),
    project_id: Option<Uuid>,
    fields: &[(&str, String, String)],
) -> Result<(), sqlx::Error> {
    let changed: Vec<&(&str, String, String)> =
        fields.iter().filter(|(_, old, new)| old != new).collect();
    if changed.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = changed.iter().map(|(f, _, _)| *f).collect();
    let olds: Vec<&str> = changed.iter().map(|(_, o, _)| o.as_str()).collect();
    let news: Vec<&str> = changed.iter().map(|(_, _, n)| n.as_str()).collect();
    sqlx::query!("INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, field, old_value, \
         new_value, source, request_id, project_id) \
         SELECT $1, $2, $3, $4, $5, f.field, f.old, f.new, $6, $7, $8 \
         FROM unnest($9::text[], $10::text[], $11::text[]) WITH ORDINALITY AS f(field, old, new, n) \
         ORDER BY f.n", actor.id, &actor.label, action, entity, entity_id, &actor.source, actor.request_id.as_deref(), project_id, names as _, olds as _, news as _)
    .execute(conn)
    .await?;
    Ok(())
}

/// One row of the log as the log page shows it.
#[derive(Debug, Clone)]
pub struct LogRow {
    /// The entry's place in the log: the order, and where a page starts.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: String,
}

/// One change in a project's history, with what it concerns ("Effektmål 3", a budget line).
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub row: LogRow,
    pub subject: String,
}

/// A log row with its subject, as the statements read it.
pub(crate) struct Subjected {
    pub(crate) id: i64,
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor_label: String,
    pub(crate) action: String,
    pub(crate) entity: String,
    pub(crate) entity_id: Option<String>,
    pub(crate) field: Option<String>,
    pub(crate) old_value: Option<String>,
    pub(crate) new_value: Option<String>,
    pub(crate) source: String,
    pub(crate) subject: String,
}

impl From<Subjected> for HistoryRow {
    fn from(r: Subjected) -> Self {
        HistoryRow {
            row: LogRow {
                id: r.id,
                at: r.at,
                actor_label: r.actor_label,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                field: r.field,
                old_value: r.old_value,
                new_value: r.new_value,
                source: r.source,
            },
            subject: r.subject,
        }
    }
}

/// The history of a project: every audited change filed under it, newest first.
pub async fn for_project(
    conn: &mut PgConnection,
    project_id: Uuid,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Subjected,
        r#"SELECT a.id, a.at, a.actor_label, a.action, a.entity, a.entity_id, a.field, a.old_value,
                  a.new_value, a.source,
                  coalesce(CASE a.entity
                    WHEN 'budget_line' THEN (SELECT l.category || coalesce(' (' || s.name || ')', '')
                       FROM budget_line l LEFT JOIN sub_entity s ON s.id = l.sub_entity_id
                       WHERE l.id::text = a.entity_id)
                    WHEN 'outcome_entry' THEN (SELECT 'Utfall, ' || l.category FROM outcome_entry e
                       JOIN budget_line l ON l.id = e.budget_line_id WHERE e.id::text = a.entity_id)
                    WHEN 'effect_goal' THEN (SELECT 'Effektmål ' || g.position FROM effect_goal g
                       WHERE g.id::text = a.entity_id)
                    WHEN 'goal_measurement' THEN (SELECT 'Mätning, effektmål ' || g.position
                       FROM goal_measurement m JOIN effect_goal g ON g.id = m.effect_goal_id
                       WHERE m.id::text = a.entity_id)
                    WHEN 'sub_entity' THEN (SELECT 'Delenhet ' || s.name FROM sub_entity s
                       WHERE s.id::text = a.entity_id)
                    ELSE 'Projektet' END, '') AS "subject!"
           FROM audit_log a WHERE a.project_id = $1 ORDER BY a.id DESC LIMIT 1000"#,
        project_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(HistoryRow::from).collect())
}
