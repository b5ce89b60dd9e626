//! Demo investment projects, loaded from `fixtures/demo/projects.json` (embedded in the binary).
//! The first is seed 000 exactly (Norrtälje's "Nytt beslut- och ledningsstödsystem", Dnr KS
//! 2020-339): its five effect goals, its seven budget lines and outcome entries that add up to
//! the seed's figures, and its final report text. The others give the list something to filter
//! and sort, including a project shared between Ludvika and Smedjebacken, and the three
//! investment projects of Gemensamma servicenämnden that seed 002's period report comments on:
//! the paused move to Office 365 (0003-0365) and the two network projects (0005, 0010) expected
//! to end about 2 mnkr under budget because components were not delivered.
//!
//! The fixture, in the order it is inserted:
//! - `council_goals`: per municipality (by name), the titles projects refer to.
//! - `projects`: `board` names the board as `"<board>, <municipality>"`; dates are absolute
//!   `YYYY-MM-DD` (none is relative to today); amounts and percentages are decimal strings
//!   (`"3200000"`), parsed exactly; `assessment` null means not assessed yet. A budget line's
//!   `sub_entity` names one of the project's `sub_entities`, which is inserted just before the
//!   first line that names it; `outcome` entries are booked per month (`YYYY-MM`) as "Bokfört
//!   utfall".
//! - `final_reports`: the officials' text of a project's final report (found by case number),
//!   saved as its first version; the generated parts come from the project's data.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{domain::budget::OutcomeSource, final_report::content::Content};

