//! Each municipality's Word reference template (its "brevmall"): the administrator uploads,
//! replaces or removes it on the municipalities page, and the final reports, period reports
//! and round protocols are written in it (`documents::letterhead`).

pub mod handlers;
pub mod operations;
pub mod repo;
mod sample;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::documents::letterhead::Letterhead;

/// The letterhead of the municipality `municipality` (the house style if it has no template).
/// A stored template was read when it was uploaded; should it no longer read (a newer rule),
/// the document is still written, in the house style, and the failure is logged.
pub async fn of_municipality(
    conn: &mut PgConnection,
    municipality: Uuid,
) -> Result<Letterhead, sqlx::Error> {
    Ok(letterhead(repo::content(conn, municipality).await?))
}

/// The letterhead of the municipality a board belongs to.
pub async fn of_board(conn: &mut PgConnection, board: Uuid) -> Result<Letterhead, sqlx::Error> {
    Ok(letterhead(repo::content_of_board(conn, board).await?))
}

fn letterhead(content: Option<Vec<u8>>) -> Letterhead {
    match content.map(|c| Letterhead::read(&c)) {
        Some(Ok(letterhead)) => letterhead,
        Some(Err(e)) => {
            tracing::warn!(error = %e, "a stored Word template no longer reads; house style used");
            Letterhead::house()
        }
        None => Letterhead::house(),
    }
}
