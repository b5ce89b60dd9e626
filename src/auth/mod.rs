//! Signing in and out with local accounts: argon2id password hashes, sessions kept in
//! PostgreSQL, failed attempts limited per account and per client address.

pub mod handlers;
pub mod operations;
pub mod password;
pub mod repo;
pub mod sessions;

use sqlx::PgPool;

/// The session store: the `tower_sessions.session` table in our own database.
pub fn session_store(db: PgPool) -> sessions::SessionTable {
    sessions::SessionTable::new(db)
}
