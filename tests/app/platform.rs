//! What every response has: health probes, security headers, request ids, Swedish error pages.

use crate::support::{ADMIN, IT_CENTER, TestApp};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let client = app.client();
    assert_eq!(client.get("/healthz").await.status, 200);
    let ready = client.get("/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready"));
}

#[tokio::test]
async fn readiness_fails_while_the_database_is_unreachable_and_recovers() {
    let app = TestApp::spawn().await;
    let client = app.client();
    assert_eq!(client.get("/readyz").await.status, 200);
    let mut admin = crate::support::cluster::cluster().admin_connection().await;
    let block = format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
        app.db_name
    );
    sqlx::query(&block).execute(&mut admin).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&app.db_name)
        .execute(&mut admin)
        .await
        .unwrap();
    let down = client.get("/readyz").await;
    assert_eq!(down.status, 503);
    assert_eq!(
        client.get("/healthz").await.status,
        200,
        "the process itself is still up"
    );
    let allow = format!("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true", app.db_name);
    sqlx::query(&allow).execute(&mut admin).await.unwrap();
    assert_eq!(client.get("/readyz").await.status, 200);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for path in [
        "/logga-in",
        "/healthz",
        "/finns-inte",
        "/static/css/app.css",
    ] {
        let page = client.get(path).await;
        let csp = page
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("CSP on {path}"));
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(
            page.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            page.header("referrer-policy"),
            Some("same-origin"),
            "{path}"
        );
        assert!(
            page.header("x-request-id").is_some_and(|id| id.len() == 36),
            "{path}"
        );
    }
}

