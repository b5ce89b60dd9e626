//! The JSON API as an integration sees it, with a token made on the "API-nycklar" page
//! (`api_tokens`): calls that read and write through the pages' own rules (roles, visibility,
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

pub async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    call(app, reqwest::Method::GET, path, Some(token), (&[], None)).await
}

pub fn assert_problem(answer: &Answer, status: u16) {
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
    assert_eq!(again.json["first"], booked.json["id"], "{}", again.json);
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
    // Only the document's plain amounts: no exponent, no number (which a float may round).
    for amount in [json!("1e5"), json!("12 500,50"), json!(1.5)] {
        let refused = post(vec![], json!({"month": "2026-10", "amount": amount})).await;
        assert_problem(&refused, 422);
    }
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'api'")
            .await,
        1
    );

    // A role that may not book outcome on the page may not through the API either (its
    // token can only read: see the token form's test).
    let strategy = api_token(&app, STRATEGY_LUDVIKA, false, None).await;
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
    // The search's wildcards are text: "%_%" is not a search for everything.
    let literal = get(&app, "/api/v1/portfolj?q=%25_%25", &token).await;
    assert_eq!(
        literal.json.as_array().map(Vec::len),
        Some(0),
        "{}",
        literal.json
    );
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
    // Amounts only as the document writes them, not as the form also reads them.
    for investment in [json!("1e5"), json!("1,5 mnkr"), json!(150000)] {
        let mut odd = body.clone();
        odd["investment"] = investment;
        let refused = put(
            vec![(
                "if-match",
                saved.headers["etag"].to_str().unwrap().to_owned(),
            )],
            odd,
        )
        .await;
        assert_problem(&refused, 422);
    }
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'portfolio_item_updated' AND field = 'title' AND new_value = 'Ändrad via API'").await,
        1
    );
    // Saving the same again changes nothing: the version stays, so no other client is made
    // stale, and nothing is logged.
    let logged = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'portfolio_item_updated'")
        .await;
    let current = saved.headers["etag"].to_str().unwrap().to_owned();
    let again = put(vec![("if-match", current.clone())], body.clone()).await;
    assert_eq!(again.status, 200, "{}", again.json);
    assert_eq!(again.headers["etag"].to_str().unwrap(), current);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'portfolio_item_updated'")
            .await,
        logged
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
    // Every schema referred to is defined.
    let mut refs = Vec::new();
    references(&document, &mut refs);
    assert!(!refs.is_empty());
    for name in refs {
        let name = name.trim_start_matches("#/components/schemas/");
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{name} is referred to but not defined"
        );
    }
    // OpenAPI requires a description on every response (code generators refuse one without).
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            // Path-wide fields (`parameters`) are not operations.
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status} has no description"
                );
            }
        }
    }
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

/// Every `$ref` in `value`.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                match (key.as_str(), field.as_str()) {
                    ("$ref", Some(target)) => found.push(target.to_owned()),
                    _ => references(field, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}
