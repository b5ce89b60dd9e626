//! The database: the pool, migrations, and where the server comes from (external or private).

pub mod constraints;
pub mod demo;
pub mod demo_portfolio;
pub mod demo_projects;
pub mod embedded;

use std::time::Duration;

use sqlx::{
    Connection, Executor, PgConnection, PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::config::Config;
use embedded::{EmbeddedOptions, EmbeddedPostgres};

/// The application's database inside the private server.
pub const DATABASE_NAME: &str = "portfolj";

/// The forward-only schema migrations, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// A connected database and, when we started it, the private server behind it.
pub struct Database {
    pub pool: PgPool,
    /// Kept alive for as long as the application runs; dropping it stops the server.
    pub embedded: Option<EmbeddedPostgres>,
}

/// Connects to `DATABASE_URL`, or starts the private server, then brings the schema up to date.
pub async fn open(config: &Config) -> anyhow::Result<Database> {
    let (options, embedded) = match &config.database_url {
        Some(url) => (url.parse::<PgConnectOptions>()?, None),
        None => {
            let options = EmbeddedOptions {
                dir: config.data_dir.clone(),
                ephemeral: false,
            };
            let server =
                tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&options)).await??;
            create_database_if_missing(&server).await?;
            (server.connect_options(DATABASE_NAME), Some(server))
        }
    };
    let pool = pool(options, config.db_pool_size).await?;
    migrate(&pool).await?;
    Ok(Database { pool, embedded })
}

/// A pool over `options` with the application's settings.
pub async fn pool(options: PgConnectOptions, size: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(5))
        // No ping before every checkout: it doubles the round trips of each statement. A
        // connection the server dropped fails its next statement and is discarded by the pool.
        .test_before_acquire(false)
        .connect_with(options.application_name("portfolj"))
        .await
}

/// Applies pending migrations, ours and the session store's.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    crate::auth::session_store(pool.clone()).migrate().await?;
    Ok(())
}

async fn create_database_if_missing(server: &EmbeddedPostgres) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect_with(&server.connect_options("postgres")).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(DATABASE_NAME)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        conn.execute(format!("CREATE DATABASE {DATABASE_NAME}").as_str())
            .await?;
    }
    conn.close().await
}
