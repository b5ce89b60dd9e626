//! Every statement of the period follow-up. A board's report at an occasion is read in six
//! statements whatever the number of activities, projects and months: the header, the
//! activities' figures, the projects' figures, the action plan, the members' key and the
//! implementation rate per year.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::{
    db::{Built, MapRow},
    domain::follow_up::{
        FollowUpStatus,
        action_plan::{DecidedBy, Measure, Stage},
        written::{Shown, Written},
    },
    follow_up::plan::repo::stored_measure,
};

/// An occasion of a year: "Tillfälle 2, januari–augusti 2022".
#[derive(Debug, Clone)]
pub struct Occasion {
    pub id: Uuid,
    pub year: i32,
    pub number: i32,
    pub through_month: i32,
    pub deadline: NaiveDate,
}

impl Occasion {
    /// The first day of the year.
    pub fn start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or_default()
    }

    /// The first day of the period's last month: outcome months up to and including it count.
    pub fn last_month(&self) -> NaiveDate {
        let month = u32::try_from(self.through_month.clamp(1, 12)).unwrap_or(12);
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or_default()
    }

    /// The first day of the next year.
    pub fn end(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year + 1, 1, 1).unwrap_or_default()
    }

    pub fn through(&self) -> u32 {
        u32::try_from(self.through_month.clamp(1, 12)).unwrap_or(12)
    }

    /// The year-end occasion (through December), where unspent appropriation is proposed for
    /// carry-over.
    pub fn is_year_end(&self) -> bool {
        self.through() == 12
    }
}

/// A board's report at an occasion, or its absence (not started).
#[derive(Debug, Clone)]
pub struct Header {
    pub board_id: Uuid,
    pub board: String,
    pub municipality: String,
    pub occasion: Occasion,
    pub follow_up_id: Option<Uuid>,
    pub status: Option<FollowUpStatus>,
    pub reporting_unit: String,
    pub summary_text: String,
    pub operating_text: String,
    pub investment_text: String,
    pub attachments_dated: Option<NaiveDate>,
    pub decision_body: Option<String>,
    pub decision_paragraph: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub version: i32,
    /// A decided report's frozen figures (JSON), read instead of the rows.
    pub snapshot: Option<String>,
    /// The report's diarienummer, once registered.
    pub diary_number: Option<String>,
    /// The newest version of the officials' text, with the figures it was written against.
    pub written: Option<Written>,
}

pub async fn header(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion_id: Uuid,
) -> Result<Option<Header>, sqlx::Error> {
    header_query(board_id, occasion_id)
        .fetch_optional(conn)
        .await
}

/// The statement of [`header`], replayed by `page-sql` ([`crate::db::Built`]).
pub fn header_query(board_id: Uuid, occasion_id: Uuid) -> Built<impl MapRow<Header>> {
    sqlx::query!(
        r#"SELECT b.id AS board_id, b.name AS board, m.name AS municipality,
                  o.id AS occasion_id, o.year, o.number, o.through_month, o.deadline,
                  f.id AS "follow_up_id?", f.status AS "status?: FollowUpStatus",
                  f.reporting_unit AS "reporting_unit?", f.summary_text AS "summary_text?",
                  f.operating_text AS "operating_text?", f.investment_text AS "investment_text?",
                  f.attachments_dated, f.decision_body, f.decision_paragraph, f.decided_on,
                  f.version AS "version?", f.decided_snapshot::text AS snapshot,
                  f.diary_number, w.number AS "written_number?",
                  w.figures AS "written_figures?: Json<Shown>",
                  w.created_at AS "written_at?", w.saved_by AS "written_by?"
           FROM board b
           JOIN municipality m ON m.id = b.municipality_id
           CROSS JOIN follow_up_occasion o
           LEFT JOIN follow_up f ON f.board_id = b.id AND f.occasion_id = o.id
           LEFT JOIN LATERAL (
               SELECT v.number, v.figures, v.created_at, u.display_name AS saved_by
               FROM follow_up_text_version v
               LEFT JOIN app_user u ON u.id = v.created_by
               WHERE v.follow_up_id = f.id
               ORDER BY v.number DESC
               LIMIT 1) w ON true
           WHERE b.id = $1 AND o.id = $2"#,
        board_id,
        occasion_id
    )
    .map(|r| Header {
        board_id: r.board_id,
        board: r.board,
        municipality: r.municipality,
        occasion: Occasion {
            id: r.occasion_id,
            year: r.year,
            number: r.number,
            through_month: r.through_month,
            deadline: r.deadline,
        },
        follow_up_id: r.follow_up_id,
        status: r.status,
        reporting_unit: r.reporting_unit.unwrap_or_default(),
        summary_text: r.summary_text.unwrap_or_default(),
        operating_text: r.operating_text.unwrap_or_default(),
        investment_text: r.investment_text.unwrap_or_default(),
        attachments_dated: r.attachments_dated,
        decision_body: r.decision_body,
        decision_paragraph: r.decision_paragraph,
        decided_on: r.decided_on,
        version: r.version.unwrap_or(0),
        snapshot: r.snapshot,
        diary_number: r.diary_number,
        written: match (r.written_number, r.written_figures, r.written_at) {
            (Some(number), Some(Json(figures)), Some(saved_at)) => Some(Written {
                number,
                figures,
                saved_at,
                saved_by: r.written_by,
            }),
            _ => None,
        },
    })
}

