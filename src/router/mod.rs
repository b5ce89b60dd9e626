//! Every route of the application, with who may use it. The route × role matrix test reads
//! [`route_table`]; a route added here without an entry there fails the build's tests.

use axum::Router;

mod benefit_routes;
mod follow_up_routes;
pub mod groups;
mod nav;

pub use groups::*;
pub use nav::{NAV, NavItem};

use crate::{
    admin, api_tokens, audit, auth, budget, columns, council_goals, final_report, goals, health,
    home, imports, letterheads,
    paths::route,
    portfolio, projects, sso,
    web::{Access, AppError, AppState, Routes, access::RouteInfo},
};

fn routes() -> Routes {
    let routes = Routes::new()
        .get(route::healthz, Access::Public, health::healthz)
        .get(route::readyz, Access::Public, health::readyz)
        .get(route::sign_in, Access::Public, auth::handlers::show_sign_in)
        .post(route::sign_in, Access::Public, auth::handlers::sign_in)
        .post(route::sign_out, Access::SignedIn, auth::handlers::sign_out)
        .get(route::sso_start, Access::Public, sso::handlers::start)
        .get(route::sso_return, Access::Public, sso::handlers::finish)
        .get(route::sso_groups, ADMIN, sso::groups::show_groups)
        .post(route::sso_groups, ADMIN, sso::groups::add_group)
        .post(route::sso_group_removal, ADMIN, sso::groups::remove_group)
        .get(route::start, Access::SignedIn, home::handlers::show_start)
        .get(
            route::api_tokens,
            Access::SignedIn,
            api_tokens::handlers::show_tokens,
        )
        .post(
            route::api_tokens,
            Access::SignedIn,
            api_tokens::handlers::create_token,
        )
        .post(
            route::api_token_revocation,
            Access::SignedIn,
            api_tokens::handlers::revoke_token,
        )
        .get(route::users, ADMIN, admin::handlers::list_users)
        .get(route::new_user, ADMIN, admin::handlers::new_user)
        .post(route::new_user, ADMIN, admin::handlers::create_user)
        .get(route::user, ADMIN, admin::handlers::edit_user)
        .post(route::user, ADMIN, admin::handlers::update_user)
        .post(
            route::user_deactivate,
            ADMIN,
            admin::handlers::deactivate_user,
        )
        .post(route::user_activate, ADMIN, admin::handlers::activate_user)
        .get(
            route::municipalities,
            ADMIN,
            admin::municipalities::handlers::list_municipalities,
        )
        .post(
            route::municipality,
            ADMIN,
            admin::municipalities::handlers::update_municipality,
        )
        .post_upload(
            route::municipality_letterhead,
            ADMIN,
            letterheads::handlers::upload_letterhead,
        )
        .post(
            route::municipality_letterhead_removal,
            ADMIN,
            letterheads::handlers::remove_letterhead,
        )
        .get(
            route::municipality_letterhead_file,
            ADMIN,
            letterheads::handlers::download_letterhead,
        )
        .get(
            route::municipality_letterhead_sample,
            ADMIN,
            letterheads::handlers::sample_letterhead,
        )
        .post(
            route::table_columns,
            Access::SignedIn,
            columns::handlers::choose_columns,
        )
        .get(route::audit_log, AUDIT_READERS, audit::handlers::show_log)
        .get(
            route::audit_log_xlsx,
            AUDIT_READERS,
            audit::handlers::export_log,
        )
        .get(
            route::projects_xlsx,
            Access::SignedIn,
            projects::handlers::export_projects,
        )
        .get(
            route::projects,
            Access::SignedIn,
            projects::handlers::list_projects,
        )
        .get(
            route::new_project,
            IT_CENTER,
            projects::handlers::new_project,
        )
        .post(
            route::new_project,
            IT_CENTER,
            projects::handlers::create_project,
        )
        .get(
            route::project,
            Access::SignedIn,
            projects::handlers::show_project,
        )
        .get(
            route::project_edit,
            IT_CENTER,
            projects::handlers::edit_project,
        )
        .post(
            route::project_edit,
            IT_CENTER,
            projects::handlers::update_project,
        )
        .get(
            route::project_economy,
            CONTROLLERS,
            projects::economy::edit_economy,
        )
        .post(
            route::project_economy,
            CONTROLLERS,
            projects::economy::update_economy,
        )
        .post(
            route::project_status,
            IT_CENTER,
            projects::status::change_status,
        )
        .get(
            route::project_history,
            Access::SignedIn,
            projects::handlers::show_history,
        )
        .get(
            route::project_goals,
            Access::SignedIn,
            goals::handlers::show_goals,
        )
        .get(route::new_goal, IT_CENTER, goals::handlers::new_goal)
        .post(route::new_goal, IT_CENTER, goals::handlers::create_goal)
        .get(route::goal, IT_CENTER, goals::handlers::edit_goal)
        .post(route::goal, IT_CENTER, goals::handlers::update_goal)
        .post(
            route::goal_measurements,
            IT_CENTER,
            goals::handlers::create_measurement,
        )
        .get(
            route::project_budget,
            Access::SignedIn,
            budget::handlers::show_budget,
        )
        .get(
            route::project_budget_xlsx,
            Access::SignedIn,
            budget::handlers::export_budget,
        )
        .post(
            route::project_budget,
            CONTROLLERS,
            budget::handlers::update_lines,
        )
        .post(
            route::budget_lines,
            CONTROLLERS,
            budget::handlers::create_line,
        )
        .get(
            route::budget_line,
            Access::SignedIn,
            budget::handlers::show_line,
        )
        .post(
            route::budget_line,
            CONTROLLERS,
            budget::handlers::update_line,
        )
        .post(
            route::budget_line_outcome,
            CONTROLLERS,
            budget::handlers::create_entry,
        )
        .post(
            route::sub_entities,
            CONTROLLERS,
            budget::handlers::create_sub_entity,
        )
        .get(
            route::smart_goals,
            Access::SignedIn,
            goals::handlers::show_smart_list,
        )
        .get(
            route::smart_goals_xlsx,
            Access::SignedIn,
            goals::handlers::export_smart_list,
        )
        .get(
            route::final_report,
            Access::SignedIn,
            final_report::handlers::show_report,
        )
        .post(
            route::final_report_status,
            REPORT_WRITERS,
            final_report::handlers::move_report,
        )
        .get(
            route::final_report_protocol,
            Access::SignedIn,
            final_report::protocol::show_protocol,
        )
        .get(
            route::final_reports,
            Access::SignedIn,
            final_report::meeting::list_drafts,
        )
        .get(
            route::meeting_batch,
            Access::SignedIn,
            final_report::meeting::download_batch,
        )
        .get(
            route::final_report_versions,
            Access::SignedIn,
            final_report::versions::show_versions,
        )
        .get(
            route::final_report_pdf,
            Access::SignedIn,
            final_report::handlers::export_pdf,
        )
        .get(
            route::final_report_docx,
            Access::SignedIn,
            final_report::handlers::export_docx,
        )
        .get(
            route::final_report_edit,
            REPORT_WRITERS,
            final_report::handlers::edit_report,
        )
        .post(
            route::final_report_edit,
            REPORT_WRITERS,
            final_report::handlers::update_report,
        )
        .get(
            route::council_goals,
            Access::SignedIn,
            council_goals::handlers::list_goals,
        )
        .post(
            route::council_goals,
            ADMIN,
            council_goals::handlers::create_goal,
        )
        .post(
            route::council_goal_deactivate,
            ADMIN,
            council_goals::handlers::deactivate_goal,
        )
        .post(
            route::council_goal_activate,
            ADMIN,
            council_goals::handlers::activate_goal,
        )
        .get(
            route::items_xlsx,
            Access::SignedIn,
            portfolio::items::handlers::export_items,
        )
        .get(
            route::items,
            Access::SignedIn,
            portfolio::items::handlers::list_items,
        )
        .get(
            route::new_item,
            IT_CENTER,
            portfolio::items::handlers::new_item,
        )
        .get(
            route::item_import,
            IT_CENTER,
            portfolio::import::handlers::show_import,
        )
        .post(
            route::item_import,
            IT_CENTER,
            portfolio::import::handlers::preview_import,
        )
        .post(
            route::item_import_save,
            IT_CENTER,
            portfolio::import::handlers::save_import,
        )
        .post(
            route::new_item,
            IT_CENTER,
            portfolio::items::handlers::create_item,
        )
        .get(
            route::item,
            Access::SignedIn,
            portfolio::items::handlers::show_item,
        )
        .get(
            route::item_edit,
            IT_CENTER,
            portfolio::items::handlers::edit_item,
        )
        .post(
            route::item_edit,
            IT_CENTER,
            portfolio::items::handlers::update_item,
        )
        .post(
            route::item_orders,
            IT_CENTER,
            portfolio::orders::handlers::create_order,
        )
        .post(
            route::item_delivered,
            IT_CENTER,
            portfolio::orders::handlers::mark_delivered,
        )
        .post(
            route::order_register,
            IT_CENTER,
            portfolio::orders::handlers::register_order,
        )
        .get(
            route::rounds,
            Access::SignedIn,
            portfolio::rounds::handlers::list_rounds,
        )
        .post(
            route::rounds,
            IT_CENTER,
            portfolio::rounds::handlers::create_round,
        )
        .get(
            route::round,
            Access::SignedIn,
            portfolio::rounds::handlers::show_round,
        )
        .post(
            route::round_settings,
            ROUND_RUNNERS,
            portfolio::rounds::handlers::update_settings,
        )
        .get(
            route::scoring_models,
            Access::SignedIn,
            portfolio::models::handlers::list_models,
        )
        .post(
            route::scoring_models,
            MODEL_WRITERS,
            portfolio::models::handlers::create_model,
        )
        .get(
            route::scoring_model,
            Access::SignedIn,
            portfolio::models::handlers::show_model,
        )
        .post(
            route::scoring_model,
            MODEL_WRITERS,
            portfolio::models::handlers::update_model,
        )
        .post(
            route::item_scores,
            ITEM_SCORERS,
            portfolio::models::handlers::save_item_scores,
        )
        .post(
            route::round_model,
            ADMIN,
            portfolio::rounds::handlers::choose_model,
        )
        .post(
            route::round_phase,
            ROUND_RUNNERS,
            portfolio::rounds::handlers::advance_phase,
        )
        .post(
            route::round_items,
            IT_CENTER,
            portfolio::rounds::handlers::take_items,
        )
        .get(
            route::review,
            Access::SignedIn,
            portfolio::reviews::handlers::show_review,
        )
        .post(
            route::review,
            STRATEGY_GROUPS,
            portfolio::reviews::handlers::update_review,
        )
        .get(
            route::board,
            BOARD_VIEWERS,
            portfolio::board::handlers::show_board,
        )
        .post(
            route::board,
            COORDINATION,
            portfolio::board::handlers::save_ranking,
        )
        .get(
            route::suggestion,
            BOARD_READERS,
            portfolio::suggestion::handlers::show_suggestion,
        )
        .post(
            route::suggestion,
            COORDINATION,
            portfolio::suggestion::handlers::apply_suggestion,
        )
        .get(
            route::round_decision,
            COORDINATION,
            portfolio::decision::handlers::show_decision,
        )
        .post(
            route::round_decision,
            COORDINATION,
            portfolio::decision::handlers::decide_round,
        )
        .get(
            route::protocol_docx,
            Access::SignedIn,
            portfolio::protocol::handlers::export_docx,
        )
        .get(
            route::protocol_xlsx,
            Access::SignedIn,
            portfolio::protocol::handlers::export_xlsx,
        )
        .get(
            route::comparison,
            BOARD_READERS,
            portfolio::comparison::handlers::show_comparison,
        );
    ledger_routes(benefit_routes::routes(follow_up_routes::routes(routes)))
}

