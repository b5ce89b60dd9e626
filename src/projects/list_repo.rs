//! SQL for the project list: the filtered, sorted page of projects, how many match, and the sums
//! of their figures. Every page is a fixed number of queries, whatever the number of rows (a
//! test counts them).

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row, postgres::PgRow};
use uuid::Uuid;

use crate::domain::project::{Plan, Status};
use crate::projects::forms::{ListFilter, SortColumn};

/// One row of the project list. The board is shown by its label from the reference lists the
/// page loads anyway for its filter form.
#[derive(Debug, Clone)]
pub struct ListRow {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub project_number: Option<String>,
    pub board_id: Uuid,
    pub municipalities: String,
    pub status: Status,
    pub plan: Plan,
    pub appropriation: Option<Decimal>,
    pub budget: Option<Decimal>,
    pub outcome: Option<Decimal>,
    pub planned_end: Option<NaiveDate>,
    pub total_count: i64,
}

/// Read by position, in the order of [`list_query`]'s columns: the derived reader looks up every
/// column by name in every row, which on a 100-row API page was a sizeable part of the server's
/// CPU (docs/PERFORMANCE.md). A column out of order is a type error, which every list test meets.
impl sqlx::FromRow<'_, PgRow> for ListRow {
    fn from_row(row: &PgRow) -> Result<Self, sqlx::Error> {
        Ok(ListRow {
            id: row.try_get(0)?,
            name: row.try_get(1)?,
            case_number: row.try_get(2)?,
            project_number: row.try_get(3)?,
            board_id: row.try_get(4)?,
            municipalities: row.try_get(5)?,
            status: row.try_get(6)?,
            plan: row.try_get(7)?,
            appropriation: row.try_get(8)?,
            budget: row.try_get(9)?,
            outcome: row.try_get(10)?,
            planned_end: row.try_get(11)?,
            total_count: row.try_get(12)?,
        })
    }
}

// Not bound: the list's text has no parameters of its own (`list_query`); tested below.
const STATUS_ORDER: &str = "array_position(ARRAY['idea', 'pre_study', 'decided', 'in_progress', \
     'completed', 'final_report_approved', 'cancelled'], p.status)";
const PLAN_ORDER: &str = "array_position(ARRAY['digitalisation', 'business_systems', \
     'service_catalogue', 'infrastructure'], p.plan)";

/// One page of the filtered, sorted list, and the number of matching projects: counted on the
/// first page when the page asked for is past the last one, so the total is always said.
pub async fn list(
    conn: &mut PgConnection,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) -> Result<(Vec<ListRow>, i64), sqlx::Error> {
    let size = usize::try_from(filter.page_size).unwrap_or(0);
    let rows = fetch_page(&mut *conn, list_query(filter, visible), size).await?;
    let total = match rows.first() {
        Some(row) => row.total_count,
        None if filter.page > 1 => {
            let first = ListFilter {
                page: 1,
                ..filter.clone()
            };
            let counted = fetch_page(conn, list_query(&first, visible), size).await?;
            counted.first().map_or(0, |r| r.total_count)
        }
        None => 0,
    };
    Ok((rows, total))
}

/// The rows of a page of `size` rows, collected into a vector made for them: growing it row by
/// row copied every row read so far each time it doubled, a few percent of a 100-row API call.
async fn fetch_page(
    conn: &mut PgConnection,
    mut query: QueryBuilder<'static, Postgres>,
    size: usize,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let mut rows = Vec::with_capacity(size);
    let mut stream = query.build_query_as::<ListRow>().fetch(conn);
    while let Some(row) = stream.try_next().await? {
        rows.push(row);
    }
    Ok(rows)
}

/// The sums of the figures over every project the filters match (not only the page shown), for
/// the list's footer row.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ListSums {
    pub appropriation: Option<Decimal>,
    pub budget: Option<Decimal>,
    pub outcome: Option<Decimal>,
}

