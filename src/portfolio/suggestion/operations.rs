//! Applying the suggestion as the ranking (see `crate::operation` for the shape).

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    domain::{optimiser, portfolio::Phase},
    operation::{Actor, Refusal},
    portfolio::{
        board::{operations::rank_changes, repo as board_repo},
        scope::load_round,
        suggestion::analysis::{candidates, limits},
        trail,
    },
    web::AppError,
};

/// Makes the suggestion the ranking: the suggested items ranked in the order the board had
/// them, the rest unranked, so nothing the suggestion left out lands above the cut line.
/// Audited as any ranking change; the group edits it on the board as usual.
pub async fn apply_suggestion(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    ranking_version: i32,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    if round.phase() != Phase::Meeting {
        return Err(AppError::Conflict(
            "Förslaget kan bara användas under prioriteringsmötet.".into(),
        )
        .into());
    }
    let rows = board_repo::rows(&mut tx, id).await?;
    let candidates = candidates(&rows);
    let limits = limits(&round);
    let selection = tokio::task::spawn_blocking(move || optimiser::optimise(&candidates, limits))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // Rows come ranked first, so numbering the chosen ones in row order keeps the board's order.
    let mut place = 0u32;
    let ranks: Vec<(Uuid, Option<u32>)> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let chosen = selection.chosen.get(i).copied().unwrap_or(false);
            place += u32::from(chosen);
            (row.item_id, chosen.then_some(place))
        })
        .collect();
    if board_repo::save_ranks(&mut tx, id, ranking_version, &ranks)
        .await?
        .is_none()
    {
        return Err(AppError::Conflict(
            "Rangordningen ändrades av någon annan efter att förslaget räknades fram. Öppna förslaget igen."
                .into(),
        )
        .into());
    }
    let changes = rank_changes(&rows, &ranks);
    trail::round_changes(&mut tx, actor, "ranking_from_suggestion", id, &changes).await?;
    tx.commit().await?;
    Ok(())
}
