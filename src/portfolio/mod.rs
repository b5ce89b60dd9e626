//! The digitalisation portfolio (seed 002): IT-center's items in four plans, the quarterly
//! rounds in which the strategy groups review them and the coordination group ranks and
//! decides, and the order gate that lets only prioritised items be ordered.

pub mod board;
pub mod board_repo;
pub mod comparison;
pub mod decision;
pub mod import;
pub mod item_forms;
pub mod item_repo;
pub mod items;
pub mod orders;
pub mod protocol;
pub mod protocol_docx;
pub mod protocol_xlsx;
pub mod review;
pub mod review_repo;
pub mod round_forms;
pub mod round_repo;
pub mod rounds;
pub mod suggestion;
pub mod views;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    projects::scope,
    web::{AppError, CurrentUser},
};

/// The item `id` if it exists and `user` may see it: strategy-group members see the items
/// that concern their municipality and those shared by all.
pub async fn load_visible_item(
    conn: &mut PgConnection,
    id: Uuid,
    user: &CurrentUser,
    lock: bool,
) -> Result<item_repo::Item, AppError> {
    let item = item_repo::find(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    match scope::visible_municipalities(user) {
        Some(mine)
            if !item.municipalities.0.is_empty()
                && !item.municipalities.0.iter().any(|m| mine.contains(&m.id)) =>
        {
            Err(AppError::Forbidden)
        }
        _ => Ok(item),
    }
}

/// What a strategy group is shown of an item's links outside its municipality: that there is
/// one, not its title. The linked project and dependencies may belong to another municipality,
/// whose plans are its own business until they reach the joint round.
pub async fn hide_foreign_links(
    conn: &mut PgConnection,
    item: &mut item_repo::Item,
    user: &CurrentUser,
) -> Result<(), AppError> {
    let Some(mine) = scope::visible_municipalities(user) else {
        return Ok(());
    };
    let dependency_ids: Vec<Uuid> = item.dependencies.0.iter().map(|d| d.id).collect();
    let visible_items: Vec<Uuid> = sqlx::query_scalar(
        "SELECT i.id FROM portfolio_item i WHERE i.id = ANY($1) AND (\
           NOT EXISTS (SELECT 1 FROM portfolio_item_municipality im WHERE im.item_id = i.id) \
           OR EXISTS (SELECT 1 FROM portfolio_item_municipality im \
                      WHERE im.item_id = i.id AND im.municipality_id = ANY($2)))",
    )
    .bind(&dependency_ids)
    .bind(&mine)
    .fetch_all(&mut *conn)
    .await?;
    for link in &mut item.dependencies.0 {
        if !visible_items.contains(&link.id) {
            link.name = HIDDEN_LINK.to_owned();
            link.id = Uuid::nil();
        }
    }
    if let Some(project) = &mut item.project {
        let visible: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM project_municipality \
             WHERE project_id = $1 AND municipality_id = ANY($2))",
        )
        .bind(project.0.id)
        .bind(&mine)
        .fetch_one(&mut *conn)
        .await?;
        if !visible {
            project.0.name = HIDDEN_LINK.to_owned();
            project.0.id = Uuid::nil();
        }
    }
    Ok(())
}

/// Shown instead of the title of a linked project or item the reader may not see.
pub const HIDDEN_LINK: &str = "Ett objekt i en annan kommun";
