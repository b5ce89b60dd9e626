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

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = TestApp::spawn().await;
    let page = app.client().get("/logga-in").await;
    let cookie = page.header("set-cookie").unwrap();
    assert!(cookie.starts_with("portfolj="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let secure = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    let cookie = secure
        .client()
        .get("/logga-in")
        .await
        .header("set-cookie")
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("__Host-portfolj=")
            && cookie.contains("Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
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
        .execute(&app.db)
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
