//! The session store: sessions in the `tower_sessions.session` table of our own database, with
//! every statement checked at compile time like the rest. A record is stored as MessagePack, as
//! the `tower-sessions-sqlx-store` crate this replaces stored it, so sessions survive the switch.
//! (That crate turned on sqlx's `time` types, which made the query macros expect `time` where
//! the application uses `chrono`.)

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
};

#[derive(Debug, Clone)]
pub struct SessionTable {
    db: PgPool,
}

impl SessionTable {
    pub fn new(db: PgPool) -> Self {
        Self { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(record: &Record) -> Result<DateTime<Utc>, session_store::Error> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0)
        .ok_or_else(|| backend("session expiry out of range"))
}

#[async_trait]
impl SessionStore for SessionTable {
    /// A new session, never over an existing one: the insert does nothing when the id is taken
    /// (also by a session created at the same moment and not yet committed, which it waits
    /// for), and a fresh id is drawn until one is free. A collision of 128 random bits is not
    /// expected, but an overwrite would hand one user another's session.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            // The record holds its id, so it is encoded again for each id tried.
            let data = rmp_serde::to_vec(&*record)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let inserted = sqlx::query!(
                "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO NOTHING",
                record.id.to_string(),
                data,
                expiry(record)?,
            )
            .execute(&self.db)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// An existing session's new state. A session deleted meanwhile (signed out in another
    /// tab while a long upload ran) stays deleted: the save changes no row rather than bringing
    /// it back.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data =
            rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query!(
            "UPDATE tower_sessions.session SET data = $2, expiry_date = $3 WHERE id = $1",
            record.id.to_string(),
            data,
            expiry(record)?,
        )
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = sqlx::query_scalar!(
            "SELECT data FROM tower_sessions.session WHERE id = $1 AND expiry_date > now()",
            id.to_string()
        )
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        data.map(|d| rmp_serde::from_slice(&d))
            .transpose()
            .map_err(|e| session_store::Error::Decode(e.to_string()))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query!(
            "DELETE FROM tower_sessions.session WHERE id = $1",
            id.to_string()
        )
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for SessionTable {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sqlx::query!("DELETE FROM tower_sessions.session WHERE expiry_date < now()")
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
