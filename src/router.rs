//! Every route of the application, with who may use it. The route × role matrix test reads
//! [`route_table`]; a route added here without an entry there fails the build's tests.

use axum::Router;

use crate::{
    admin, audit, auth, budget, council_goals,
    domain::role::Role,
    final_report, goals, health, home, portfolio, projects,
    web::{Access, AppError, AppState, Routes, access::RouteInfo},
};

/// Administrators only.
pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Those who read the audit log.
pub const AUDIT_READERS: Access = Access::Roles(&[Role::Admin, Role::Auditor]);
/// IT-center: creates and edits projects and their effect goals.
pub const IT_CENTER: Access = Access::Roles(&[Role::ItCenter]);
/// Those who write final reports; secretaries only for their own boards (checked per project).
pub const REPORT_WRITERS: Access =
    Access::Roles(&[Role::ItCenter, Role::Controller, Role::Secretary]);
/// The coordination group: ranks and decides the portfolio.
pub const COORDINATION: Access = Access::Roles(&[Role::CoordinationGroup]);
/// Strategy groups: review the portfolio for their municipality (checked per municipality).
pub const STRATEGY_GROUPS: Access = Access::Roles(&[Role::StrategyGroup]);
/// Those who read the ranking board: the round's working material (auditors once it is decided).
pub const BOARD_READERS: Access = Access::Roles(&[
    Role::Admin,
    Role::ItCenter,
    Role::CoordinationGroup,
    Role::Auditor,
]);
/// Those who run a round: IT-center compiles it, the coordination group prioritises it.
pub const ROUND_RUNNERS: Access = Access::Roles(&[Role::ItCenter, Role::CoordinationGroup]);
/// Controllers: budget lines, outcome and the economic fields.
pub const CONTROLLERS: Access = Access::Roles(&[Role::Controller]);

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
        .get(
            "/projekt",
            Access::SignedIn,
            projects::handlers::list_projects,
        )
        .get("/projekt/nytt", IT_CENTER, projects::handlers::new_project)
        .post(
            "/projekt/nytt",
            IT_CENTER,
            projects::handlers::create_project,
        )
        .get(
            "/projekt/{id}",
            Access::SignedIn,
            projects::handlers::show_project,
        )
        .get(
            "/projekt/{id}/redigera",
            IT_CENTER,
            projects::handlers::edit_project,
        )
        .post(
            "/projekt/{id}/redigera",
            IT_CENTER,
            projects::handlers::update_project,
        )
        .get(
            "/projekt/{id}/ekonomi",
            CONTROLLERS,
            projects::economy::edit_economy,
        )
        .post(
            "/projekt/{id}/ekonomi",
            CONTROLLERS,
            projects::economy::update_economy,
        )
        .post(
            "/projekt/{id}/status",
            IT_CENTER,
            projects::status::change_status,
        )
        .get(
            "/projekt/{id}/historik",
            Access::SignedIn,
            projects::handlers::show_history,
        )
        .get(
            "/projekt/{id}/effektmal",
            Access::SignedIn,
            goals::handlers::show_goals,
        )
        .get(
            "/projekt/{id}/effektmal/nytt",
            IT_CENTER,
            goals::handlers::new_goal,
        )
        .post(
            "/projekt/{id}/effektmal/nytt",
            IT_CENTER,
            goals::handlers::create_goal,
        )
        .get(
            "/projekt/{id}/effektmal/{goal}",
            IT_CENTER,
            goals::handlers::edit_goal,
        )
        .post(
            "/projekt/{id}/effektmal/{goal}",
            IT_CENTER,
            goals::handlers::update_goal,
        )
        .post(
            "/projekt/{id}/effektmal/{goal}/matningar",
            IT_CENTER,
            goals::handlers::create_measurement,
        )
        .get(
            "/projekt/{id}/budget",
            Access::SignedIn,
            budget::handlers::show_budget,
        )
        .post(
            "/projekt/{id}/budget",
            CONTROLLERS,
            budget::handlers::update_lines,
        )
        .post(
            "/projekt/{id}/budget/rader",
            CONTROLLERS,
            budget::handlers::create_line,
        )
        .get(
            "/projekt/{id}/budget/rader/{line}",
            Access::SignedIn,
            budget::handlers::show_line,
        )
        .post(
            "/projekt/{id}/budget/rader/{line}",
            CONTROLLERS,
            budget::handlers::update_line,
        )
        .post(
            "/projekt/{id}/budget/rader/{line}/utfall",
            CONTROLLERS,
            budget::handlers::create_entry,
        )
        .post(
            "/projekt/{id}/budget/delenheter",
            CONTROLLERS,
            budget::handlers::create_sub_entity,
        )
        .get(
            "/effektmal",
            Access::SignedIn,
            goals::handlers::show_smart_list,
        )
        .get(
            "/projekt/{id}/slutredovisning",
            Access::SignedIn,
            final_report::handlers::show_report,
        )
        .post(
            "/projekt/{id}/slutredovisning/status",
            REPORT_WRITERS,
            final_report::decision::move_report,
        )
        .get(
            "/projekt/{id}/slutredovisning/protokoll",
            Access::SignedIn,
            final_report::decision::show_protocol,
        )
        .get(
            "/slutredovisningar",
            Access::SignedIn,
            final_report::meeting::list_drafts,
        )
        .get(
            "/slutredovisningar/sammantrade.zip",
            Access::SignedIn,
            final_report::meeting::download_batch,
        )
        .get(
            "/projekt/{id}/slutredovisning/versioner",
            Access::SignedIn,
            final_report::versions::show_versions,
        )
        .get(
            "/projekt/{id}/slutredovisning.pdf",
            Access::SignedIn,
            final_report::handlers::export_pdf,
        )
        .get(
            "/projekt/{id}/slutredovisning.docx",
            Access::SignedIn,
            final_report::handlers::export_docx,
        )
        .get(
            "/projekt/{id}/slutredovisning/redigera",
            REPORT_WRITERS,
            final_report::handlers::edit_report,
        )
        .post(
            "/projekt/{id}/slutredovisning/redigera",
            REPORT_WRITERS,
            final_report::handlers::update_report,
        )
        .get(
            "/mal",
            Access::SignedIn,
            council_goals::handlers::list_goals,
        )
        .post("/mal", ADMIN, council_goals::handlers::create_goal)
        .post(
            "/mal/{id}/inaktivera",
            ADMIN,
            council_goals::handlers::deactivate_goal,
        )
        .post(
            "/mal/{id}/aktivera",
            ADMIN,
            council_goals::handlers::activate_goal,
        )
        .get("/portfolj", Access::SignedIn, portfolio::items::list_items)
        .get("/portfolj/nytt", IT_CENTER, portfolio::items::new_item)
        .get(
            "/portfolj/import",
            IT_CENTER,
            portfolio::import::show_import,
        )
        .post(
            "/portfolj/import",
            IT_CENTER,
            portfolio::import::preview_import,
        )
        .post(
            "/portfolj/import/spara",
            IT_CENTER,
            portfolio::import::save_import,
        )
        .post("/portfolj/nytt", IT_CENTER, portfolio::items::create_item)
        .get(
            "/portfolj/{id}",
            Access::SignedIn,
            portfolio::items::show_item,
        )
        .get(
            "/portfolj/{id}/redigera",
            IT_CENTER,
            portfolio::items::edit_item,
        )
        .post(
            "/portfolj/{id}/redigera",
            IT_CENTER,
            portfolio::items::update_item,
        )
        .post(
            "/portfolj/{id}/bestallningar",
            IT_CENTER,
            portfolio::orders::create_order,
        )
        .post(
            "/portfolj/{id}/levererat",
            IT_CENTER,
            portfolio::orders::mark_delivered,
        )
        .post(
            "/portfolj/bestallningar/{id}/registrera",
            IT_CENTER,
            portfolio::orders::register_order,
        )
        .get(
            "/omgangar",
            Access::SignedIn,
            portfolio::rounds::list_rounds,
        )
        .post("/omgangar", IT_CENTER, portfolio::rounds::create_round)
        .get(
            "/omgangar/{id}",
            Access::SignedIn,
            portfolio::rounds::show_round,
        )
        .post(
            "/omgangar/{id}/installningar",
            ROUND_RUNNERS,
            portfolio::rounds::update_settings,
        )
        .post(
            "/omgangar/{id}/vikter",
            ADMIN,
            portfolio::rounds::update_weights,
        )
        .post(
            "/omgangar/{id}/fas",
            ROUND_RUNNERS,
            portfolio::rounds::advance_phase,
        )
        .post(
            "/omgangar/{id}/objekt",
            IT_CENTER,
            portfolio::rounds::take_items,
        )
        .get(
            "/omgangar/{id}/beredning/{municipality}",
            Access::SignedIn,
            portfolio::review::show_review,
        )
        .post(
            "/omgangar/{id}/beredning/{municipality}",
            STRATEGY_GROUPS,
            portfolio::review::update_review,
        )
        .get(
            "/omgangar/{id}/rangordning",
            BOARD_READERS,
            portfolio::board::show_board,
        )
        .post(
            "/omgangar/{id}/rangordning",
            COORDINATION,
            portfolio::board::save_ranking,
        )
        .get(
            "/omgangar/{id}/forslag",
            BOARD_READERS,
            portfolio::suggestion::show_suggestion,
        )
        .post(
            "/omgangar/{id}/forslag",
            COORDINATION,
            portfolio::suggestion::apply_suggestion,
        )
        .get(
            "/omgangar/{id}/beslut",
            COORDINATION,
            portfolio::decision::show_decision,
        )
        .post(
            "/omgangar/{id}/beslut",
            COORDINATION,
            portfolio::decision::decide_round,
        )
        .get(
            "/omgangar/{id}/protokoll.docx",
            Access::SignedIn,
            portfolio::protocol::export_docx,
        )
        .get(
            "/omgangar/{id}/protokoll.xlsx",
            Access::SignedIn,
            portfolio::protocol::export_xlsx,
        )
        .get(
            "/omgangar/{id}/jamforelse",
            BOARD_READERS,
            portfolio::comparison::show_comparison,
        )
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
        label: "Projekt",
        path: "/projekt",
        access: Access::SignedIn,
    },
    NavItem {
        label: "Portfölj",
        path: "/portfolj",
        access: Access::SignedIn,
    },
    NavItem {
        label: "Effektmål",
        path: "/effektmal",
        access: Access::SignedIn,
    },
    NavItem {
        label: "Fullmäktiges mål",
        path: "/mal",
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

/// The routes, the static files compiled into the binary and the not-found page, without
/// middleware.
pub fn router() -> Router<AppState> {
    let (router, _) = routes().into_parts();
    router
        .route(
            "/static/{*path}",
            axum::routing::get(crate::web::assets::serve),
        )
        .fallback(|| async { AppError::NotFound })
}