/// An activity's budget, outcome and forecast at an occasion, exact.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub code: String,
    pub name: String,
    pub period_revenue_budget: Decimal,
    pub period_cost_budget: Decimal,
    pub year_revenue_budget: Decimal,
    pub year_cost_budget: Decimal,
    pub revenue_outcome: Decimal,
    pub cost_outcome: Decimal,
    pub forecast_revenue: Option<Decimal>,
    pub forecast_costs: Option<Decimal>,
    pub comment: String,
}

pub async fn activities(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion: &Occasion,
    follow_up_id: Option<Uuid>,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    activities_query(board_id, occasion, follow_up_id)
        .fetch_all(conn)
        .await
}

/// The statement of [`activities`], replayed by `page-sql`.
pub fn activities_query(
    board_id: Uuid,
    occasion: &Occasion,
    follow_up_id: Option<Uuid>,
) -> Built<impl MapRow<ActivityRow>> {
    sqlx::query_as!(
        ActivityRow,
        r#"SELECT a.code, a.name,
                  coalesce(b.period_revenue, 0) AS "period_revenue_budget!",
                  coalesce(b.period_costs, 0) AS "period_cost_budget!",
                  coalesce(b.year_revenue, 0) AS "year_revenue_budget!",
                  coalesce(b.year_costs, 0) AS "year_cost_budget!",
                  coalesce(o.revenue, 0) AS "revenue_outcome!",
                  coalesce(o.costs, 0) AS "cost_outcome!",
                  f.revenue AS "forecast_revenue?", f.costs AS "forecast_costs?",
                  coalesce(f.comment, '') AS "comment!"
           FROM activity a
           LEFT JOIN LATERAL (
               SELECT sum(revenue) FILTER (WHERE month <= $3) AS period_revenue,
                      sum(costs) FILTER (WHERE month <= $3) AS period_costs,
                      sum(revenue) AS year_revenue, sum(costs) AS year_costs
               FROM operating_budget
               WHERE activity_id = a.id AND month >= $2 AND month < $4) b ON true
           LEFT JOIN LATERAL (
               SELECT sum(revenue) AS revenue, sum(costs) AS costs
               FROM operating_outcome
               WHERE activity_id = a.id AND month >= $2 AND month <= $3) o ON true
           LEFT JOIN activity_forecast f ON f.activity_id = a.id AND f.follow_up_id = $5
           WHERE a.board_id = $1
             AND (a.active OR b.year_revenue IS NOT NULL OR b.year_costs IS NOT NULL
                  OR o.revenue IS NOT NULL)
           ORDER BY a.code"#,
        board_id,
        occasion.start(),
        occasion.last_month(),
        occasion.end(),
        follow_up_id
    )
}

/// A project's appropriation, outcome and forecast for the occasion's year, exact.
#[derive(Debug, Clone)]
pub struct ProjectRow {
    pub id: Uuid,
    pub name: String,
    pub project_number: Option<String>,
    pub annual_budget: Decimal,
    pub extra_granted: Decimal,
    pub carried_over: Decimal,
    pub outcome: Decimal,
    pub forecast: Option<Decimal>,
    pub comment: String,
    /// The carry-over proposed from this year to the next (at the year-end occasion).
    pub proposed: Option<Decimal>,
}

/// The board's projects with an appropriation in the occasion's year: their own annual budget,
/// or a decided carry-over into it. The period's outcome is the year's up to and including its
/// last month, one kept row per project (`project_month_outcome`, kept by triggers).
pub async fn projects(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion: &Occasion,
    follow_up_id: Option<Uuid>,
) -> Result<Vec<ProjectRow>, sqlx::Error> {
    projects_query(board_id, occasion, follow_up_id)
        .fetch_all(conn)
        .await
}

