//! The import's write (see `crate::operation` for the shape): the previewed lines checked again
//! and every item created in one transaction, or none.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit,
    operation::{Actor, Refusal, Submission},
    portfolio::{
        import::lines::{self, Checked, Line},
        items::{forms, repo as item_repo},
    },
};

/// What an import did: created this many items, or refused the lines (each with its errors).
pub enum Imported {
    Saved(usize),
    Refused(Vec<Checked>),
}

/// Checks the previewed lines again and creates every item, or none.
pub async fn import_items(
    db: &PgPool,
    actor: &Actor,
    (lines, submission): (Vec<Line>, Submission),
) -> Result<Imported, Refusal> {
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    item_repo::lock_imports(&mut tx).await?;
    let checked = lines::check(&mut tx, lines).await?;
    if checked.is_empty() || checked.iter().any(|c| c.result.is_err()) {
        return Ok(Imported::Refused(checked));
    }
    for input in checked.iter().filter_map(|c| c.result.as_ref().ok()) {
        let id = Uuid::now_v7();
        item_repo::insert(&mut tx, id, input).await?;
        let fields = audit::created(forms::audited(input));
        let entity = id.to_string();
        audit::repo::record_changes(
            &mut tx,
            &actor.trail,
            "portfolio_item_imported",
            ("portfolio_item", &entity),
            None,
            &fields,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Imported::Saved(checked.len()))
}
