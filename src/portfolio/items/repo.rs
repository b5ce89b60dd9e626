//! SQL for portfolio items: the list with what its filters ask for, one item with its links, and
//! the writes of the item form and the import.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::{PgConnection, Postgres, QueryBuilder, types::Json};
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        portfolio::{Complexity, ItemStatus, Kind, Scores, item_reference},
        project::Plan,
    },
    web::list::SortKey,
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

/// A checked item form. Dependencies are still numbers: the handler looks them up.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInput {
    pub title: String,
    pub description: String,
    pub plan: Plan,
    pub municipalities: Vec<Uuid>,
    pub unit: String,
    pub contact: String,
    pub kind: Kind,
    pub complexity: Complexity,
    pub complexity_reason: String,
    pub effort_hours: i32,
    pub investment: Money,
    pub running_cost: Money,
    pub scores: Scores,
    pub benefit_note: String,
    pub council_goals: Vec<Uuid>,
    pub project_id: Option<Uuid>,
    pub earliest_start: Option<NaiveDate>,
    pub dependency_numbers: Vec<i32>,
    /// Filled by the handler from `dependency_numbers`.
    pub dependencies: Vec<Uuid>,
}

/// What an item may refer to.
#[derive(Debug, Clone, Default)]
pub struct ItemChoices {
    pub municipalities: Vec<Link>,
    pub council_goals: Vec<Link>,
    pub projects: Vec<Link>,
}

impl ItemChoices {
    pub fn has(list: &[Link], id: Uuid) -> bool {
        list.iter().any(|l| l.id == id)
    }
}

/// The columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    #[default]
    Number,
    Title,
    Plan,
    Kind,
    Hours,
    Investment,
    RunningCost,
    /// The value in the current prioritisation model, sorted by the page.
    Benefit,
    Status,
}

impl SortKey for SortColumn {
    const ALL: &'static [(SortColumn, &'static str)] = &[
        (SortColumn::Number, "nummer"),
        (SortColumn::Title, "titel"),
        (SortColumn::Plan, "plan"),
        (SortColumn::Kind, "typ"),
        (SortColumn::Hours, "timmar"),
        (SortColumn::Investment, "investering"),
        (SortColumn::RunningCost, "drift"),
        (SortColumn::Benefit, "nytta"),
        (SortColumn::Status, "status"),
    ];
}

/// The checked filter. Values that do not parse are ignored, as a filter should be.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub plan: Option<Plan>,
    pub municipality: Option<Uuid>,
    pub status: Option<ItemStatus>,
    pub kind: Option<Kind>,
    pub search: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
}

/// One item with its links, as the list, the item page and the form show it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub plan: Plan,
    pub unit: String,
    pub contact: String,
    pub kind: Kind,
    pub complexity: Complexity,
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
    pub status: ItemStatus,
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
        Scores::from_columns([
            self.score_citizen,
            self.score_efficiency,
            self.score_necessity,
            self.score_strategy,
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

/// The `SELECT` of [`Item`] from `portfolio_item i`, written once, followed by the rest of the
/// statement: `select_items!("WHERE i.id = $1", id)`.
macro_rules! select_items {
    ($tail:tt $(, $arg:expr)*) => {
        sqlx::query_as!(
            Item,
            r#"SELECT i.id, i.number, i.title, i.description, i.plan AS "plan: Plan", i.unit,
                 i.contact, i.kind AS "kind: Kind", i.complexity AS "complexity: Complexity",
                 i.complexity_reason, i.effort_hours, i.investment, i.running_cost,
                 i.score_citizen, i.score_efficiency, i.score_necessity, i.score_strategy,
                 i.benefit_note, i.earliest_start, i.status AS "status: ItemStatus", i.version,
                 (SELECT json_build_object('id', p.id, 'name', p.name) FROM project p
                  WHERE p.id = i.project_id) AS "project: Json<Link>",
                 coalesce((SELECT json_agg(json_build_object('id', m.id, 'name', m.name)
                                           ORDER BY m.name COLLATE sv)
                           FROM portfolio_item_municipality im
                           JOIN municipality m ON m.id = im.municipality_id
                           WHERE im.item_id = i.id), '[]') AS "municipalities!: Links",
                 coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.title)
                                           ORDER BY g.title COLLATE sv)
                           FROM portfolio_item_council_goal ig
                           JOIN council_goal g ON g.id = ig.council_goal_id
                           WHERE ig.item_id = i.id), '[]') AS "council_goals!: Links",
                 coalesce((SELECT json_agg(json_build_object('id', d.id, 'name',
                                             'P-' || lpad(d.number::text, 3, '0') || ' ' || d.title)
                                           ORDER BY d.number)
                           FROM portfolio_item_dependency dep
                           JOIN portfolio_item d ON d.id = dep.depends_on_id
                           WHERE dep.item_id = i.id), '[]') AS "dependencies!: Links"
               FROM portfolio_item i "# + $tail
            $(, $arg)*
        )
    };
}