/// The statement of [`projects`], replayed by `page-sql`.
pub fn projects_query(
    board_id: Uuid,
    occasion: &Occasion,
    follow_up_id: Option<Uuid>,
) -> Built<impl MapRow<ProjectRow>> {
    sqlx::query_as!(
        ProjectRow,
        r#"SELECT p.id, p.name, p.project_number,
                  coalesce(y.annual_budget, 0) AS "annual_budget!",
                  coalesce(y.extra_granted, 0) AS "extra_granted!",
                  coalesce(c.amount, 0) AS "carried_over!",
                  coalesce(k.year_to_date, 0) AS "outcome!",
                  f.forecast AS "forecast?", coalesce(f.comment, '') AS "comment!",
                  n.amount AS "proposed?"
           FROM project p
           LEFT JOIN project_year y ON y.project_id = p.id AND y.year = $2
           LEFT JOIN carry_over c ON c.project_id = p.id AND c.from_year = $2 - 1 AND c.decided
           LEFT JOIN project_forecast f ON f.project_id = p.id AND f.follow_up_id = $4
           LEFT JOIN carry_over n ON n.project_id = p.id AND n.from_year = $2
           LEFT JOIN project_month_outcome k ON k.project_id = p.id AND k.month = $3
           WHERE p.board_id = $1 AND (y.project_id IS NOT NULL OR c.project_id IS NOT NULL)
           ORDER BY p.project_number NULLS LAST, p.name COLLATE sv"#,
        board_id,
        occasion.year,
        occasion.last_month(),
        follow_up_id
    )
}

pub async fn measures(
    conn: &mut PgConnection,
    follow_up_id: Option<Uuid>,
) -> Result<Vec<Measure>, sqlx::Error> {
    measures_query(follow_up_id).fetch_all(conn).await
}

/// The statement of [`measures`], replayed by `page-sql`.
pub fn measures_query(follow_up_id: Option<Uuid>) -> Built<impl MapRow<Measure>> {
    sqlx::query!(
        r#"SELECT group_number, number, activity, description, goal,
                  decided_by AS "decided_by: DecidedBy", decided_on, stage AS "stage: Stage",
                  go_live, effect_period, effect_forecast, in_forecast,
                  approved_at IS NOT NULL AS "approved!"
           FROM action_measure WHERE follow_up_id = $1
           ORDER BY group_number, number"#,
        follow_up_id
    )
    .map(|r| stored_measure!(r))
}

/// The board's allocation key for a year: (municipality, percent), by name.
pub async fn member_key(
    conn: &mut PgConnection,
    board_id: Uuid,
    year: i32,
) -> Result<Vec<(String, Decimal)>, sqlx::Error> {
    member_key_query(board_id, year).fetch_all(conn).await
}

/// The statement of [`member_key`], replayed by `page-sql`.
pub fn member_key_query(board_id: Uuid, year: i32) -> Built<impl MapRow<(String, Decimal)>> {
    sqlx::query!(
        r#"SELECT m.name, k.percent FROM member_key k
           JOIN municipality m ON m.id = k.municipality_id
           WHERE k.board_id = $1 AND k.year = $2
           ORDER BY m.name COLLATE sv"#,
        board_id,
        year
    )
    .map(|r| (r.name, r.percent))
}

/// A year's total appropriation and investment outcome of the board, for the implementation
/// rate.
#[derive(Debug, Clone)]
pub struct YearRow {
    pub year: i32,
    pub appropriation: Decimal,
    pub outcome: Decimal,
}

/// Every year up to `through_year` in which the board's projects had an appropriation.
pub async fn years(
    conn: &mut PgConnection,
    board_id: Uuid,
    through_year: i32,
) -> Result<Vec<YearRow>, sqlx::Error> {
    years_query(board_id, through_year).fetch_all(conn).await
}

/// The statement of [`years`], replayed by `page-sql`.
pub fn years_query(board_id: Uuid, through_year: i32) -> Built<impl MapRow<YearRow>> {
    sqlx::query_as!(
        YearRow,
        // Kept per board and year by deferred triggers (migration 20261203000050), instead of
        // summing every project-year, carry-over and December outcome row of the board's
        // projects on each request.
        r#"SELECT year, appropriation, outcome
           FROM board_year_investment
           WHERE board_id = $1 AND year <= $2 AND granted
           ORDER BY year"#,
        board_id,
        through_year
    )
}

/// An occasion with every board's status, for the overview.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub occasion_id: Uuid,
    pub board_id: Uuid,
    pub board: String,
    pub municipality: String,
    pub status: Option<FollowUpStatus>,
}

/// The occasions of a year.
pub async fn occasions(conn: &mut PgConnection, year: i32) -> Result<Vec<Occasion>, sqlx::Error> {
    sqlx::query_as!(
        Occasion,
        "SELECT id, year, number, through_month, deadline FROM follow_up_occasion \
         WHERE year = $1 ORDER BY number",
        year
    )
    .fetch_all(conn)
    .await
}

