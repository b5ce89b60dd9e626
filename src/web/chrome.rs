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
        visitor: Option<&csrf::VisitorToken>,
    ) -> Result<Self, AppError> {
        let nav = navigation(user.as_ref(), path);
        Ok(Self {
            csrf_token: csrf::page_token(session, user.is_some(), visitor).await?,
            flashes: flash::take(session).await?,
            user,
            nav,
            demo,
        })
    }

    /// The chrome of an error page: built from what is already known, without the session or
    /// the database, which may be what failed. No flash messages: they wait for the next page.
    pub fn for_error(
        user: Option<CurrentUser>,
        csrf_token: String,
        path: &str,
        demo: bool,
    ) -> Self {
        Self {
            nav: navigation(user.as_ref(), path),
            csrf_token,
            flashes: vec![],
            user,
            demo,
        }
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

/// The links of the main navigation this user may follow, the current one marked.
fn navigation(user: Option<&CurrentUser>, path: &str) -> Vec<NavLink> {
    NAV.iter()
        .filter(|item| item.access.allows(user))
        .map(|item| NavLink {
            label: item.label,
            href: item.path,
            current: item.path == path || (item.path != "/" && path.starts_with(item.path)),
        })
        .collect()
}

/// A page that only renders extracts its chrome directly; one that may also redirect extracts
/// the [`Page`](crate::web::Page) and builds the chrome when it renders.
impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        crate::web::Page::from_request_parts(parts, state)
            .await?
            .chrome()
            .await
    }
}
