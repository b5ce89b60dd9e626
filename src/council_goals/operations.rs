//! The council goals' writes, one function per verb (see `crate::operation` for the shape):
//! add a goal, deactivate and reactivate one. Goals are never deleted.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    council_goals::repo,
    operation::{Actor, Refusal, Submission},
    web::AppError,
};

/// A checked new goal.
pub struct NewGoal {
    pub municipality: Uuid,
    pub title: String,
    /// The form's one-time id: a second post of the same form adds nothing.
    pub submission: Submission,
}

/// Adds a goal to a municipality.
pub async fn create_goal(db: &PgPool, actor: &Actor, goal: &NewGoal) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    goal.submission.claim(&mut tx, actor).await?;
    let id = repo::insert(&mut tx, goal.municipality, &goal.title)
        .await
        .map_err(Refusal::from_constraint)?;
    let entry = Entry::change(
        "council_goal_created",
        "council_goal",
        id.to_string(),
        "title",
        None,
        Some(goal.title.clone()),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Turns a goal on or off for new links; returns its title when it changed, `None` when it
/// already was so.
pub async fn set_active(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    active: bool,
) -> Result<Option<String>, Refusal> {
    let mut tx = db.begin().await?;
    let goal = repo::find_for_update(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if goal.active == active {
        return Ok(None);
    }
    repo::set_active(&mut tx, id, active).await?;
    let entry = Entry::change(
        "council_goal_updated",
        "council_goal",
        id.to_string(),
        "active",
        Some(audit::yes_no(!active)),
        Some(audit::yes_no(active)),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(Some(goal.title))
}
