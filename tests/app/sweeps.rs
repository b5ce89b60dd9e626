//! Sweeps over the whole route table, so that a route added later cannot forget a check:
//! every state-changing route refuses a request without its CSRF token, and every route with an
//! id refuses a strategy group an id from another municipality and a secretary another board's
//! unfinished final report.

use portfolj::{domain::role::Role, router::route_table, web::Access};
use uuid::Uuid;

use crate::support::{
    ADMIN, AUDITOR, CONTROLLER, COORDINATION, Client, HEAD_OF_ADMINISTRATION, IT_CENTER, SECRETARY,
    STRATEGY_LUDVIKA, TestApp,
};

/// A demo account holding `role`.
pub fn account_with(role: Role) -> &'static str {
    match role {
        Role::Admin => ADMIN,
        Role::ItCenter => IT_CENTER,
        Role::Controller => CONTROLLER,
        Role::StrategyGroup => STRATEGY_LUDVIKA,
        Role::CoordinationGroup => COORDINATION,
        Role::Secretary => SECRETARY,
        Role::HeadOfAdministration => HEAD_OF_ADMINISTRATION,
        Role::Auditor => AUDITOR,
    }
}

/// A signed-in client of an account that `access` allows (IT-center's where everyone may),
/// one per account, and the account.
async fn client_for<'a>(
    app: &TestApp,
    clients: &'a mut std::collections::HashMap<&'static str, Client>,
    access: Access,
) -> (&'static str, &'a Client) {
    let account = match access {
        Access::Public | Access::SignedIn => IT_CENTER,
        Access::Roles(roles) => account_with(roles[0]),
    };
    if !clients.contains_key(account) {
        clients.insert(account, app.signed_in(account).await);
    }
    (account, &clients[account])
}

