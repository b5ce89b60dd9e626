//! SQL for the benefit register: every benefit with its calculation's subject, owner and
//! follow-up, filtered as the register asks; a benefit's measurements and its linked effect
//! goals; and their writes.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::benefit::register::{Facts, KindCode, Schedule, Status};

/// A benefit as the register and its page show it.
#[derive(Debug, Clone)]
pub struct Benefit {
    pub id: Uuid,
    pub description: String,
    pub kind: KindCode,
    pub amount: Option<Decimal>,
    pub rating: Option<i16>,
    pub rating_reason: String,
    pub status: Status,
    pub status_reason: String,
    pub version: i32,
    /// Taken out of its calculation: its page and history stay, its follow-up ends.
    pub removed: bool,
    pub calculation_id: Uuid,
    pub project_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    /// "E-arkiv (KS 2026-12)" or "P-014 Digital signering".
    pub subject: String,
    pub stakeholder: String,
    pub owner_id: Option<Uuid>,
    pub owner: Option<String>,
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub first_year: i32,
    pub benefit_start: i32,
    pub horizon: i32,
    pub measurement_count: i64,
    pub last_measured: Option<NaiveDate>,
}

impl Benefit {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            first_year: self.first_year,
            start: u32::try_from(self.benefit_start).unwrap_or(1),
            horizon: u32::try_from(self.horizon).unwrap_or(1),
        }
    }

    pub fn facts(&self) -> Facts {
        Facts {
            kind: self.kind,
            amount: self.amount,
            has_owner: self.owner_id.is_some(),
            indicator: self.indicator.clone(),
            baseline: self.baseline,
            status: self.status,
            schedule: self.schedule(),
            measurement_count: self.measurement_count,
        }
    }

    /// What the benefit is worth a year in its own unit: kronor, hours or the rating.
    pub fn yearly(&self) -> Decimal {
        self.amount
            .or(self.rating.map(Decimal::from))
            .unwrap_or_default()
    }

    /// The page of the effect goals of the benefit's project (the register for an item's).
    pub fn goals_href(&self) -> String {
        self.project_id
            .map_or_else(crate::paths::benefits, crate::paths::project_goals)
    }

    pub fn subject_href(&self) -> String {
        match crate::benefits::repo::Subject::of(self.project_id, self.item_id, self.application_id)
        {
            Some(crate::benefits::repo::Subject::Project(p)) => crate::paths::project(p),
            Some(crate::benefits::repo::Subject::Item(i)) => crate::paths::item(i),
            Some(crate::benefits::repo::Subject::Application(a)) => {
                crate::paths::fund_application(a)
            }
            None => crate::paths::benefits(),
        }
    }
}

/// What the register is filtered by; `None` is every value.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub municipality: Option<Uuid>,
    pub owner: Option<Uuid>,
    pub kind: Option<KindCode>,
    pub status: Option<Status>,
    /// Benefits planned to be realised in this calendar year.
    pub year: Option<i32>,
}

macro_rules! select_benefits {
    ($tail:literal $(, $arg:expr)*) => {
        sqlx::query_as!(
            Benefit,
            r#"SELECT b.id, b.description, b.kind AS "kind: KindCode", b.amount, b.rating,
                      b.rating_reason, b.status AS "status: Status", b.status_reason, b.version,
                      b.removed,
                      c.id AS calculation_id, c.project_id, c.item_id, c.application_id,
                      coalesce(p.name || ' (' || p.case_number || ')',
                               'P-' || lpad(i.number::text, 3, '0') || ' ' || i.title,
                               'Fondansökan ' || fa.title) AS "subject!",
                      s.name AS stakeholder, b.owner_id, u.display_name AS "owner?",
                      b.indicator, b.baseline, c.first_year, c.benefit_start, c.horizon,
                      (SELECT count(*) FROM benefit_measurement m
                        WHERE m.benefit_id = b.id) AS "measurement_count!",
                      (SELECT max(m.measured_on) FROM benefit_measurement m
                        WHERE m.benefit_id = b.id) AS last_measured
               FROM benefit b
               JOIN benefit_calculation c ON c.id = b.calculation_id
               JOIN benefit_stakeholder s ON s.id = b.stakeholder_id
               LEFT JOIN project p ON p.id = c.project_id
               LEFT JOIN portfolio_item i ON i.id = c.item_id
               LEFT JOIN fund_application fa ON fa.id = c.application_id
               LEFT JOIN app_user u ON u.id = b.owner_id "# + $tail
            $(, $arg)*
        )
    };
}

