//! The item writes, one function per verb (see `crate::operation` for the shape): creating an
//! item and saving the item form, each with its dependencies resolved and checked for circles.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit,
    domain::portfolio::item_reference,
    operation::{Actor, Refusal},
    portfolio::{
        items::{
            forms::{self, ItemForm},
            repo::{self, ItemInput},
        },
        scope::load_visible_item,
    },
    web::{AppError, form::FieldErrors},
};

/// Parses the form and resolves its dependencies; `item` is the item being edited (or the id
/// of the one being created).
async fn parse(conn: &mut PgConnection, form: &ItemForm, item: Uuid) -> Result<ItemInput, Refusal> {
    let choices = repo::choices(conn).await?;
    let mut input = form.parse(&choices).map_err(Refusal::Invalid)?;
    // A goal that no longer applies may stay linked, never be newly linked.
    let linked = repo::linked_goals(conn, item).await?;
    input.council_goals.retain(|g| {
        linked.contains(g)
            || choices
                .council_goals
                .iter()
                .any(|c| c.id == *g && !c.retired)
    });
    if !input.dependency_numbers.is_empty() {
        repo::lock_dependencies(conn).await?;
    }
    let found = repo::ids_by_number(conn, &input.dependency_numbers).await?;
    let mut errors = FieldErrors::new();
    for n in &input.dependency_numbers {
        match found.iter().find(|(number, _)| number == n) {
            Some((_, id)) if *id == item => {
                errors.add("dependencies", "Ett objekt kan inte bero av sig självt.");
            }
            Some((_, id)) => input.dependencies.push(*id),
            None => errors.add(
                "dependencies",
                format!("Objekt {} finns inte i portföljen.", item_reference(*n)),
            ),
        }
    }
    if errors.is_empty() && repo::creates_cycle(conn, item, &input.dependencies).await? {
        errors.add(
            "dependencies",
            "Beroendena bildar en cirkel: något av objekten beror redan av det här.",
        );
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(Refusal::Invalid(errors))
    }
}

/// Creates an item from the form; returns its id and reference.
pub async fn create_item(
    db: &PgPool,
    actor: &Actor,
    form: &ItemForm,
) -> Result<(Uuid, String), Refusal> {
    let id = Uuid::now_v7();
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let input = parse(&mut tx, form, id).await?;
    let number = repo::insert(&mut tx, id, &input).await?;
    form.submission.created(&mut tx, id).await?;
    let fields = audit::created(forms::audited(&input));
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "portfolio_item_created",
        ("portfolio_item", &id.to_string()),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok((id, item_reference(number)))
}

/// Saves the item form over the version it showed.
pub async fn update_item(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &ItemForm,
) -> Result<(), Refusal> {
    let mut tx = db.begin().await?;
    let saved = load_visible_item(&mut tx, id, &actor.user, true).await?;
    let input = parse(&mut tx, form, id).await?;
    if saved.version != form.version {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    let choices = repo::choices(&mut tx).await?;
    let old = ItemForm::from_item(&saved)
        .parse(&choices)
        .map_err(|_| AppError::Internal("stored item does not parse".into()))?;
    let changes = audit::compared(forms::audited(&old), forms::audited(&input));
    // Saving what is already saved changes nothing: not the version, which would make every
    // other editor's next save stale for nothing, and not the log.
    if changes.iter().all(|(_, old, new)| old == new) {
        return Ok(());
    }
    if !repo::update(&mut tx, id, form.version, &input).await? {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "portfolio_item_updated",
        ("portfolio_item", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