/// A route's path with every `{placeholder}` replaced by the value `fill` gives for its name.
pub fn fill_path(path: &str, fill: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("closing brace") + start;
        out.push_str(&rest[..start]);
        out.push_str(&fill(&rest[start + 1..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_request_without_its_token() {
    let app = TestApp::spawn().await;
    let audit_before = app.count("SELECT count(*) FROM audit_log").await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut tried = 0;
    for route in route_table().into_iter().filter(|r| r.method == "POST") {
        let account = match route.access {
            Access::Public => None,
            Access::SignedIn => Some(AUDITOR),
            Access::Roles(roles) => Some(account_with(roles[0])),
        };
        // A signed-in client has a session token it does not send; an anonymous one has none.
        let client = match account {
            Some(email) => app.signed_in(email).await,
            None => app.client(),
        };
        let cookie = client.cookie_header();
        let path = fill_path(route.path, |_| Uuid::now_v7().to_string());
        let url = format!("{}{path}", app.base_url);
        let form = http
            .post(&url)
            .header("cookie", &cookie)
            .form(&[("email", ADMIN), ("password", "demo"), ("version", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 403, "form post to {path} without a token");
        let upload = reqwest::multipart::Form::new().text("email", ADMIN).part(
            "file",
            reqwest::multipart::Part::bytes(b"Titel;Plan\n".to_vec()).file_name("x.csv"),
        );
        let multipart = http
            .post(&url)
            .header("cookie", &cookie)
            .multipart(upload)
            .send()
            .await
            .unwrap();
        assert_eq!(multipart.status(), 403, "upload to {path} without a token");
        let body = multipart.text().await.unwrap();
        assert!(
            body.contains("Formuläret kunde inte skickas"),
            "{path}: the Swedish page"
        );
        tried += 1;
    }
    assert!(tried > 30, "only {tried} state-changing routes found");
    // Only the sign-ins of the sweep's own clients were recorded: nothing was changed.
    let changes = app
        .count("SELECT count(*) FROM audit_log WHERE action <> 'sign_in'")
        .await;
    assert_eq!(changes, audit_before);
}

/// One id for each kind of `{placeholder}` in the route table: of things a user may reach
/// ([`demo_ids`]) or must not ([`ids_outside_ludvika`]).
pub struct Ids {
    project: Uuid,
    goal: Uuid,
    line: Uuid,
    item: Uuid,
    order: Uuid,
    council_goal: Uuid,
    round: Uuid,
    municipality: Uuid,
    user: Uuid,
    occasion: Uuid,
    board: Uuid,
    measure: Uuid,
    activity: Uuid,
    import: Uuid,
    calculation: Uuid,
    benefit: Uuid,
    fund: Uuid,
    application: Uuid,
    model: Uuid,
}

impl Ids {
    /// The id for `{name}` in `path`; a placeholder the sweep does not know fails it.
    pub fn for_placeholder(&self, name: &str, path: &str) -> String {
        let id = match (name, path) {
            ("id", p) if p.starts_with("/projekt/") => self.project,
            ("id", p) if p.starts_with("/portfolj/bestallningar/") => self.order,
            ("id", p) if p.starts_with("/portfolj/") => self.item,
            ("id", p) if p.starts_with("/omgangar/") => self.round,
            ("id", p) if p.starts_with("/mal/") => self.council_goal,
            ("id", p) if p.starts_with("/admin/anvandare/") => self.user,
            // The demo has no API tokens; a token that is not the user's is refused as unknown.
            ("id", p) if p.starts_with("/konto/api-nycklar/") => uuid::Uuid::nil(),
            ("id", p) if p.starts_with("/admin/kommuner/") => self.municipality,
            // The demo maps no groups; a row that does not exist is reported as removed already.
            ("id", p) if p.starts_with("/admin/inloggning/") => uuid::Uuid::nil(),
            ("id", p) if p.starts_with("/nyttokalkyler/") => self.calculation,
            ("id", p) if p.starts_with("/nyttor/") => self.benefit,
            ("benefit", _) => self.benefit,
            ("id", p) if p.starts_with("/fond/ansokningar/") => self.application,
            ("id", p) if p.starts_with("/fond/") => self.fund,
            ("id", p) if p.starts_with("/prioriteringsmodeller/") => self.model,
            ("goal", _) => self.goal,
            ("line", _) => self.line,
            ("municipality", _) => self.municipality,
            ("occasion", _) => self.occasion,
            ("board", _) => self.board,
            ("measure", _) => self.measure,
            ("activity", _) => self.activity,
            ("import", _) => self.import,
            (name, path) => panic!("no id for {{{name}}} in {path}: add one to the sweep"),
        };
        id.to_string()
    }
}

/// The one id `sql` selects.
async fn one(app: &TestApp, sql: &str) -> Uuid {
    of(app, sql, &[]).await
}

/// The one id `sql` selects with `binds` as $1, $2 ….
async fn of(app: &TestApp, sql: &str, binds: &[Uuid]) -> Uuid {
    binds
        .iter()
        .fold(sqlx::query_scalar::<_, Uuid>(sql), |q, b| q.bind(*b))
        .fetch_one(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// An order of `item` waiting for prioritisation.
async fn waiting_order(app: &TestApp, item: Uuid, reference: &str) -> Uuid {
    let order = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO portfolio_order (id, item_id, reference, note) VALUES ($1, $2, $3, '')",
    )
    .bind(order)
    .bind(item)
    .bind(reference)
    .execute(&app.db)
    .await
    .unwrap();
    order
}

/// Ids of things the Ludvika strategy group must not reach: a project, its goal and budget line
/// that serve only Norrtälje, a portfolio item and a council goal of Smedjebacken only, an order
/// of that item, and Smedjebacken's review in the current round.
async fn ids_outside_ludvika(app: &TestApp) -> Ids {
    let project = one(
        app,
        "SELECT p.id FROM project p WHERE NOT EXISTS (SELECT 1 FROM project_municipality pm \
         JOIN municipality m ON m.id = pm.municipality_id WHERE pm.project_id = p.id AND m.name = 'Ludvika') \
         AND EXISTS (SELECT 1 FROM budget_line l WHERE l.project_id = p.id) \
         AND EXISTS (SELECT 1 FROM effect_goal g WHERE g.project_id = p.id) ORDER BY p.case_number LIMIT 1",
    )
    .await;
    let item = one(
        app,
        "SELECT i.id FROM portfolio_item i WHERE EXISTS (SELECT 1 FROM portfolio_item_municipality im \
         WHERE im.item_id = i.id) AND NOT EXISTS (SELECT 1 FROM portfolio_item_municipality im \
         JOIN municipality m ON m.id = im.municipality_id WHERE im.item_id = i.id AND m.name = 'Ludvika') \
         ORDER BY i.number LIMIT 1",
    )
    .await;
    Ids {
        project,
        goal: of(
            app,
            "SELECT id FROM effect_goal WHERE project_id = $1 LIMIT 1",
            &[project],
        )
        .await,
        line: of(
            app,
            "SELECT id FROM budget_line WHERE project_id = $1 LIMIT 1",
            &[project],
        )
        .await,
        item,
        order: waiting_order(app, item, "SVEP-1").await,
        council_goal: one(
            app,
            "SELECT g.id FROM council_goal g JOIN municipality m ON m.id = g.municipality_id \
             WHERE m.name <> 'Ludvika' LIMIT 1",
        )
        .await,
        round: one(app, "SELECT id FROM round ORDER BY quarter DESC LIMIT 1").await,
        municipality: one(
            app,
            "SELECT id FROM municipality WHERE name = 'Smedjebacken'",
        )
        .await,
        user: one(
            app,
            "SELECT id FROM app_user WHERE email = 'strategi.smedjebacken@demo.portfolj.se'",
        )
        .await,
        occasion: one(
            app,
            "SELECT id FROM follow_up_occasion WHERE year = 2022 AND number = 2",
        )
        .await,
        board: one(app, "SELECT board_id FROM follow_up LIMIT 1").await,
        measure: one(app, "SELECT id FROM action_measure LIMIT 1").await,
        activity: one(
            app,
            "SELECT a.id FROM activity a JOIN follow_up f ON f.board_id = a.board_id LIMIT 1",
        )
        .await,
        import: ledger_import(app).await,
        calculation: one(
            app,
            "SELECT id FROM benefit_calculation WHERE application_id IS NOT NULL LIMIT 1",
        )
        .await,
        benefit: one(
            app,
            "SELECT b.id FROM benefit b JOIN benefit_calculation c ON c.id = b.calculation_id \
             WHERE c.application_id IS NOT NULL LIMIT 1",
        )
        .await,
        fund: one(app, "SELECT id FROM fund ORDER BY year LIMIT 1").await,
        application: one(
            app,
            "SELECT id FROM fund_application ORDER BY title LIMIT 1",
        )
        .await,
        model: one(app, "SELECT id FROM scoring_model WHERE preset = 'wsjf'").await,
    }
}

/// Routes a strategy group may use with any id, and why: they are not about one municipality.
const SHARED_WITH_EVERY_MUNICIPALITY: &[(&str, &str)] = &[
    (
        "/omgangar/{id}",
        "a round is the joint agenda of every municipality",
    ),
    (
        "/omgangar/{id}/protokoll.docx",
        "the round's protocol is the joint decision",
    ),
    (
        "/omgangar/{id}/protokoll.xlsx",
        "the round's protocol is the joint decision",
    ),
    (
        "/prioriteringsmodeller/{id}",
        "a prioritisation model is shared by every round and municipality",
    ),
];

/// Ends with the status a request got, and whether it was refused: 403, 404, or the sign-in
/// page. A 200 or a re-rendered form (422) would show something of the other municipality.
async fn attempt(client: &Client, method: &str, path: &str) -> u16 {
    let page = if method == "GET" {
        client.get(path).await
    } else {
        let token = client.csrf_token().await;
        client.post_raw(path, &[("csrf_token", &token)]).await
    };
    page.status
}

#[tokio::test]
async fn a_strategy_group_is_refused_every_route_with_another_municipalitys_id() {
    let app = TestApp::spawn().await;
    let ids = ids_outside_ludvika(&app).await;
    let client = app.signed_in(STRATEGY_LUDVIKA).await;
    let mut swept = 0;
    for route in route_table() {
        if !route.path.contains('{') {
            continue;
        }
        if SHARED_WITH_EVERY_MUNICIPALITY
            .iter()
            .any(|(p, _)| *p == route.path)
        {
            continue;
        }
        let path = fill_path(route.path, |name| ids.for_placeholder(name, route.path));
        let status = attempt(&client, route.method.as_str(), &path).await;
        assert!(
            matches!(status, 403 | 404),
            "{} {path} answered {status} to the Ludvika strategy group",
            route.method
        );
        swept += 1;
    }
    assert!(swept > 40, "only {swept} routes swept");
}

/// Final-report routes are the secretary's scope; every other route with a project id reads
/// project data that every role but the strategy groups reads.
fn is_final_report_route(path: &str) -> bool {
    path.starts_with("/projekt/{id}/slutredovisning")
}

#[tokio::test]
async fn a_secretary_is_refused_another_boards_unfinished_report_on_every_route() {
    let app = TestApp::spawn().await;
    // A draft of a board the demo secretary (Kommunstyrelsen, Norrtälje) does not serve.
    let project: Uuid = sqlx::query_scalar(
        "SELECT p.id FROM project p JOIN board b ON b.id = p.board_id \
         WHERE b.name <> 'Kommunstyrelsen' ORDER BY p.case_number LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO final_report (project_id, status, meeting_date) VALUES ($1, 'ready', '2026-12-10')")
        .bind(project)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO final_report_version (id, project_id, number, content, figures) \
         VALUES ($1, $2, 1, '{\"summary\": \"Hemligt utkast\"}', '{}')",
    )
    .bind(Uuid::now_v7())
    .bind(project)
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.signed_in(SECRETARY).await;
    let mut swept = 0;
    for route in route_table() {
        if !is_final_report_route(route.path) {
            continue;
        }
        let path = fill_path(route.path, |_| project.to_string());
        let status = attempt(&client, route.method.as_str(), &path).await;
        assert!(
            matches!(status, 403 | 404),
            "{} {path} answered {status} to another board's secretary",
            route.method
        );
        swept += 1;
    }
    assert!(swept >= 7, "only {swept} final-report routes swept");
    // No tab leads there: the project's pages show the secretary no final-report tab.
    for tab in ["", "/effektmal", "/budget", "/historik"] {
        let page = client.get(&format!("/projekt/{project}{tab}")).await;
        assert_eq!(page.status, 200, "{tab}");
        assert!(
            !page.body.contains("/slutredovisning\""),
            "a final-report tab on {tab}"
        );
    }
    let own: Uuid = sqlx::query_scalar("SELECT id FROM project WHERE case_number = 'KS 2020-339'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let own_page = client.get(&format!("/projekt/{own}")).await;
    assert!(
        own_page
            .body
            .contains(&format!("/projekt/{own}/slutredovisning\""))
    );
    let list = client.get("/slutredovisningar").await;
    assert!(!list.body.contains("Hemligt utkast"));
    // An auditor reads it, and so does the secretary once the committee has decided.
    let auditor = app.signed_in(AUDITOR).await;
    let page = auditor
        .get(&format!("/projekt/{project}/slutredovisning"))
        .await;
    assert_eq!(page.status, 200);
    sqlx::query(
        "UPDATE final_report SET status = 'decided', decision_body = 'Nämnden', \
         decision_paragraph = '§ 1', decision_text = 'Godkänns', decided_version = 1, \
         decided_at = now(), decided_by = (SELECT id FROM app_user WHERE email = $2) \
         WHERE project_id = $1",
    )
    .bind(project)
    .bind(SECRETARY)
    .execute(&app.db)
    .await
    .unwrap();
    for path in ["", "/versioner", "/protokoll"] {
        let page = client
            .get(&format!("/projekt/{project}/slutredovisning{path}"))
            .await;
        assert_eq!(page.status, 200, "a decided report is public: {path}");
    }
    let docx = client
        .get(&format!("/projekt/{project}/slutredovisning.docx"))
        .await;
    assert_eq!(docx.status, 200);
}

/// Real ids of the demo data for every kind of placeholder, as an allowed user would use them.
pub async fn demo_ids(app: &TestApp) -> Ids {
    let item = one(app, "SELECT id FROM portfolio_item ORDER BY number LIMIT 1").await;
    Ids {
        project: one(app, "SELECT id FROM project WHERE case_number = 'KS 2020-339'").await,
        goal: one(app, "SELECT g.id FROM effect_goal g JOIN project p ON p.id = g.project_id WHERE p.case_number = 'KS 2020-339' LIMIT 1").await,
        line: one(app, "SELECT l.id FROM budget_line l JOIN project p ON p.id = l.project_id WHERE p.case_number = 'KS 2020-339' LIMIT 1").await,
        item,
        order: waiting_order(app, item, "SVEP-2").await,
        council_goal: one(app, "SELECT id FROM council_goal LIMIT 1").await,
        round: one(app, "SELECT id FROM round ORDER BY quarter DESC LIMIT 1").await,
        municipality: one(app, "SELECT id FROM municipality WHERE name = 'Ludvika'").await,
        user: one(app, "SELECT id FROM app_user WHERE email = 'revisor@demo.portfolj.se'").await,
        occasion: one(app, "SELECT id FROM follow_up_occasion WHERE year = 2022 AND number = 2").await,
        board: one(app, "SELECT board_id FROM follow_up LIMIT 1").await,
        measure: one(app, "SELECT id FROM action_measure LIMIT 1").await,
        activity: one(
            app,
            "SELECT a.id FROM activity a JOIN follow_up f ON f.board_id = a.board_id LIMIT 1",
        )
        .await,
        import: ledger_import(app).await,
        calculation: one(app, "SELECT id FROM benefit_calculation WHERE item_id IS NOT NULL LIMIT 1").await,
        benefit: one(app, "SELECT b.id FROM benefit b JOIN benefit_calculation c ON c.id = b.calculation_id WHERE c.item_id IS NOT NULL LIMIT 1").await,
        fund: one(app, "SELECT id FROM fund ORDER BY year LIMIT 1").await,
        application: one(app, "SELECT id FROM fund_application ORDER BY title LIMIT 1").await,
        model: one(app, "SELECT id FROM scoring_model WHERE preset = 'wsjf'").await,
    }
}

/// With a single database connection, a handler that holds one connection while it waits for a
/// second never gets it: every route, used by a user it allows, with real ids and with an empty
/// form, must answer without waiting out the pool (503) or failing (500).
#[tokio::test]
async fn no_route_needs_two_connections_at_once() {
    let app = TestApp::spawn_with(|c| c.db_pool_size = 1).await;
    let ids = demo_ids(&app).await;
    let mut clients = std::collections::HashMap::new();
    let mut failures = Vec::new();
    for route in route_table() {
        if route.path == "/logga-ut" || route.path == "/logga-in" {
            continue;
        }
        let (account, client) = client_for(&app, &mut clients, route.access).await;
        let path = fill_path(route.path, |name| ids.for_placeholder(name, route.path));
        let status = attempt(client, route.method.as_str(), &path).await;
        if matches!(status, 500 | 503) {
            failures.push(format!(
                "{} {} as {account}: {status}",
                route.method, route.path
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A ledger import read and not saved, of the demo's first municipality.
async fn ledger_import(app: &TestApp) -> Uuid {
    let id = Uuid::now_v7();
    let mut owner = app.owner().await;
    sqlx::query(
        "INSERT INTO ledger_import (id, municipality_id, file_name, sha256, format, status, \
         created_by) SELECT $1, (SELECT id FROM municipality ORDER BY name LIMIT 1), \
         'huvudbok.se', repeat('c', 64), 'sie4', 'read', (SELECT id FROM app_user LIMIT 1)",
    )
    .bind(id)
    .execute(&mut owner)
    .await
    .expect("an import");
    id
}

/// Every form posted empty, by a user it allows: when it is refused with an error summary, each
/// message names what it is about and links to a field on the page (GOV.UK's and DIGG's error
/// summary), so a reader of the summary alone knows what to fix and can go there.
#[tokio::test]
async fn every_error_summary_names_its_fields_and_links_to_them() {
    let app = TestApp::spawn().await;
    let ids = demo_ids(&app).await;
    let mut clients = std::collections::HashMap::new();
    let mut failures = Vec::new();
    let mut summaries = 0;
    for route in route_table() {
        if route.method.as_str() != "POST" || route.path.starts_with("/logga") {
            continue;
        }
        let (_, client) = client_for(&app, &mut clients, route.access).await;
        let path = fill_path(route.path, |name| ids.for_placeholder(name, route.path));
        let token = client.csrf_token().await;
        let page = client.post_raw(&path, &[("csrf_token", &token)]).await;
        let html = page.html();
        let links = scraper::Selector::parse(".error-summary li a").unwrap();
        for link in html.select(&links) {
            summaries += 1;
            let text = link.text().collect::<String>();
            let target = link.value().attr("href").unwrap_or("");
            let id = target.strip_prefix('#').unwrap_or("");
            let found = scraper::Selector::parse(&format!("[id=\"{id}\"]"))
                .ok()
                .is_some_and(|s| html.select(&s).next().is_some());
            if !found {
                failures.push(format!(
                    "POST {}: {target} is not on the page ({text})",
                    route.path
                ));
            }
            if text.trim().starts_with("Fältet") {
                failures.push(format!(
                    "POST {}: {target} does not name its field ({text})",
                    route.path
                ));
            }
        }
    }
    assert!(
        summaries > 20,
        "only {summaries} summary lines: the sweep reached no forms"
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
