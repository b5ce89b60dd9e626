//! The test harness: the real application on a random port over its own fresh database, and a
//! cookie-keeping client that reads pages the way a user would.

pub mod client;
pub mod cluster;
pub mod documents;
pub mod kept;
pub mod logs;
pub mod oidc;
pub mod queries;

use std::net::SocketAddr;

use portfolj::{AppState, Config};
use sqlx::PgPool;

pub use client::{Client, Page};

/// A running application with its own database.
pub struct TestApp {
    pub base_url: String,
    pub db: PgPool,
    pub db_name: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with the default test configuration changed by `adjust`.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_inner(adjust, axum::Router::new(), None).await
    }

    /// The same on an address bound beforehand, for a counterpart that must know the
    /// application's address before it starts (the OpenID provider's return address).
    pub async fn spawn_on(
        listener: tokio::net::TcpListener,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        Self::spawn_inner(adjust, axum::Router::new(), Some(listener)).await
    }

    /// Starts the app with `extra` routes inside the whole middleware stack, for behaviour no
    /// real route shows on purpose (a handler that panics).
    pub async fn spawn_with_routes(extra: axum::Router<AppState>) -> Self {
        Self::spawn_inner(|_| {}, extra, None).await
    }

    async fn spawn_inner(
        adjust: impl FnOnce(&mut Config),
        extra: axum::Router<AppState>,
        listener: Option<tokio::net::TcpListener>,
    ) -> Self {
        logs::install();
        let cluster = cluster::cluster();
        let (db_name, options) = cluster.fresh_database().await;
        let mut config = Config::from_lookup(|_| None).expect("default config");
        config.demo = true;
        config.db_pool_size = 8;
        adjust(&mut config);
        let db = portfolj::db::pool(options, config.db_pool_size)
            .await
            .expect("connect to test database");
        let listener = match listener {
            Some(bound) => bound,
            None => tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind"),
        };
        let addr = listener.local_addr().expect("address");
        let state = AppState::new(db.clone(), config).expect("state");
        let routes = portfolj::router::router().merge(extra);
        let app = portfolj::web::middleware::wrap(routes, state, portfolj::router::upload_paths());
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        Self {
            base_url: format!("http://{addr}"),
            db,
            db_name,
        }
    }

    /// A new visitor with an empty cookie jar.
    pub fn client(&self) -> Client {
        Client::new(&self.base_url)
    }

    /// A visitor signed in with a demo account (password `demo`).
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = self.client();
        let page = client.sign_in(email, "demo").await;
        assert_eq!(page.status, 303, "sign-in as {email} failed: {}", page.body);
        client
    }

    /// A connection as the owner of the tables, for tests that break the schema on purpose.
    pub async fn owner(&self) -> sqlx::PgConnection {
        cluster::cluster().owner_connection(&self.db_name).await
    }

    /// The id of the municipality called `name`.
    pub async fn municipality_id(&self, name: &str) -> String {
        self.text_of("SELECT id::text FROM municipality WHERE name = $1", name)
            .await
    }

    /// The one text `sql` selects with `$1` bound to `arg`.
    pub async fn text_of(&self, sql: &str, arg: &str) -> String {
        sqlx::query_scalar(sql)
            .bind(arg)
            .fetch_one(&self.db)
            .await
            .expect("text query")
    }

    /// Number of rows `sql` counts.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.db)
            .await
            .expect("count query")
    }

    /// Returns once the backend `pid` (or, without one, any connection to this test's database)
    /// waits for a lock, or `task` has finished; after 5 s at the most.
    pub async fn blocked_or_done<T>(&self, pid: Option<i32>, task: &tokio::task::JoinHandle<T>) {
        for _ in 0..500 {
            let waiting: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() \
                 AND wait_event_type = 'Lock' AND ($1::int IS NULL OR pid = $1))",
            )
            .bind(pid)
            .fetch_one(&self.db)
            .await
            .expect("pg_stat_activity");
            if waiting || task.is_finished() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

/// The demo accounts, one per role.
pub const ADMIN: &str = "admin@demo.portfolj.se";
pub const IT_CENTER: &str = "itcenter@demo.portfolj.se";
pub const CONTROLLER: &str = "controller@demo.portfolj.se";
pub const STRATEGY_LUDVIKA: &str = "strategi.ludvika@demo.portfolj.se";
pub const STRATEGY_SMEDJEBACKEN: &str = "strategi.smedjebacken@demo.portfolj.se";
pub const COORDINATION: &str = "samordning@demo.portfolj.se";
pub const SECRETARY: &str = "sekreterare@demo.portfolj.se";
pub const AUDITOR: &str = "revisor@demo.portfolj.se";
/// The secretary of Gemensamma servicenämnden, the board of the demo's period follow-up.
pub const SECRETARY_GSN: &str = "sekreterare.gsn@demo.portfolj.se";
/// The head of administration of Gemensamma servicenämnden.
pub const HEAD_OF_ADMINISTRATION: &str = "forvaltningschef@demo.portfolj.se";

pub const ALL_ACCOUNTS: [&str; 10] = [
    ADMIN,
    IT_CENTER,
    CONTROLLER,
    STRATEGY_LUDVIKA,
    STRATEGY_SMEDJEBACKEN,
    COORDINATION,
    SECRETARY,
    SECRETARY_GSN,
    HEAD_OF_ADMINISTRATION,
    AUDITOR,
];
