//! The follow-up's writes, one function per verb (see `crate::operation` for the shape).

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    domain::{follow_up::FollowUpStatus, money::Money},
    follow_up::{forms::ForecastInput, policy, repo, report, texts},
    operation::{Actor, Refusal},
    web::AppError,
};

/// One changed value for the audit log.
struct Change {
    entity: &'static str,
    entity_id: String,
    field: &'static str,
    old: Option<String>,
    new: Option<String>,
    project: Option<Uuid>,
}

fn shown(m: Option<Money>) -> Option<String> {
    m.map(Money::format_kr)
}

/// Saves the controller's forecasts, comments and text of `board`'s report at `occasion`,
/// starting the report when the board had not. Refused when someone else saved first (the
/// version), when the report is decided, or for an activity or project not in the report.
/// Every changed figure and text is audited with its old and new value.
pub async fn save_forecast(
    db: &PgPool,
    actor: &Actor,
    board: Uuid,
    occasion: Uuid,
    input: ForecastInput,
) -> Result<(), Refusal> {
    policy::check_write(&actor.user, board)?;
    let mut tx = db.begin().await?;
    // Unknown board or occasion: not found, before anything is created.
    repo::header(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    let (id, version, status, created) = repo::lock_or_create(&mut tx, board, occasion).await?;
    if status != FollowUpStatus::InProgress {
        return Err(AppError::Conflict(policy::NOT_IN_PROGRESS.to_owned()).into());
    }
    if input.version != if created { 0 } else { version } {
        return Err(Refusal::conflict(
            "Någon annan har sparat rapporten sedan du öppnade den. Det du skrev finns kvar nedan; jämför med den sparade rapporten och spara igen om ditt ska gälla.",
        ));
    }
    let saved = report::load(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut changes = Vec::new();
    for a in &input.activities {
        let Some(old) = saved.activities.iter().find(|s| s.code == a.code) else {
            return Err(Refusal::invalid(
                "activity",
                "Formuläret är inaktuellt. Ladda om sidan.",
            ));
        };
        let before = old
            .has_forecast
            .then_some((old.full_year.revenue_actual, old.full_year.cost_actual));
        if before == a.forecast && old.comment == a.comment {
            continue;
        }
        repo::set_activity_forecast(
            &mut tx,
            id,
            board,
            &a.code,
            a.forecast.map(|(r, c)| (r.amount(), c.amount())),
            &a.comment,
        )
        .await?;
        let entity_id = format!("{} {}", a.code, old.name);
        for (field, old_value, new_value) in [
            (
                "forecast_revenue",
                shown(before.map(|b| b.0)),
                shown(a.forecast.map(|f| f.0)),
            ),
            (
                "forecast_costs",
                shown(before.map(|b| b.1)),
                shown(a.forecast.map(|f| f.1)),
            ),
            (
                "deviation_comment",
                Some(old.comment.clone()),
                Some(a.comment.clone()),
            ),
        ] {
            if old_value != new_value {
                changes.push(Change {
                    entity: "activity",
                    entity_id: entity_id.clone(),
                    field,
                    old: old_value,
                    new: new_value,
                    project: None,
                });
            }
        }
    }
    for p in &input.projects {
        let Some(old) = saved.projects.iter().find(|s| s.id == p.id) else {
            return Err(Refusal::invalid(
                "project",
                "Formuläret är inaktuellt. Ladda om sidan.",
            ));
        };
        let before = old.has_forecast.then_some(old.figures.forecast);
        if before == p.forecast && old.comment == p.comment {
            continue;
        }
        repo::set_project_forecast(&mut tx, id, p.id, p.forecast.map(Money::amount), &p.comment)
            .await?;
        for (field, old_value, new_value) in [
            ("year_forecast", shown(before), shown(p.forecast)),
            (
                "deviation_comment",
                Some(old.comment.clone()),
                Some(p.comment.clone()),
            ),
        ] {
            if old_value != new_value {
                changes.push(Change {
                    entity: "project",
                    entity_id: p.id.to_string(),
                    field,
                    old: old_value,
                    new: new_value,
                    project: Some(p.id),
                });
            }
        }
    }
    let h = &saved.header;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    for (field, old_value, new_value) in [
        (
            "reporting_unit",
            Some(h.reporting_unit.clone()),
            Some(input.reporting_unit.clone()),
        ),
        (
            "attachments_dated",
            date(h.attachments_dated),
            date(input.attachments_dated),
        ),
        (
            "summary_text",
            Some(h.summary_text.clone()),
            Some(input.summary_text.clone()),
        ),
        (
            "operating_text",
            Some(h.operating_text.clone()),
            Some(input.operating_text.clone()),
        ),
        (
            "investment_text",
            Some(h.investment_text.clone()),
            Some(input.investment_text.clone()),
        ),
        (
            "diary_number",
            h.diary_number.clone(),
            input.diary_number.as_ref().map(ToString::to_string),
        ),
    ] {
        if old_value != new_value {
            changes.push(Change {
                entity: "follow_up",
                entity_id: id.to_string(),
                field,
                old: old_value,
                new: new_value,
                project: None,
            });
        }
    }
    let fields = texts::repo::Fields {
        reporting_unit: &input.reporting_unit,
        attachments_dated: input.attachments_dated,
        summary_text: &input.summary_text,
        operating_text: &input.operating_text,
        investment_text: &input.investment_text,
        diary_number: input.diary_number.as_ref().map(|d| d.as_str()),
    };
    texts::repo::update(&mut tx, id, fields).await?;
    // The text is versioned with the figures it is written against: the report as now saved.
    let now = report::load(&mut tx, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    texts::record_version(&mut tx, id, &now, Some(actor.user.id), None).await?;
    if created {
        audit::record(
            &mut tx,
            &actor.trail,
            Entry::event("follow_up_started", "follow_up", Some(id.to_string())),
        )
        .await?;
    }
    for c in changes {
        let mut entry = Entry::change(
            "follow_up_saved",
            c.entity,
            c.entity_id,
            c.field,
            c.old,
            c.new,
        );
        if let Some(project) = c.project {
            entry = entry.in_project(project);
        }
        audit::record(&mut tx, &actor.trail, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}
