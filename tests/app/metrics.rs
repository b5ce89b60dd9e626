//! `/metrics` as a Prometheus scraper sees it: requests counted and timed under their route's
//! template (never the raw path), the database pool and liveness, the build; on the main
//! address only with the configured token, on the metrics address without one.

use portfolj::{AppState, Config};

use crate::{
    projects::{SEED_000, project_id},
    support::{CONTROLLER, TestApp},
};

const TOKEN: &str = "skrapare-0123456789abcdef";

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut request = reqwest::Client::new().get(format!("{}/metrics", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn requests_are_counted_by_route_template_for_the_holder_of_the_token() {
    let app = TestApp::spawn_with(|c| c.metrics_token = Some(TOKEN.to_owned())).await;
    let id = project_id(&app, SEED_000).await;
    let controller = app.signed_in(CONTROLLER).await;
    for _ in 0..2 {
        assert_eq!(controller.get(&format!("/projekt/{id}")).await.status, 200);
    }
    assert_eq!(controller.get("/finns-inte").await.status, 404);
    // A made-up method, which anyone may send without signing in.
    let made_up = reqwest::Method::from_bytes(b"PAHITTAD").unwrap();
    reqwest::Client::new()
        .request(made_up, format!("{}/healthz", app.base_url))
        .send()
        .await
        .unwrap();

    assert_eq!(scrape(&app, None).await.0, 401);
    assert_eq!(scrape(&app, Some("fel-token-0123456789")).await.0, 401);
    // A refusal names the scheme; the scheme is read in any case.
    let url = format!("{}/metrics", app.base_url);
    let refused = reqwest::get(&url).await.unwrap();
    assert!(
        refused.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let lower_case = reqwest::Client::new()
        .get(&url)
        .header("authorization", format!("bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(lower_case.status(), 200);
    let (status, text) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 200);
    for wanted in [
        "portfolj_http_requests_total{method=\"GET\",route=\"/projekt/{id}\",status=\"200\"} 2",
        "portfolj_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "portfolj_http_request_duration_seconds_count{method=\"GET\",route=\"/projekt/{id}\"} 2",
        "portfolj_database_up 1",
        "portfolj_build_info{version=\"",
        "portfolj_db_pool_connections ",
        "portfolj_db_pool_connections_in_use ",
        "portfolj_db_pool_acquire_microseconds ",
    ] {
        assert!(text.contains(wanted), "{wanted}:\n{text}");
    }
    // One series per route, not per path: no id and no scanner's path becomes a label.
    assert!(!text.contains(&id), "{text}");
    assert!(!text.contains("finns-inte"), "{text}");
    assert!(!text.contains("PAHITTAD"), "{text}");
    assert!(text.contains("method=\"other\""), "{text}");
}

#[tokio::test]
async fn without_a_token_the_main_address_has_no_metrics_and_a_short_token_is_refused() {
    let app = TestApp::spawn().await;
    assert_eq!(scrape(&app, Some(TOKEN)).await.0, 404);
    let short =
        Config::from_lookup(|name| (name == "PORTFOLJ_METRICS_TOKEN").then(|| "kort".to_owned()));
    let Err(error) = short else {
        panic!("a short token is refused")
    };
    let error = error.to_string();
    assert!(error.contains("PORTFOLJ_METRICS_TOKEN"), "{error}");
    assert!(
        !error.contains("kort"),
        "the token is not repeated: {error}"
    );
}

#[tokio::test]
async fn the_metrics_address_serves_them_without_a_token() {
    let app = TestApp::spawn().await;
    let config = Config::from_lookup(|_| None).unwrap();
    let state = AppState::new(app.db.clone(), config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(
        async move { axum::serve(listener, portfolj::metrics::handlers::alone(state)).await },
    );
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("portfolj_database_up 1"), "{text}");
    assert!(text.ends_with("# EOF\n"), "{text}");
}
