//! Demo period follow-up, loaded from `fixtures/demo/follow_up.json` (embedded in the binary):
//! Gemensamma servicenämnden's report for January–August 2022 (seed 002) in exact kronor whose
//! displayed figures are the seed's, and the occasions of 2022 and of the current demo year.
//!
//! The fixture, in the order it is inserted:
//! - `occasions`: per year, number, last month of the period and deadline; the same for all
//!   boards.
//! - `activities` of the board (`"<board>, <municipality>"`): code, name, the operating budget
//!   per month (revenue and costs) and the outcome per month, in kronor as decimal strings, and
//!   its keys to the ledger (responsibility centre and account range), which the demo ledger
//!   file `docs/examples/demo-huvudbok.se` uses.
//! - `member_keys`: the board's allocation key per year (the seed does not give Ludvika's and
//!   Smedjebacken's shares; 70/30 is the demo projects' own key).
//! - `project_years` and `carry_overs`: each project's (by project number) annual budget, extra
//!   grants and decided carry-over, so 4,9 + 7,7 = 12,6 is traceable.
//! - `report`: the board's report at one occasion with its forecasts, comments and action plan.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::{budget::OutcomeSource, follow_up::FollowUpStatus};

const FIXTURE: &str = include_str!("../../fixtures/demo/follow_up.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    board: String,
    occasions: Vec<Occasion>,
    activities: Vec<Activity>,
    member_keys: Vec<MemberKey>,
    project_years: Vec<ProjectYear>,
    carry_overs: Vec<CarryOver>,
    report: Report,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Occasion {
    year: i32,
    number: i32,
    through_month: i32,
    deadline: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Activity {
    code: String,
    name: String,
    keys: Vec<Key>,
    budget: Vec<Month>,
    outcome: Vec<Month>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    cost_centre: Option<String>,
    account_from: Option<String>,
    account_to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Month {
    /// `YYYY-MM`
    month: String,
    #[serde(with = "rust_decimal::serde::str")]
    revenue: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    costs: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberKey {
    year: i32,
    municipality: String,
    #[serde(with = "rust_decimal::serde::str")]
    percent: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectYear {
    project: String,
    year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    annual_budget: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    extra_granted: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CarryOver {
    project: String,
    from_year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    amount: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    year: i32,
    occasion: i32,
    status: FollowUpStatus,
    reporting_unit: String,
    attachments_dated: NaiveDate,
    summary_text: String,
    operating_text: String,
    investment_text: String,
    activity_forecasts: Vec<ActivityForecast>,
    project_forecasts: Vec<ProjectForecast>,
    measures: Vec<Measure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityForecast {
    activity: String,
    #[serde(with = "rust_decimal::serde::str")]
    revenue: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    costs: Decimal,
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectForecast {
    project: String,
    #[serde(with = "rust_decimal::serde::str")]
    forecast: Decimal,
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Measure {
    group: i32,
    number: i32,
    activity: String,
    description: String,
    #[serde(with = "rust_decimal::serde::str")]
    effect_period: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    effect_forecast: Decimal,
    in_forecast: bool,
    approved: bool,
}

fn month(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|e| sqlx::Error::Protocol(format!("demo follow-up month {text}: {e}")))
}

pub async fn load(tx: &mut PgConnection) -> Result<(), sqlx::Error> {
    let fixture: Fixture = serde_json::from_str(FIXTURE)
        .map_err(|e| sqlx::Error::Protocol(format!("fixtures/demo/follow_up.json: {e}")))?;
    let board_id = sqlx::query_scalar!(
        "SELECT b.id FROM board b JOIN municipality m ON m.id = b.municipality_id \
         WHERE b.name || ', ' || m.name = $1",
        fixture.board
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut occasions = Vec::new();
    for o in &fixture.occasions {
        let id = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO follow_up_occasion (id, year, number, through_month, deadline) \
             VALUES ($1, $2, $3, $4, $5)",
            id,
            o.year,
            o.number,
            o.through_month,
            o.deadline
        )
        .execute(&mut *tx)
        .await?;
        occasions.push((o.year, o.number, id));
    }
    for a in &fixture.activities {
        load_activity(tx, board_id, a).await?;
    }
    for k in &fixture.member_keys {
        sqlx::query!(
            "INSERT INTO member_key (board_id, year, municipality_id, percent) \
             SELECT $1, $2, id, $4 FROM municipality WHERE name = $3",
            board_id,
            k.year,
            k.municipality,
            k.percent
        )
        .execute(&mut *tx)
        .await?;
    }
    for y in &fixture.project_years {
        sqlx::query!(
            "INSERT INTO project_year (project_id, year, annual_budget, extra_granted) \
             SELECT id, $2, $3, $4 FROM project WHERE project_number = $1",
            y.project,
            y.year,
            y.annual_budget,
            y.extra_granted
        )
        .execute(&mut *tx)
        .await?;
    }
    for c in &fixture.carry_overs {
        sqlx::query!(
            "INSERT INTO carry_over (project_id, from_year, amount, decided) \
             SELECT id, $2, $3, true FROM project WHERE project_number = $1",
            c.project,
            c.from_year,
            c.amount
        )
        .execute(&mut *tx)
        .await?;
    }
    let r = &fixture.report;
    let occasion = occasions
        .iter()
        .find(|(year, number, _)| *year == r.year && *number == r.occasion)
        .map(|(_, _, id)| *id)
        .ok_or_else(|| sqlx::Error::Protocol("demo report names no occasion".into()))?;
    load_report(tx, board_id, occasion, r).await
}

async fn load_activity(
    tx: &mut PgConnection,
    board_id: Uuid,
    a: &Activity,
) -> Result<(), sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO activity (id, board_id, code, name) VALUES ($1, $2, $3, $4)",
        id,
        board_id,
        a.code,
        a.name
    )
    .execute(&mut *tx)
    .await?;
    for k in &a.keys {
        sqlx::query!(
            "INSERT INTO operating_key (id, activity_id, cost_centre, account_from, account_to) \
             VALUES ($1, $2, $3, $4, $5)",
            Uuid::now_v7(),
            id,
            k.cost_centre,
            k.account_from,
            k.account_to
        )
        .execute(&mut *tx)
        .await?;
    }
    for m in &a.budget {
        sqlx::query!(
            "INSERT INTO operating_budget (activity_id, month, revenue, costs) VALUES ($1, $2, $3, $4)",
            id,
            month(&m.month)?,
            m.revenue,
            m.costs
        )
        .execute(&mut *tx)
        .await?;
    }
    for m in &a.outcome {
        sqlx::query!(
            "INSERT INTO operating_outcome (activity_id, month, revenue, costs, source) \
             VALUES ($1, $2, $3, $4, $5)",
            id,
            month(&m.month)?,
            m.revenue,
            m.costs,
            OutcomeSource::Import.code()
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

async fn load_report(
    tx: &mut PgConnection,
    board_id: Uuid,
    occasion: Uuid,
    r: &Report,
) -> Result<(), sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO follow_up (id, board_id, occasion_id, status, reporting_unit, summary_text, \
                                operating_text, investment_text, attachments_dated) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        board_id,
        occasion,
        r.status.code(),
        r.reporting_unit,
        r.summary_text,
        r.operating_text,
        r.investment_text,
        r.attachments_dated
    )
    .execute(&mut *tx)
    .await?;
    for f in &r.activity_forecasts {
        sqlx::query!(
            "INSERT INTO activity_forecast (follow_up_id, activity_id, revenue, costs, comment) \
             SELECT $1, id, $4, $5, $6 FROM activity WHERE board_id = $2 AND code = $3",
            id,
            board_id,
            f.activity,
            f.revenue,
            f.costs,
            f.comment
        )
        .execute(&mut *tx)
        .await?;
    }
    for f in &r.project_forecasts {
        sqlx::query!(
            "INSERT INTO project_forecast (follow_up_id, project_id, forecast, comment) \
             SELECT $1, id, $3, $4 FROM project WHERE project_number = $2",
            id,
            f.project,
            f.forecast,
            f.comment
        )
        .execute(&mut *tx)
        .await?;
    }
    for m in &r.measures {
        sqlx::query!(
            "INSERT INTO action_measure (id, follow_up_id, group_number, number, activity, \
                                         description, effect_period, effect_forecast, in_forecast, \
                                         approved_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10 THEN now() END)",
            Uuid::now_v7(),
            id,
            m.group,
            m.number,
            m.activity,
            m.description,
            m.effect_period,
            m.effect_forecast,
            m.in_forecast,
            m.approved
        )
        .execute(&mut *tx)
        .await?;
    }
    // The demo's text is version 1, written against the figures as loaded.
    let written = crate::follow_up::report::load(&mut *tx, board_id, occasion)
        .await?
        .ok_or_else(|| sqlx::Error::Protocol("demo report not found".into()))?;
    crate::follow_up::texts::record_version(tx, id, &written, None, None).await
}
