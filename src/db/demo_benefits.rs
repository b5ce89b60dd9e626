//! Demo benefits, fund and auditors' material, loaded from `fixtures/demo/benefits.json`
//! (embedded in the binary): each municipality's hourly cost, Huddinge's council goals (seed
//! 004), its digitalisation fund for 2020 and 2021 with the four directions and a handful of
//! applications (some followed up, some not), and benefit calculations on two of the seed 002
//! portfolio items. The applications, amounts and benefits are the demo's own: seed 004 gives
//! the fund's size and directions, not its grants.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    admin::municipalities::repo as municipalities,
    benefits::{
        register::repo::{self as register, FollowUp, NewMeasurement},
        repo::{self as calculations, NewLine, Settings, Subject},
    },
    council_goals::repo as council_goals,
    domain::{
        benefit::register::{KindCode, Status},
        fund::ApplicationStatus,
    },
    fund::repo::{self as fund, NewApplication},
};

const FIXTURE: &str = include_str!("../../fixtures/demo/benefits.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    hourly_costs: Vec<HourlyCost>,
    council_goals: Vec<Goal>,
    directions: Vec<Direction>,
    funds: Vec<Fund>,
    applications: Vec<Application>,
    item_calculations: Vec<ItemCalculation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HourlyCost {
    municipality: String,
    cost: Decimal,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Goal {
    municipality: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Direction {
    municipality: String,
    name: String,
    goals: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fund {
    municipality: String,
    year: i32,
    amount: Decimal,
}

/// An application to Huddinge's fund.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Application {
    year: i32,
    title: String,
    department: String,
    direction: String,
    goals: Vec<String>,
    amount_applied: Decimal,
    grant: Option<Decimal>,
    refuse: Option<String>,
    decided_on: Option<NaiveDate>,
    decided_by: Option<String>,
    follow_ups: Vec<GrantFollowUp>,
    calculation: Option<Calculation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantFollowUp {
    on: NaiveDate,
    spent: Option<Decimal>,
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemCalculation {
    item: String,
    calculation: Calculation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Calculation {
    first_year: i32,
    horizon: i32,
    rate: Decimal,
    start: i32,
    investment: Decimal,
    running: Decimal,
    internal_hours: Decimal,
    stakeholders: Vec<String>,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    stakeholder: String,
    description: String,
    kind: String,
    amount: Option<Decimal>,
    rating: Option<i16>,
    reason: String,
    owner: Option<String>,
    indicator: String,
    baseline: Option<Decimal>,
    measurements: Vec<Measured>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Measured {
    on: NaiveDate,
    value: Decimal,
    comment: String,
}

fn bad(what: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo benefits: {what}"))
}

async fn municipality(conn: &mut PgConnection, name: &str) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM municipality WHERE name = $1", name)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| bad(format!("no municipality {name}")))
}

async fn user(conn: &mut PgConnection, email: &str) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM app_user WHERE email = $1", email)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| bad(format!("no user {email}")))
}

async fn goal_ids(conn: &mut PgConnection, titles: &[String]) -> Result<Vec<Uuid>, sqlx::Error> {
    let ids = sqlx::query_scalar!("SELECT id FROM council_goal WHERE title = ANY($1)", titles)
        .fetch_all(conn)
        .await?;
    if ids.len() == titles.len() {
        Ok(ids)
    } else {
        Err(bad(format!("unknown council goal among {titles:?}")))
    }
}

pub async fn load(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let fixture: Fixture =
        serde_json::from_str(FIXTURE).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    for h in &fixture.hourly_costs {
        let id = municipality(conn, &h.municipality).await?;
        municipalities::update(conn, id, (Some(h.cost), &h.source)).await?;
    }
    for g in &fixture.council_goals {
        let id = municipality(conn, &g.municipality).await?;
        council_goals::insert(conn, id, &g.title).await?;
    }
    let mut directions = Vec::new();
    for d in &fixture.directions {
        let m = municipality(conn, &d.municipality).await?;
        let goals = goal_ids(conn, &d.goals).await?;
        directions.push((
            d.name.clone(),
            fund::insert_direction(conn, m, &d.name, &goals).await?,
        ));
    }
    let mut funds = Vec::new();
    for f in &fixture.funds {
        let m = municipality(conn, &f.municipality).await?;
        funds.push((f.year, fund::insert_fund(conn, m, f.year, f.amount).await?));
    }
    let controller = user(conn, "controller@demo.portfolj.se").await?;
    for a in &fixture.applications {
        let fund_id = funds.iter().find(|(y, _)| *y == a.year).map(|(_, id)| *id);
        let direction = directions
            .iter()
            .find(|(n, _)| *n == a.direction)
            .map(|(_, id)| *id);
        let (Some(fund_id), Some(direction_id)) = (fund_id, direction) else {
            return Err(bad(format!("no fund or direction for {}", a.title)));
        };
        let input = NewApplication {
            direction_id,
            title: a.title.clone(),
            department: a.department.clone(),
            description: String::new(),
            amount_applied: a.amount_applied,
            project_id: None,
            goals: goal_ids(conn, &a.goals).await?,
        };
        let id = fund::insert_application(conn, fund_id, &input).await?;
        if let Some(c) = &a.calculation {
            calculation(conn, Subject::Application(id), c).await?;
        }
        decide(conn, id, a).await?;
        for f in &a.follow_ups {
            fund::insert_follow_up(conn, id, (f.on, f.spent, &f.comment), controller).await?;
        }
    }
    for ic in &fixture.item_calculations {
        let item = sqlx::query_scalar!("SELECT id FROM portfolio_item WHERE title = $1", ic.item)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| bad(format!("no item {}", ic.item)))?;
        calculation(conn, Subject::Item(item), &ic.calculation).await?;
    }
    Ok(())
}

/// Records the application's decision, freezing its calculation when granted.
async fn decide(conn: &mut PgConnection, id: Uuid, a: &Application) -> Result<(), sqlx::Error> {
    let (Some(on), Some(by)) = (a.decided_on, a.decided_by.as_deref()) else {
        return Ok(());
    };
    let (status, reason) = match (&a.grant, &a.refuse) {
        (Some(_), _) => (ApplicationStatus::Granted, ""),
        (None, Some(r)) => (ApplicationStatus::Refused, r.as_str()),
        (None, None) => {
            return Err(bad(format!(
                "{} is decided but neither granted nor refused",
                a.title
            )));
        }
    };
    fund::decide(conn, (id, 1), (status, a.grant, reason), (on, by)).await?;
    if let Some(calc) = calculations::of_subject(conn, Subject::Application(id)).await? {
        let stored = calculations::find(conn, calc, true)
            .await?
            .ok_or_else(|| bad("calculation gone"))?;
        let grant = a.grant.unwrap_or_default();
        let decision = format!(
            "Beviljad {} kr av {by} {on}",
            crate::domain::money::Money::from_stored(grant).format_kr()
        );
        calculations::freeze(conn, &stored, &decision, "Demodata").await?;
    }
    Ok(())
}

/// Stores a calculation of `subject` with its stakeholders, benefits, owners and measurements;
/// the hourly cost is the municipality's, as a new calculation's form proposes it.
async fn calculation(
    conn: &mut PgConnection,
    subject: Subject,
    c: &Calculation,
) -> Result<(), sqlx::Error> {
    // An application is its municipality's; an item that names none is IT-center's, in Ludvika.
    let owner_municipality = match subject {
        Subject::Application(a) => fund::application(conn, a, false)
            .await?
            .map(|a| vec![a.municipality_id])
            .unwrap_or_default(),
        _ => vec![municipality(conn, "Ludvika").await?],
    };
    let (hourly_cost, hourly_cost_source) =
        calculations::default_hourly_cost(conn, &owner_municipality)
            .await?
            .unwrap_or((Decimal::from(500), String::new()));
    let settings = Settings {
        first_year: c.first_year,
        horizon: c.horizon,
        discount_rate: c.rate,
        benefit_start: c.start,
        hourly_cost,
        hourly_cost_source,
        investment: c.investment,
        running_per_year: c.running,
        internal_hours: c.internal_hours,
    };
    let id = calculations::insert(conn, subject, &settings).await?;
    let mut stakeholders = Vec::new();
    for name in &c.stakeholders {
        stakeholders.push((
            name.clone(),
            calculations::insert_stakeholder(conn, id, name).await?,
        ));
    }
    for l in &c.lines {
        let stakeholder_id = stakeholders
            .iter()
            .find(|(n, _)| *n == l.stakeholder)
            .map(|(_, id)| *id)
            .ok_or_else(|| bad(format!("no stakeholder {}", l.stakeholder)))?;
        let kind = KindCode::from_code(&l.kind).ok_or_else(|| bad(&l.kind))?;
        let line = NewLine {
            stakeholder_id,
            description: l.description.clone(),
            kind,
            amount: l.amount,
            rating: l.rating,
            rating_reason: l.reason.clone(),
        };
        let benefit = calculations::insert_line(conn, id, &line).await?;
        let owner = match &l.owner {
            Some(email) => Some(user(conn, email).await?),
            None => None,
        };
        let status = if l.measurements.is_empty() {
            Status::Planned
        } else {
            Status::BeingRealised
        };
        let follow_up = FollowUp {
            owner,
            indicator: l.indicator.clone(),
            baseline: l.baseline,
            status,
            status_reason: String::new(),
        };
        register::update(conn, benefit, 1, &follow_up).await?;
        for m in &l.measurements {
            let measured = NewMeasurement {
                measured_on: m.on,
                value: m.value,
                comment: m.comment.clone(),
            };
            let by = owner.unwrap_or(user(conn, "itcenter@demo.portfolj.se").await?);
            register::insert_measurement(conn, benefit, &measured, by).await?;
        }
    }
    Ok(())
}
