//! Counts the SQL statements each request runs. sqlx reports every statement as a tracing event
//! (target `sqlx::query`) inside the span of the request that ran it, and that span carries the
//! request id the response returns in `x-request-id`.

use std::{
    collections::HashMap,
    fmt,
    sync::{Mutex, OnceLock},
};

use tracing::{
    Subscriber,
    field::{Field, Visit},
    span,
};
use tracing_subscriber::{Layer, layer::Context, registry::LookupSpan};

fn counts() -> &'static Mutex<HashMap<String, usize>> {
    static COUNTS: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    COUNTS.get_or_init(Default::default)
}

/// Installs the test binary's subscriber, with the counter in it.
pub fn install() {
    super::logs::install();
}

/// The number of statements the request with this id ran.
pub fn statements(request_id: &str) -> usize {
    counts()
        .lock()
        .expect("counts")
        .get(request_id)
        .copied()
        .unwrap_or(0)
}

struct RequestId(String);

pub struct StatementCounter;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for StatementCounter {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let mut visitor = FindRequestId(None);
        attrs.record(&mut visitor);
        if let (Some(request_id), Some(span)) = (visitor.0, ctx.span(id)) {
            span.extensions_mut().insert(RequestId(request_id));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("sqlx::query") {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(RequestId(id)) = span.extensions().get::<RequestId>() {
                *counts()
                    .lock()
                    .expect("counts")
                    .entry(id.clone())
                    .or_default() += 1;
                return;
            }
        }
    }
}

struct FindRequestId(Option<String>);

impl Visit for FindRequestId {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "request_id" {
            self.0 = Some(format!("{value:?}"));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "request_id" {
            self.0 = Some(value.to_owned());
        }
    }
}
