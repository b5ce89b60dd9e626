//! The audit entries the portfolio writes about a round: the fields a save changed, under one
//! action, with the round as the entity. Imports none of the parts that use it.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::operation::Actor;

/// Records `changes` (field, before, after) of round `round` under `action`; unchanged fields
/// are left out.
pub async fn round_changes(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    round: Uuid,
    changes: &[(&str, String, String)],
) -> Result<(), sqlx::Error> {
    let entity = round.to_string();
    crate::audit::repo::record_changes(
        conn,
        &actor.trail,
        action,
        ("round", &entity),
        None,
        changes,
    )
    .await
}
