//! Keeps the private PostgreSQL running. If the server dies (a crash, the OOM killer, `kill -9`),
//! the log says so and the server is started again, waiting 1, 2, 4 … up to 30 seconds between
//! attempts. The pool reconnects to the same socket by itself, so service returns without a
//! supervisor outside the process; with an external database there is nothing to restart.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use crate::db::embedded::{EmbeddedOptions, EmbeddedPostgres};

const CHECK_EVERY: Duration = Duration::from_millis(250);
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The private server under watch. Dropping it (or [`Supervised::stop`]) stops the server.
pub struct Supervised {
    shared: Arc<Shared>,
    watcher: Option<JoinHandle<()>>,
}

struct Shared {
    server: Mutex<Option<EmbeddedPostgres>>,
    stopping: AtomicBool,
    options: EmbeddedOptions,
}

impl Supervised {
    pub fn watch(server: EmbeddedPostgres, options: EmbeddedOptions) -> Self {
        let shared = Arc::new(Shared {
            server: Mutex::new(Some(server)),
            stopping: AtomicBool::new(false),
            options,
        });
        let watched = shared.clone();
        let watcher = std::thread::Builder::new()
            .name("postgres-supervisor".into())
            .spawn(move || keep_running(&watched))
            .ok();
        Self { shared, watcher }
    }

    /// The running server's process id.
    pub fn server_pid(&self) -> Option<u32> {
        self.shared
            .server
            .lock()
            .ok()?
            .as_ref()
            .and_then(EmbeddedPostgres::server_pid)
    }

    /// Stops watching, then asks the server for a fast shutdown and waits for it.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        let server = self.shared.server.lock().ok().and_then(|mut s| s.take());
        if let Some(server) = server {
            server.stop();
        }
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn keep_running(shared: &Shared) {
    while !shared.stopping.load(Ordering::SeqCst) {
        std::thread::sleep(CHECK_EVERY);
        let Ok(mut server) = shared.server.lock() else {
            return;
        };
        let Some(status) = server.as_mut().and_then(EmbeddedPostgres::exited) else {
            continue;
        };
        tracing::error!(
            %status,
            "the private PostgreSQL stopped unexpectedly; restarting it (requests meanwhile get 503)"
        );
        *server = None;
        *server = restart(shared);
    }
}

/// Starts the server again, backing off between failed attempts, until it runs or we stop.
fn restart(shared: &Shared) -> Option<EmbeddedPostgres> {
    let mut backoff = FIRST_BACKOFF;
    let down_since = Instant::now();
    loop {
        // Backends of the dead server notice and exit; give them a moment before starting over.
        if !sleep_unless_stopping(shared, backoff) {
            return None;
        }
        match EmbeddedPostgres::start(&shared.options) {
            Ok(server) => {
                tracing::info!(
                    down_ms = down_since.elapsed().as_millis() as u64,
                    "the private PostgreSQL runs again"
                );
                return Some(server);
            }
            Err(e) => {
                tracing::error!(error = %e, retry_in_s = backoff.as_secs(), "restarting the private PostgreSQL failed");
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

fn sleep_unless_stopping(shared: &Shared, total: Duration) -> bool {
    let until = Instant::now() + total;
    while Instant::now() < until {
        if shared.stopping.load(Ordering::SeqCst) {
            return false;
        }
        std::thread::sleep(CHECK_EVERY);
    }
    !shared.stopping.load(Ordering::SeqCst)
}
