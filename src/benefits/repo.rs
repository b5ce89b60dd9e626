//! SQL for benefit calculations: the calculation of a project or an item with its stakeholders
//! and benefit lines, their writes, and the versions decisions froze.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::domain::benefit::{
    Costs, Inputs, Kind, Line,
    register::{KindCode, Schedule},
};

/// What a calculation is about: a portfolio item, a project or an application to the fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Project(Uuid),
    Item(Uuid),
    Application(Uuid),
}

impl Subject {
    /// The subject of the one id a calculation row has.
    pub fn of(
        project: Option<Uuid>,
        item: Option<Uuid>,
        application: Option<Uuid>,
    ) -> Option<Self> {
        match (project, item, application) {
            (Some(p), _, _) => Some(Subject::Project(p)),
            (None, Some(i), _) => Some(Subject::Item(i)),
            (None, None, Some(a)) => Some(Subject::Application(a)),
            (None, None, None) => None,
        }
    }
    pub fn project(self) -> Option<Uuid> {
        match self {
            Subject::Project(id) => Some(id),
            _ => None,
        }
    }
    pub fn item(self) -> Option<Uuid> {
        match self {
            Subject::Item(id) => Some(id),
            _ => None,
        }
    }
    pub fn application(self) -> Option<Uuid> {
        match self {
            Subject::Application(id) => Some(id),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stakeholder {
    pub id: Uuid,
    pub name: String,
}

/// A benefit as a line of its calculation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenefitLine {
    pub id: Uuid,
    pub stakeholder_id: Uuid,
    pub description: String,
    pub kind: KindCode,
    pub amount: Option<Decimal>,
    pub rating: Option<i16>,
    pub rating_reason: String,
}

/// A calculation with everything it is made of; also what a frozen version stores.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Calculation {
    pub id: Uuid,
    pub project_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    #[serde(default)]
    pub application_id: Option<Uuid>,
    pub first_year: i32,
    pub horizon: i32,
    pub discount_rate: Decimal,
    pub benefit_start: i32,
    pub hourly_cost: Decimal,
    pub hourly_cost_source: String,
    pub investment: Decimal,
    pub running_per_year: Decimal,
    pub internal_hours: Decimal,
    pub version: i32,
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    #[serde(default)]
    pub benefits: Vec<BenefitLine>,
}

/// A stored count that the table's checks keep small and positive.
fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

impl Calculation {
    pub fn subject(&self) -> Subject {
        // The table's check allows exactly one of them.
        Subject::of(self.project_id, self.item_id, self.application_id)
            .unwrap_or(Subject::Item(Uuid::nil()))
    }

    pub fn schedule(&self) -> Schedule {
        Schedule {
            first_year: self.first_year,
            start: count(self.benefit_start),
            horizon: count(self.horizon),
        }
    }

    /// The calculation as the model computes it.
    pub fn inputs(&self) -> Inputs {
        let index = |id: Uuid| {
            self.stakeholders
                .iter()
                .position(|s| s.id == id)
                .unwrap_or(usize::MAX)
        };
        let lines = self
            .benefits
            .iter()
            .map(|b| Line {
                stakeholder: index(b.stakeholder_id),
                description: b.description.clone(),
                kind: b.model_kind(),
            })
            .collect();
        Inputs {
            stakeholders: self.stakeholders.iter().map(|s| s.name.clone()).collect(),
            lines,
            costs: Costs {
                investment: self.investment,
                running_per_year: self.running_per_year,
                internal_hours: self.internal_hours,
            },
            horizon: count(self.horizon),
            discount_rate: self.discount_rate,
            start: count(self.benefit_start),
            hourly_cost: self.hourly_cost,
        }
    }

    pub fn stakeholder_name(&self, id: &Uuid) -> &str {
        self.stakeholders
            .iter()
            .find(|s| s.id == *id)
            .map_or("", |s| s.name.as_str())
    }
}

impl BenefitLine {
    pub fn model_kind(&self) -> Kind {
        let amount = self.amount.unwrap_or_default();
        match self.kind {
            KindCode::Financial => Kind::Financial { per_year: amount },
            KindCode::Redistributable => Kind::Redistributable {
                hours_per_year: amount,
            },
            KindCode::Qualitative => Kind::Qualitative {
                rating: self.rating.and_then(|r| u8::try_from(r).ok()).unwrap_or(0),
                reason: self.rating_reason.clone(),
            },
        }
    }
}

/// The calculation `id` with its stakeholders and (not removed) benefits; `lock` for a write in
/// the same transaction.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Calculation>, sqlx::Error> {
    if lock
        && sqlx::query!(
            "SELECT 1 AS one FROM benefit_calculation WHERE id = $1 FOR NO KEY UPDATE",
            id
        )
        .fetch_optional(&mut *conn)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    Ok(find_many(conn, &[id]).await?.pop())
}