/// The occasion whose deadline is next (today or later), else the one that was due last.
pub async fn next_occasion(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<Option<Occasion>, sqlx::Error> {
    sqlx::query_as!(
        Occasion,
        "SELECT id, year, number, through_month, deadline FROM follow_up_occasion \
         ORDER BY deadline < $1, CASE WHEN deadline >= $1 THEN deadline END, deadline DESC \
         LIMIT 1",
        today
    )
    .fetch_optional(conn)
    .await
}

/// The years that have occasions, newest first.
pub async fn occasion_years(conn: &mut PgConnection) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar!("SELECT DISTINCT year FROM follow_up_occasion ORDER BY year DESC")
        .fetch_all(conn)
        .await
}

/// Every board that reports (it has activities or projects) with its status at each occasion of
/// the year; `boards` limits it to some (a secretary's).
pub async fn statuses(
    conn: &mut PgConnection,
    year: i32,
    boards: Option<&[Uuid]>,
) -> Result<Vec<StatusRow>, sqlx::Error> {
    sqlx::query_as!(
        StatusRow,
        r#"SELECT o.id AS occasion_id, b.id AS board_id, b.name AS board, m.name AS municipality,
                  f.status AS "status?: FollowUpStatus"
           FROM follow_up_occasion o
           CROSS JOIN board b
           JOIN municipality m ON m.id = b.municipality_id
           LEFT JOIN follow_up f ON f.board_id = b.id AND f.occasion_id = o.id
           WHERE o.year = $1
             AND ($2::uuid[] IS NULL OR b.id = ANY($2))
             AND (EXISTS (SELECT 1 FROM activity a WHERE a.board_id = b.id)
                  OR EXISTS (SELECT 1 FROM project p WHERE p.board_id = b.id))
           ORDER BY o.number, m.name COLLATE sv, b.name COLLATE sv"#,
        year,
        boards
    )
    .fetch_all(conn)
    .await
}

/// The board's report at the occasion, locked for a save; created (in progress) when the board
/// had not started. Returns its id, version and status, and whether it was created now.
pub async fn lock_or_create(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion_id: Uuid,
) -> Result<(Uuid, i32, FollowUpStatus, bool), sqlx::Error> {
    let created = sqlx::query!(
        "INSERT INTO follow_up (id, board_id, occasion_id) VALUES ($1, $2, $3) \
         ON CONFLICT (board_id, occasion_id) DO NOTHING",
        Uuid::now_v7(),
        board_id,
        occasion_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    let row = sqlx::query!(
        r#"SELECT id, version, status AS "status: FollowUpStatus" FROM follow_up
           WHERE board_id = $1 AND occasion_id = $2 FOR UPDATE"#,
        board_id,
        occasion_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.id, row.version, row.status, created))
}

/// Sets (or with `None` removes) an activity's forecast at the report.
pub async fn set_activity_forecast(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
    board_id: Uuid,
    code: &str,
    forecast: Option<(Decimal, Decimal)>,
    comment: &str,
) -> Result<(), sqlx::Error> {
    match forecast {
        Some((revenue, costs)) => sqlx::query!(
            "INSERT INTO activity_forecast (follow_up_id, activity_id, revenue, costs, comment) \
             SELECT $1, id, $4, $5, $6 FROM activity WHERE board_id = $2 AND code = $3 \
             ON CONFLICT (follow_up_id, activity_id) \
             DO UPDATE SET revenue = EXCLUDED.revenue, costs = EXCLUDED.costs, \
                           comment = EXCLUDED.comment",
            follow_up_id,
            board_id,
            code,
            revenue,
            costs,
            comment
        )
        .execute(conn)
        .await
        .map(|_| ()),
        None => sqlx::query!(
            "DELETE FROM activity_forecast WHERE follow_up_id = $1 AND activity_id = \
             (SELECT id FROM activity WHERE board_id = $2 AND code = $3)",
            follow_up_id,
            board_id,
            code
        )
        .execute(conn)
        .await
        .map(|_| ()),
    }
}

/// Sets (or with `None` removes) a project's forecast at the report.
pub async fn set_project_forecast(
    conn: &mut PgConnection,
    follow_up_id: Uuid,
    project_id: Uuid,
    forecast: Option<Decimal>,
    comment: &str,
) -> Result<(), sqlx::Error> {
    match forecast {
        Some(forecast) => sqlx::query!(
            "INSERT INTO project_forecast (follow_up_id, project_id, forecast, comment) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (follow_up_id, project_id) \
             DO UPDATE SET forecast = EXCLUDED.forecast, comment = EXCLUDED.comment",
            follow_up_id,
            project_id,
            forecast,
            comment
        )
        .execute(conn)
        .await
        .map(|_| ()),
        None => sqlx::query!(
            "DELETE FROM project_forecast WHERE follow_up_id = $1 AND project_id = $2",
            follow_up_id,
            project_id
        )
        .execute(conn)
        .await
        .map(|_| ()),
    }
}
