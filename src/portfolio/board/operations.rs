//! The board's write: saving a new order from typed places, a move button or drag and drop,
//! over the round's ranking version (see `crate::operation` for the shape). The suggestion's
//! "apply" audits its order the same way (`rank_changes`).

use std::collections::HashMap;

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    domain::ranking::{self, Move},
    operation::{Actor, Refusal},
    portfolio::{
        board::{
            forms::RankForm,
            policy,
            repo::{self, BoardRow},
        },
        rounds::repo::Round,
        scope::load_round,
        trail,
    },
    web::{AppError, form::FieldErrors},
};

/// A saved ranking: the round under its new ranking version, its rows in their new order, the
/// row a button moved, and what a screen reader hears. A save that moved nothing (`changed`
/// false) keeps the version, so nobody else's open board goes stale.
pub struct SavedRanking {
    pub round: Round,
    pub rows: Vec<BoardRow>,
    pub moved: Option<i32>,
    pub announcement: String,
    pub changed: bool,
}

/// What a save that moves no item says.
pub const NOTHING_TO_SAVE: &str = "Ingen ändring att spara.";

/// Saves the order the form asks for, if the ranking is still the one the form showed.
pub async fn save_ranking(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &RankForm,
) -> Result<SavedRanking, Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    policy::check_rank(&actor.user, &round)?;
    let rows = repo::rows(&mut tx, id).await?;
    if round.ranking_version != form.version {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    let entries = form.entries(&rows).map_err(Refusal::Invalid)?;
    let mut order = ranking::renumber(&entries);
    let mv = form.parsed_move();
    if let Some(mv) = mv {
        ranking::apply(&mut order, mv);
    }
    let by_item: Vec<(Uuid, Option<u32>)> = order
        .iter()
        .filter_map(|(number, place)| {
            let row = rows.iter().find(|r| r.number == *number)?;
            Some((row.item_id, *place))
        })
        .collect();
    let moved = mv.map(|(Move::Up(k) | Move::Down(k))| k);
    let changes = rank_changes(&rows, &by_item);
    if changes.is_empty() {
        // Nothing moves: no new version (which would put everyone else's board in conflict)
        // and nothing to audit.
        return Ok(SavedRanking {
            round,
            rows,
            moved,
            announcement: NOTHING_TO_SAVE.to_owned(),
            changed: false,
        });
    }
    let Some(version) = repo::save_ranks(&mut tx, id, form.version, &by_item).await? else {
        return Err(AppError::Conflict("Rangordningen ändrades samtidigt.".into()).into());
    };
    trail::round_changes(&mut tx, actor, "ranking_updated", id, &changes).await?;
    tx.commit().await?;
    let announcement = announce(&order, mv, changes.len());
    // The rows as just saved, from what this request already holds: the same rows with their
    // new places, in the board's order, under the new version. No second read.
    let mut saved = rows;
    for row in &mut saved {
        row.rank = order
            .iter()
            .find(|(k, _)| *k == row.number)
            .and_then(|(_, p)| p.and_then(|p| i32::try_from(p).ok()));
    }
    saved.sort_by_key(|r| (r.rank.is_none(), r.rank, r.number));
    Ok(SavedRanking {
        round: Round {
            ranking_version: version,
            ..round
        },
        rows: saved,
        moved,
        announcement,
        changed: true,
    })
}

/// The audited place changes of a save: (field, "P-014: 7", "P-014: 2") for every row whose
/// place in `saved` (item, place) differs from the one it had.
pub fn rank_changes(
    rows: &[BoardRow],
    saved: &[(Uuid, Option<u32>)],
) -> Vec<(&'static str, String, String)> {
    let saved: HashMap<Uuid, Option<u32>> = saved.iter().copied().collect();
    let show = |p: Option<u32>| p.map_or("ej rangordnad".to_owned(), |p| p.to_string());
    rows.iter()
        .filter_map(|row| {
            let new = *saved.get(&row.item_id)?;
            let old = row.rank.and_then(|r| u32::try_from(r).ok());
            (new != old).then(|| {
                (
                    "rank",
                    format!("{}: {}", row.reference(), show(old)),
                    format!("{}: {}", row.reference(), show(new)),
                )
            })
        })
        .collect()
}

/// What a screen reader hears after a save.
fn announce(order: &[(i32, Option<u32>)], mv: Option<Move<i32>>, changed: usize) -> String {
    let ranked = order.iter().filter(|(_, p)| p.is_some()).count();
    let moved = match mv {
        Some(Move::Up(k) | Move::Down(k)) => {
            order.iter().find(|(id, _)| *id == k).and_then(|o| o.1)
        }
        None => None,
    };
    match moved {
        Some(p) => format!("Flyttad till plats {p} av {ranked}. Rangordningen är sparad."),
        None if changed == 0 => "Rangordningen är oförändrad.".to_owned(),
        None => format!("Rangordningen är sparad: {changed} objekt fick ny plats."),
    }
}