/// The calculations `ids` with their stakeholders and (not removed) benefits, in three
/// statements however many there are.
pub async fn find_many(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<Calculation>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id, project_id, item_id, application_id, first_year, horizon, discount_rate, benefit_start,
                  hourly_cost, hourly_cost_source, investment, running_per_year, internal_hours,
                  version
           FROM benefit_calculation WHERE id = ANY($1) ORDER BY id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut stakeholders: HashMap<Uuid, Vec<Stakeholder>> = HashMap::new();
    for s in sqlx::query!(
        "SELECT calculation_id, id, name FROM benefit_stakeholder WHERE calculation_id = ANY($1) \
         ORDER BY name COLLATE sv",
        ids
    )
    .fetch_all(&mut *conn)
    .await?
    {
        stakeholders
            .entry(s.calculation_id)
            .or_default()
            .push(Stakeholder {
                id: s.id,
                name: s.name,
            });
    }
    let mut benefits: HashMap<Uuid, Vec<BenefitLine>> = HashMap::new();
    for b in sqlx::query!(
        r#"SELECT b.calculation_id, b.id, b.stakeholder_id, b.description,
                  b.kind AS "kind: KindCode", b.amount, b.rating, b.rating_reason
           FROM benefit b JOIN benefit_stakeholder s ON s.id = b.stakeholder_id
           WHERE b.calculation_id = ANY($1) AND NOT b.removed
           ORDER BY s.name COLLATE sv, b.created_at, b.id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?
    {
        benefits
            .entry(b.calculation_id)
            .or_default()
            .push(BenefitLine {
                id: b.id,
                stakeholder_id: b.stakeholder_id,
                description: b.description,
                kind: b.kind,
                amount: b.amount,
                rating: b.rating,
                rating_reason: b.rating_reason,
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| Calculation {
            stakeholders: stakeholders.remove(&row.id).unwrap_or_default(),
            benefits: benefits.remove(&row.id).unwrap_or_default(),
            id: row.id,
            project_id: row.project_id,
            item_id: row.item_id,
            application_id: row.application_id,
            first_year: row.first_year,
            horizon: row.horizon,
            discount_rate: row.discount_rate,
            benefit_start: row.benefit_start,
            hourly_cost: row.hourly_cost,
            hourly_cost_source: row.hourly_cost_source,
            investment: row.investment,
            running_per_year: row.running_per_year,
            internal_hours: row.internal_hours,
            version: row.version,
        })
        .collect())
}

/// Marks calculation `id` changed: its version counts every change, of a line or a stakeholder
/// too, so that a decision valuing items by their calculations notices one made meanwhile.
pub async fn touch(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE benefit_calculation SET version = version + 1, updated_at = now() WHERE id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The id of the calculation of `subject`, if it has one.
pub async fn of_subject(
    conn: &mut PgConnection,
    subject: Subject,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM benefit_calculation \
         WHERE project_id = $1 OR item_id = $2 OR application_id = $3",
        subject.project(),
        subject.item(),
        subject.application()
    )
    .fetch_optional(conn)
    .await
}

/// The inputs of a calculation without its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub first_year: i32,
    pub horizon: i32,
    pub discount_rate: Decimal,
    pub benefit_start: i32,
    pub hourly_cost: Decimal,
    pub hourly_cost_source: String,
    pub investment: Decimal,
    pub running_per_year: Decimal,
    pub internal_hours: Decimal,
}

impl Calculation {
    pub fn settings(&self) -> Settings {
        Settings {
            first_year: self.first_year,
            horizon: self.horizon,
            discount_rate: self.discount_rate,
            benefit_start: self.benefit_start,
            hourly_cost: self.hourly_cost,
            hourly_cost_source: self.hourly_cost_source.clone(),
            investment: self.investment,
            running_per_year: self.running_per_year,
            internal_hours: self.internal_hours,
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    subject: Subject,
    s: &Settings,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO benefit_calculation (id, project_id, item_id, application_id, first_year, \
           horizon, discount_rate, benefit_start, hourly_cost, hourly_cost_source, investment, \
           running_per_year, internal_hours) \
         VALUES ($1, $2, $3, $13, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        id,
        subject.project(),
        subject.item(),
        s.first_year,
        s.horizon,
        s.discount_rate,
        s.benefit_start,
        s.hourly_cost,
        s.hourly_cost_source,
        s.investment,
        s.running_per_year,
        s.internal_hours,
        subject.application(),
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Saves the settings over `version`; false when the calculation moved on since.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    s: &Settings,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE benefit_calculation SET first_year = $3, horizon = $4, discount_rate = $5, \
           benefit_start = $6, hourly_cost = $7, hourly_cost_source = $8, investment = $9, \
           running_per_year = $10, internal_hours = $11, version = version + 1, \
           updated_at = now() \
         WHERE id = $1 AND version = $2",
        id,
        version,
        s.first_year,
        s.horizon,
        s.discount_rate,
        s.benefit_start,
        s.hourly_cost,
        s.hourly_cost_source,
        s.investment,
        s.running_per_year,
        s.internal_hours,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_stakeholder(
    conn: &mut PgConnection,
    calculation: Uuid,
    name: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO benefit_stakeholder (id, calculation_id, name) VALUES ($1, $2, $3)",
        id,
        calculation,
        name
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A checked new benefit line.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub stakeholder_id: Uuid,
    pub description: String,
    pub kind: KindCode,
    pub amount: Option<Decimal>,
    pub rating: Option<i16>,
    pub rating_reason: String,
}

pub async fn insert_line(
    conn: &mut PgConnection,
    calculation: Uuid,
    line: &NewLine,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO benefit (id, calculation_id, stakeholder_id, description, kind, amount, \
           rating, rating_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        calculation,
        line.stakeholder_id,
        line.description,
        line.kind.code(),
        line.amount,
        line.rating,
        line.rating_reason,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Takes a benefit out of its calculation and the register. Its measurements and history stay,
/// and a frozen version still shows it.
pub async fn remove_line(
    conn: &mut PgConnection,
    calculation: Uuid,
    benefit: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE benefit SET removed = true, version = version + 1, updated_at = now() \
         WHERE id = $1 AND calculation_id = $2 AND NOT removed",
        benefit,
        calculation
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A frozen version, as its list shows it.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub number: i32,
    pub decision: String,
    pub frozen_at: chrono::DateTime<chrono::Utc>,
    pub frozen_by: String,
}

pub async fn versions(
    conn: &mut PgConnection,
    calculation: Uuid,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        "SELECT number, decision, frozen_at, frozen_by FROM benefit_calculation_version \
         WHERE calculation_id = $1 ORDER BY number DESC",
        calculation
    )
    .fetch_all(conn)
    .await
}

/// A frozen version with the calculation as it was.
pub async fn version(
    conn: &mut PgConnection,
    calculation: Uuid,
    number: i32,
) -> Result<Option<(VersionRow, Calculation)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT number, decision, frozen_at, frozen_by,
                  inputs AS "inputs: Json<Calculation>"
           FROM benefit_calculation_version WHERE calculation_id = $1 AND number = $2"#,
        calculation,
        number
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        let version = VersionRow {
            number: r.number,
            decision: r.decision,
            frozen_at: r.frozen_at,
            frozen_by: r.frozen_by,
        };
        (version, r.inputs.0)
    }))
}

/// The latest frozen version: what the last decision promised.
pub async fn latest_version(
    conn: &mut PgConnection,
    calculation: Uuid,
) -> Result<Option<(VersionRow, Calculation)>, sqlx::Error> {
    let number = sqlx::query_scalar!(
        "SELECT max(number) FROM benefit_calculation_version WHERE calculation_id = $1",
        calculation
    )
    .fetch_one(&mut *conn)
    .await?;
    match number {
        Some(n) => version(conn, calculation, n).await,
        None => Ok(None),
    }
}

/// Stores `calculation` as it is now as its next version; returns the version's number.
pub async fn freeze(
    conn: &mut PgConnection,
    calculation: &Calculation,
    decision: &str,
    by: &str,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO benefit_calculation_version (calculation_id, number, decision, frozen_by, inputs)
           SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4
           FROM benefit_calculation_version WHERE calculation_id = $1
           RETURNING number"#,
        calculation.id,
        decision,
        by,
        Json(calculation) as _
    )
    .fetch_one(conn)
    .await
}

/// The hourly cost of the first of `municipalities` that has set one, with its source: the
/// default of a new calculation.
pub async fn default_hourly_cost(
    conn: &mut PgConnection,
    municipalities: &[Uuid],
) -> Result<Option<(Decimal, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT hourly_cost AS "hourly_cost!", hourly_cost_source, name FROM municipality
           WHERE id = ANY($1) AND hourly_cost IS NOT NULL
           ORDER BY array_position($1, id) LIMIT 1"#,
        municipalities
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        let source = if r.hourly_cost_source.is_empty() {
            format!("{}s timkostnad", r.name)
        } else {
            format!("{}: {}", r.name, r.hourly_cost_source)
        };
        (r.hourly_cost, source)
    }))
}

/// Every measurement of the calculation's benefits (removed ones too: what was realised stays
/// realised): (benefit, kind, date, value).
pub async fn measurements(
    conn: &mut PgConnection,
    calculation: Uuid,
) -> Result<Vec<(Uuid, KindCode, chrono::NaiveDate, Decimal)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT b.id, b.kind AS "kind: KindCode", m.measured_on, m.value
           FROM benefit_measurement m JOIN benefit b ON b.id = m.benefit_id
           WHERE b.calculation_id = $1"#,
        calculation
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.kind, r.measured_on, r.value))
        .collect())
}
