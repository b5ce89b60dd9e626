//! Portfolj: governance of municipal IT and digitalisation investments.
//!
//! [`app`] builds the whole application for a state, so tests start exactly what runs in
//! production; [`serve`] opens the database and serves until SIGTERM or Ctrl-C.

pub mod admin;
pub mod api;
pub mod api_tokens;
pub mod audit;
pub mod auditor_checks;
pub mod auth;
pub mod benefits;
pub mod budget;
pub mod cli;
pub mod columns;
pub mod config;
pub mod council_goals;
pub mod db;
pub mod documents;
pub mod domain;
pub mod final_report;
pub mod follow_up;
pub mod fund;
pub mod goals;
pub mod health;
pub mod home;
pub mod imports;
pub mod letterheads;
pub mod metrics;
pub mod operation;
pub mod paths;
pub mod portfolio;
pub mod projects;
pub mod router;
pub mod sso;
pub mod telemetry;
pub mod web;

use std::{net::SocketAddr, time::Instant};

use axum::{Router, serve::ListenerExt};
use tokio::net::TcpListener;

pub use config::Config;
pub use web::AppState;

/// The application with every route and middleware.
pub fn app(state: AppState) -> Router {
    web::middleware::wrap(router::router(), state, router::upload_paths())
}

/// Opens (or starts) the database, loads demo data when asked, and serves until told to stop.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let started = Instant::now();
    let database = db::open(&config).await?;
    if config.demo && db::demo::load_if_empty(&database.pool).await? {
        tracing::info!("demo data loaded");
    }
    refuse_demo_accounts_on_network(&config, &database.pool).await?;
    spawn_cleanup(&database.pool);
    // A ledger file being read when the server stopped has incomplete staged rows.
    let interrupted = imports::repo::fail_interrupted(&database.pool).await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "ledger imports interrupted by a restart marked failed"
        );
    }
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    // Responses go out as soon as they are written: with Nagle's algorithm the last part of a
    // response written in two pieces could wait for the client's delayed acknowledgement.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    let demo = config.demo;
    let state =
        AppState::new(database.pool.clone(), config)?.with_replica(database.replica.clone());
    if let Some(metrics_addr) = state.config.metrics_addr {
        let listener = TcpListener::bind(metrics_addr).await?;
        let metrics = metrics::handlers::alone(state.clone());
        tracing::info!(%metrics_addr, "metrics served");
        tokio::spawn(async move { axum::serve(listener, metrics).await });
    }
    let shutdown = shutdown_signal()?;
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, %addr, "ready");
    print_banner(addr, demo);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    tracing::info!("stopping");
    database.pool.close().await;
    if let Some(server) = database.embedded {
        tokio::task::spawn_blocking(move || server.stop()).await?;
    }
    Ok(())
}

/// Demo accounts share the password "demo": served on anything but loopback, anyone who reads
/// the README could sign in as the administrator. Starting that way takes an explicit yes.
async fn refuse_demo_accounts_on_network(config: &Config, db: &sqlx::PgPool) -> anyhow::Result<()> {
    if config.addr.ip().is_loopback() || config.allow_demo_on_network {
        return Ok(());
    }
    let demo_accounts = db::demo::active_accounts(db).await?;
    if config.demo || demo_accounts > 0 {
        anyhow::bail!(
            "Vägrar starta på {addr}: demokonton med lösenordet \"demo\" skulle kunna nås från \
             nätverket. Starta på 127.0.0.1, inaktivera demokontona, eller ange \
             PORTFOLJ_ALLOW_DEMO_ON_NETWORK=1 om det är avsikten.\n\
             Refusing to start on {addr}: demo accounts with the password \"demo\" would be \
             reachable from the network ({demo_accounts} active). Listen on 127.0.0.1, deactivate \
             them, or set PORTFOLJ_ALLOW_DEMO_ON_NETWORK=1 if that is intended.",
            addr = config.addr
        );
    }
    Ok(())
}

/// Expired sessions and old create-form ids (`operation::submission`) are deleted hourly.
fn spawn_cleanup(pool: &sqlx::PgPool) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = auth::session_store(pool.clone());
    let pool = pool.clone();
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "expired sessions not deleted");
            }
            if let Err(e) = operation::submission::delete_old(&pool).await {
                tracing::warn!(error = %e, "old form submissions not deleted");
            }
        }
    });
}

fn print_banner(addr: SocketAddr, demo: bool) {
    println!("Portfolj kör på http://{addr}/");
    if demo {
        println!("Demokonton (lösenord \"{}\"):", db::demo::PASSWORD);
        for account in db::demo::ACCOUNTS {
            println!("  {:<40} {}", account.email, account.role_text);
        }
    }
}

/// Listens for Ctrl-C and SIGTERM from now on. The handlers are installed before the address is
/// printed: a signal sent as soon as the server says it runs must stop it gracefully, not kill it
/// by the default action because axum had not yet polled the future that installs them.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
    })
}
