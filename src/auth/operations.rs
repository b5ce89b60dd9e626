//! Signing in: the throttle, the password check, the new session and the audit entries, in one
//! function the sign-in page calls. There is no actor yet: the audit log names whoever asked by
//! the address typed.

use chrono::Utc;
use sqlx::PgPool;
use tower_sessions::Session;

use crate::{
    audit::{self, Actor, repo::Entry},
    auth::{password, repo},
    web::{
        AppError,
        client::Client,
        csrf,
        form::FieldErrors,
        middleware::{SIGNED_IN_AT, USER_ID},
    },
};

/// Why a sign-in did not happen.
#[derive(Debug)]
pub enum Refused {
    /// An empty field: the messages by field.
    Invalid(FieldErrors),
    /// Too many failures from this account or address: wait this many seconds.
    Throttled(i64),
    /// No such account, or the wrong password (never said which).
    WrongCredentials,
    /// The account is deactivated; only said once the password has proved who is asking.
    Inactive,
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

/// Signs in with `email` and `password`: on success the session has a new id and holds the
/// user, and the address's failures are forgotten.
/// The audit trail's name for a failed sign-in to an address that is no account's.
const UNKNOWN_ACCOUNT: &str = "(okänt konto)";

pub async fn sign_in(
    db: &PgPool,
    session: &Session,
    client: &Client,
    email: &str,
    password: String,
) -> Result<(), Refused> {
    let typed: String = email.trim().to_lowercase().chars().take(254).collect();
    let mut errors = FieldErrors::new();
    if typed.is_empty() {
        errors.add("email", "Ange din e-postadress.");
    }
    if password.is_empty() {
        errors.add("password", "Ange ditt lösenord.");
    }
    if !errors.is_empty() {
        return Err(Refused::Invalid(errors));
    }
    if let repo::Claim::Wait(seconds) = repo::claim_attempt(db, &typed, &client.ip).await? {
        tracing::warn!(ip = %client.ip, seconds, "sign-in throttled");
        return Err(Refused::Throttled(seconds));
    }
    let account = repo::find_credentials(db, &typed).await?;
    // Verified even when there is no such account (against a decoy), so the time taken does
    // not tell which addresses exist.
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let matches = password::verify(password, hash).await?;
    let account = match account {
        Some(account) if matches => account,
        _ => {
            // What was typed is named only when it is an account's address: a password typed
            // into the address field must reach neither the log nor the audit trail.
            let user = account.as_ref().map(|a| a.id);
            tracing::warn!(user = ?user, ip = %client.ip, "sign-in failed");
            let who = account.map_or_else(|| UNKNOWN_ACCOUNT.to_owned(), |a| a.email);
            let entry = Entry::event("sign_in_failed", "session", None);
            let mut conn = db.acquire().await?;
            audit::record(&mut conn, &Actor::anonymous(&who, client), entry).await?;
            return Err(Refused::WrongCredentials);
        }
    };
    if !account.active {
        return Err(Refused::Inactive);
    }
    // A new session id at sign-in: an id planted before cannot be used to ride the session.
    session.cycle_id().await?;
    session.insert(USER_ID, account.id).await?;
    session.insert(SIGNED_IN_AT, Utc::now().timestamp()).await?;
    csrf::rotate(session).await?;
    let actor = Actor {
        id: Some(account.id),
        label: format!("{} <{}>", account.display_name, account.email),
        source: client.ip.clone(),
        request_id: client.request_id.clone(),
    };
    let mut tx = db.begin().await?;
    repo::forget_attempts(&mut tx, &typed, &client.ip).await?;
    audit::record(&mut tx, &actor, Entry::event("sign_in", "session", None)).await?;
    tx.commit().await?;
    tracing::info!(user = %account.id, "signed in");
    Ok(())
}
