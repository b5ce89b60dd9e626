//! What every page around its content needs: the signed-in user, the navigation that user may
//! follow, the CSRF token for forms, and the flash messages waiting to be shown.

use axum::{extract::FromRequestParts, http::request::Parts};
use tower_sessions::Session;

use crate::{
    router::NAV,
    web::{
        AppError, AppState, CurrentUser, csrf,
        flash::{self, Flash},
    },
};

/// One link in the main navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
}

/// The page chrome: extracted by every handler that renders a full page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub user: Option<CurrentUser>,
    pub csrf_token: String,
    pub flashes: Vec<Flash>,
    pub nav: Vec<NavLink>,
    pub demo: bool,
}

impl Chrome {
    pub async fn load(
        session: &Session,
        user: Option<CurrentUser>,
        path: &str,
        demo: bool,
    ) -> Result<Self, AppError> {
        let nav = NAV
            .iter()
            .filter(|item| item.access.allows(user.as_ref()))
            .map(|item| NavLink {
                label: item.label,
                href: item.path,
                current: item.path == path || (item.path != "/" && path.starts_with(item.path)),
            })
            .collect();
        Ok(Self {
            csrf_token: csrf::token(session).await?,
            flashes: flash::take(session).await?,
            user,
            nav,
            demo,
        })
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.display_name.as_str())
    }

    pub fn role_labels(&self) -> String {
        self.user
            .as_ref()
            .map(|u| {
                u.roles()
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::Internal("session layer missing".into()))?;
        let user = parts.extensions.get::<CurrentUser>().cloned();
        Self::load(&session, user, parts.uri.path(), state.config.demo).await
    }
}