/// The items matching the filter, visible to the user, in the filter's order; by number when
/// the filter sorts by benefit, which the page orders.
pub async fn list(
    conn: &mut PgConnection,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) -> Result<Vec<Item>, sqlx::Error> {
    // The filter and the order are built from whitelisted parts; the rows come from the one
    // checked statement of `select_items!`, in the order found here.
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new("SELECT i.id FROM portfolio_item i WHERE true");
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
        let pattern = crate::web::list::contains_pattern(search);
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
    // Benefit depends on the round's model, which may read more than this table: the page
    // sorts by it, from number order.
    if filter.sort != SortColumn::Benefit {
        match filter.sort {
            SortColumn::Plan => {
                q.push("array_position(")
                    .push_bind(Plan::ALL.map(Plan::code).to_vec())
                    .push(", i.plan)");
            }
            SortColumn::Status => {
                q.push("array_position(")
                    .push_bind(ItemStatus::ALL.map(ItemStatus::code).to_vec())
                    .push(", i.status)");
            }
            column => {
                q.push(order_by(column));
            }
        }
        q.push(if filter.descending { " DESC" } else { " ASC" })
            .push(",");
    }
    q.push(" i.number");
    let ids: Vec<Uuid> = q.build_query_scalar().fetch_all(&mut *conn).await?;
    select_items!(
        "WHERE i.id = ANY($1) ORDER BY array_position($1, i.id)",
        &ids
    )
    .fetch_all(conn)
    .await
}

/// The column a sort orders by; plan and status order by their declaration (bound by `list`).
fn order_by(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Title => "i.title",
        SortColumn::Kind => "i.kind",
        SortColumn::Hours => "i.effort_hours",
        SortColumn::Investment => "i.investment",
        SortColumn::RunningCost => "i.running_cost",
        _ => "i.number",
    }
}

pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Item>, sqlx::Error> {
    // NO KEY UPDATE: the id never changes, and a key lock would make another item's new
    // dependency on this one (a foreign-key check) wait for this transaction.
    if lock {
        select_items!("WHERE i.id = $1 FOR NO KEY UPDATE OF i", id)
            .fetch_optional(conn)
            .await
    } else {
        select_items!("WHERE i.id = $1", id)
            .fetch_optional(conn)
            .await
    }
}

/// Ids of items by their numbers; numbers that do not exist are missing from the answer.
pub async fn ids_by_number(
    conn: &mut PgConnection,
    numbers: &[i32],
) -> Result<Vec<(i32, Uuid)>, sqlx::Error> {
    let found = sqlx::query!(
        "SELECT number, id FROM portfolio_item WHERE number = ANY($1)",
        numbers
    )
    .fetch_all(conn)
    .await?;
    Ok(found.into_iter().map(|r| (r.number, r.id)).collect())
}

/// Would `item` (existing or new) depending on `on` close a cycle? True when `item` is already
/// reachable from any of `on` through dependencies.
pub async fn creates_cycle(
    conn: &mut PgConnection,
    item: Uuid,
    on: &[Uuid],
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!("WITH RECURSIVE reach(id) AS ( \
             SELECT unnest($2::uuid[]) \
             UNION SELECT d.depends_on_id FROM portfolio_item_dependency d JOIN reach r ON d.item_id = r.id) \
         SELECT EXISTS (SELECT 1 FROM reach WHERE id = $1) AS \"cycle!\"", item, on)
    .fetch_one(conn)
    .await
}

/// A statement with the item form's fields as its parameters after `$lead`, in the order both
/// statements below list them.
macro_rules! with_item_fields {
    ($sql:tt, $($lead:expr),+ ; $input:expr) => {
        sqlx::query!(
            $sql,
            $($lead,)+
            &$input.title,
            &$input.description,
            $input.plan.code(),
            &$input.unit,
            &$input.contact,
            $input.kind.code(),
            $input.complexity.code(),
            &$input.complexity_reason,
            $input.effort_hours,
            $input.investment.amount(),
            $input.running_cost.amount(),
            i16::from($input.scores.0[0]),
            i16::from($input.scores.0[1]),
            i16::from($input.scores.0[2]),
            i16::from($input.scores.0[3]),
            &$input.benefit_note,
            $input.project_id,
            $input.earliest_start,
        )
    };
}