/// The id a response carries when the request came with `sent` as its id.
async fn request_id_for(app: &TestApp, sent: &str) -> String {
    let response = reqwest::Client::new()
        .get(format!("{}/healthz", app.base_url))
        .header("x-request-id", sent)
        .send()
        .await
        .unwrap();
    response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_request_id_is_taken_only_from_a_trusted_proxy_and_only_when_plain() {
    let forged = "x\" status=200 user_id=01a23da3-4967-714f-a192-e70e5a388eef";
    let plain = "lb-7f3a9c:0001";
    // Straight from a client: its header never becomes the id in the log or the audit log.
    let direct = TestApp::spawn().await;
    for sent in [forged, plain] {
        let id = request_id_for(&direct, sent).await;
        assert!(id != sent && uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    }
    // Behind a proxy we trust, its id is kept so that the two logs can be matched, unless it is
    // not one plain token.
    let proxied =
        TestApp::spawn_with(|c| c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    assert_eq!(request_id_for(&proxied, plain).await, plain);
    let id = request_id_for(&proxied, forged).await;
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let long = "a".repeat(65);
    assert_ne!(request_id_for(&proxied, &long).await, long);
}

fn set_cookies(page: &crate::support::Page) -> Vec<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_anonymous_visit_writes_no_session_and_cookies_are_http_only() {
    let app = TestApp::spawn().await;
    let sessions = "SELECT count(*) FROM tower_sessions.session";
    let before = app.count(sessions).await;
    let client = app.client();
    let page = client.get("/logga-in").await;
    assert_eq!(
        app.count(sessions).await,
        before,
        "no session row for a look"
    );
    let cookies = set_cookies(&page);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(
        cookies[0].starts_with("portfolj-csrf=")
            && cookies[0].contains("HttpOnly")
            && cookies[0].contains("SameSite=Strict")
            && !cookies[0].contains("Secure"),
        "{cookies:?}"
    );
    assert!(page.header("strict-transport-security").is_none());
    let signed_in = client.sign_in(ADMIN, "demo").await;
    assert_eq!(signed_in.status, 303);
    let session = set_cookies(&signed_in)
        .into_iter()
        .find(|c| c.starts_with("portfolj="))
        .expect("a session cookie at sign-in");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert_eq!(app.count(sessions).await, before + 1);
}

#[tokio::test]
async fn behind_https_cookies_are_secure_host_cookies_and_hsts_is_sent() {
    let app = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    let client = app.client();
    let page = client.get("/logga-in").await;
    assert_eq!(
        page.header("strict-transport-security"),
        Some("max-age=63072000; includeSubDomains")
    );
    let csrf = set_cookies(&page).remove(0);
    assert!(
        csrf.starts_with("__Host-portfolj-csrf=")
            && csrf.contains("Secure")
            && csrf.contains("Path=/"),
        "{csrf}"
    );
    // The test speaks http, so its cookie jar keeps Secure cookies to itself: send it by hand.
    let pair = csrf.split(';').next().unwrap();
    let token = page.csrf_token();
    let signed_in = client
        .post_with_headers(
            "/logga-in",
            &[("cookie", pair)],
            &[
                ("csrf_token", &token),
                ("email", ADMIN),
                ("password", "demo"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let session = set_cookies(&signed_in)
        .into_iter()
        .find(|c| c.starts_with("__Host-portfolj="))
        .expect("a session cookie at sign-in");
    assert!(
        session.contains("Secure") && session.contains("HttpOnly") && session.contains("Path=/"),
        "{session}"
    );
}

#[tokio::test]
async fn a_missing_page_is_a_swedish_404_with_its_correlation_id() {
    let app = TestApp::spawn().await;
    let page = app.signed_in(ADMIN).await.get("/finns-inte").await;
    assert_eq!(page.status, 404);
    assert_eq!(page.text("h1"), "Sidan finns inte");
    assert_eq!(
        page.text(".correlation-id"),
        page.header("x-request-id").unwrap()
    );
    assert_eq!(
        page.texts("nav[aria-label=Huvudmeny] a")[0],
        "Start",
        "the error page keeps the navigation"
    );
}

#[tokio::test]
async fn a_forbidden_page_says_so_in_swedish() {
    let app = TestApp::spawn().await;
    let page = app.signed_in(IT_CENTER).await.get("/admin/anvandare").await;
    assert_eq!(page.status, 403);
    assert_eq!(page.text("h1"), "Åtkomst nekad");
    assert_eq!(
        page.text(".correlation-id"),
        page.header("x-request-id").unwrap()
    );
}

#[tokio::test]
async fn a_server_error_shows_a_correlation_id_and_never_internals() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    // Break the database under the running app.
    sqlx::query("ALTER TABLE municipality RENAME TO municipality_gone")
        .execute(&mut app.owner().await)
        .await
        .unwrap();
    let page = admin.get("/admin/anvandare/ny").await;
    assert_eq!(page.status, 500);
    assert_eq!(page.text("h1"), "Något gick fel");
    assert_eq!(
        page.text(".correlation-id"),
        page.header("x-request-id").unwrap()
    );
    for secret in [
        "municipality",
        "does not exist",
        "sqlx",
        "SELECT",
        "panicked",
    ] {
        assert!(!page.body.contains(secret), "500 page shows {secret}");
    }
}

#[tokio::test]
async fn a_request_body_over_the_limit_is_refused() {
    let app = TestApp::spawn_with(|c| c.max_body_bytes = 1024).await;
    let client = app.signed_in(ADMIN).await;
    let big = "x".repeat(4096);
    let page = client
        .post_from("/", "/admin/anvandare/ny", &[("display_name", &big)])
        .await;
    assert_eq!(page.status, 413);
}

#[tokio::test]
async fn pages_need_no_script_and_carry_no_inline_script() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    for path in ["/", "/admin/anvandare", "/admin/anvandare/ny", "/logg"] {
        let page = client.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("<script"), "{path} has a script");
        assert!(!page.body.contains("style=\""), "{path} has inline style");
        assert_eq!(page.texts("html[lang=sv]").len(), 1, "{path}");
        assert_eq!(
            page.text("a.skip-link"),
            "Hoppa till huvudinnehållet",
            "{path}"
        );
    }
}

/// What a person sees when the database is away: the Swedish page saying so, 503 with a time to
/// try again, quickly, and the service back by itself when the database is.
#[tokio::test]
async fn pages_answer_503_with_retry_after_while_the_database_is_unreachable() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    assert_eq!(client.get("/projekt").await.status, 200);
    let mut admin = crate::support::cluster::cluster().admin_connection().await;
    let block = format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
        app.db_name
    );
    sqlx::query(&block).execute(&mut admin).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&app.db_name)
        .execute(&mut admin)
        .await
        .unwrap();
    for path in ["/projekt", "/", "/portfolj"] {
        let started = std::time::Instant::now();
        let page = client.get(path).await;
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{path} hung"
        );
        assert_eq!(page.status, 503, "{path}: {}", page.body);
        assert_eq!(page.header("retry-after"), Some("30"), "{path}");
        assert_eq!(page.text("h1"), "Tjänsten är tillfälligt otillgänglig");
        assert_eq!(
            page.text(".correlation-id"),
            page.header("x-request-id").unwrap()
        );
    }
    let token = client.get("/logga-in").await.csrf_token();
    let post = client
        .post_raw("/logga-ut", &[("csrf_token", &token)])
        .await;
    assert_eq!(post.status, 503);
    let allow = format!("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true", app.db_name);
    sqlx::query(&allow).execute(&mut admin).await.unwrap();
    assert_eq!(client.get("/projekt").await.status, 200, "back by itself");
}