/// Outcome from the ledger: controllers import, map, save and undo.
fn ledger_routes(routes: Routes) -> Routes {
    routes
        .get(
            route::ledger_imports,
            CONTROLLERS,
            imports::handlers::show_imports,
        )
        .post_upload(
            route::ledger_imports,
            CONTROLLERS,
            imports::handlers::upload_import,
        )
        .get(
            route::ledger_import_example,
            CONTROLLERS,
            imports::handlers::example_file,
        )
        .get(
            route::ledger_import,
            CONTROLLERS,
            imports::handlers::show_import,
        )
        .get(
            route::ledger_import_progress,
            CONTROLLERS,
            imports::handlers::show_progress,
        )
        .post(
            route::ledger_import_mapping,
            CONTROLLERS,
            imports::handlers::save_mapping,
        )
        .post(
            route::ledger_import_save,
            CONTROLLERS,
            imports::handlers::save_import,
        )
        .post(
            route::ledger_import_undo,
            CONTROLLERS,
            imports::handlers::undo_import,
        )
        .post(
            route::ledger_import_discard,
            CONTROLLERS,
            imports::handlers::discard_import,
        )
        .post(
            route::account_mapping_remove,
            CONTROLLERS,
            imports::handlers::remove_mapping,
        )
}

/// The routes and their access rules, for the route × role matrix.
pub fn route_table() -> Vec<RouteInfo> {
    routes().into_parts().1
}

