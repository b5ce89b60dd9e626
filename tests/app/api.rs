//! The JSON API as an integration sees it: a personal token made on the "API-nycklar" page and
//! shown once, calls that read and write through the pages' own rules (roles, visibility,
//! versions, audit), problem+json errors with the request id, and the OpenAPI document.

use serde_json::{Value, json};

use crate::{
    projects::{SEED_000, project_id},
    support::{CONTROLLER, IT_CENTER, STRATEGY_LUDVIKA, TestApp, logs},
};

/// Creates a token on the page as `email` (signed in as a demo account unless `signed_in` is
/// given) and returns it; `write`: it may also write.
pub async fn api_token(
    app: &TestApp,
    email: &str,
    write: bool,
    signed_in: Option<&crate::support::Client>,
) -> String {
    let demo;
    let user = match signed_in {
        Some(user) => user,
        None => {
            demo = app.signed_in(email).await;
            &demo
        }
    };
    let access = if write { "write" } else { "read" };
    let page = user
        .submit_form(
            "/konto/api-nycklar",
            "/konto/api-nycklar",
            &[("name", "Integration"), ("days", "30"), ("access", access)],
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.body);
    let token = page.value("#nyckel").expect("the new token is shown");
    logs::secret(&token);
    token
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    (headers, body): (&[(&str, &str)], Option<Value>),
) -> Answer {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        json,
    }
}

async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    call(app, reqwest::Method::GET, path, Some(token), (&[], None)).await
}

