//! SQL for portfolio items: the list with what its filters ask for, one item with its links, and
//! the writes of the item form and the import.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::{
    PgConnection, Postgres, QueryBuilder, Row, postgres::PgArguments, query::Query, types::Json,
};
use uuid::Uuid;

use crate::{
    domain::portfolio::{Scores, Weights, item_reference},
    portfolio::item_forms::{ItemChoices, ItemInput, ListFilter},
};

/// A municipality, council goal, project or item an item links to.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Link {
    pub id: Uuid,
    pub name: String,
    /// A council goal that no longer applies: offered only to items already linked to it, so
    /// an edit never drops a link silently.
    #[serde(default)]
    pub retired: bool,
}

/// One item with its links, as the list, the item page and the form show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub plan: String,
    pub unit: String,
    pub contact: String,
    pub kind: String,
    pub complexity: String,
    pub complexity_reason: String,
    pub effort_hours: i32,
    pub investment: Decimal,
    pub running_cost: Decimal,
    pub score_citizen: i16,
    pub score_efficiency: i16,
    pub score_necessity: i16,
    pub score_strategy: i16,
    pub benefit_note: String,
    pub project: Option<Json<Link>>,
    pub earliest_start: Option<NaiveDate>,
    pub status: String,
    pub version: i32,
    pub municipalities: Json<Vec<Link>>,
    pub council_goals: Json<Vec<Link>>,
    /// The items this one depends on; `name` is "P-003 Title".
    pub dependencies: Json<Vec<Link>>,
}

impl Item {
    pub fn reference(&self) -> String {
        item_reference(self.number)
    }

    pub fn scores(&self) -> Scores {
        let s = |v: i16| u8::try_from(v).unwrap_or(0);
        Scores([
            s(self.score_citizen),
            s(self.score_efficiency),
            s(self.score_necessity),
            s(self.score_strategy),
        ])
    }

    /// The requesting municipalities, or that the item concerns them all.
    pub fn municipality_names(&self) -> String {
        if self.municipalities.0.is_empty() {
            "Alla".to_owned()
        } else {
            let names: Vec<&str> = self
                .municipalities
                .0
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            names.join(", ")
        }
    }
}

/// The columns of [`Item`], for `FROM portfolio_item i`.
pub const ITEM_COLUMNS: &str = "i.id, i.number, i.title, i.description, i.plan, i.unit, \
     i.contact, i.kind, i.complexity, i.complexity_reason, i.effort_hours, i.investment, \
     i.running_cost, i.score_citizen, i.score_efficiency, i.score_necessity, i.score_strategy, \
     i.benefit_note, i.earliest_start, i.status, i.version, \
     (SELECT json_build_object('id', p.id, 'name', p.name) FROM project p WHERE p.id = i.project_id) AS project, \
     coalesce((SELECT json_agg(json_build_object('id', m.id, 'name', m.name) ORDER BY m.name COLLATE sv) \
        FROM portfolio_item_municipality im JOIN municipality m ON m.id = im.municipality_id \
        WHERE im.item_id = i.id), '[]') AS municipalities, \
     coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.title) ORDER BY g.title COLLATE sv) \
        FROM portfolio_item_council_goal ig JOIN council_goal g ON g.id = ig.council_goal_id \
        WHERE ig.item_id = i.id), '[]') AS council_goals, \
     coalesce((SELECT json_agg(json_build_object('id', d.id, 'name', 'P-' || lpad(d.number::text, 3, '0') || ' ' || d.title) ORDER BY d.number) \
        FROM portfolio_item_dependency dep JOIN portfolio_item d ON d.id = dep.depends_on_id \
        WHERE dep.item_id = i.id), '[]') AS dependencies";

/// The items matching the filter, visible to the user, in the filter's order; benefit sorts by
/// the weighted score the list shows.
pub async fn list(
    conn: &mut PgConnection,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
    weights: Weights,
) -> Result<Vec<Item>, sqlx::Error> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {ITEM_COLUMNS} FROM portfolio_item i WHERE true"
    ));
    if let Some(plan) = filter.plan {
        q.push(" AND i.plan = ").push_bind(plan.code());
    }
    if let Some(status) = filter.status {
        q.push(" AND i.status = ").push_bind(status.code());
    }
    if let Some(kind) = filter.kind {
        q.push(" AND i.kind = ").push_bind(kind.code());
    }
    if let Some(m) = filter.municipality {
        q.push(" AND EXISTS (SELECT 1 FROM portfolio_item_municipality im WHERE im.item_id = i.id AND im.municipality_id = ")
            .push_bind(m)
            .push(")");
    }
    if let Some(search) = &filter.search {
        let pattern = format!("%{}%", search.replace(['%', '_', '\\'], ""));
        q.push(" AND (i.title ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR i.description ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(visible) = visible {
        q.push(" AND portfolio_item_concerns(i.id, ")
            .push_bind(visible.to_vec())
            .push(")");
    }
    q.push(" ORDER BY ");
    if filter.sort.key() == "nytta" {
        let w = |i: usize| i32::from(weights.0[i]);
        q.push("(i.score_citizen * ")
            .push_bind(w(0))
            .push(" + i.score_efficiency * ")
            .push_bind(w(1))
            .push(" + i.score_necessity * ")
            .push_bind(w(2))
            .push(" + i.score_strategy * ")
            .push_bind(w(3))
            .push(")");
    } else {
        q.push(filter.sort.order_by());
    }
    q.push(if filter.descending { " DESC" } else { " ASC" })
        .push(", i.number");
    q.build_query_as().fetch_all(&mut *conn).await
}

pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Item>, sqlx::Error> {
    // NO KEY UPDATE: the id never changes, and a key lock would make another item's new
    // dependency on this one (a foreign-key check) wait for this transaction.
    let lock = if lock { " FOR NO KEY UPDATE OF i" } else { "" };
    sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM portfolio_item i WHERE i.id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Ids of items by their numbers; numbers that do not exist are missing from the answer.
pub async fn ids_by_number(
    conn: &mut PgConnection,
    numbers: &[i32],
) -> Result<Vec<(i32, Uuid)>, sqlx::Error> {
    sqlx::query_as("SELECT number, id FROM portfolio_item WHERE number = ANY($1)")
        .bind(numbers)
        .fetch_all(conn)
        .await
}

/// Would `item` (existing or new) depending on `on` close a cycle? True when `item` is already
/// reachable from any of `on` through dependencies.
pub async fn creates_cycle(
    conn: &mut PgConnection,
    item: Uuid,
    on: &[Uuid],
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE reach(id) AS ( \
             SELECT unnest($2::uuid[]) \
             UNION SELECT d.depends_on_id FROM portfolio_item_dependency d JOIN reach r ON d.item_id = r.id) \
         SELECT EXISTS (SELECT 1 FROM reach WHERE id = $1)",
    )
    .bind(item)
    .bind(on)
    .fetch_one(conn)
    .await
}

/// Binds the item form's fields, in the order both statements below list them.
fn bind_fields<'q>(
    query: Query<'q, Postgres, PgArguments>,
    input: &'q ItemInput,
) -> Query<'q, Postgres, PgArguments> {
    query
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.plan.code())
        .bind(&input.unit)
        .bind(&input.contact)
        .bind(input.kind.code())
        .bind(input.complexity.code())
        .bind(&input.complexity_reason)
        .bind(input.effort_hours)
        .bind(input.investment.amount())
        .bind(input.running_cost.amount())
        .bind(i16::from(input.scores.0[0]))
        .bind(i16::from(input.scores.0[1]))
        .bind(i16::from(input.scores.0[2]))
        .bind(i16::from(input.scores.0[3]))
        .bind(&input.benefit_note)
        .bind(input.project_id)
        .bind(input.earliest_start)
}

/// Creates the item; returns its number.
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    input: &ItemInput,
) -> Result<i32, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO portfolio_item (id, title, description, plan, unit, contact, kind, complexity, \
         complexity_reason, effort_hours, investment, running_cost, score_citizen, score_efficiency, \
         score_necessity, score_strategy, benefit_note, project_id, earliest_start) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         RETURNING number",
    )
    .bind(id);
    let number: i32 = bind_fields(query, input)
        .fetch_one(&mut *conn)
        .await?
        .try_get("number")?;
    replace_links(conn, id, input).await?;
    Ok(number)
}

/// Saves the form over version `version`; false when someone else saved first.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    input: &ItemInput,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "UPDATE portfolio_item SET title = $3, description = $4, plan = $5, unit = $6, contact = $7, \
         kind = $8, complexity = $9, complexity_reason = $10, effort_hours = $11, investment = $12, \
         running_cost = $13, score_citizen = $14, score_efficiency = $15, score_necessity = $16, \
         score_strategy = $17, benefit_note = $18, project_id = $19, earliest_start = $20, \
         version = version + 1, updated_at = now() \
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version);
    let updated = bind_fields(query, input)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if updated {
        replace_links(conn, id, input).await?;
    }
    Ok(updated)
}

async fn replace_links(
    conn: &mut PgConnection,
    id: Uuid,
    input: &ItemInput,
) -> Result<(), sqlx::Error> {
    // Two statements for the three link tables: the old links out, the new ones in.
    sqlx::query(
        "WITH dm AS (DELETE FROM portfolio_item_municipality WHERE item_id = $1), \
              dg AS (DELETE FROM portfolio_item_council_goal WHERE item_id = $1) \
         DELETE FROM portfolio_item_dependency WHERE item_id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "WITH im AS (INSERT INTO portfolio_item_municipality (item_id, municipality_id) \
                     SELECT $1, unnest($2::uuid[])), \
              ig AS (INSERT INTO portfolio_item_council_goal (item_id, council_goal_id) \
                     SELECT $1, unnest($3::uuid[])) \
         INSERT INTO portfolio_item_dependency (item_id, depends_on_id) SELECT $1, unnest($4::uuid[])",
    )
    .bind(id)
    .bind(&input.municipalities)
    .bind(&input.council_goals)
    .bind(&input.dependencies)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves items to `status`.
pub async fn set_status(
    conn: &mut PgConnection,
    ids: &[Uuid],
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE portfolio_item SET status = $2, version = version + 1, updated_at = now() \
         WHERE id = ANY($1)",
    )
    .bind(ids)
    .bind(status)
    .execute(conn)
    .await?;
    Ok(())
}

type Links = Json<Vec<Link>>;

/// The municipalities, council goals and projects an item may link to, in one round trip.
pub async fn choices(conn: &mut PgConnection) -> Result<ItemChoices, sqlx::Error> {
    let (municipalities, council_goals, projects): (Links, Links, Links) =
        sqlx::query_as(
            "SELECT \
             coalesce((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name COLLATE sv) \
                       FROM municipality), '[]'), \
             coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.title || ' (' || m.name || ')', \
                                       'retired', NOT g.active) \
                                       ORDER BY m.name COLLATE sv, g.title COLLATE sv) \
                       FROM council_goal g JOIN municipality m ON m.id = g.municipality_id), '[]'), \
             coalesce((SELECT json_agg(json_build_object('id', id, 'name', \
                                       coalesce(project_number || ' ', '') || name) ORDER BY name COLLATE sv) \
                       FROM project), '[]')",
        )
        .fetch_one(conn)
        .await?;
    Ok(ItemChoices {
        municipalities: municipalities.0,
        council_goals: council_goals.0,
        projects: projects.0,
    })
}
