//! The route × role matrix: every route, who may use it, tried with every role.

use portfolj::{router::route_table, web::Access};

use crate::support::{
    ADMIN, ALL_ACCOUNTS, AUDITOR, CONTROLLER, COORDINATION, HEAD_OF_ADMINISTRATION, IT_CENTER,
    SECRETARY, SECRETARY_GSN, STRATEGY_LUDVIKA, STRATEGY_SMEDJEBACKEN, TestApp,
};

/// Who may use each route. A route added to the application without a line here fails
/// `every_route_is_in_the_matrix`.
const PUBLIC: &[&str] = &["*"];
const SIGNED_IN: &[&str] = &[
    ADMIN,
    IT_CENTER,
    CONTROLLER,
    STRATEGY_LUDVIKA,
    STRATEGY_SMEDJEBACKEN,
    COORDINATION,
    SECRETARY,
    SECRETARY_GSN,
    HEAD_OF_ADMINISTRATION,
    AUDITOR,
];
/// Those who may own a benefit and so follow it up: everyone but the auditor, who reads.
const BENEFIT_OWNERS: &[&str] = &[
    ADMIN,
    IT_CENTER,
    CONTROLLER,
    STRATEGY_LUDVIKA,
    STRATEGY_SMEDJEBACKEN,
    COORDINATION,
    SECRETARY,
    SECRETARY_GSN,
    HEAD_OF_ADMINISTRATION,
];
/// Those who read the period follow-ups.
const FOLLOW_UP_READERS: &[&str] = &[
    CONTROLLER,
    IT_CENTER,
    COORDINATION,
    SECRETARY,
    SECRETARY_GSN,
    HEAD_OF_ADMINISTRATION,
    AUDITOR,
];
const MATRIX: &[(&str, &str, &[&str])] = &[
    ("GET", "/healthz", PUBLIC),
    ("GET", "/readyz", PUBLIC),
    ("GET", "/logga-in", PUBLIC),
    ("POST", "/logga-in", PUBLIC),
    ("POST", "/logga-ut", SIGNED_IN),
    ("GET", "/logga-in/sso", PUBLIC),
    ("GET", "/logga-in/sso/retur", PUBLIC),
    ("GET", "/", SIGNED_IN),
    ("GET", "/admin/anvandare", &[ADMIN]),
    ("GET", "/admin/anvandare/ny", &[ADMIN]),
    ("POST", "/admin/anvandare/ny", &[ADMIN]),
    ("GET", "/admin/anvandare/{id}", &[ADMIN]),
    ("POST", "/admin/anvandare/{id}", &[ADMIN]),
    ("POST", "/admin/anvandare/{id}/inaktivera", &[ADMIN]),
    ("POST", "/admin/anvandare/{id}/aktivera", &[ADMIN]),
    ("GET", "/logg", &[ADMIN, AUDITOR]),
    ("POST", "/kolumner", SIGNED_IN),
    ("GET", "/konto/api-nycklar", SIGNED_IN),
    ("POST", "/konto/api-nycklar", SIGNED_IN),
    ("POST", "/konto/api-nycklar/{id}/aterkalla", SIGNED_IN),
    ("GET", "/logg.xlsx", &[ADMIN, AUDITOR]),
    ("GET", "/uppfoljning", FOLLOW_UP_READERS),
    ("GET", "/uppfoljning/{occasion}/{board}", FOLLOW_UP_READERS),
    ("GET", "/uppfoljning/underlag", &[CONTROLLER]),
    (
        "GET",
        "/uppfoljning/underlag/tillfallen",
        &[CONTROLLER, ADMIN],
    ),
    (
        "POST",
        "/uppfoljning/underlag/tillfallen",
        &[CONTROLLER, ADMIN],
    ),
    (
        "GET",
        "/uppfoljning/underlag/tillfallen/{occasion}",
        &[CONTROLLER, ADMIN],
    ),
    (
        "POST",
        "/uppfoljning/underlag/tillfallen/{occasion}",
        &[CONTROLLER, ADMIN],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/verksamheter",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/budget",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/budget",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/budget/jamnt",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/utfall",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/utfall",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/nycklar",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/nycklar",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/verksamheter/{activity}/nycklar/ta-bort",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/medlemsandelar",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/medlemsandelar",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/underlag/{board}/projektanslag",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/underlag/{board}/projektanslag",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/prognos",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/prognos",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/lamna-in",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/aterta",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/beslut",
        &[SECRETARY, SECRETARY_GSN],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/beslut",
        &[SECRETARY, SECRETARY_GSN],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/rattelse",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/rattelse",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/overforing",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/overforing",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/textversioner",
        FOLLOW_UP_READERS,
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/handlingsplan",
        FOLLOW_UP_READERS,
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/handlingsplan/ny",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/handlingsplan/ny",
        &[CONTROLLER],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}/ta-bort",
        &[CONTROLLER],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}/godkann",
        &[HEAD_OF_ADMINISTRATION],
    ),
    (
        "POST",
        "/uppfoljning/{occasion}/{board}/handlingsplan/{measure}/aterkalla",
        &[HEAD_OF_ADMINISTRATION],
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/rapport.docx",
        FOLLOW_UP_READERS,
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/rapport.xlsx",
        FOLLOW_UP_READERS,
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/rapport.pdf",
        FOLLOW_UP_READERS,
    ),
    (
        "GET",
        "/uppfoljning/{occasion}/{board}/utskrift",
        FOLLOW_UP_READERS,
    ),
    ("GET", "/projekt", SIGNED_IN),
    ("GET", "/projekt.xlsx", SIGNED_IN),
    ("GET", "/projekt/nytt", &[IT_CENTER]),
    ("POST", "/projekt/nytt", &[IT_CENTER]),
    ("GET", "/projekt/{id}", SIGNED_IN),
    ("GET", "/projekt/{id}/redigera", &[IT_CENTER]),
    ("POST", "/projekt/{id}/redigera", &[IT_CENTER]),
    ("GET", "/projekt/{id}/historik", SIGNED_IN),
    ("GET", "/projekt/{id}/ekonomi", &[CONTROLLER]),
    ("POST", "/projekt/{id}/ekonomi", &[CONTROLLER]),
    ("POST", "/projekt/{id}/status", &[IT_CENTER]),
    ("GET", "/projekt/{id}/effektmal", SIGNED_IN),
    ("GET", "/projekt/{id}/effektmal/nytt", &[IT_CENTER]),
    ("POST", "/projekt/{id}/effektmal/nytt", &[IT_CENTER]),
    ("GET", "/projekt/{id}/effektmal/{goal}", &[IT_CENTER]),
    ("POST", "/projekt/{id}/effektmal/{goal}", &[IT_CENTER]),
    (
        "POST",
        "/projekt/{id}/effektmal/{goal}/matningar",
        &[IT_CENTER],
    ),
    ("GET", "/projekt/{id}/budget", SIGNED_IN),
    ("GET", "/projekt/{id}/budget.xlsx", SIGNED_IN),
    ("POST", "/projekt/{id}/budget", &[CONTROLLER]),
    ("POST", "/projekt/{id}/budget/rader", &[CONTROLLER]),
    ("GET", "/projekt/{id}/budget/rader/{line}", SIGNED_IN),
    ("POST", "/projekt/{id}/budget/rader/{line}", &[CONTROLLER]),
    (
        "POST",
        "/projekt/{id}/budget/rader/{line}/utfall",
        &[CONTROLLER],
    ),
    ("POST", "/projekt/{id}/budget/delenheter", &[CONTROLLER]),
    ("GET", "/effektmal", SIGNED_IN),
    ("GET", "/effektmal.xlsx", SIGNED_IN),
    ("GET", "/projekt/{id}/slutredovisning", SIGNED_IN),
    ("GET", "/projekt/{id}/slutredovisning.docx", SIGNED_IN),
    ("GET", "/projekt/{id}/slutredovisning.pdf", SIGNED_IN),
    ("GET", "/projekt/{id}/slutredovisning/versioner", SIGNED_IN),
    ("GET", "/slutredovisningar", SIGNED_IN),
    ("GET", "/slutredovisningar/sammantrade.zip", SIGNED_IN),
    (
        "POST",
        "/projekt/{id}/slutredovisning/status",
        &[IT_CENTER, CONTROLLER, SECRETARY, SECRETARY_GSN],
    ),
    ("GET", "/projekt/{id}/slutredovisning/protokoll", SIGNED_IN),
    (
        "GET",
        "/projekt/{id}/slutredovisning/redigera",
        &[IT_CENTER, CONTROLLER, SECRETARY, SECRETARY_GSN],
    ),
    (
        "POST",
        "/projekt/{id}/slutredovisning/redigera",
        &[IT_CENTER, CONTROLLER, SECRETARY, SECRETARY_GSN],
    ),
    ("GET", "/utfall/import", &[CONTROLLER]),
    ("POST", "/utfall/import", &[CONTROLLER]),
    (
        "GET",
        "/utfall/import/exempel/demo-huvudbok.se",
        &[CONTROLLER],
    ),
    ("GET", "/utfall/import/{import}", &[CONTROLLER]),
    ("GET", "/utfall/import/{import}/status", &[CONTROLLER]),
    ("POST", "/utfall/import/{import}/koppling", &[CONTROLLER]),
    ("POST", "/utfall/import/{import}/spara", &[CONTROLLER]),
    ("POST", "/utfall/import/{import}/angra", &[CONTROLLER]),
    ("POST", "/utfall/import/{import}/ta-bort", &[CONTROLLER]),
    (
        "POST",
        "/projekt/{id}/budget/kontokopplingar/ta-bort",
        &[CONTROLLER],
    ),
    ("GET", "/projekt/{id}/nyttokalkyl", SIGNED_IN),
    (
        "POST",
        "/projekt/{id}/nyttokalkyl",
        &[IT_CENTER, CONTROLLER],
    ),
    ("GET", "/portfolj/{id}/nyttokalkyl", SIGNED_IN),
    (
        "POST",
        "/portfolj/{id}/nyttokalkyl",
        &[IT_CENTER, CONTROLLER],
    ),
    ("GET", "/nyttokalkyler/{id}", SIGNED_IN),
    ("GET", "/nyttokalkyler/{id}/nyttokalkyl.xlsx", SIGNED_IN),
    (
        "POST",
        "/nyttokalkyler/{id}/indata",
        &[IT_CENTER, CONTROLLER],
    ),
    (
        "POST",
        "/nyttokalkyler/{id}/intressenter",
        &[IT_CENTER, CONTROLLER],
    ),
    (
        "POST",
        "/nyttokalkyler/{id}/nyttor",
        &[IT_CENTER, CONTROLLER],
    ),
    (
        "POST",
        "/nyttokalkyler/{id}/nyttor/{benefit}/ta-bort",
        &[IT_CENTER, CONTROLLER],
    ),
    ("GET", "/admin/inloggning", &[ADMIN]),
    ("POST", "/admin/inloggning", &[ADMIN]),
    ("POST", "/admin/inloggning/{id}/ta-bort", &[ADMIN]),
    ("GET", "/admin/kommuner", &[ADMIN]),
    ("POST", "/admin/kommuner/{id}", &[ADMIN]),
    ("POST", "/admin/kommuner/{id}/brevmall", &[ADMIN]),
    ("POST", "/admin/kommuner/{id}/brevmall/ta-bort", &[ADMIN]),
    ("GET", "/admin/kommuner/{id}/brevmall.docx", &[ADMIN]),
    ("GET", "/admin/kommuner/{id}/brevmall/prov.docx", &[ADMIN]),
    ("GET", "/revision", &[ADMIN, AUDITOR]),
    ("GET", "/revision/kontroll", &[ADMIN, AUDITOR]),
    ("GET", "/revision/kontroll.xlsx", &[ADMIN, AUDITOR]),
    ("GET", "/fond", SIGNED_IN),
    ("POST", "/fond", &[IT_CENTER, CONTROLLER]),
    ("GET", "/fond/{id}", SIGNED_IN),
    ("POST", "/fond/{id}/inriktningar", &[IT_CENTER, CONTROLLER]),
    ("POST", "/fond/{id}/ansokningar", &[IT_CENTER, CONTROLLER]),
    ("GET", "/fond/ansokningar/{id}", SIGNED_IN),
    (
        "POST",
        "/fond/ansokningar/{id}/beslut",
        &[IT_CENTER, CONTROLLER],
    ),
    (
        "POST",
        "/fond/ansokningar/{id}/uppfoljningar",
        &[IT_CENTER, CONTROLLER],
    ),
    ("GET", "/fond/ansokningar/{id}/nyttokalkyl", SIGNED_IN),
    (
        "POST",
        "/fond/ansokningar/{id}/nyttokalkyl",
        &[IT_CENTER, CONTROLLER],
    ),
    ("GET", "/nyttor", SIGNED_IN),
    ("GET", "/nyttor/{id}", SIGNED_IN),
    ("POST", "/nyttor/{id}", BENEFIT_OWNERS),
    ("POST", "/nyttor/{id}/matningar", BENEFIT_OWNERS),
    ("POST", "/nyttor/{id}/effektmal", BENEFIT_OWNERS),
    ("GET", "/mal", SIGNED_IN),
    ("POST", "/mal", &[ADMIN]),
    ("POST", "/mal/{id}/inaktivera", &[ADMIN]),
    ("POST", "/mal/{id}/aktivera", &[ADMIN]),
    ("GET", "/portfolj", SIGNED_IN),
    ("GET", "/portfolj.xlsx", SIGNED_IN),
    ("GET", "/portfolj/nytt", &[IT_CENTER]),
    ("POST", "/portfolj/nytt", &[IT_CENTER]),
    ("GET", "/portfolj/import", &[IT_CENTER]),
    ("POST", "/portfolj/import", &[IT_CENTER]),
    ("POST", "/portfolj/import/spara", &[IT_CENTER]),
    ("GET", "/portfolj/{id}", SIGNED_IN),
    ("GET", "/portfolj/{id}/redigera", &[IT_CENTER]),
    ("POST", "/portfolj/{id}/redigera", &[IT_CENTER]),
    ("POST", "/portfolj/{id}/bestallningar", &[IT_CENTER]),
    ("POST", "/portfolj/{id}/levererat", &[IT_CENTER]),
    (
        "POST",
        "/portfolj/bestallningar/{id}/registrera",
        &[IT_CENTER],
    ),
    ("GET", "/prioriteringsmodeller", SIGNED_IN),
    ("POST", "/prioriteringsmodeller", &[ADMIN]),
    ("GET", "/prioriteringsmodeller/{id}", SIGNED_IN),
    ("POST", "/prioriteringsmodeller/{id}", &[ADMIN]),
    ("POST", "/portfolj/{id}/poang", &[IT_CENTER]),
    ("GET", "/omgangar", SIGNED_IN),
    ("POST", "/omgangar", &[IT_CENTER]),
    ("GET", "/omgangar/{id}", SIGNED_IN),
    (
        "POST",
        "/omgangar/{id}/installningar",
        &[IT_CENTER, COORDINATION],
    ),
    ("POST", "/omgangar/{id}/modell", &[ADMIN]),
    ("POST", "/omgangar/{id}/fas", &[IT_CENTER, COORDINATION]),
    ("POST", "/omgangar/{id}/objekt", &[IT_CENTER]),
    ("GET", "/omgangar/{id}/beredning/{municipality}", SIGNED_IN),
    (
        "POST",
        "/omgangar/{id}/beredning/{municipality}",
        &[STRATEGY_LUDVIKA, STRATEGY_SMEDJEBACKEN],
    ),
    (
        "GET",
        "/omgangar/{id}/rangordning",
        &[
            ADMIN,
            IT_CENTER,
            COORDINATION,
            AUDITOR,
            STRATEGY_LUDVIKA,
            STRATEGY_SMEDJEBACKEN,
        ],
    ),
    ("POST", "/omgangar/{id}/rangordning", &[COORDINATION]),
    (
        "GET",
        "/omgangar/{id}/forslag",
        &[ADMIN, IT_CENTER, COORDINATION, AUDITOR],
    ),
    ("POST", "/omgangar/{id}/forslag", &[COORDINATION]),
    ("GET", "/omgangar/{id}/beslut", &[COORDINATION]),
    ("POST", "/omgangar/{id}/beslut", &[COORDINATION]),
    ("GET", "/omgangar/{id}/protokoll.docx", SIGNED_IN),
    ("GET", "/omgangar/{id}/protokoll.xlsx", SIGNED_IN),
    (
        "GET",
        "/omgangar/{id}/jamforelse",
        &[ADMIN, IT_CENTER, COORDINATION, AUDITOR],
    ),
];

