//! Every URL of the application, spelt once. Each entry gives the route pattern the router
//! mounts (`paths::route::project_budget` is `"/projekt/{id}/budget"`) and a function that builds
//! the URL from typed ids (`paths::project_budget(id)`), so a link and its route cannot drift
//! apart. Handlers redirect with these functions and templates link with them
//! (`{{ crate::paths::project(project.id) }}`).

use uuid::Uuid;

/// Declares each path once: `name = "/pattern/{arg}" (arg, …);`. A path that forms post to
/// but that is no page itself names the page its form is on: `… => page;` (see [`form_page`]).
macro_rules! paths {
    ($($(#[$meta:meta])* $name:ident = $pattern:literal $(($($arg:ident),+))? $(=> $page:ident)?;)+) => {
        /// The patterns, as the router mounts them.
        #[allow(non_upper_case_globals)]
        pub mod route {
            $($(#[$meta])* pub const $name: &str = $pattern;)+
        }

        /// (pattern a form posts to, pattern of the page the form is on), where they differ.
        const FORM_PAGES: &[(&str, &str)] = &[$($((route::$name, route::$page),)?)+];

        $(
            $(#[$meta])*
            // An id or a reference to one: templates pass the fields they name by reference.
            pub fn $name($($($arg: impl ::std::borrow::Borrow<Uuid>),+)?) -> String {
                $($(let $arg: Uuid = *$arg.borrow();)+)?
                format!($pattern)
            }
        )+

        /// Every pattern with the URL its function builds from placeholder ids, for the test
        /// that they agree.
        #[cfg(test)]
        pub(crate) fn built_from_placeholders() -> Vec<(&'static str, String)> {
            vec![$(($pattern, $name($($({
                let _ = stringify!($arg);
                Uuid::nil()
            }),+)?))),+]
        }
    };
}

paths! {
    start = "/";
    healthz = "/healthz";
    readyz = "/readyz";
    sign_in = "/logga-in";
    sign_out = "/logga-ut" => start;
    /// Single sign-on: to the municipality's OpenID provider, and back from it.
    sso_start = "/logga-in/sso";
    sso_return = "/logga-in/sso/retur";

    /// The signed-in user's own API tokens.
    api_tokens = "/konto/api-nycklar";
    api_token_revocation = "/konto/api-nycklar/{id}/aterkalla" (id) => api_tokens;

    users = "/admin/anvandare";
    new_user = "/admin/anvandare/ny";
    user = "/admin/anvandare/{id}" (id);
    user_deactivate = "/admin/anvandare/{id}/inaktivera" (id) => user;
    user_activate = "/admin/anvandare/{id}/aktivera" (id) => user;
    /// Single sign-on's settings and the table from the provider's groups to roles.
    sso_groups = "/admin/inloggning";
    sso_group_removal = "/admin/inloggning/{id}/ta-bort" (id) => sso_groups;
    municipalities = "/admin/kommuner";
    municipality = "/admin/kommuner/{id}" (id) => municipalities;
    municipality_letterhead = "/admin/kommuner/{id}/brevmall" (id) => municipalities;
    municipality_letterhead_removal = "/admin/kommuner/{id}/brevmall/ta-bort" (id) => municipalities;
    /// The municipality's template as uploaded.
    municipality_letterhead_file = "/admin/kommuner/{id}/brevmall.docx" (id);
    /// A sample document in the template, to see what the exports will look like.
    municipality_letterhead_sample = "/admin/kommuner/{id}/brevmall/prov.docx" (id);
    audit_log = "/logg";
    audit_log_xlsx = "/logg.xlsx";
    /// The column chooser above a data table posts here and returns to the table's page.
    table_columns = "/kolumner" => start;

    projects = "/projekt";
    projects_xlsx = "/projekt.xlsx";
    new_project = "/projekt/nytt";
    project = "/projekt/{id}" (id);
    project_edit = "/projekt/{id}/redigera" (id);
    project_economy = "/projekt/{id}/ekonomi" (id);
    project_status = "/projekt/{id}/status" (id) => project;
    project_history = "/projekt/{id}/historik" (id);

    project_goals = "/projekt/{id}/effektmal" (id);
    new_goal = "/projekt/{id}/effektmal/nytt" (id);
    goal = "/projekt/{id}/effektmal/{goal}" (id, goal);
    goal_measurements = "/projekt/{id}/effektmal/{goal}/matningar" (id, goal) => project_goals;
    smart_goals = "/effektmal";
    smart_goals_xlsx = "/effektmal.xlsx";

    project_budget = "/projekt/{id}/budget" (id);
    project_budget_xlsx = "/projekt/{id}/budget.xlsx" (id);
    budget_lines = "/projekt/{id}/budget/rader" (id) => project_budget;
    budget_line = "/projekt/{id}/budget/rader/{line}" (id, line);
    budget_line_outcome = "/projekt/{id}/budget/rader/{line}/utfall" (id, line) => budget_line;
    account_mapping_remove = "/projekt/{id}/budget/kontokopplingar/ta-bort" (id) => project_budget;
    sub_entities = "/projekt/{id}/budget/delenheter" (id) => project_budget;

    final_report = "/projekt/{id}/slutredovisning" (id);
    final_report_status = "/projekt/{id}/slutredovisning/status" (id) => final_report;
    final_report_protocol = "/projekt/{id}/slutredovisning/protokoll" (id);
    final_report_versions = "/projekt/{id}/slutredovisning/versioner" (id);
    final_report_pdf = "/projekt/{id}/slutredovisning.pdf" (id);
    final_report_docx = "/projekt/{id}/slutredovisning.docx" (id);
    final_report_edit = "/projekt/{id}/slutredovisning/redigera" (id);
    final_reports = "/slutredovisningar";
    meeting_batch = "/slutredovisningar/sammantrade.zip";

    follow_ups = "/uppfoljning";
    follow_up = "/uppfoljning/{occasion}/{board}" (occasion, board);
    follow_up_forecast = "/uppfoljning/{occasion}/{board}/prognos" (occasion, board);
    follow_up_submit = "/uppfoljning/{occasion}/{board}/lamna-in" (occasion, board) => follow_up;
    follow_up_withdraw = "/uppfoljning/{occasion}/{board}/aterta" (occasion, board) => follow_up;
    follow_up_decision = "/uppfoljning/{occasion}/{board}/beslut" (occasion, board);
    follow_up_correction = "/uppfoljning/{occasion}/{board}/rattelse" (occasion, board);
    follow_up_carry_over = "/uppfoljning/{occasion}/{board}/overforing" (occasion, board);
    follow_up_texts = "/uppfoljning/{occasion}/{board}/textversioner" (occasion, board);
    action_plan = "/uppfoljning/{occasion}/{board}/handlingsplan" (occasion, board);
    new_measure = "/uppfoljning/{occasion}/{board}/handlingsplan/ny" (occasion, board);
    measure = "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}" (occasion, board, measure);
    measure_delete = "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}/ta-bort" (occasion, board, measure) => action_plan;
    measure_approve = "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}/godkann" (occasion, board, measure) => action_plan;
    measure_unapprove = "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}/aterkalla" (occasion, board, measure) => action_plan;
    follow_up_entry = "/uppfoljning/underlag";
    follow_up_occasions = "/uppfoljning/underlag/tillfallen";
    follow_up_occasion = "/uppfoljning/underlag/tillfallen/{occasion}" (occasion);
    follow_up_activities = "/uppfoljning/underlag/{board}/verksamheter" (board);
    follow_up_activity = "/uppfoljning/underlag/{board}/verksamheter/{activity}" (board, activity);
    follow_up_budget = "/uppfoljning/underlag/{board}/verksamheter/{activity}/budget" (board, activity);
    follow_up_budget_spread = "/uppfoljning/underlag/{board}/verksamheter/{activity}/budget/jamnt" (board, activity) => follow_up_budget;
    follow_up_outcome = "/uppfoljning/underlag/{board}/verksamheter/{activity}/utfall" (board, activity);
    follow_up_keys = "/uppfoljning/underlag/{board}/verksamheter/{activity}/nycklar" (board, activity);
    follow_up_keys_remove = "/uppfoljning/underlag/{board}/verksamheter/{activity}/nycklar/ta-bort" (board, activity) => follow_up_keys;
    follow_up_member_key = "/uppfoljning/underlag/{board}/medlemsandelar" (board);
    follow_up_project_years = "/uppfoljning/underlag/{board}/projektanslag" (board);
    follow_up_docx = "/uppfoljning/{occasion}/{board}/rapport.docx" (occasion, board);
    follow_up_xlsx = "/uppfoljning/{occasion}/{board}/rapport.xlsx" (occasion, board);
    follow_up_pdf = "/uppfoljning/{occasion}/{board}/rapport.pdf" (occasion, board);
    follow_up_print = "/uppfoljning/{occasion}/{board}/utskrift" (occasion, board);

    ledger_imports = "/utfall/import";
    ledger_import_example = "/utfall/import/exempel/demo-huvudbok.se";
    ledger_import = "/utfall/import/{import}" (import);
    ledger_import_progress = "/utfall/import/{import}/status" (import);
    ledger_import_mapping = "/utfall/import/{import}/koppling" (import) => ledger_import;
    ledger_import_save = "/utfall/import/{import}/spara" (import) => ledger_import;
    ledger_import_undo = "/utfall/import/{import}/angra" (import) => ledger_import;
    ledger_import_discard = "/utfall/import/{import}/ta-bort" (import) => ledger_import;

    council_goals = "/mal";
    council_goal_deactivate = "/mal/{id}/inaktivera" (id) => council_goals;
    council_goal_activate = "/mal/{id}/aktivera" (id) => council_goals;

    project_calculation = "/projekt/{id}/nyttokalkyl" (id);
    item_calculation = "/portfolj/{id}/nyttokalkyl" (id);
    /// A benefit calculation; `?version=N` shows a version a decision froze.
    calculation = "/nyttokalkyler/{id}" (id);
    calculation_settings = "/nyttokalkyler/{id}/indata" (id) => calculation;
    calculation_stakeholders = "/nyttokalkyler/{id}/intressenter" (id) => calculation;
    calculation_lines = "/nyttokalkyler/{id}/nyttor" (id) => calculation;
    calculation_line_remove = "/nyttokalkyler/{id}/nyttor/{benefit}/ta-bort" (id, benefit) => calculation;
    calculation_xlsx = "/nyttokalkyler/{id}/nyttokalkyl.xlsx" (id);

    auditor_checks = "/revision";
    /// A check's drill-down: `?k=<check>&kommun=<id>&ar=<year>`.
    auditor_check = "/revision/kontroll";
    auditor_check_xlsx = "/revision/kontroll.xlsx";

    funds = "/fond";
    fund = "/fond/{id}" (id);
    fund_directions = "/fond/{id}/inriktningar" (id) => fund;
    fund_applications = "/fond/{id}/ansokningar" (id) => fund;
    fund_application = "/fond/ansokningar/{id}" (id);
    fund_application_decision = "/fond/ansokningar/{id}/beslut" (id) => fund_application;
    fund_follow_ups = "/fond/ansokningar/{id}/uppfoljningar" (id) => fund_application;
    application_calculation = "/fond/ansokningar/{id}/nyttokalkyl" (id);

    benefits = "/nyttor";
    benefit = "/nyttor/{id}" (id);
    benefit_measurements = "/nyttor/{id}/matningar" (id) => benefit;
    benefit_goals = "/nyttor/{id}/effektmal" (id) => benefit;

    items = "/portfolj";
    items_xlsx = "/portfolj.xlsx";
    new_item = "/portfolj/nytt";
    item_import = "/portfolj/import";
    item_import_save = "/portfolj/import/spara" => item_import;
    item = "/portfolj/{id}" (id);
    item_edit = "/portfolj/{id}/redigera" (id);
    item_orders = "/portfolj/{id}/bestallningar" (id) => item;
    item_delivered = "/portfolj/{id}/levererat" (id) => item;
    /// Waiting orders are listed on IT-center's start page (the path names no item).
    order_register = "/portfolj/bestallningar/{id}/registrera" (id) => start;

    scoring_models = "/prioriteringsmodeller";
    scoring_model = "/prioriteringsmodeller/{id}" (id);
    item_scores = "/portfolj/{id}/poang" (id) => item;

    rounds = "/omgangar";
    round = "/omgangar/{id}" (id);
    round_settings = "/omgangar/{id}/installningar" (id) => round;
    round_model = "/omgangar/{id}/modell" (id) => round;
    round_phase = "/omgangar/{id}/fas" (id) => round;
    round_items = "/omgangar/{id}/objekt" (id) => round;
    review = "/omgangar/{id}/beredning/{municipality}" (id, municipality);
    board = "/omgangar/{id}/rangordning" (id);
    suggestion = "/omgangar/{id}/forslag" (id);
    round_decision = "/omgangar/{id}/beslut" (id);
    protocol_docx = "/omgangar/{id}/protokoll.docx" (id);
    protocol_xlsx = "/omgangar/{id}/protokoll.xlsx" (id);
    comparison = "/omgangar/{id}/jamforelse" (id);
}

/// The page whose form posts to `path`, for returning there after a sign-in the post needed:
/// the page named for the path's pattern (`=> page` above), with the path's ids filled in, or
/// the path itself, since most forms post to their own page. The router's tests check that
/// every POST route leads to a GET route this way.
pub fn form_page(path: &str) -> String {
    FORM_PAGES
        .iter()
        .find_map(|(pattern, page)| {
            let ids = matched(pattern, path)?;
            let mut to = (*page).to_owned();
            for (name, id) in ids {
                to = to.replace(&format!("{{{name}}}"), id);
            }
            Some(to)
        })
        .unwrap_or_else(|| path.to_owned())
}

/// The `{name}` segments of `pattern` with what `path` has in their place, if it matches.
fn matched<'a>(pattern: &'a str, path: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    let (pattern, path): (Vec<_>, Vec<_>) =
        (pattern.split('/').collect(), path.split('/').collect());
    if pattern.len() != path.len() {
        return None;
    }
    let mut ids = Vec::new();
    for (p, s) in pattern.into_iter().zip(path) {
        match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if !s.is_empty() => ids.push((name, s)),
            None if p == s => {}
            _ => return None,
        }
    }
    Some(ids)
}

/// The files compiled into the binary (`web::assets`), by their path below it.
pub const STATIC_FILES: &str = "/static/{*path}";
/// The JSON API (`crate::api`): its routes are declared on its handlers, for the OpenAPI document.
pub const API: &str = "/api/v1";
/// The API's OpenAPI 3.1 document and its Swagger UI page.
pub const API_OPENAPI: &str = "/api/v1/openapi.json";
pub const API_DOCS: &str = "/api/v1/dokumentation";
/// Prometheus metrics (`crate::metrics`): behind a token here, or alone on the metrics address.
pub const METRICS: &str = "/metrics";

#[cfg(test)]
mod tests {
    #[test]
    fn a_form_leads_back_to_its_page() {
        let id = uuid::Uuid::nil();
        let goal = uuid::Uuid::max();
        assert_eq!(
            super::form_page(&super::goal_measurements(id, goal)),
            super::project_goals(id)
        );
        assert_eq!(
            super::form_page(&super::budget_line_outcome(id, goal)),
            super::budget_line(id, goal)
        );
        assert_eq!(super::form_page(&super::round_phase(id)), super::round(id));
        assert_eq!(super::form_page(&super::new_goal(id)), super::new_goal(id));
        assert_eq!(super::form_page("/okand/sida"), "/okand/sida");
    }

    #[test]
    fn every_url_matches_its_route_pattern() {
        for (pattern, url) in super::built_from_placeholders() {
            // Each `{name}` replaced by the id given for it.
            let mut want = String::new();
            let mut rest = pattern;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').unwrap() + open;
                want.push_str(&rest[..open]);
                want.push_str(&uuid::Uuid::nil().to_string());
                rest = &rest[close + 1..];
            }
            want.push_str(rest);
            assert_eq!(url, want, "{pattern}");
        }
    }
}
