//! SQL for effect goals and their measurements.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use crate::{
    db::{Built, MapRow},
    domain::effect_goal::{Assessment, GoalFacts},
};

/// An effect goal with its measurements, newest last.
#[derive(Debug, Clone)]
pub struct Goal {
    pub id: Uuid,
    pub project_id: Uuid,
    pub position: i32,
    pub goal: String,
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub target_value: Option<Decimal>,
    pub unit: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub assessment: Option<Assessment>,
    pub assessment_comment: String,
    pub version: i32,
    pub measurements: Json<Vec<Measurement>>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Measurement {
    pub measured_on: NaiveDate,
    pub value: Decimal,
    pub comment: String,
    pub recorded_by: Option<String>,
}

impl Goal {
    pub fn facts(&self) -> GoalFacts {
        GoalFacts {
            indicator: self.indicator.clone(),
            baseline: self.baseline,
            target_value: self.target_value,
            unit: self.unit.clone(),
            target_date: self.target_date,
            measurement_count: i64::try_from(self.measurements.len()).unwrap_or(i64::MAX),
        }
    }

    pub fn assessment(&self) -> Option<Assessment> {
        self.assessment
    }
}

/// Runs a statement reading goals with their measurements into `$row`: the goal columns, then
/// `$tail` from `FROM` on (or more columns first): `select_goals!(Goal, " FROM effect_goal g
/// WHERE g.id = $1", id)`.
macro_rules! select_goals {
    ($row:ident, $tail:literal, $($arg:expr),+) => {
        sqlx::query_as!(
            $row,
            r#"SELECT g.id, g.project_id, g.position, g.goal, g.indicator, g.baseline,
                  g.target_value, g.unit, g.target_date, g.assessment AS "assessment: Assessment",
                  g.assessment_comment, g.version,
                  coalesce((SELECT json_agg(json_build_object('measured_on', m.measured_on, 'value', m.value::text,
                              'comment', m.comment, 'recorded_by', u.display_name) ORDER BY m.measured_on, m.recorded_at)
                            FROM goal_measurement m LEFT JOIN app_user u ON u.id = m.recorded_by
                            WHERE m.effect_goal_id = g.id), '[]') AS "measurements!: Json<Vec<Measurement>>""#
                + $tail,
            $($arg),+
        )
    };
}

/// The statement of [`goals`], which the benchmark replays (`page-sql`, see
/// [`crate::db::Built`]).
pub fn goals_query(project_id: Uuid) -> Built<impl MapRow<Goal>> {
    select_goals!(
        Goal,
        " FROM effect_goal g WHERE g.project_id = $1 ORDER BY g.position",
        project_id
    )
}

/// The goals of a project in their order, in one query.
pub async fn goals(conn: &mut PgConnection, project_id: Uuid) -> Result<Vec<Goal>, sqlx::Error> {
    goals_query(project_id).fetch_all(conn).await
}

/// One goal of a project; `lock` for a write that follows in the same transaction.
pub async fn find(
    conn: &mut PgConnection,
    project_id: Uuid,
    goal_id: Uuid,
    lock: bool,
) -> Result<Option<Goal>, sqlx::Error> {
    if lock {
        sqlx::query!(
            "SELECT 1 AS locked FROM effect_goal WHERE id = $1 FOR UPDATE",
            goal_id
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    select_goals!(
        Goal,
        " FROM effect_goal g WHERE g.id = $1 AND g.project_id = $2",
        goal_id,
        project_id
    )
    .fetch_optional(conn)
    .await
}

/// A checked goal form.
#[derive(Debug, Clone)]
pub struct GoalInput {
    pub goal: String,
    pub indicator: String,
    pub baseline: Option<Decimal>,
    pub target_value: Option<Decimal>,
    pub unit: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub assessment: Option<Assessment>,
    pub assessment_comment: String,
}

/// Runs `$sql` with the leading parameters given and then the goal form's fields, in the order
/// both statements below list them: one list for the insert and the update.
macro_rules! with_goal_fields {
    ($sql:literal, $($lead:expr),+; $input:expr) => {
        sqlx::query!(
            $sql,
            $($lead,)+
            $input.goal,
            $input.indicator,
            $input.baseline,
            $input.target_value,
            $input.unit,
            $input.target_date,
            $input.assessment.map(Assessment::code),
            $input.assessment_comment,
        )
    };
}

pub async fn insert(
    conn: &mut PgConnection,
    project_id: Uuid,
    input: &GoalInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    with_goal_fields!(
        "INSERT INTO effect_goal (id, project_id, position, goal, indicator, baseline, \
         target_value, unit, target_date, assessment, assessment_comment) \
         SELECT $1, $2, coalesce(max(position), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10 \
         FROM effect_goal WHERE project_id = $2",
        id,
        project_id;
        input
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Updates a goal if it is still at `version`; false when someone saved it meanwhile.
pub async fn update(
    conn: &mut PgConnection,
    goal_id: Uuid,
    version: i32,
    input: &GoalInput,
) -> Result<bool, sqlx::Error> {
    let done = with_goal_fields!(
        "UPDATE effect_goal SET goal = $3, indicator = $4, baseline = $5, target_value = $6, \
         unit = $7, target_date = $8, assessment = $9, assessment_comment = $10, \
         version = version + 1 WHERE id = $1 AND version = $2",
        goal_id,
        version;
        input
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A checked measurement.
#[derive(Debug, Clone)]
pub struct MeasurementInput {
    pub measured_on: NaiveDate,
    pub value: Decimal,
    pub comment: String,
}

pub async fn insert_measurement(
    conn: &mut PgConnection,
    goal_id: Uuid,
    input: &MeasurementInput,
    recorded_by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO goal_measurement (id, effect_goal_id, measured_on, value, comment, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        goal_id,
        input.measured_on,
        input.value,
        input.comment,
        recorded_by,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A goal as the cross-project SMART list shows it.
#[derive(Debug, Clone)]
pub struct GoalWithProject {
    pub goal: Goal,
    pub project_name: String,
    pub case_number: String,
}

/// A row of [`all_goals`]: a goal's columns and its project's, flat as `query_as!` fills them.
struct GoalRow {
    id: Uuid,
    project_id: Uuid,
    position: i32,
    goal: String,
    indicator: String,
    baseline: Option<Decimal>,
    target_value: Option<Decimal>,
    unit: Option<String>,
    target_date: Option<NaiveDate>,
    assessment: Option<Assessment>,
    assessment_comment: String,
    version: i32,
    measurements: Json<Vec<Measurement>>,
    project_name: String,
    case_number: String,
}

impl From<GoalRow> for GoalWithProject {
    fn from(r: GoalRow) -> Self {
        GoalWithProject {
            goal: Goal {
                id: r.id,
                project_id: r.project_id,
                position: r.position,
                goal: r.goal,
                indicator: r.indicator,
                baseline: r.baseline,
                target_value: r.target_value,
                unit: r.unit,
                target_date: r.target_date,
                assessment: r.assessment,
                assessment_comment: r.assessment_comment,
                version: r.version,
                measurements: r.measurements,
            },
            project_name: r.project_name,
            case_number: r.case_number,
        }
    }
}

/// Every goal of every visible project, by project name and position, in one query.
pub async fn all_goals(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
) -> Result<Vec<GoalWithProject>, sqlx::Error> {
    let rows = select_goals!(
        GoalRow,
        ", p.name AS project_name, p.case_number \
         FROM effect_goal g JOIN project p ON p.id = g.project_id \
         WHERE ($1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM project_municipality v \
                WHERE v.project_id = p.id AND v.municipality_id = ANY($1))) \
         ORDER BY p.name, g.position",
        visible
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(GoalWithProject::from).collect())
}

/// A benefit an effect goal evidences.
#[derive(Debug, Clone)]
pub struct Evidenced {
    pub goal_id: Uuid,
    pub benefit_id: Uuid,
    pub description: String,
}

/// The benefits (still in their calculation) the goals of `project` evidence.
pub async fn evidenced(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<Evidenced>, sqlx::Error> {
    sqlx::query_as!(
        Evidenced,
        "SELECT l.effect_goal_id AS goal_id, b.id AS benefit_id, b.description \
         FROM effect_goal_benefit l JOIN effect_goal g ON g.id = l.effect_goal_id \
         JOIN benefit b ON b.id = l.benefit_id \
         WHERE g.project_id = $1 AND NOT b.removed ORDER BY b.description",
        project
    )
    .fetch_all(conn)
    .await
}