/// `path` with every `{placeholder}` replaced by `id`.
fn fill(path: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&rest[..start]);
        out.push_str(id);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn allowed(method: &str, path: &str) -> &'static [&'static str] {
    MATRIX
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, who)| *who)
        .unwrap_or_else(|| panic!("{method} {path} is not in the route × role matrix"))
}

#[test]
fn every_route_is_in_the_matrix_and_the_matrix_has_no_stale_lines() {
    let table = route_table();
    for route in &table {
        let who = allowed(route.method.as_str(), route.path);
        let public = who == PUBLIC;
        assert_eq!(
            route.access == Access::Public,
            public,
            "{} {}: public?",
            route.method,
            route.path
        );
    }
    for (method, path, _) in MATRIX {
        assert!(
            table
                .iter()
                .any(|r| r.method.as_str() == *method && r.path == *path),
            "{method} {path} is in the matrix but not a route"
        );
    }
}

#[tokio::test]
async fn each_role_reaches_exactly_the_routes_the_matrix_allows() {
    let app = TestApp::spawn().await;
    let some_user: String = sqlx::query_scalar("SELECT id::text FROM app_user WHERE email = $1")
        .bind(AUDITOR)
        .fetch_one(&app.db)
        .await
        .unwrap();
    for account in ALL_ACCOUNTS {
        let client = app.signed_in(account).await;
        // Sign-out last: it ends the session the other requests use.
        let mut routes = route_table();
        routes.sort_by_key(|r| r.path == "/logga-ut");
        for route in routes {
            let path = fill(route.path, &some_user);
            let page = match route.method.as_str() {
                "GET" => client.get(&path).await,
                // An empty but genuine form: the matrix is about who gets in, not what is saved.
                _ => client.post_from("/", &path, &[]).await,
            };
            let who = allowed(route.method.as_str(), route.path);
            let may = who == PUBLIC || who.contains(&account);
            if may {
                assert_ne!(
                    page.status, 403,
                    "{account} should reach {} {}",
                    route.method, route.path
                );
                assert!(
                    !page.location().unwrap_or("").starts_with("/logga-in?"),
                    "{account} was sent to sign in at {} {}",
                    route.method,
                    route.path
                );
            } else {
                assert_eq!(
                    page.status, 403,
                    "{account} must not reach {} {}",
                    route.method, route.path
                );
            }
        }
    }
}