fn assert_problem(answer: &Answer, status: u16) {
    assert_eq!(answer.status, status, "{}", answer.json);
    assert_eq!(
        answer.headers["content-type"], "application/problem+json",
        "{}",
        answer.json
    );
    assert_eq!(answer.json["status"], status);
    assert!(answer.json["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        answer.json["request_id"].as_str(),
        answer.headers["x-request-id"].to_str().ok()
    );
}

#[tokio::test]
async fn a_token_made_on_the_page_is_shown_once_reads_as_its_user_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, CONTROLLER, false, None).await;
    assert!(token.starts_with("pfj_") && token.len() == 68);

    // Shown once: the list names it by its start; only its hash is stored.
    let controller = app.signed_in(CONTROLLER).await;
    let list = controller.get("/konto/api-nycklar").await;
    assert!(!list.body.contains(&token));
    assert!(
        list.text("tbody tr")
            .starts_with(&format!("Integration {}…", &token[..10]))
    );
    assert_eq!(
        app.count("SELECT count(*) FROM api_token WHERE position(convert_to(prefix, 'UTF8') in token_hash) = 0 AND octet_length(token_hash) = 32").await,
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM audit_log WHERE action = 'api_token_created' AND field = 'name' AND new_value = 'Integration'").await, 1);

    // Reads what the project list shows, paged as asked.
    let projects = app.count("SELECT count(*) FROM project").await;
    let page = get(&app, "/api/v1/projekt?limit=2&sortera=dnr", &token).await;
    assert_eq!(page.status, 200, "{}", page.json);
    assert_eq!(page.json["total"], projects);
    assert_eq!(page.json["items"].as_array().unwrap().len(), 2);
    assert_eq!(page.json["limit"], 2);
    // Past the last page the total still counts every match; the scheme's case does not matter.
    let bearer = format!("bearer {token}");
    let past = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/projekt?sida=99",
        None,
        (&[("authorization", &bearer)], None),
    )
    .await;
    assert_eq!(
        (past.status, past.json["total"].as_i64()),
        (200, Some(projects))
    );
    let second = get(&app, "/api/v1/projekt?limit=2&sortera=dnr&sida=2", &token).await;
    assert_ne!(second.json["items"][0]["id"], page.json["items"][0]["id"]);
    assert_problem(&get(&app, "/api/v1/projekt?limit=501", &token).await, 400);
    assert_problem(
        &get(&app, "/api/v1/projekt?status=nonsense", &token).await,
        400,
    );

    let id = project_id(&app, SEED_000).await;
    let project = get(&app, &format!("/api/v1/projekt/{id}"), &token).await;
    assert_eq!(project.json["case_number"], SEED_000);
    assert_eq!(
        project.headers["etag"].to_str().unwrap(),
        format!("\"{}\"", project.json["version"])
    );
    let goals = get(&app, &format!("/api/v1/projekt/{id}/effektmal"), &token).await;
    assert!(!goals.json.as_array().unwrap().is_empty());
    let budget = get(&app, &format!("/api/v1/projekt/{id}/budget"), &token).await;
    assert!(budget.json[0]["entries"].is_array());

    // Without a token, with a wrong one, with a read token writing: refused as problems.
    let none = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/projekt",
        None,
        (&[], None),
    )
    .await;
    assert_problem(&none, 401);
    assert!(
        none.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let wrong = format!("pfj_{}", "0".repeat(64));
    assert_problem(&get(&app, "/api/v1/projekt", &wrong).await, 401);
    // A browser session does not open the API.
    let with_cookie = reqwest::Client::new()
        .get(format!("{}/api/v1/projekt", app.base_url))
        .header("cookie", controller.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(with_cookie.status(), 401);
    let line = app
        .text_of("SELECT l.id::text FROM budget_line l JOIN project p ON p.id = l.project_id WHERE p.case_number = $1 ORDER BY l.position LIMIT 1", SEED_000)
        .await;
    let write = call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/projekt/{id}/budget/{line}/utfall"),
        Some(&token),
        (&[], Some(json!({"month": "2026-11", "amount": "100"}))),
    )
    .await;
    assert_problem(&write, 403);
    assert_problem(&get(&app, "/api/v1/finns-inte", &token).await, 404);

    // Revoked: refused at once, and audited.
    let token_id = app
        .text_of(
            "SELECT id::text FROM api_token WHERE name = $1",
            "Integration",
        )
        .await;
    let revoked = controller
        .post_from(
            "/konto/api-nycklar",
            &format!("/konto/api-nycklar/{token_id}/aterkalla"),
            &[],
        )
        .await;
    assert_eq!(revoked.status, 303);
    assert_problem(&get(&app, "/api/v1/projekt", &token).await, 401);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'api_token_revoked'")
            .await,
        1
    );
    let rows = controller.get("/konto/api-nycklar").await.texts("tbody tr");
    assert!(rows[0].contains("Återkallad"), "{rows:?}");

    // Ending the user's sessions (a password reset, a deactivation) ends the token too.
    let other = api_token(&app, CONTROLLER, false, None).await;
    assert_eq!(get(&app, "/api/v1/omgangar", &other).await.status, 200);
    sqlx::query("UPDATE app_user SET sessions_valid_after = now() WHERE email = $1")
        .bind(CONTROLLER)
        .execute(&app.db)
        .await
        .unwrap();
    assert_problem(&get(&app, "/api/v1/omgangar", &other).await, 401);
    // A session counts from the next second after its user's sessions were ended.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let controller = app.signed_in(CONTROLLER).await;

    let rows = controller.get("/konto/api-nycklar").await.texts("tbody tr");
    assert!(
        rows[0].contains("Avslutad när lösenordet byttes"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn a_bad_token_form_is_shown_again_with_its_messages_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let user = app.signed_in(CONTROLLER).await;
    let page = user
        .submit_form(
            "/konto/api-nycklar",
            "/konto/api-nycklar",
            &[("name", ""), ("days", "9999"), ("access", "admin")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("name").unwrap(),
        "Fel: Namn: Fältet måste fyllas i."
    );
    assert!(page.field_error("days").is_some());
    assert_eq!(app.count("SELECT count(*) FROM api_token").await, 0);
}

#[tokio::test]
async fn outcome_booked_through_the_api_follows_the_pages_rules_and_versions() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, CONTROLLER, true, None).await;
    let id = project_id(&app, SEED_000).await;
    let budget = get(&app, &format!("/api/v1/projekt/{id}/budget"), &token).await;
    let line = &budget.json[0];
    let (line_id, version) = (line["id"].as_str().unwrap(), line["version"].to_string());
    let path = format!("/api/v1/projekt/{id}/budget/{line_id}/utfall");
    let if_match = format!("\"{version}\"");
    let key = uuid::Uuid::new_v4().to_string();
    let body = json!({"month": "2026-10", "amount": "12500.50", "text": "Konsulttimmar oktober"});
    let post = |headers: Vec<(&'static str, String)>, body: Value| {
        let (app, token, path) = (&app, token.clone(), path.clone());
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            call(
                app,
                reqwest::Method::POST,
                &path,
                Some(&token),
                (&headers, Some(body)),
            )
            .await
        }
    };

    let booked = post(
        vec![
            ("if-match", if_match.clone()),
            ("idempotency-key", key.clone()),
        ],
        body.clone(),
    )
    .await;
    assert_eq!(booked.status, 201, "{}", booked.json);
    assert_eq!(booked.json["amount"], "12500.50");
    assert_eq!(booked.json["source"], "api");
    assert_ne!(booked.headers["etag"].to_str().unwrap(), if_match);
    // The audit trail names the token.
    let token_id = app
        .text_of(
            "SELECT id::text FROM api_token WHERE name = $1",
            "Integration",
        )
        .await;
    assert_eq!(
        app.count(&format!("SELECT count(*) FROM audit_log WHERE action = 'outcome_entry_created' AND source LIKE '%API-nyckel {token_id}%'")).await,
        2
    );

    // The same key again books nothing; the old version is stale; bad input names its field.
    let again = post(vec![("idempotency-key", key)], body.clone()).await;
    assert_problem(&again, 409);
    assert_eq!(again.json["title"], "Redan skickad");
    assert_problem(
        &post(vec![("if-match", if_match.clone())], body.clone()).await,
        412,
    );
    // If-Match compares strongly: a weak tag never matches; "any version" is not taken.
    let current = booked.headers["etag"].to_str().unwrap().to_owned();
    assert_problem(
        &post(vec![("if-match", format!("W/{current}"))], body.clone()).await,
        412,
    );
    assert_problem(
        &post(vec![("if-match", "*".into())], body.clone()).await,
        428,
    );
    // A body that cannot be read says what in it could not be.
    let unreadable = post(vec![], json!({"month": "2026-10"})).await;
    assert_problem(&unreadable, 422);
    assert!(
        unreadable.json["detail"]
            .as_str()
            .unwrap()
            .contains("amount"),
        "{}",
        unreadable.json
    );
    let bad = post(vec![], json!({"month": "2026-13", "amount": "1.234"})).await;
    assert_problem(&bad, 422);
    let fields: Vec<&str> = bad.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["month", "amount"]);
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'api'")
            .await,
        1
    );

    // A role that may not book outcome on the page may not through the API either.
    let strategy = api_token(&app, STRATEGY_LUDVIKA, true, None).await;
    let refused = call(
        &app,
        reqwest::Method::POST,
        &path,
        Some(&strategy),
        (&[], Some(body)),
    )
    .await;
    assert_problem(&refused, 403);
}

