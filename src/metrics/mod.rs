//! Prometheus metrics for operations: requests by route template (a count by status and a
//! latency histogram), the database pool (size, in use, how long a connection takes to get),
//! whether the database answers, and the build. The registry belongs to the application's
//! state, not to the process, so two applications in one process (the tests) count apart.
//!
//! `/metrics` is served on its own address (`PORTFOLJ_METRICS_ADDR`, for a network the
//! scraper reaches and users do not) or on the main one behind a bearer token
//! (`PORTFOLJ_METRICS_TOKEN`); with neither it is not served at all.

pub mod handlers;

use std::time::{Duration, Instant};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram, info::Info},
    registry::Registry,
};

use crate::web::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route's template (`/projekt/{id}`), never the path itself: one series per route.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: String,
}

/// Latency buckets in seconds, from 1 ms to about 8 s.
fn latency_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.001, 2.0, 14,
    ))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pool_size: Gauge,
    pool_in_use: Gauge,
    pool_acquire_microseconds: Gauge,
    database_up: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("portfolj");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Answered requests by method, route template and status",
            requests.clone(),
        );
        let latency: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by method and route template",
            latency.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let gauge = Gauge::default();
            registry.register(name, help, gauge.clone());
            gauge
        };
        let pool_size = gauge(
            &mut registry,
            "db_pool_connections",
            "Open database connections",
        );
        let pool_in_use = gauge(
            &mut registry,
            "db_pool_connections_in_use",
            "Database connections lent to a request now",
        );
        let pool_acquire_microseconds = gauge(
            &mut registry,
            "db_pool_acquire_microseconds",
            "How long getting a connection took when scraped: waiting for the pool",
        );
        let database_up = gauge(
            &mut registry,
            "database_up",
            "1 when the database answered within a second when scraped, else 0",
        );
        registry.register(
            "build",
            "The running build",
            Info::new(BuildLabels {
                version: env!("CARGO_PKG_VERSION").to_owned(),
            }),
        );
        Metrics {
            registry,
            requests,
            latency,
            pool_size,
            pool_in_use,
            pool_acquire_microseconds,
            database_up,
        }
    }

    fn observe(&self, (method, route): (String, String), status: u16, took: Duration) {
        self.latency
            .get_or_create(&RouteLabels {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(took.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    /// The text exposition, with the database's figures read now.
    pub async fn render(&self, db: &sqlx::PgPool) -> String {
        let size = i64::from(db.size());
        let idle = i64::try_from(db.num_idle()).unwrap_or(size);
        self.pool_size.set(size);
        self.pool_in_use.set(size - idle);
        let started = Instant::now();
        let answered = tokio::time::timeout(Duration::from_secs(1), async {
            let mut conn = db.acquire().await?;
            let waited = started.elapsed();
            sqlx::query_scalar!("SELECT 1 AS \"ok!\"")
                .fetch_one(&mut *conn)
                .await
                .map(|_| waited)
        })
        .await;
        match answered {
            Ok(Ok(waited)) => {
                let micros = i64::try_from(waited.as_micros()).unwrap_or(i64::MAX);
                self.pool_acquire_microseconds.set(micros);
                self.database_up.set(1);
            }
            _ => {
                self.database_up.set(0);
            }
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// The method as a label: the standard ones by name, any other as `other`. Anyone may send a
/// request with a made-up method before being asked who they are, and each would otherwise
/// become a series of its own.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times each request under its route's template (`unmatched` for the not-found
/// answers, so a scanner's paths do not become series).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(request.method()).to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    state
        .metrics
        .observe((method, route), status, started.elapsed());
    response
}