#[tokio::test]
async fn visitors_not_signed_in_are_sent_to_sign_in_from_every_protected_page() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for route in route_table()
        .into_iter()
        .filter(|r| r.access != Access::Public && r.method == "GET")
    {
        let path = fill(route.path, "00000000-0000-0000-0000-000000000000");
        let page = client.get(&path).await;
        assert_eq!(page.status, 303, "GET {path}");
        assert!(
            page.location().unwrap().starts_with("/logga-in"),
            "GET {path}"
        );
    }
}

#[tokio::test]
async fn the_auditor_is_refused_every_change() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(AUDITOR).await;
    let posts = route_table().into_iter().filter(|r| r.method == "POST");
    // Signing in and out, choosing a table's columns and keeping one's own API tokens (which
    // carry the auditor's own reading rights) change no data; everything else is a change.
    let own = [
        "/logga-in",
        "/logga-ut",
        "/kolumner",
        "/konto/api-nycklar",
        "/konto/api-nycklar/{id}/aterkalla",
    ];
    for route in posts.filter(|r| !own.contains(&r.path)) {
        let path = fill(route.path, "00000000-0000-0000-0000-000000000000");
        let page = client.post_from("/", &path, &[("version", "1")]).await;
        assert_eq!(page.status, 403, "POST {path}");
    }
}

