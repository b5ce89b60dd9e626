//! Logging: human-readable lines, or JSON with `LOG_FORMAT=json`; `RUST_LOG` filters.
//!
//! Every line a request writes carries its span: method, path (never the query string, which
//! may hold a sign-in code), the request id and, once known, the user id and the API token's id.
//! Nothing here logs a password, a token, a session id or a form's content; the test harness
//! formats the whole test run's log with this same layer and looks for them in it.

use tracing::Subscriber;
use tracing_subscriber::{
    EnvFilter, Layer, fmt, fmt::MakeWriter, prelude::*, registry::LookupSpan,
};

/// What is logged when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info,tower_http=info,sqlx=warn,tower_sessions=warn";

pub fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER))
}

/// The formatting layer, writing to `writer`: the same in the server and in the tests.
pub fn layer<S, W>(json: bool, writer: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    if json {
        fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(writer)
            .boxed()
    } else {
        fmt::layer().with_target(false).with_writer(writer).boxed()
    }
}

pub fn init(json: bool) {
    tracing_subscriber::registry()
        .with(layer(json, std::io::stdout).with_filter(filter()))
        .init();
}