#[tokio::test]
async fn an_item_is_changed_over_the_version_it_was_read_at() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, IT_CENTER, true, None).await;
    let items = get(&app, "/api/v1/portfolj", &token).await;
    let item = items.json[0].clone();
    let path = format!("/api/v1/portfolj/{}", item["id"].as_str().unwrap());
    let read = get(&app, &path, &token).await;
    let etag = read.headers["etag"].to_str().unwrap().to_owned();

    let mut body = read.json.clone();
    for field in ["id", "reference", "status", "version"] {
        body.as_object_mut().unwrap().remove(field);
    }
    body["title"] = json!("Ändrad via API");
    let put = |headers: Vec<(&'static str, String)>, body: Value| {
        let (app, token, path) = (&app, token.clone(), path.clone());
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            call(
                app,
                reqwest::Method::PUT,
                &path,
                Some(&token),
                (&headers, Some(body)),
            )
            .await
        }
    };
    let saved = put(vec![("if-match", etag.clone())], body.clone()).await;
    assert_eq!(saved.status, 200, "{}", saved.json);
    assert_eq!(saved.json["title"], "Ändrad via API");
    assert_ne!(saved.headers["etag"].to_str().unwrap(), etag);
    assert_problem(&put(vec![("if-match", etag)], body.clone()).await, 412);
    assert_problem(&put(vec![], body.clone()).await, 428);
    // An id that is no council goal is refused, not dropped; leaving out the municipalities
    // (which would mean all of them) is a body that cannot be read.
    let mut unknown = body.clone();
    unknown["council_goals"] = json!([uuid::Uuid::nil()]);
    let current = saved.headers["etag"].to_str().unwrap().to_owned();
    let refused = put(vec![("if-match", current.clone())], unknown).await;
    assert_problem(&refused, 422);
    assert_eq!(refused.json["errors"][0]["field"], "council_goals");
    let mut without = body.clone();
    without.as_object_mut().unwrap().remove("municipalities");
    assert_problem(&put(vec![("if-match", current)], without).await, 422);
    let mut bad = body.clone();
    bad["score_citizen"] = json!(9);
    let refused = put(
        vec![(
            "if-match",
            saved.headers["etag"].to_str().unwrap().to_owned(),
        )],
        bad,
    )
    .await;
    assert_problem(&refused, 422);
    assert_eq!(refused.json["errors"][0]["field"], "score_citizen");
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'portfolio_item_updated' AND field = 'title' AND new_value = 'Ändrad via API'").await,
        1
    );
    // A controller may read items but not change them.
    let controller = api_token(&app, CONTROLLER, true, None).await;
    let refused = call(
        &app,
        reqwest::Method::PUT,
        &path,
        Some(&controller),
        (&[("if-match", "\"1\"")], Some(body)),
    )
    .await;
    assert_problem(&refused, 403);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api_and_its_swagger_page_is_served() {
    let app = TestApp::spawn().await;
    let document = reqwest::get(format!("{}/api/v1/openapi.json", app.base_url))
        .await
        .unwrap();
    assert_eq!(document.status(), 200);
    let document: Value = serde_json::from_str(&document.text().await.unwrap()).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/projekt",
        "/api/v1/projekt/{id}",
        "/api/v1/projekt/{id}/effektmal",
        "/api/v1/projekt/{id}/budget",
        "/api/v1/projekt/{id}/budget/{line}/utfall",
        "/api/v1/portfolj",
        "/api/v1/portfolj/{id}",
        "/api/v1/omgangar",
        "/api/v1/omgangar/{id}",
        "/api/v1/uppfoljningar",
    ] {
        assert!(
            document["paths"][path].is_object(),
            "{path} is not described"
        );
    }
    assert_eq!(
        document["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    let docs = reqwest::get(format!("{}/api/v1/dokumentation/", app.base_url))
        .await
        .unwrap();
    assert_eq!(docs.status(), 200);
    // Inline styles for Swagger UI's bundle, on its pages only; scripts still our own.
    let policy = docs.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("style-src 'self' 'unsafe-inline'")
            && policy.contains("script-src 'self';")
    );
    assert!(docs.text().await.unwrap().contains("swagger"));
    let page = reqwest::get(format!("{}/logga-in", app.base_url))
        .await
        .unwrap();
    assert!(
        !page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("unsafe-inline")
    );
}