/// The register: every benefit still in its calculation, of the subjects serving one of
/// `visible` (every subject with `None`), filtered.
pub async fn list(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
    f: &Filter,
) -> Result<Vec<Benefit>, sqlx::Error> {
    select_benefits!(
        r#"WHERE NOT b.removed
             AND ($1::uuid[] IS NULL
                  OR NOT EXISTS (SELECT 1 FROM benefit_calculation_municipality v
                                  WHERE v.calculation_id = c.id)
                  OR EXISTS (SELECT 1 FROM benefit_calculation_municipality v
                              WHERE v.calculation_id = c.id AND v.municipality_id = ANY($1)))
             AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM benefit_calculation_municipality v
                              WHERE v.calculation_id = c.id AND v.municipality_id = $2))
             AND ($3::uuid IS NULL OR b.owner_id = $3)
             AND ($4::text IS NULL OR b.kind = $4)
             AND ($5::text IS NULL OR b.status = $5)
             AND ($6::int IS NULL
                  OR $6 BETWEEN c.first_year + c.benefit_start - 1 AND c.first_year + c.horizon - 1)
           ORDER BY c.project_id IS NULL, p.name COLLATE sv, i.number, fa.title COLLATE sv, s.name COLLATE sv,
                    b.created_at, b.id"#,
        visible,
        f.municipality,
        f.owner,
        f.kind.map(KindCode::code),
        f.status.map(Status::code),
        f.year
    )
    .fetch_all(conn)
    .await
}

/// The benefit `id` (removed ones too: their page and history stay); `lock` for a write.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Benefit>, sqlx::Error> {
    if lock {
        sqlx::query!(
            "SELECT 1 AS one FROM benefit WHERE id = $1 FOR NO KEY UPDATE",
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    select_benefits!("WHERE b.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The follow-up fields an owner keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub owner: Option<Uuid>,
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub status: Status,
    pub status_reason: String,
}

/// Saves the follow-up over `version`; false when the benefit moved on since.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    f: &FollowUp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE benefit SET owner_id = $3, indicator = $4, baseline = $5, status = $6, \
           status_reason = $7, version = version + 1, updated_at = now() \
         WHERE id = $1 AND version = $2",
        id,
        version,
        f.owner,
        f.indicator,
        f.baseline,
        f.status.code(),
        f.status_reason,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct Measurement {
    pub id: Uuid,
    pub measured_on: NaiveDate,
    pub value: Decimal,
    pub comment: String,
    pub recorded_by: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

pub async fn measurements(
    conn: &mut PgConnection,
    benefit: Uuid,
) -> Result<Vec<Measurement>, sqlx::Error> {
    sqlx::query_as!(
        Measurement,
        r#"SELECT m.id, m.measured_on, m.value, m.comment, u.display_name AS "recorded_by?",
                  m.recorded_at
           FROM benefit_measurement m LEFT JOIN app_user u ON u.id = m.recorded_by
           WHERE m.benefit_id = $1 ORDER BY m.measured_on, m.recorded_at"#,
        benefit
    )
    .fetch_all(conn)
    .await
}

/// A checked new measurement.
#[derive(Debug, Clone)]
pub struct NewMeasurement {
    pub measured_on: NaiveDate,
    pub value: Decimal,
    pub comment: String,
}

pub async fn insert_measurement(
    conn: &mut PgConnection,
    benefit: Uuid,
    m: &NewMeasurement,
    by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO benefit_measurement (id, benefit_id, measured_on, value, comment, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        benefit,
        m.measured_on,
        m.value,
        m.comment,
        by
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A project's effect goal and whether it evidences the benefit.
#[derive(Debug, Clone)]
pub struct GoalLink {
    pub id: Uuid,
    pub position: i32,
    pub goal: String,
    pub linked: bool,
}

/// The effect goals of `project`, each marked when it is linked to `benefit`.
pub async fn goal_links(
    conn: &mut PgConnection,
    project: Uuid,
    benefit: Uuid,
) -> Result<Vec<GoalLink>, sqlx::Error> {
    sqlx::query_as!(
        GoalLink,
        r#"SELECT g.id, g.position, g.goal,
                  EXISTS (SELECT 1 FROM effect_goal_benefit l
                          WHERE l.effect_goal_id = g.id AND l.benefit_id = $2) AS "linked!"
           FROM effect_goal g WHERE g.project_id = $1 ORDER BY g.position"#,
        project,
        benefit
    )
    .fetch_all(conn)
    .await
}

/// Links `benefit` to exactly `goals` (goals of its project, checked by the caller).
pub async fn set_goal_links(
    conn: &mut PgConnection,
    benefit: Uuid,
    goals: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM effect_goal_benefit WHERE benefit_id = $1 AND NOT effect_goal_id = ANY($2)",
        benefit,
        goals
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO effect_goal_benefit (effect_goal_id, benefit_id) \
         SELECT g, $1 FROM unnest($2::uuid[]) AS g ON CONFLICT DO NOTHING",
        benefit,
        goals
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The people who may own a benefit: active users with a role besides the auditor's, who reads
/// and changes nothing. (id, name).
pub async fn people(conn: &mut PgConnection) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT u.id, u.display_name FROM app_user u \
         WHERE u.active AND EXISTS (SELECT 1 FROM user_role r \
                                     WHERE r.user_id = u.id AND r.role <> $1) \
         ORDER BY u.display_name COLLATE sv",
        crate::domain::role::Role::Auditor.code()
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}
