//! Overdue benefit follow-ups (issue 15): a benefit past its first planned year with no
//! measurement, and a completed project with no benefit or effect-goal measurement in twelve
//! months. Flagged on the start page of the benefit's owner, of controllers and of auditors.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    benefits::register::repo::{self, Benefit, Filter},
    domain::{
        benefit::register::{overdue, project_follow_up_overdue},
        project::Status,
        role::Role,
    },
    projects::scope,
    web::{CurrentUser, format},
};

/// A completed project and when it was last followed up.
#[derive(Debug, Clone)]
pub struct ProjectLag {
    pub id: Uuid,
    pub name: String,
    pub case_number: String,
    pub completed_on: NaiveDate,
    pub last_follow_up: Option<NaiveDate>,
}

/// The completed projects (of `visible` municipalities, or all) with their completion date and
/// their last benefit or effect-goal measurement.
pub async fn completed_projects(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
) -> Result<Vec<ProjectLag>, sqlx::Error> {
    sqlx::query_as!(
        ProjectLag,
        r#"SELECT p.id, p.name, p.case_number,
                  coalesce((SELECT max(sc.changed_on) FROM project_status_change sc
                             WHERE sc.project_id = p.id AND sc.to_status = $2),
                           p.actual_end, p.updated_at::date) AS "completed_on!",
                  greatest(
                    (SELECT max(m.measured_on) FROM benefit_measurement m
                       JOIN benefit b ON b.id = m.benefit_id
                       JOIN benefit_calculation c ON c.id = b.calculation_id
                      WHERE c.project_id = p.id),
                    (SELECT max(gm.measured_on) FROM goal_measurement gm
                       JOIN effect_goal g ON g.id = gm.effect_goal_id
                      WHERE g.project_id = p.id)) AS last_follow_up
           FROM project p
           WHERE p.status = ANY($3)
             AND ($1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM project_municipality v
                  WHERE v.project_id = p.id AND v.municipality_id = ANY($1)))
           ORDER BY p.name COLLATE sv"#,
        visible,
        Status::Completed.code(),
        &[
            Status::Completed.code().to_owned(),
            Status::FinalReportApproved.code().to_owned()
        ]
    )
    .fetch_all(conn)
    .await
}

/// The completed projects whose follow-up is overdue on `today`.
pub async fn lagging_projects(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
    today: NaiveDate,
) -> Result<Vec<ProjectLag>, sqlx::Error> {
    Ok(completed_projects(conn, visible)
        .await?
        .into_iter()
        .filter(|p| project_follow_up_overdue(p.completed_on, p.last_follow_up, today))
        .collect())
}

/// The benefits of subjects serving `municipality` (all with `None`) whose follow-up is overdue
/// on `today`.
pub async fn overdue_benefits(
    conn: &mut PgConnection,
    municipality: Option<Uuid>,
    today: NaiveDate,
) -> Result<Vec<Benefit>, sqlx::Error> {
    let filter = Filter {
        municipality,
        ..Filter::default()
    };
    overdue_in(conn, None, &filter, today).await
}

/// The benefits `visible` to a reader, filtered, whose follow-up is overdue on `today`.
async fn overdue_in(
    conn: &mut PgConnection,
    visible: Option<&[Uuid]>,
    filter: &Filter,
    today: NaiveDate,
) -> Result<Vec<Benefit>, sqlx::Error> {
    Ok(repo::list(conn, visible, filter)
        .await?
        .into_iter()
        .filter(|b| overdue(&b.facts(), today))
        .collect())
}

/// What a start page flags.
pub struct Overdue {
    /// Overdue benefits: the user's own, or every visible one for a controller or an auditor.
    pub benefits: Vec<Benefit>,
    /// Completed projects without follow-up (controllers and auditors).
    pub projects: Vec<ProjectLag>,
    /// Whether the lists are everyone's (a controller's or an auditor's) or the user's own.
    pub everyones: bool,
}

/// The start page's flags for `user`: `None` when there is nothing for them to see.
pub async fn for_start(
    conn: &mut PgConnection,
    user: &CurrentUser,
) -> Result<Option<Overdue>, sqlx::Error> {
    let today = format::today();
    let everyones = user.has_role(Role::Controller) || user.has_role(Role::Auditor);
    let visible = scope::visible_municipalities(user);
    if everyones {
        return Ok(Some(Overdue {
            benefits: overdue_in(conn, visible.as_deref(), &Filter::default(), today).await?,
            projects: lagging_projects(conn, visible.as_deref(), today).await?,
            everyones,
        }));
    }
    let mine = Filter {
        owner: Some(user.id),
        ..Filter::default()
    };
    let own = overdue_in(conn, visible.as_deref(), &mine, today).await?;
    Ok((!own.is_empty()).then_some(Overdue {
        benefits: own,
        projects: Vec::new(),
        everyones,
    }))
}