pub async fn list_sums(
    conn: &mut PgConnection,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) -> Result<ListSums, sqlx::Error> {
    sums_query(filter, visible)
        .build_query_as()
        .fetch_one(conn)
        .await
}

/// The statement of [`list_sums`], which the benchmark replays (`page-sql list`).
pub fn sums_query(
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) -> QueryBuilder<'static, Postgres> {
    let mut q = QueryBuilder::new(
        "SELECT sum(p.appropriation) AS appropriation, sum(p.budget_total) AS budget, \
                sum(p.outcome_total) AS outcome \
         FROM project p WHERE true",
    );
    push_conditions(&mut q, filter, visible);
    q
}

/// The list's statement. Only the filters in use become conditions and the sort comes from a
/// fixed list, so the planner sees a plain query, and the page size is part of the text: the
/// first page of the unfiltered list has no parameter at all, so each connection plans it once
/// and keeps the plan (a bound LIMIT made PostgreSQL plan it anew on every request).
///
/// Budget, outcome and the municipality names are kept in the project's own row by triggers
/// (`budget_total`, `outcome_total`, `municipality_names`), so a row of the list is one row of
/// `project`: looking them up in a table of their own was half of the statement's time. The
/// total is the sum of the kept counts in `project_count` when the filters allow, else a count.
///
/// The first page reads the rows in order and stops after 25; in the default sort those are the
/// first 25 entries of the `(name, id)` index. A later page first picks its 25 ids in a
/// subquery (in the default sort from the index alone) and reads the rows for those only,
/// instead of for every row it skips.
pub fn list_query(
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) -> QueryBuilder<'static, Postgres> {
    let order = list_order(filter);
    let mut q = QueryBuilder::new(
        "SELECT p.id, p.name, p.case_number, p.project_number, p.board_id, \
                p.municipality_names, p.status, p.plan, \
                p.appropriation, p.budget_total, p.outcome_total, p.planned_end, (",
    );
    push_total(&mut q, filter, visible);
    q.push(format!(
        ") AS total_count FROM project p{} WHERE true",
        board_join(filter.sort)
    ));
    let (limit, offset) = (
        filter.page_size,
        crate::web::paging::offset(filter.page, filter.page_size),
    );
    if offset == 0 {
        push_conditions(&mut q, filter, visible);
        q.push(format!(" ORDER BY {order} LIMIT {limit}"));
    } else {
        q.push(format!(
            " AND p.id IN (SELECT p.id FROM project p{} WHERE true",
            board_join(filter.sort)
        ));
        push_conditions(&mut q, filter, visible);
        q.push(format!(" ORDER BY {order} LIMIT {limit} OFFSET "));
        q.push_bind(offset);
        q.push(format!(") ORDER BY {order}"));
    }
    q
}

/// `ORDER BY` of the list: the chosen column, then name and id, so that every order is total and
/// a page's rows are the same however the page is read. Status and plan in the model's order
/// (not alphabetical codes); case numbers by register, year and serial as numbers, so KS 2020-9
/// comes before KS 2020-10.
fn list_order(filter: &ListFilter) -> String {
    let keys: &[&str] = match filter.sort {
        SortColumn::Name => &["p.name"],
        SortColumn::CaseNumber => &[
            "split_part(p.case_number, ' ', 1) COLLATE sv",
            "substring(p.case_number from ' ([0-9]{4})-')::int",
            "substring(p.case_number from '-([0-9]+)$')::int",
        ],
        SortColumn::ProjectNumber => &["p.project_number COLLATE sv"],
        SortColumn::Board => &["b.name COLLATE sv"],
        SortColumn::Municipalities => &["p.municipality_names"],
        SortColumn::Status => &[STATUS_ORDER],
        SortColumn::Plan => &[PLAN_ORDER],
        SortColumn::Appropriation => &["p.appropriation"],
        SortColumn::Budget => &["p.budget_total"],
        SortColumn::Outcome => &["p.outcome_total"],
        SortColumn::PlannedEnd => &["p.planned_end"],
    };
    let direction = if filter.descending {
        "DESC NULLS LAST"
    } else {
        "ASC NULLS LAST"
    };
    let mut order: Vec<String> = keys
        .iter()
        .map(|key| format!("{key} {direction}"))
        .collect();
    if filter.sort != SortColumn::Name {
        order.push("p.name".into());
    }
    order.push("p.id".into());
    order.join(", ")
}

