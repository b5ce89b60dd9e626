//! The fund's writes, one function per verb (see `crate::operation` for the shape): open a fund
//! year, add a direction, register an application, decide it (a grant freezes its benefit
//! calculation) and follow a grant up. Each is one transaction, audited.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    benefits::{freeze, repo::Subject},
    domain::{
        fund::{ApplicationStatus, Decision},
        money::Money,
    },
    fund::{
        forms::{ApplicationForm, DecisionForm, DirectionForm, FollowUpForm, FundForm},
        policy::check_visible,
        repo,
    },
    operation::{Actor, Refusal, Submission},
    web::{AppError, format},
};

fn kr(amount: rust_decimal::Decimal) -> String {
    Money::from_stored(amount).format_kr()
}

/// Opens the fund of a municipality for a year; returns its id.
pub async fn create_fund(
    db: &PgPool,
    actor: &Actor,
    form: &FundForm,
    municipalities: &[Uuid],
) -> Result<Uuid, Refusal> {
    let (municipality, year, amount) = form.parse(municipalities).map_err(Refusal::Invalid)?;
    check_visible(&actor.user, municipality)?;
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let id = repo::insert_fund(&mut tx, municipality, year, amount)
        .await
        .map_err(Refusal::from_constraint)?;
    let entry = Entry::change(
        "fund_created",
        "fund",
        id.to_string(),
        "amount",
        None,
        Some(format!("{year}: {} kr", kr(amount))),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a strategic direction to the fund's municipality.
pub async fn add_direction(
    db: &PgPool,
    actor: &Actor,
    fund: Uuid,
    form: &DirectionForm,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let f = repo::fund_year(&mut tx, fund)
        .await?
        .ok_or(AppError::NotFound)?;
    check_visible(&actor.user, f.municipality_id)?;
    let goals: Vec<Uuid> = repo::council_goals(&mut tx, f.municipality_id)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let (name, picked) = form.parse(&goals).map_err(Refusal::Invalid)?;
    let id = repo::insert_direction(&mut tx, f.municipality_id, &name, &picked)
        .await
        .map_err(Refusal::from_constraint)?;
    let entry = Entry::change(
        "fund_direction_created",
        "fund_direction",
        id.to_string(),
        "name",
        None,
        Some(name),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Registers a department's application to the fund; returns its id.
pub async fn create_application(
    db: &PgPool,
    actor: &Actor,
    fund: Uuid,
    form: &ApplicationForm,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let f = repo::fund_year(&mut tx, fund)
        .await?
        .ok_or(AppError::NotFound)?;
    check_visible(&actor.user, f.municipality_id)?;
    let ids = |v: Vec<(Uuid, String)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    let directions: Vec<Uuid> = repo::directions(&mut tx, f.municipality_id)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    let goals = ids(repo::council_goals(&mut tx, f.municipality_id).await?);
    let projects = ids(repo::projects(&mut tx, f.municipality_id).await?);
    let input = form
        .parse((&directions, &goals, &projects))
        .map_err(Refusal::Invalid)?;
    let id = repo::insert_application(&mut tx, fund, &input).await?;
    let entry = Entry::change(
        "fund_application_created",
        "fund_application",
        id.to_string(),
        "amount_applied",
        None,
        Some(format!(
            "{} ({}): {} kr",
            input.title,
            input.department,
            kr(input.amount_applied)
        )),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records the decision on an application over the version the form was based on. A grant
/// freezes the application's benefit calculation.
pub async fn decide(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &DecisionForm,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let fund = repo::application(&mut tx, id, false)
        .await?
        .ok_or(AppError::NotFound)?
        .fund_id;
    // The fund first, then the application: the order every grant takes.
    repo::lock_fund(&mut tx, fund).await?;
    let a = repo::application(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    check_visible(&actor.user, a.municipality_id)?;
    if a.status != ApplicationStatus::Applied {
        return Err(AppError::Conflict(format!(
            "Ansökan är redan beslutad: {}.",
            a.status.label()
        ))
        .into());
    }
    let checked = form
        .parse(a.amount_applied, format::today())
        .map_err(Refusal::Invalid)?;
    let before = match a.amount_granted {
        Some(g) => format!("{}: {} kr", a.status.label(), kr(g)),
        None => a.status.label().to_owned(),
    };
    let (granted, reason, after) = match &checked.decision {
        Decision::Grant(g) => (Some(*g), "", format!("Beviljad: {} kr", kr(*g))),
        Decision::Refuse(r) => (None, r.as_str(), format!("Avslagen: {r}")),
    };
    if let Decision::Grant(g) = checked.decision {
        let f = repo::fund_year(&mut tx, a.fund_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let left = f.amount - f.granted;
        if g > left {
            return Err(Refusal::invalid(
                "amount_granted",
                format!(
                    "Fonden {} har {} kr kvar att bevilja av {} kr.",
                    f.year,
                    kr(left.max(rust_decimal::Decimal::ZERO)),
                    kr(f.amount)
                ),
            ));
        }
    }
    let status = checked.decision.status();
    let at = (checked.on, checked.by.as_str());
    if a.version != form.version
        || !repo::decide(&mut tx, (id, form.version), (status, granted, reason), at).await?
    {
        return Err(Refusal::conflict(before));
    }
    if let Decision::Grant(g) = checked.decision {
        let decision = format!("Beviljad {} kr av {} {}", kr(g), checked.by, checked.on);
        freeze::freeze_for_decision(&mut tx, &actor.trail, Subject::Application(id), &decision)
            .await?;
    }
    let entry = Entry::change(
        "fund_application_decided",
        "fund_application",
        id.to_string(),
        "status",
        Some(before),
        Some(format!("{after} ({} {})", checked.by, checked.on)),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a follow-up of a grant; returns its id.
pub async fn follow_up(
    db: &PgPool,
    actor: &Actor,
    (id, submission): (Uuid, Submission),
    form: &FollowUpForm,
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let a = repo::application(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    check_visible(&actor.user, a.municipality_id)?;
    if a.amount_granted.is_none() {
        return Err(AppError::Conflict("Bara beviljade medel följs upp.".into()).into());
    }
    let (on, spent, comment) = form.parse(format::today()).map_err(Refusal::Invalid)?;
    let follow_up =
        repo::insert_follow_up(&mut tx, id, (on, spent, &comment), actor.user.id).await?;
    let spent_text = spent
        .map(|s| format!(", förbrukat {} kr", kr(s)))
        .unwrap_or_default();
    let entry = Entry::change(
        "fund_followed_up",
        "fund_application",
        id.to_string(),
        "follow_up",
        None,
        Some(format!("{on}{spent_text}: {comment}")),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(follow_up)
}
