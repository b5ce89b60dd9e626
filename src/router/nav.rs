//! The main navigation: each item is shown to those its access allows, in this order.

use crate::{paths::route, router::groups::*, web::Access};

/// An item of the main navigation; shown to those its access allows.
pub struct NavItem {
    pub label: &'static str,
    pub path: &'static str,
    pub access: Access,
}

pub const NAV: &[NavItem] = &[
    NavItem {
        label: "Start",
        path: route::start,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Projekt",
        path: route::projects,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Portfölj",
        path: route::items,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Omgångar",
        path: route::rounds,
        access: ROUND_PARTICIPANTS,
    },
    NavItem {
        label: "Uppföljning",
        path: route::follow_ups,
        access: FOLLOW_UP_READERS,
    },
    NavItem {
        label: "Effektmål",
        path: route::smart_goals,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Nyttor",
        path: route::benefits,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Fond",
        path: route::funds,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Fullmäktiges mål",
        path: route::council_goals,
        access: Access::SignedIn,
    },
    NavItem {
        label: "Användare",
        path: route::users,
        access: ADMIN,
    },
    NavItem {
        label: "Inloggning",
        path: route::sso_groups,
        access: ADMIN,
    },
    NavItem {
        label: "Kommuner",
        path: route::municipalities,
        access: ADMIN,
    },
    NavItem {
        label: "Modeller",
        path: route::scoring_models,
        access: ADMIN,
    },
    NavItem {
        label: "Revision",
        path: route::auditor_checks,
        access: AUDIT_READERS,
    },
    NavItem {
        label: "Revisionslogg",
        path: route::audit_log,
        access: AUDIT_READERS,
    },
];
