//! The signed-in user of a request, loaded once per request by the session middleware.

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::request::Parts,
};
use uuid::Uuid;

use crate::{domain::role::Role, web::AppError};

/// The API token a request came with (`api::auth`), beside its user: the audit trail names it.
#[derive(Debug, Clone, Copy)]
pub struct ApiCaller {
    pub token_id: Uuid,
    pub can_write: bool,
}

/// One role held, with what it is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub municipality_id: Option<Uuid>,
    pub board_id: Option<Uuid>,
}

/// A signed-in, active user and the roles they hold.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// Sessions signed in at or before this moment (seconds since 1970) are no longer valid.
    pub sessions_valid_after: i64,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// The roles held, each once, in the model's order.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// How the user appears in the audit log.
    pub fn label(&self) -> String {
        format!("{} <{}>", self.display_name, self.email)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Routes needing a user are guarded by `Access`; reaching here without one is a bug in
        // the route table, answered as "forbidden" rather than trusted.
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Forbidden)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}
