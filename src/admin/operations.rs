//! User administration's writes, one function per verb (see `crate::operation` for the shape):
//! create a user, save a user's form, deactivate and reactivate an account.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    admin::{
        forms::{GrantInput, UserForm, UserInput},
        repo::{self, Reference, UserDetail},
    },
    audit::{self, repo::Entry},
    auth::password,
    domain::role::Role,
    operation::{Actor, Refusal, Submission},
    web::AppError,
};

/// Creates an account with its roles; returns its id.
pub async fn create_user(
    db: &PgPool,
    actor: &Actor,
    reference: &Reference,
    (input, submission): (&UserInput, Submission),
) -> Result<Uuid, Refusal> {
    let hash = password::hash(input.password.clone().unwrap_or_default()).await?;
    let mut tx = db.begin().await?;
    submission.claim(&mut tx, actor).await?;
    let id = repo::insert_user(&mut tx, input, &hash)
        .await
        .map_err(Refusal::from_constraint)?;
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "user_created",
        ("user", &id.to_string()),
        None,
        &audit::created(input_fields(reference, input)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a user's form over the version it was based on; returns the saved name. An
/// administrator cannot take their own administrator role away.
pub async fn update_user(
    db: &PgPool,
    actor: &Actor,
    reference: &Reference,
    id: Uuid,
    form: &UserForm,
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let saved = repo::find_user(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut input = form.parse(reference, false).map_err(Refusal::Invalid)?;
    if id == actor.user.id && !input.grants.iter().any(|g| g.role == Role::Admin) {
        return Err(Refusal::invalid(
            "roles",
            "Du kan inte ta bort din egen administratörsroll.",
        ));
    }
    if saved.version != form.version {
        return Err(Refusal::conflict(describe_saved(reference, &saved)));
    }
    let hash = match input.password.take() {
        Some(new) => Some(password::hash(new).await?),
        None => None,
    };
    let updated = repo::update_user(&mut tx, id, form.version, &input, hash.as_deref())
        .await
        .map_err(Refusal::from_constraint)?;
    if !updated {
        return Err(
            AppError::Conflict("Användaren ändrades samtidigt av någon annan.".into()).into(),
        );
    }
    let changes = audit::compared(
        saved_fields(reference, &saved),
        input_fields(reference, &input),
    );
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "user_updated",
        ("user", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    if hash.is_some() {
        let entry = Entry::event("password_changed", "user", Some(id.to_string()));
        audit::record(&mut tx, &actor.trail, entry).await?;
    }
    tx.commit().await?;
    Ok(input.display_name)
}

/// Activates or deactivates an account over the version the page showed; returns its name.
/// Nobody deactivates their own account.
pub async fn set_active(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    version: i32,
    active: bool,
) -> Result<String, Refusal> {
    if !active && id == actor.user.id {
        return Err(AppError::BadRequest("Du kan inte inaktivera ditt eget konto.".into()).into());
    }
    let mut tx = db.begin().await?;
    let user = repo::find_user(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::set_active(&mut tx, id, version, active).await? {
        let state_now = if user.active { "aktiv" } else { "inaktiverad" };
        return Err(AppError::Conflict(format!(
            "{} ändrades av någon annan innan din åtgärd sparades. Kontot är nu {state_now}. \
             Ladda om sidan och försök igen om det behövs.",
            user.display_name
        ))
        .into());
    }
    let action = if active {
        "user_activated"
    } else {
        "user_deactivated"
    };
    let entry = Entry::change(
        action,
        "user",
        id.to_string(),
        "active",
        Some(audit::yes_no(user.active)),
        Some(audit::yes_no(active)),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(user.display_name)
}

/// The audited fields of a user, as (field, value) in a fixed order.
fn audited_fields(
    reference: &Reference,
    (email, name, title): (&str, &str, &str),
    grants: &[GrantInput],
) -> [(&'static str, String); 4] {
    [
        ("email", email.to_owned()),
        ("display_name", name.to_owned()),
        ("title", title.to_owned()),
        ("roles", reference.describe(grants)),
    ]
}

fn saved_fields(reference: &Reference, user: &UserDetail) -> [(&'static str, String); 4] {
    let texts = (
        user.email.as_str(),
        user.display_name.as_str(),
        user.title.as_str(),
    );
    audited_fields(reference, texts, &user.grants)
}

fn input_fields(reference: &Reference, input: &UserInput) -> [(&'static str, String); 4] {
    let texts = (
        input.email.as_str(),
        input.display_name.as_str(),
        input.title.as_str(),
    );
    audited_fields(reference, texts, &input.grants)
}

/// What is saved now, for the person whose save was refused because of it.
fn describe_saved(reference: &Reference, user: &UserDetail) -> String {
    let mut parts: Vec<String> = saved_fields(reference, user)
        .iter()
        .map(|(field, value)| format!("{}: {}", audit::labels::field_label(field), value))
        .collect();
    parts.push(format!("Aktiv: {}", audit::yes_no(user.active)));
    parts.join(" · ")
}
