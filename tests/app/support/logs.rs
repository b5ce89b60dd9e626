//! The test binary's tracing subscriber: the statement counter (`queries`), the application's
//! own log layer writing the whole run's log into memory, and a register of every secret the
//! tests have handled (passwords typed, session cookies, form tokens, API and metrics tokens), so
//! that `log_hygiene` can look for each of them in the log.

use std::{
    collections::BTreeSet,
    io,
    sync::{Mutex, Once, OnceLock},
};

use tracing::Level;
use tracing_subscriber::{
    EnvFilter, Layer, filter::Targets, fmt::MakeWriter, layer::SubscriberExt,
    util::SubscriberInitExt,
};

/// Secrets shorter than this also occur in ordinary words ("demo"), so they are not looked for.
const SHORTEST_SECRET: usize = 8;

fn log() -> &'static Mutex<Vec<u8>> {
    static LOG: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    LOG.get_or_init(Default::default)
}

fn secrets() -> &'static Mutex<BTreeSet<String>> {
    static SECRETS: OnceLock<Mutex<BTreeSet<String>>> = OnceLock::new();
    SECRETS.get_or_init(Default::default)
}

/// Installs the subscriber (once per test binary). `PORTFOLJ_TEST_LOG=1` also prints the log,
/// e.g. to see the cause of a 500.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let statements = Targets::new()
            .with_target("sqlx::query", Level::TRACE)
            .with_target("portfolj", Level::INFO)
            .with_target("tower_http", Level::INFO);
        // Always in the stack, filtered off when not asked for: an absent (`None`) layer beside
        // the filtered ones stops the spans' later-recorded fields reaching the JSON layer.
        let printed = match std::env::var_os("PORTFOLJ_TEST_LOG") {
            Some(_) => portfolj::telemetry::filter(),
            None => EnvFilter::new("off"),
        };
        let _ = tracing_subscriber::registry()
            .with(super::queries::StatementCounter.with_filter(statements))
            // JSON, as operations would run it: span fields are written out in full.
            .with(
                portfolj::telemetry::layer(true, Captured)
                    .with_filter(portfolj::telemetry::filter()),
            )
            .with(portfolj::telemetry::layer(false, io::stdout).with_filter(printed))
            .try_init();
    });
}

/// Remembers a secret a test handled, to be looked for in the log.
pub fn secret(value: &str) {
    if value.chars().count() >= SHORTEST_SECRET {
        secrets().lock().expect("secrets").insert(value.to_owned());
    }
}

/// The secrets handled so far that occur in the log written so far.
pub fn leaked_secrets() -> Vec<String> {
    let log = String::from_utf8_lossy(&log().lock().expect("log")).into_owned();
    let secrets = secrets().lock().expect("secrets").clone();
    secrets
        .into_iter()
        .filter(|s| log.contains(s.as_str()))
        .collect()
}

/// The log's lines so far that contain `needle`.
pub fn lines_with(needle: &str) -> Vec<String> {
    String::from_utf8_lossy(&log().lock().expect("log"))
        .lines()
        .filter(|line| line.contains(needle))
        .map(str::to_owned)
        .collect()
}

struct Captured;

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        log().lock().expect("log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'w> MakeWriter<'w> for Captured {
    type Writer = Captured;

    fn make_writer(&'w self) -> Self::Writer {
        Captured
    }
}