#[tokio::test]
async fn rounds_and_follow_ups_are_read_with_the_decisions_the_caller_may_see() {
    let app = TestApp::spawn().await;
    let token = api_token(&app, IT_CENTER, false, None).await;
    let rounds = get(&app, "/api/v1/omgangar", &token).await;
    let decided = rounds
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["phase"] == "decided")
        .expect("a decided round")
        .clone();
    let round = get(
        &app,
        &format!("/api/v1/omgangar/{}", decided["id"].as_str().unwrap()),
        &token,
    )
    .await;
    assert_eq!(round.json["quarter"], decided["quarter"]);
    let decisions = round.json["decisions"].as_array().unwrap();
    let prioritised = app
        .count(&format!(
            "SELECT count(*) FROM round_item WHERE round_id = '{}' AND decision = 'prioritised'",
            decided["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        decisions
            .iter()
            .filter(|d| d["decision"] == "prioritised")
            .count() as i64,
        prioritised
    );
    assert!(prioritised > 0);

    let year: i32 = app
        .count("SELECT max(year)::bigint FROM follow_up_occasion")
        .await as i32;
    let follow_ups = get(&app, &format!("/api/v1/uppfoljningar?ar={year}"), &token).await;
    assert_eq!(follow_ups.status, 200, "{}", follow_ups.json);
    assert!(!follow_ups.json.as_array().unwrap().is_empty());
}