#[tokio::test]
async fn an_exhausted_pool_is_a_503_not_a_hang() {
    let app = TestApp::spawn_with(|c| c.db_pool_size = 1).await;
    let client = app.signed_in(IT_CENTER).await;
    let held = app.db.acquire().await.unwrap();
    let page = client.get("/projekt").await;
    assert_eq!(page.status, 503);
    assert_eq!(page.text("h1"), "Tjänsten är tillfälligt otillgänglig");
    drop(held);
    assert_eq!(client.get("/projekt").await.status, 200);
}

#[tokio::test]
async fn rejected_paths_queries_and_forms_get_the_swedish_page() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    let bad_path = client.get("/projekt/inte-ett-id").await;
    assert_eq!(bad_path.status, 400);
    assert_eq!(bad_path.text("h1"), "Felaktig begäran");
    assert!(!bad_path.body.contains("UUID"), "no parser internals");
    let bad_query = client.get("/projekt?ar=tjugo").await;
    assert!(
        matches!(bad_query.status, 200 | 400),
        "{}",
        bad_query.status
    );
    if bad_query.status == 400 {
        assert_eq!(bad_query.text("h1"), "Felaktig begäran");
    }
    let log = client.get("/logg?sida=99999999999999999999999").await;
    assert_eq!(
        log.status, 200,
        "a page number out of range is the first page"
    );
    let id = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM project LIMIT 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = format!("/projekt/{id}");
    let client = app.signed_in(IT_CENTER).await;
    let token = client.get(&path).await.csrf_token();
    let bad_form = client
        .post_raw(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("version", "ett")],
        )
        .await;
    assert!(matches!(bad_form.status, 400 | 422), "{}", bad_form.status);
    assert_eq!(bad_form.text("h1"), "Felaktig begäran");
    assert!(
        !bad_form.body.contains("deserialize"),
        "no parser internals"
    );
}

#[tokio::test]
async fn a_handler_that_panics_gets_the_500_page_with_its_request_id() {
    let routes = axum::Router::new().route(
        "/test/panik",
        axum::routing::get(
            |axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>| async move {
                // A bug of the kind that slips through: an index that is not always there.
                q[0].1.clone()
            },
        ),
    );
    let app = TestApp::spawn_with_routes(routes).await;
    let client = app.client();
    let page = client.get("/test/panik").await;
    assert_eq!(page.status, 500);
    assert_eq!(page.text("h1"), "Något gick fel");
    assert_eq!(
        page.text(".correlation-id"),
        page.header("x-request-id").unwrap()
    );
    assert!(!page.body.contains("index out of bounds"));
    assert_eq!(
        client.get("/healthz").await.status,
        200,
        "the server goes on"
    );
}