/// Creates the item; returns its number.
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    input: &ItemInput,
) -> Result<i32, sqlx::Error> {
    let number = with_item_fields!(
        "INSERT INTO portfolio_item (id, title, description, plan, unit, contact, kind, complexity, \
         complexity_reason, effort_hours, investment, running_cost, score_citizen, score_efficiency, \
         score_necessity, score_strategy, benefit_note, project_id, earliest_start) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         RETURNING number",
        id;
        input
    )
    .fetch_one(&mut *conn)
    .await?
    .number;
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
    let updated = with_item_fields!(
        "UPDATE portfolio_item SET title = $3, description = $4, plan = $5, unit = $6, contact = $7, \
         kind = $8, complexity = $9, complexity_reason = $10, effort_hours = $11, investment = $12, \
         running_cost = $13, score_citizen = $14, score_efficiency = $15, score_necessity = $16, \
         score_strategy = $17, benefit_note = $18, project_id = $19, earliest_start = $20, \
         version = version + 1, updated_at = now() \
         WHERE id = $1 AND version = $2",
        id,
        version;
        input
    )
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
    sqlx::query!(
        "WITH dm AS (DELETE FROM portfolio_item_municipality WHERE item_id = $1), \
              dg AS (DELETE FROM portfolio_item_council_goal WHERE item_id = $1) \
         DELETE FROM portfolio_item_dependency WHERE item_id = $1",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("WITH im AS (INSERT INTO portfolio_item_municipality (item_id, municipality_id) \
                     SELECT $1, unnest($2::uuid[])), \
              ig AS (INSERT INTO portfolio_item_council_goal (item_id, council_goal_id) \
                     SELECT $1, unnest($3::uuid[])) \
         INSERT INTO portfolio_item_dependency (item_id, depends_on_id) SELECT $1, unnest($4::uuid[])", id, &input.municipalities, &input.council_goals, &input.dependencies)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves items to `status`.
pub async fn set_status(
    conn: &mut PgConnection,
    ids: &[Uuid],
    status: ItemStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE portfolio_item SET status = $2, version = version + 1, updated_at = now() \
         WHERE id = ANY($1)",
        ids,
        status.code()
    )
    .execute(conn)
    .await?;
    Ok(())
}

type Links = Json<Vec<Link>>;

/// The municipalities, council goals and projects an item may link to, in one round trip.
pub async fn choices(conn: &mut PgConnection) -> Result<ItemChoices, sqlx::Error> {
    let choices = sqlx::query!(
        r#"SELECT
             coalesce((SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name COLLATE sv)
                       FROM municipality), '[]') AS "municipalities!: Links",
             coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.title || ' (' || m.name || ')',
                                       'retired', NOT g.active)
                                       ORDER BY m.name COLLATE sv, g.title COLLATE sv)
                       FROM council_goal g JOIN municipality m ON m.id = g.municipality_id), '[]')
               AS "council_goals!: Links",
             coalesce((SELECT json_agg(json_build_object('id', id, 'name',
                                       coalesce(project_number || ' ', '') || name) ORDER BY name COLLATE sv)
                       FROM project), '[]') AS "projects!: Links""#
    )
    .fetch_one(conn)
    .await?;
    Ok(ItemChoices {
        municipalities: choices.municipalities.0,
        council_goals: choices.council_goals.0,
        projects: choices.projects.0,
    })
}

/// Which of `items` concern one of `municipalities` or all of them.
pub async fn visible_items(
    conn: &mut PgConnection,
    items: &[Uuid],
    municipalities: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT i.id FROM portfolio_item i WHERE i.id = ANY($1) AND (\
           NOT EXISTS (SELECT 1 FROM portfolio_item_municipality im WHERE im.item_id = i.id) \
           OR EXISTS (SELECT 1 FROM portfolio_item_municipality im \
                      WHERE im.item_id = i.id AND im.municipality_id = ANY($2)))",
        items,
        municipalities
    )
    .fetch_all(conn)
    .await
}

/// Whether the project belongs to one of `municipalities`.
pub async fn project_visible(
    conn: &mut PgConnection,
    project: Uuid,
    municipalities: &[Uuid],
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM project_municipality
         WHERE project_id = $1 AND municipality_id = ANY($2)) AS "visible!""#,
        project,
        municipalities
    )
    .fetch_one(conn)
    .await
}

/// The council goals the item is linked to now.
pub async fn linked_goals(conn: &mut PgConnection, item: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT council_goal_id FROM portfolio_item_council_goal WHERE item_id = $1",
        item
    )
    .fetch_all(conn)
    .await
}

/// Serialises dependency edits until the transaction ends: two edits that each add one half of
/// a circle must not both pass the cycle check.
pub async fn lock_dependencies(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('portfolio_item_dependency'))")
        .execute(conn)
        .await?;
    Ok(())
}

/// Serialises imports until the transaction ends, so that the duplicate check sees the items
/// of an import running beside.
pub async fn lock_imports(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('portfolio_import'))")
        .execute(conn)
        .await?;
    Ok(())
}

/// Every item's (lower-case title, plan): what an import must not repeat.
pub async fn titles(conn: &mut PgConnection) -> Result<Vec<(String, String)>, sqlx::Error> {
    let titles = sqlx::query!(r#"SELECT lower(title) AS "title!", plan FROM portfolio_item"#)
        .fetch_all(conn)
        .await?;
    Ok(titles.into_iter().map(|r| (r.title, r.plan)).collect())
}
