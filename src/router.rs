//! Every route of the application, with who may use it. The route × role matrix test reads
//! [`route_table`]; a route added here without an entry there fails the build's tests.

use axum::Router;
use tower_http::services::ServeDir;

use crate::{
    admin, audit, auth,
    domain::role::Role,
    health, home,
    web::{Access, AppError, AppState, Routes, access::RouteInfo},
};

/// Administrators only.
pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Those who read the audit log.
pub const AUDIT_READERS: Access = Access::Roles(&[Role::Admin, Role::Auditor]);

fn routes() -> Routes {
    Routes::new()
        .get("/healthz", Access::Public, health::healthz)
        .get("/readyz", Access::Public, health::readyz)
        .get("/logga-in", Access::Public, auth::handlers::show_sign_in)
        .post("/logga-in", Access::Public, auth::handlers::sign_in)
        .post("/logga-ut", Access::SignedIn, auth::handlers::sign_out)
        .get("/", Access::SignedIn, home::handlers::show_start)
        .get("/admin/anvandare", ADMIN, admin::handlers::list_users)
        .get("/admin/anvandare/ny", ADMIN, admin::handlers::new_user)
        .post("/admin/anvandare/ny", ADMIN, admin::handlers::create_user)
        .get("/admin/anvandare/{id}", ADMIN, admin::handlers::edit_user)
        .post("/admin/anvandare/{id}", ADMIN, admin::handlers::update_user)
        .post(
            "/admin/anvandare/{id}/inaktivera",
            ADMIN,
            admin::handlers::deactivate_user,
        )
        .post(
            "/admin/anvandare/{id}/aktivera",
            ADMIN,
            admin::handlers::activate_user,
        )
        .get("/logg", AUDIT_READERS, audit::handlers::show_log)
}

/// An item of the main navigation; shown to those its access allows.
pub struct NavItem {
    pub label: &'static str,
    pub path: &'static str,
    pub access: Access,
}

pub const NAV: &[NavItem] = &[
    NavItem {
        label: "Start",
        path: "/",
        access: Access::SignedIn,
    },
    NavItem {
        label: "Användare",
        path: "/admin/anvandare",
        access: ADMIN,
    },
    NavItem {
        label: "Revisionslogg",
        path: "/logg",
        access: AUDIT_READERS,
    },
];

/// The routes and their access rules, for the route × role matrix.
pub fn route_table() -> Vec<RouteInfo> {
    routes().into_parts().1
}

/// The routes, static files and the not-found page, without middleware.
pub fn router() -> Router<AppState> {
    let (router, _) = routes().into_parts();
    router
        .nest_service(
            "/static",
            ServeDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
        )
        .fallback(|| async { AppError::NotFound })
}
