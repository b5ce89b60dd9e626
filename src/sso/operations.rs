//! Signing in through the provider once its answer is checked: the account found or created,
//! its name, address and roles taken from the claims (every sign-in), the session started and
//! everything audited. And the administrator's table from groups to roles.

use chrono::Utc;
use sqlx::{PgConnection, PgPool};
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    admin::{
        forms::GrantInput,
        repo::{Reference, find_user, replace_grants},
    },
    audit::{self, Actor as Trail, repo::Entry},
    operation::{Actor, Refusal},
    sso::{provider::Identity, repo},
    web::{
        AppError,
        client::Client,
        csrf,
        middleware::{SIGNED_IN_AT, USER_ID},
    },
};

/// Why a checked identity does not get a session.
#[derive(Debug)]
pub enum Refused {
    /// None of the user's groups maps to a role in Portfolj.
    NoRole {
        name: String,
    },
    /// The account is deactivated in Portfolj.
    Inactive,
    /// The provider sent no e-mail address, which every account needs.
    NoEmail,
    /// Another account has the address the provider sent.
    EmailTaken(String),
    Failed(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Self {
        Refused::Failed(e)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Self {
        Refused::Failed(e.into())
    }
}

impl From<tower_sessions::session::Error> for Refused {
    fn from(e: tower_sessions::session::Error) -> Self {
        Refused::Failed(e.into())
    }
}

/// Signs in the provider's user: the account tied to their subject, or a new one. Their name,
/// address and roles become what the provider says now, whatever they were. An account is never
/// found by its address: whoever the provider vouches for at an address must not take over the
/// local account that has it.
pub async fn sign_in(
    db: &PgPool,
    session: &Session,
    client: &Client,
    who: &Identity,
) -> Result<(), Refused> {
    let (email, name) = contact(who)?;
    let subject = (who.issuer.as_str(), who.subject.as_str());
    let trail = |id: Option<Uuid>| Trail {
        id,
        label: format!("{name} <{email}>"),
        source: client.ip.clone(),
        request_id: client.request_id.clone(),
    };
    let mut tx = db.begin().await?;
    // Two returns of one new user at once: the second waits, then finds the account.
    repo::lock_subject(&mut tx, subject).await?;
    let account = repo::find_account(&mut tx, subject).await?;
    let grants = repo::grants_of_groups(&mut tx, &who.groups).await?;
    let refused = match &account {
        Some(account) if !account.active => Some(Refused::Inactive),
        None if grants.is_empty() => Some(Refused::NoRole { name: name.clone() }),
        _ => None,
    };
    if let Some(refused) = refused {
        tx.rollback().await?;
        return Err(failed(db, &trail(account.map(|a| a.id)), refused).await);
    }
    let id = match save_account(&mut tx, account, subject, (&email, &name), &grants, &trail).await {
        Ok(id) => id,
        Err(refused) => {
            tx.rollback().await?;
            return Err(failed(db, &trail(None), refused).await);
        }
    };
    if grants.is_empty() {
        // The roles taken away are saved: the groups no longer give any.
        tx.commit().await?;
        return Err(failed(db, &trail(Some(id)), Refused::NoRole { name }).await);
    }
    let entry = Entry::event("sign_in_sso", "session", None);
    audit::record(&mut tx, &trail(Some(id)), entry).await?;
    tx.commit().await?;
    // A new session id at sign-in: an id planted before cannot be used to ride the session.
    session.cycle_id().await?;
    session.insert(USER_ID, id).await?;
    session.insert(SIGNED_IN_AT, Utc::now().timestamp()).await?;
    csrf::rotate(session).await?;
    tracing::info!(user = %id, "signed in through the provider");
    Ok(())
}

/// The address (lower-cased) and the name (the address when the provider gives none).
fn contact(who: &Identity) -> Result<(String, String), Refused> {
    let email = who
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| (3..=254).contains(&e.chars().count()))
        .ok_or(Refused::NoEmail)?;
    let name = who
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(&email)
        .chars()
        .take(200)
        .collect();
    Ok((email, name))
}

/// Creates the account or brings it up to date, with its roles, and audits what changed;
/// returns its id.
async fn save_account(
    tx: &mut PgConnection,
    account: Option<repo::Account>,
    subject: (&str, &str),
    (email, name): (&str, &str),
    grants: &[GrantInput],
    trail: &impl Fn(Option<Uuid>) -> Trail,
) -> Result<Uuid, Refused> {
    let taken = |e: sqlx::Error| match &e {
        sqlx::Error::Database(d) if d.constraint() == Some("app_user_email_key") => {
            Refused::EmailTaken(email.to_owned())
        }
        _ => Refused::Failed(e.into()),
    };
    let reference = Reference::load(&mut *tx).await?;
    let (id, before) = match account {
        Some(account) => {
            let saved = find_user(&mut *tx, account.id, false)
                .await?
                .ok_or(AppError::NotFound)?;
            repo::update_account(&mut *tx, account.id, (email, name))
                .await
                .map_err(taken)?;
            let before = [
                ("email", account.email),
                ("display_name", account.display_name),
                ("roles", reference.describe(&saved.grants)),
            ];
            (account.id, Some(before))
        }
        None => {
            let id = repo::insert_account(&mut *tx, subject, email, name)
                .await
                .map_err(taken)?;
            (id, None)
        }
    };
    replace_grants(&mut *tx, id, grants).await?;
    let after = [
        ("email", email.to_owned()),
        ("display_name", name.to_owned()),
        ("roles", reference.describe(grants)),
    ];
    let (action, changes) = match before {
        Some(before) => ("user_updated", audit::compared(before, after)),
        None => ("user_created", audit::created(after)),
    };
    let entity = id.to_string();
    audit::repo::record_changes(
        tx,
        &trail(Some(id)),
        action,
        ("user", &entity),
        None,
        &changes,
    )
    .await?;
    Ok(id)
}

/// Records a refused sign-in with its reason, in a transaction of its own; returns the refusal.
async fn failed(db: &PgPool, trail: &Trail, refused: Refused) -> Refused {
    let reason = match &refused {
        Refused::NoRole { .. } => "ingen av användarens grupper ger någon roll",
        Refused::Inactive => "kontot är inaktiverat",
        Refused::NoEmail => "ingen e-postadress från inloggningstjänsten",
        Refused::EmailTaken(_) => "e-postadressen tillhör ett annat konto",
        Refused::Failed(_) => return refused,
    };
    tracing::warn!(user = ?trail.id, reason, "sign-in through the provider refused");
    let entry = Entry::change(
        "sign_in_failed",
        "session",
        String::new(),
        "reason",
        None,
        Some(format!("Kommunens konto: {reason}")),
    );
    let recorded = async {
        let mut conn = db.acquire().await?;
        audit::record(&mut conn, trail, entry).await
    };
    match recorded.await {
        Ok(()) => refused,
        Err(e) => Refused::Failed(e.into()),
    }
}

/// Adds a row to the table from groups to roles; returns its id.
pub async fn add_mapping(
    db: &PgPool,
    actor: &Actor,
    reference: &Reference,
    (group, grant): (&str, &GrantInput),
) -> Result<Uuid, Refusal> {
    let mut tx = db.begin().await?;
    let id = match repo::insert_mapping(&mut tx, group, grant).await {
        Ok(id) => id,
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(Refusal::invalid(
                "group",
                "Gruppen ger redan den rollen. Välj en annan roll eller grupp.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let fields = [
        ("group", group.to_owned()),
        ("roles", reference.describe(std::slice::from_ref(grant))),
    ];
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "sso_group_added",
        ("sso_group_role", &id.to_string()),
        None,
        &audit::created(fields),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a row; returns the group it was for. Removed by someone else first: not found.
pub async fn remove_mapping(
    db: &PgPool,
    actor: &Actor,
    reference: &Reference,
    id: Uuid,
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let removed = repo::delete_mapping(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = [
        ("group", removed.group_name.clone(), String::new()),
        (
            "roles",
            reference.describe(std::slice::from_ref(&removed.grant)),
            String::new(),
        ),
    ];
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "sso_group_removed",
        ("sso_group_role", &id.to_string()),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(removed.group_name)
}
