//! The database: the pool, migrations, and where the server comes from (external or private).

pub mod constraints;
pub mod demo;
pub mod demo_benefits;
pub mod demo_follow_up;
pub mod demo_portfolio;
pub mod demo_projects;
pub mod embedded;
pub mod supervisor;

use std::time::Duration;

use sqlx::{
    Connection, Executor, PgConnection, PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::config::Config;
use embedded::{EmbeddedOptions, EmbeddedPostgres};
use supervisor::Supervised;

/// The application's database inside the private server.
pub const DATABASE_NAME: &str = "portfolj";

/// The forward-only schema migrations, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// A checked statement (`query_as!`) with its parameters bound, not yet run.
///
/// The statements a page runs that the benchmark replays (`page-sql`: a project, its lines,
/// goals and status changes, the current user, the reference lists) are built by a `*_query`
/// function returning this; the repo function runs it, and `page-sql` prints its text with
/// [`sqlx::Execute::sql`]. So the text exists once, in the macro call that checks it, and the
/// benchmark replays exactly what the application sends.
pub type Built<F> = sqlx::query::Map<'static, sqlx::Postgres, F, sqlx::postgres::PgArguments>;

/// What `query_as!` maps a row with, for the `F` of [`Built`]: `Built<impl MapRow<Row>>`.
pub trait MapRow<T>: FnMut(sqlx::postgres::PgRow) -> Result<T, sqlx::Error> + Send {}

impl<T, F: FnMut(sqlx::postgres::PgRow) -> Result<T, sqlx::Error> + Send> MapRow<T> for F {}

/// A connected database and, when we started it, the private server behind it.
pub struct Database {
    pub pool: PgPool,
    /// The replica's pool, when `DATABASE_READ_URL` names one (`web::replica`).
    pub replica: Option<PgPool>,
    /// Kept alive for as long as the application runs; dropping it stops the server.
    pub embedded: Option<Supervised>,
}

/// The role the application runs as inside the private server: it owns nothing, so it cannot
/// alter the tables or their triggers, and it may only read and append to the audit log.
pub const RUNTIME_ROLE: &str = "portfolj_app";

/// Connects to `DATABASE_URL`, or starts the private server, then brings the schema up to date.
///
/// Two roles: the owner runs the migrations and owns the tables; the runtime role serves
/// requests with no more than it needs. The private server has both; an external database has
/// both when `PORTFOLJ_MIGRATION_DATABASE_URL` names the owner (docs/OPERATIONS.md).
pub async fn open(config: &Config) -> anyhow::Result<Database> {
    let (owner, runtime, embedded) = match &config.database_url {
        Some(url) => {
            let runtime = url.parse::<PgConnectOptions>()?;
            let owner = match &config.migration_database_url {
                Some(owner) => owner.parse::<PgConnectOptions>()?,
                None => {
                    tracing::warn!(
                        "PORTFOLJ_MIGRATION_DATABASE_URL is not set: the application runs as the \
                         owner of its tables, so the audit log is protected by triggers only"
                    );
                    runtime.clone()
                }
            };
            (owner, runtime, None)
        }
        None => {
            let options = EmbeddedOptions {
                dir: config.data_dir.clone(),
                ephemeral: false,
            };
            let started = options.clone();
            let server =
                tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&started)).await??;
            create_database_if_missing(&server).await?;
            let owner = server.connect_options(DATABASE_NAME);
            let runtime = owner.clone().username(RUNTIME_ROLE);
            (owner, runtime, Some(Supervised::watch(server, options)))
        }
    };
    let owner_pool = pool(owner.clone(), 3).await?;
    // Instances starting at the same moment prepare the database one after the other: the
    // migrator locks only its own steps, and two GRANTs on one table at once fail.
    let mut turn = owner_pool.acquire().await?;
    sqlx::query!("SELECT pg_advisory_lock($1)", STARTUP_LOCK)
        .fetch_one(&mut *turn)
        .await?;
    let prepared = prepare(&owner_pool, embedded.is_some(), runtime.get_username()).await;
    sqlx::query!("SELECT pg_advisory_unlock($1)", STARTUP_LOCK)
        .fetch_one(&mut *turn)
        .await?;
    drop(turn);
    prepared?;
    owner_pool.close().await;
    let pool = pool(runtime, config.db_pool_size).await?;
    let replica = match &config.database_read_url {
        Some(url) => Some(self::pool(url.parse()?, config.db_pool_size).await?),
        None => None,
    };
    Ok(Database {
        pool,
        replica,
        embedded,
    })
}

/// The advisory lock key of preparing the database at start-up ("portfolj" in ASCII).
const STARTUP_LOCK: i64 = 0x706f_7274_666f_6c6a;

/// The runtime role (for the private server), the migrations and the runtime role's grants.
async fn prepare(owner: &PgPool, private: bool, runtime: &str) -> anyhow::Result<()> {
    if private {
        create_role_if_missing(owner, RUNTIME_ROLE).await?;
    }
    migrate(owner).await?;
    if owner.connect_options().get_username() != runtime {
        grant_runtime(owner, runtime).await?;
    }
    Ok(())
}

/// A login role without any privileges of its own, unless it exists already.
pub async fn create_role_if_missing(owner: &PgPool, role: &str) -> Result<(), sqlx::Error> {
    let exists: bool = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS \"exists!\"",
        role
    )
    .fetch_one(owner)
    .await?;
    if !exists {
        owner
            .execute(
                format!(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
                    quote(role)
                )
                .as_str(),
            )
            .await?;
    }
    Ok(())
}

/// What the runtime role may do, granted again after every migration so that new tables are
/// covered: read and write the application's tables, but only read and append to the audit
/// log, and leave the migration history alone. Ownership stays with the owner, so the runtime
/// role can neither alter a table nor disable a trigger.
pub async fn grant_runtime(owner: &PgPool, role: &str) -> Result<(), sqlx::Error> {
    let role = quote(role);
    let statements = [
        format!("GRANT USAGE ON SCHEMA public, tower_sessions TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tower_sessions TO {role}"
        ),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {role}"),
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _sqlx_migrations FROM {role}"),
    ];
    let mut tx = owner.begin().await?;
    for statement in statements {
        tx.execute(statement.as_str()).await?;
    }
    tx.commit().await
}

/// An SQL identifier in double quotes.
fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
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

/// Applies pending migrations (the session table's among them).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

async fn create_database_if_missing(server: &EmbeddedPostgres) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect_with(&server.connect_options("postgres")).await?;
    let exists: bool = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS \"exists!\"",
        DATABASE_NAME
    )
    .fetch_one(&mut conn)
    .await?;
    if !exists {
        conn.execute(format!("CREATE DATABASE {DATABASE_NAME}").as_str())
            .await?;
    }
    conn.close().await
}