const FIXTURE: &str = include_str!("../../fixtures/demo/projects.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    council_goals: Vec<CouncilGoal>,
    projects: Vec<Project>,
    final_reports: Vec<FinalReport>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CouncilGoal {
    municipality: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Project {
    name: String,
    case_number: String,
    project_number: Option<String>,
    /// "<board>, <municipality>"
    board: String,
    manager: Option<String>,
    plan: String,
    status: String,
    planned_start: Option<NaiveDate>,
    planned_end: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
    actual_end: Option<NaiveDate>,
    #[serde(with = "rust_decimal::serde::str_option")]
    appropriation: Option<Decimal>,
    decision_body: Option<String>,
    allocation: Vec<Allocation>,
    /// Titles of council goals.
    council_goals: Vec<String>,
    effect_goals: Vec<EffectGoal>,
    sub_entities: Vec<SubEntity>,
    budget_lines: Vec<BudgetLine>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Allocation {
    municipality: String,
    #[serde(with = "rust_decimal::serde::str")]
    percent: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EffectGoal {
    goal: String,
    indicator: String,
    target: Option<Target>,
    assessment: Option<String>,
    assessment_comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    #[serde(with = "rust_decimal::serde::str")]
    value: Decimal,
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubEntity {
    name: String,
    short_name: String,
    excluded: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetLine {
    category: String,
    /// The name of one of the project's sub-entities.
    sub_entity: Option<String>,
    #[serde(with = "rust_decimal::serde::str")]
    budget: Decimal,
    outcome: Vec<Outcome>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outcome {
    /// `YYYY-MM`
    month: String,
    #[serde(with = "rust_decimal::serde::str")]
    amount: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FinalReport {
    case_number: String,
    content: Content,
}

fn fixture() -> Result<Fixture, sqlx::Error> {
    serde_json::from_str(FIXTURE).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Inserts the council goals, the demo projects and their final reports.
pub async fn load(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let fixture = fixture()?;
    for goal in &fixture.council_goals {
        sqlx::query!(
            "INSERT INTO council_goal (id, municipality_id, title) \
             SELECT $1, id, $3 FROM municipality WHERE name = $2",
            Uuid::now_v7(),
            &goal.municipality,
            &goal.title
        )
        .execute(&mut *conn)
        .await?;
    }
    for project in &fixture.projects {
        insert_project(conn, project).await?;
    }
    for report in &fixture.final_reports {
        insert_report(conn, report).await?;
    }
    Ok(())
}

/// A final report's text as the officials wrote it; the generated parts come from the
/// project's data.
async fn insert_report(conn: &mut PgConnection, report: &FinalReport) -> Result<(), sqlx::Error> {
    use crate::final_report::document;
    let id: Uuid = sqlx::query_scalar!(
        "SELECT id FROM project WHERE case_number = $1",
        &report.case_number
    )
    .fetch_one(&mut *conn)
    .await?;
    let project = crate::projects::repo::find(conn, id, false)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let lines = crate::budget::repo::lines(conn, id).await?;
    let table = crate::budget::table::BudgetTable::new(&lines);
    let figures = document::figures(&project, &table);
    crate::final_report::repo::save(conn, id, 0, &report.content, &figures, None, None).await?;
    Ok(())
}

async fn insert_project(conn: &mut PgConnection, p: &Project) -> Result<(), sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO project (id, name, case_number, project_number, board_id, project_manager, \
         plan, status, planned_start, planned_end, actual_start, actual_end, appropriation, \
         decision_body) \
         SELECT $1, $2, $3, $4, b.id, $6, $7, $8, $9, $10, $11, $12, $13, $14 \
         FROM board b JOIN municipality m ON m.id = b.municipality_id \
         WHERE b.name || ', ' || m.name = $5",
        id,
        &p.name,
        &p.case_number,
        p.project_number.as_deref(),
        &p.board,
        p.manager.as_deref(),
        &p.plan,
        &p.status,
        p.planned_start,
        p.planned_end,
        p.actual_start,
        p.actual_end,
        p.appropriation,
        p.decision_body.as_deref()
    )
    .execute(&mut *conn)
    .await?;
    for share in &p.allocation {
        sqlx::query!(
            "INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) \
             SELECT $1, id, $3 FROM municipality WHERE name = $2",
            id,
            &share.municipality,
            share.percent
        )
        .execute(&mut *conn)
        .await?;
    }
    for title in &p.council_goals {
        sqlx::query!(
            "INSERT INTO project_council_goal (project_id, council_goal_id) \
             SELECT $1, id FROM council_goal WHERE title = $2",
            id,
            title
        )
        .execute(&mut *conn)
        .await?;
    }
    for (position, goal) in (1..).zip(&p.effect_goals) {
        sqlx::query!(
            "INSERT INTO effect_goal (id, project_id, position, goal, indicator, target_value, \
             unit, assessment, assessment_comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            Uuid::now_v7(),
            id,
            position,
            &goal.goal,
            &goal.indicator,
            goal.target.as_ref().map(|t| t.value),
            goal.target.as_ref().map(|t| &t.unit),
            goal.assessment.as_deref(),
            &goal.assessment_comment
        )
        .execute(&mut *conn)
        .await?;
    }
    insert_lines(conn, id, p).await
}

async fn insert_lines(
    conn: &mut PgConnection,
    project_id: Uuid,
    p: &Project,
) -> Result<(), sqlx::Error> {
    let mut inserted: Vec<(&str, Uuid)> = Vec::new();
    for (position, line) in (1..).zip(&p.budget_lines) {
        let sub_id = match line.sub_entity.as_deref() {
            None => None,
            Some(name) => match inserted.iter().find(|(n, _)| *n == name) {
                Some((_, id)) => Some(*id),
                None => {
                    let sub = p
                        .sub_entities
                        .iter()
                        .find(|s| s.name == name)
                        .ok_or_else(|| {
                            sqlx::Error::Decode(
                                format!("{}: no sub-entity named {name:?}", p.case_number).into(),
                            )
                        })?;
                    let sid = Uuid::now_v7();
                    sqlx::query!(
                        "INSERT INTO sub_entity (id, project_id, name, short_name, excluded) \
                         VALUES ($1, $2, $3, $4, $5)",
                        sid,
                        project_id,
                        &sub.name,
                        &sub.short_name,
                        sub.excluded
                    )
                    .execute(&mut *conn)
                    .await?;
                    inserted.push((name, sid));
                    Some(sid)
                }
            },
        };
        let line_id = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO budget_line (id, project_id, position, category, sub_entity_id, budget) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            line_id,
            project_id,
            position,
            &line.category,
            sub_id,
            line.budget
        )
        .execute(&mut *conn)
        .await?;
        for entry in &line.outcome {
            sqlx::query!(
                "INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source) \
                 VALUES ($1, $2, to_date($3, 'YYYY-MM'), $4, 'Bokfört utfall', $5)",
                Uuid::now_v7(),
                line_id,
                &entry.month,
                entry.amount,
                OutcomeSource::Manual.code()
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_parses_and_every_reference_is_declared() {
        let fixture = fixture().expect("fixtures/demo/projects.json");
        assert_eq!(fixture.projects.len(), 9);
        for p in &fixture.projects {
            for line in &p.budget_lines {
                if let Some(name) = &line.sub_entity {
                    assert!(p.sub_entities.iter().any(|s| &s.name == name), "{name}");
                }
                for entry in &line.outcome {
                    let first = format!("{}-01", entry.month);
                    assert!(NaiveDate::parse_from_str(&first, "%Y-%m-%d").is_ok());
                }
            }
            for s in &p.sub_entities {
                let used = p
                    .budget_lines
                    .iter()
                    .any(|l| l.sub_entity.as_ref() == Some(&s.name));
                assert!(used, "sub-entity {} has no line", s.name);
            }
            for title in &p.council_goals {
                assert!(fixture.council_goals.iter().any(|g| &g.title == title));
            }
        }
    }

    /// `Content` fills missing fields with defaults and ignores unknown ones, so a misspelt
    /// key would pass silently: the report must read back exactly as written.
    #[test]
    fn the_final_reports_name_every_field_of_the_content_once() {
        let raw: serde_json::Value = serde_json::from_str(FIXTURE).expect("valid JSON");
        let fixture = fixture().expect("fixtures/demo/projects.json");
        for (k, report) in fixture.final_reports.iter().enumerate() {
            let written = &raw["final_reports"][k]["content"];
            let read = serde_json::to_value(&report.content).expect("serialisable");
            assert_eq!(&read, written);
        }
    }
}
