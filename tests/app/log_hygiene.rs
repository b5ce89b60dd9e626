//! The log, as operations would read it: each request's lines carry its request id and, once
//! signed in, the user's id; no password, session cookie, form token or scraper's token ever
//! appears in it. The log is the whole test binary's (`support::logs`), so besides the flows run
//! here this looks at everything the other tests have logged by the time it ends.

use crate::support::{ADMIN, CONTROLLER, TestApp, logs};

const METRICS_TOKEN: &str = "hygien-skrapare-0123456789";

#[tokio::test]
async fn no_secret_reaches_the_log_and_each_request_line_names_its_user() {
    let app = TestApp::spawn_with(|c| c.metrics_token = Some(METRICS_TOKEN.to_owned())).await;
    logs::secret(METRICS_TOKEN);

    // Passwords typed wrong, typed into the e-mail field, set by an administrator and used.
    let visitor = app.client();
    assert_eq!(
        visitor
            .sign_in(CONTROLLER, "fel-lösenord-hygien-1")
            .await
            .status,
        401
    );
    assert_eq!(
        visitor
            .sign_in("hemligt-lösenord-i-fel-fält", "x")
            .await
            .status,
        401
    );
    let admin = app.signed_in(ADMIN).await;
    let created = admin
        .post_from(
            "/admin/anvandare/ny",
            "/admin/anvandare/ny",
            &[
                ("email", "hygien@ludvika.se"),
                ("display_name", "Hygien Test"),
                ("title", "Controller"),
                ("password", "hygien-lösenord-långt-2"),
                ("roles", "controller"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    logs::secret("hemligt-lösenord-i-fel-fält");
    let user = app.client();
    assert_eq!(
        user.sign_in("hygien@ludvika.se", "hygien-lösenord-långt-2")
            .await
            .status,
        303
    );
    let page = user.get("/projekt").await;
    assert_eq!(page.status, 200);
    assert!(user.session_cookie().is_some_and(|c| c.len() >= 16));

    // Scrapes with a wrong token and the right one.
    for token in ["hygien-fel-skrapare-987654321", METRICS_TOKEN] {
        logs::secret(token);
        reqwest::Client::new()
            .get(format!("{}/metrics", app.base_url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
    }

    // The signed-in request's line names its request and its user.
    let request_id = page.header("x-request-id").unwrap();
    let user_id = app
        .text_of(
            "SELECT id::text FROM app_user WHERE email = $1",
            "hygien@ludvika.se",
        )
        .await;
    let lines = logs::lines_with(request_id);
    assert!(!lines.is_empty(), "no log line for request {request_id}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("\"user_id\":\"{user_id}\""))),
        "the request's lines do not name user {user_id}:\n{}",
        lines.join("\n")
    );
    // A visitor's request names no user.
    let anonymous = app.client().get("/logga-in").await;
    let lines = logs::lines_with(anonymous.header("x-request-id").unwrap());
    assert!(!lines.is_empty() && lines.iter().all(|l| !l.contains("\"user_id\"")));

    let leaked = logs::leaked_secrets();
    assert!(leaked.is_empty(), "secrets in the log: {leaked:?}");
}