/// The board's join, needed only to sort by its name.
fn board_join(sort: SortColumn) -> &'static str {
    if sort == SortColumn::Board {
        " JOIN board b ON b.id = p.board_id"
    } else {
        ""
    }
}

/// The number of projects the filters match: the sum of the kept counts when only board, status
/// and plan filter, else a count of the matching projects.
fn push_total(
    q: &mut QueryBuilder<'static, Postgres>,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) {
    let kept = filter.municipality.is_none()
        && filter.year.is_none()
        && filter.search.is_none()
        && visible.is_none();
    if !kept {
        q.push("SELECT count(*) FROM project p WHERE true");
        push_conditions(q, filter, visible);
        return;
    }
    q.push("SELECT coalesce(sum(c.projects), 0)::bigint FROM project_count c WHERE true");
    push_counted_conditions(q, filter, "c");
}

/// ` AND …` for the board, status and plan filters in use, on the table `alias` (a project, or
/// the kept counts, which have the same three columns).
fn push_counted_conditions(
    q: &mut QueryBuilder<'static, Postgres>,
    filter: &ListFilter,
    alias: &str,
) {
    if let Some(board) = filter.board {
        q.push(format!(" AND {alias}.board_id = ")).push_bind(board);
    }
    if let Some(status) = filter.status {
        q.push(format!(" AND {alias}.status = "))
            .push_bind(status.code());
    }
    if let Some(plan) = filter.plan {
        q.push(format!(" AND {alias}.plan = "))
            .push_bind(plan.code());
    }
}

/// ` AND …` for each filter in use, on a `project p`.
fn push_conditions(
    q: &mut QueryBuilder<'static, Postgres>,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) {
    if let Some(municipality) = filter.municipality {
        q.push(" AND EXISTS (SELECT 1 FROM project_municipality x WHERE x.project_id = p.id AND x.municipality_id = ");
        q.push_bind(municipality).push(")");
    }
    push_counted_conditions(q, filter, "p");
    if let Some(year) = filter.year {
        // Active some time during the year: started (actually, else as planned) by its end and
        // not ended (actually, else as planned, or when it started if that was later) before
        // its start. Comparisons, not a daterange, so a start after the planned end is fine.
        q.push(" AND coalesce(p.actual_start, p.planned_start, p.actual_end, p.planned_end) IS NOT NULL");
        q.push(" AND coalesce(p.actual_start, p.planned_start, '-infinity'::date) <= make_date(");
        q.push_bind(year).push(", 12, 31)");
        q.push(
            " AND coalesce(p.actual_end, greatest(p.planned_end, p.actual_start), 'infinity'::date) \
             >= make_date(",
        );
        q.push_bind(year).push(", 1, 1)");
    }
    if let Some(search) = &filter.search {
        let pattern = crate::web::list::contains_pattern(search);
        q.push(" AND (p.name ILIKE ").push_bind(pattern.clone());
        q.push(" OR p.case_number ILIKE ")
            .push_bind(pattern.clone());
        q.push(" OR p.project_number ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(visible) = visible {
        q.push(" AND EXISTS (SELECT 1 FROM project_municipality v WHERE v.project_id = p.id AND v.municipality_id = ANY(");
        q.push_bind(visible.to_vec()).push("))");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_orders_are_the_enums() {
        let codes = |sql: &'static str| sql.split('\'').skip(1).step_by(2).collect::<Vec<_>>();
        assert_eq!(codes(STATUS_ORDER), Status::ALL.map(Status::code));
        assert_eq!(codes(PLAN_ORDER), Plan::ALL.map(Plan::code));
    }
}