/// The paths of the file uploads, which get the upload timeout.
pub fn upload_paths() -> Vec<&'static str> {
    route_table()
        .into_iter()
        .filter(|r| r.upload)
        .map(|r| r.path)
        .collect()
}

/// The routes, the static files compiled into the binary and the not-found page, without
/// middleware.
pub fn router() -> Router<AppState> {
    let (router, _) = routes().into_parts();
    router
        .route(
            crate::paths::STATIC_FILES,
            axum::routing::get(crate::web::assets::serve),
        )
        .route(
            crate::paths::METRICS,
            axum::routing::get(crate::metrics::handlers::metrics),
        )
        .fallback(|| async { AppError::NotFound })
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    /// A form posted after its session ended leads, after sign-in, to the page the form is on
    /// (`paths::form_page`): that must be a page.
    #[test]
    fn every_form_leads_back_to_a_page() {
        let table = super::route_table();
        let pages: Vec<&str> = table
            .iter()
            .filter(|r| r.method == Method::GET)
            .map(|r| r.path)
            .collect();
        for route in table.iter().filter(|r| r.method == Method::POST) {
            let page = crate::paths::form_page(route.path);
            assert!(
                pages.contains(&page.as_str()),
                "{} posts from {page}, which is no page",
                route.path
            );
        }
    }
}
