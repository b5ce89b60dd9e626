//! The one application state every handler receives: cheap to clone.

use std::sync::Arc;

use sqlx::PgPool;

use crate::{config::Config, sso::provider::Provider};

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The municipality's OpenID provider, when single sign-on is configured.
    pub sso: Option<Arc<Provider>>,
    /// A streaming replica for the read-only pages (`web::replica`).
    pub replica: Option<PgPool>,
}

impl AppState {
    /// Fails only on a single sign-on setting that makes no address.
    pub fn new(db: PgPool, config: Config) -> anyhow::Result<Self> {
        let sso = match &config.sso {
            Some(settings) => Some(Arc::new(Provider::new(
                settings.clone(),
                &config.public_url,
            )?)),
            None => None,
        };
        Ok(Self {
            db,
            config: Arc::new(config),
            metrics: Arc::new(crate::metrics::Metrics::new()),
            sso,
            replica: None,
        })
    }

    /// The same, with `replica` serving the read-only pages.
    pub fn with_replica(self, replica: Option<PgPool>) -> Self {
        Self { replica, ..self }
    }
}
