//! The "API-nycklar" page: a personal token made on it is shown once, reads as its user and
//! can be revoked; a bad form is shown again; a writing token only for roles that write.

use serde_json::json;

use crate::{
    api::{api_token, assert_problem, call, get},
    projects::{SEED_000, project_id},
    support::{AUDITOR, CONTROLLER, TestApp},
};

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

    // A role that writes nothing through the API is not offered a writing token, nor given one.
    let auditor = app.signed_in(AUDITOR).await;
    let form = auditor.get("/konto/api-nycklar").await;
    assert!(form.body.contains("id=\"access-read\""));
    assert!(!form.body.contains("id=\"access-write\""), "{}", form.body);
    let page = auditor
        .submit_form(
            "/konto/api-nycklar",
            "/konto/api-nycklar",
            &[("name", "Granskning"), ("days", "30"), ("access", "write")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.field_error("access")
            .unwrap()
            .contains("kan bara läsa")
    );
    assert_eq!(page.value("#name").as_deref(), Some("Granskning"));
    assert_eq!(app.count("SELECT count(*) FROM api_token").await, 0);
}