#[tokio::test]
async fn each_role_sees_only_its_own_menu() {
    let app = TestApp::spawn().await;
    let expected: &[(&str, &[&str])] = &[
        (
            ADMIN,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Omgångar",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
                "Användare",
                "Inloggning",
                "Kommuner",
                "Modeller",
                "Revision",
                "Revisionslogg",
            ],
        ),
        (
            AUDITOR,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Omgångar",
                "Uppföljning",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
                "Revision",
                "Revisionslogg",
            ],
        ),
        (
            IT_CENTER,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Omgångar",
                "Uppföljning",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
            ],
        ),
        (
            CONTROLLER,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Uppföljning",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
            ],
        ),
        (
            STRATEGY_LUDVIKA,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Omgångar",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
            ],
        ),
        (
            COORDINATION,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Omgångar",
                "Uppföljning",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
            ],
        ),
        (
            SECRETARY,
            &[
                "Start",
                "Projekt",
                "Portfölj",
                "Uppföljning",
                "Effektmål",
                "Nyttor",
                "Fond",
                "Fullmäktiges mål",
            ],
        ),
    ];
    for (account, menu) in expected {
        let page = app.signed_in(account).await.get("/").await;
        assert_eq!(
            page.texts("nav[aria-label=Huvudmeny] a"),
            *menu,
            "{account}"
        );
    }
}

#[tokio::test]
async fn each_role_gets_its_own_start_page_panels() {
    let app = TestApp::spawn().await;
    let expected: &[(&str, &str)] = &[
        (IT_CENTER, "Digitaliseringsportföljen"),
        (CONTROLLER, "Budget och utfall"),
        (STRATEGY_LUDVIKA, "Beredning för din kommun"),
        (COORDINATION, "Kvartalets prioritering"),
        (SECRETARY, "Beslutsunderlag till nämnden"),
        (HEAD_OF_ADMINISTRATION, "Handlingsplaner"),
        (AUDITOR, "Läsbehörighet"),
        (ADMIN, "Användare och roller"),
    ];
    for (account, panel) in expected {
        let page = app.signed_in(account).await.get("/").await;
        let panels = page.texts(".panel h3");
        assert!(panels.iter().any(|p| p == panel), "{account}: {panels:?}");
        for (other, other_panel) in expected.iter().filter(|(a, _)| a != account) {
            assert!(
                !panels.iter().any(|p| p == other_panel),
                "{account} sees {other}'s panel"
            );
        }
    }
}
