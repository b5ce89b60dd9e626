//! The one application state every handler receives: cheap to clone.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
            metrics: Arc::new(crate::metrics::Metrics::new()),
        }
    }
}
