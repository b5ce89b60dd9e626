//! One PostgreSQL for the whole test run, obtained the way the app obtains it: from
//! `DATABASE_URL`, or else the private server (initialised once and kept in `target/tmp`).
//! A template database is migrated and filled with demo data once per run; each test clones it.

use std::{
    fs::File,
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use portfolj::db::{
    self,
    embedded::{EmbeddedOptions, EmbeddedPostgres},
};
use sqlx::{Connection, Executor, PgConnection, postgres::PgConnectOptions};

pub struct Cluster {
    admin: PgConnectOptions,
    template: String,
    prefix: String,
    _server: Option<EmbeddedPostgres>,
    /// Held for the life of the process: one test process at a time uses the private server.
    _lock: Option<File>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

/// The cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        // Started outside any test's runtime: its connections must outlive that runtime.
        std::thread::spawn(Cluster::start)
            .join()
            .expect("test cluster failed to start")
    })
}

impl Cluster {
    fn start() -> Cluster {
        let prefix = format!("t{}_", std::process::id());
        let (admin, server, lock) = match std::env::var("DATABASE_URL") {
            Ok(url) => (
                url.parse::<PgConnectOptions>().expect("DATABASE_URL"),
                None,
                None,
            ),
            Err(_) => {
                let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-pg");
                std::fs::create_dir_all(&dir).expect("create test-pg dir");
                let lock = File::create(dir.join("lock")).expect("create lock file");
                lock.lock().expect("lock test cluster");
                let server = EmbeddedPostgres::start(&EmbeddedOptions {
                    dir,
                    ephemeral: true,
                })
                .expect("start the private PostgreSQL for tests");
                (server.connect_options("postgres"), Some(server), Some(lock))
            }
        };
        let template = format!("{prefix}template");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(prepare_template(&admin, &template, server.is_some()));
        Cluster {
            admin,
            template,
            prefix,
            _server: server,
            _lock: lock,
        }
    }

    /// A fresh database cloned from the template; its name is unique in this run. The options
    /// connect as the runtime role, as the application does, when the private server is used.
    pub async fn fresh_database(&self) -> (String, PgConnectOptions) {
        let name = format!(
            "{}{}",
            self.prefix,
            NEXT_DATABASE.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = PgConnection::connect_with(&self.admin)
            .await
            .expect("connect as admin");
        conn.execute(format!("CREATE DATABASE {name} TEMPLATE {}", self.template).as_str())
            .await
            .expect("clone template database");
        conn.close().await.ok();
        let options = self.admin.clone().database(&name);
        let options = if self._server.is_some() {
            options.username(db::RUNTIME_ROLE)
        } else {
            options
        };
        (name, options)
    }

    /// A new empty database (no tables, no data), as an operator creates one for the
    /// application: the URL of its owner and the URL the application runs with.
    pub async fn empty_database(&self) -> (String, String) {
        let name = format!(
            "{}{}",
            self.prefix,
            NEXT_DATABASE.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = self.admin_connection().await;
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create empty database");
        conn.close().await.ok();
        let owner = self.url(&name);
        let mut runtime = url::Url::parse(&owner).expect("URL");
        if self.runs_as_runtime_role() {
            runtime.set_username(db::RUNTIME_ROLE).expect("user name");
        }
        (owner, runtime.to_string())
    }

    /// The owner of a database's tables (the role that ran its migrations).
    pub async fn owner_connection(&self, database: &str) -> PgConnection {
        PgConnection::connect_with(&self.admin.clone().database(database))
            .await
            .expect("connect as owner")
    }

    /// Whether the application's role is split from the owner's, as in the private server.
    pub fn runs_as_runtime_role(&self) -> bool {
        self._server.is_some()
    }

    /// A connection to the maintenance database, for tests that manage databases.
    pub async fn admin_connection(&self) -> PgConnection {
        PgConnection::connect_with(&self.admin)
            .await
            .expect("connect as admin")
    }

    /// A `postgresql://` URL for `database`, for the binary under test.
    pub fn url(&self, database: &str) -> String {
        match &self._server {
            Some(server) => server.url(database),
            None => {
                let mut url =
                    url::Url::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
                        .expect("URL");
                url.set_path(&format!("/{database}"));
                url.to_string()
            }
        }
    }
}

async fn prepare_template(admin: &PgConnectOptions, template: &str, private_server: bool) {
    let mut conn = PgConnection::connect_with(admin)
        .await
        .expect("connect as admin");
    if private_server {
        // Only this process uses the private server (see the lock): what is left is from runs
        // that were killed.
        let stale: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname ~ '^t[0-9]+_'")
                .fetch_all(&mut conn)
                .await
                .expect("list stale databases");
        for name in stale {
            conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .ok();
        }
    }
    conn.execute(format!("DROP DATABASE IF EXISTS {template} WITH (FORCE)").as_str())
        .await
        .expect("drop template");
    conn.execute(format!("CREATE DATABASE {template}").as_str())
        .await
        .expect("create template");
    conn.close().await.ok();
    let pool = db::pool(admin.clone().database(template), 2)
        .await
        .expect("connect to template");
    db::migrate(&pool).await.expect("migrate template");
    if private_server {
        db::create_role_if_missing(&pool, db::RUNTIME_ROLE)
            .await
            .expect("create runtime role");
        db::grant_runtime(&pool, db::RUNTIME_ROLE)
            .await
            .expect("grant the runtime role");
    }
    db::demo::load_if_empty(&pool)
        .await
        .expect("load demo data");
    pool.close().await;
}
