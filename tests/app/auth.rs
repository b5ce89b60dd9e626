//! Signing in and out as a user experiences it.

use std::time::Duration;

use crate::support::{ADMIN, AUDITOR, Client, TestApp};

#[tokio::test]
async fn signing_in_leads_to_the_start_page() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let page = client.sign_in(ADMIN, "demo").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location(), Some("/"));
    let start = client.get("/").await;
    assert_eq!(start.status, 200);
    assert_eq!(start.text("h1"), "Välkommen, Alva Admin");
}

#[tokio::test]
async fn a_wrong_password_gets_the_generic_message_and_keeps_the_email() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let wrong = client.sign_in(ADMIN, "fel").await;
    let unknown = client.sign_in("ingen@demo.portfolj.se", "demo").await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, 401);
        assert_eq!(
            page.text("[role=alert]"),
            "Fel e-postadress eller lösenord."
        );
    }
    assert_eq!(wrong.value("input#email").as_deref(), Some(ADMIN));
    assert_eq!(
        unknown.value("input#email").as_deref(),
        Some("ingen@demo.portfolj.se")
    );
    assert_eq!(
        wrong.value("input#password").as_deref(),
        Some(""),
        "the password is never echoed"
    );
    assert_eq!(client.get("/").await.status, 303, "still not signed in");
}

#[tokio::test]
async fn empty_fields_get_messages_next_to_them() {
    let app = TestApp::spawn().await;
    let page = app.client().sign_in("", "").await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("email").as_deref(),
        Some("Fel: Ange din e-postadress.")
    );
    assert_eq!(
        page.field_error("password").as_deref(),
        Some("Fel: Ange ditt lösenord.")
    );
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    client.get("/logga-in").await;
    let before = client.session_cookie().expect("a session before sign-in");
    client.sign_in(ADMIN, "demo").await;
    let after = client.session_cookie().expect("a session after sign-in");
    assert_ne!(before, after);
    // The id planted before sign-in does not carry the signed-in session.
    let planted = Client::with_cookie(&app.base_url, &before);
    assert_eq!(planted.get("/").await.status, 303);
}

#[tokio::test]
async fn after_sign_out_the_old_cookie_is_worthless() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    let cookie = client.session_cookie().expect("session cookie");
    let out = client.post_from("/", "/logga-ut", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), Some("/logga-in"));
    assert!(
        client
            .get("/logga-in")
            .await
            .body
            .contains("Du är utloggad.")
    );
    let replay = Client::with_cookie(&app.base_url, &cookie);
    let page = replay.get("/admin/anvandare").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location(),
        Some("/logga-in?nasta=%2Fadmin%2Fanvandare")
    );
}

#[tokio::test]
async fn a_page_asked_for_before_sign_in_is_shown_after_it() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let page = client.get("/admin/anvandare").await;
    assert_eq!(
        page.location(),
        Some("/logga-in?nasta=%2Fadmin%2Fanvandare")
    );
    let form = client.get(page.location().unwrap()).await;
    assert_eq!(
        form.value("input[name=nasta]").as_deref(),
        Some("/admin/anvandare")
    );
    let token = form.csrf_token();
    let signed_in = client
        .post_raw(
            "/logga-in",
            &[
                ("csrf_token", &token),
                ("email", ADMIN),
                ("password", "demo"),
                ("nasta", "/admin/anvandare"),
            ],
        )
        .await;
    assert_eq!(signed_in.location(), Some("/admin/anvandare"));
    // A return address off the site is ignored.
    let other = app.client();
    let token = other.csrf_token().await;
    let page = other
        .post_raw(
            "/logga-in",
            &[
                ("csrf_token", &token),
                ("email", ADMIN),
                ("password", "demo"),
                ("nasta", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(page.location(), Some("/"));
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_and_is_told_why() {
    let app = TestApp::spawn().await;
    sqlx::query("UPDATE app_user SET active = false WHERE email = $1")
        .bind(AUDITOR)
        .execute(&app.db)
        .await
        .unwrap();
    let page = app.client().sign_in(AUDITOR, "demo").await;
    assert_eq!(page.status, 403);
    assert!(page.text("[role=alert]").contains("Kontot är inaktiverat"));
    // With the wrong password the answer is the generic one: nothing is revealed.
    let wrong = app.client().sign_in(AUDITOR, "fel").await;
    assert_eq!(
        wrong.text("[role=alert]"),
        "Fel e-postadress eller lösenord."
    );
}

#[tokio::test]
async fn a_user_deactivated_while_signed_in_is_signed_out() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(AUDITOR).await;
    assert_eq!(client.get("/").await.status, 200);
    sqlx::query("UPDATE app_user SET active = false WHERE email = $1")
        .bind(AUDITOR)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(client.get("/").await.status, 303);
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..10 {
        assert_eq!(client.sign_in(AUDITOR, "fel").await.status, 401);
    }
    // Even the right password is refused until the minute has passed.
    let page = client.sign_in(AUDITOR, "demo").await;
    assert_eq!(page.status, 429);
    assert!(
        page.text("[role=alert]")
            .contains("För många misslyckade inloggningar")
    );
    // The address is limited too: another account from the same address is refused.
    assert_eq!(
        app.client().sign_in(ADMIN, "demo").await.status,
        429,
        "limited per address too"
    );
    let failures = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'")
        .await;
    assert_eq!(failures, 10);
    let logged_password = app
        .count("SELECT count(*) FROM audit_log WHERE actor_label LIKE '%fel%'")
        .await;
    assert_eq!(logged_password, 0, "the password typed is never recorded");
}

#[tokio::test]
async fn a_session_ends_after_its_maximum_age() {
    let app = TestApp::spawn_with(|c| c.session_max = Duration::from_secs(1)).await;
    let client = app.signed_in(ADMIN).await;
    assert_eq!(client.get("/").await.status, 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = client.get("/admin/anvandare").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location(),
        Some("/logga-in?nasta=%2Fadmin%2Fanvandare")
    );
    assert!(
        client
            .get("/logga-in")
            .await
            .body
            .contains("Du har loggats ut")
    );
}

#[tokio::test]
async fn a_form_posted_after_the_session_expired_asks_for_sign_in_and_changes_nothing() {
    let app = TestApp::spawn_with(|c| c.session_max = Duration::from_secs(1)).await;
    let client = app.signed_in(ADMIN).await;
    let token = client.get("/admin/anvandare/ny").await.csrf_token();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = client
        .post_raw(
            "/admin/anvandare/ny",
            &[
                ("csrf_token", &token),
                ("email", "ny@x.se"),
                ("display_name", "Ny"),
                ("password", "långt lösenord 1"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    assert!(page.location().unwrap().starts_with("/logga-in"));
    assert_eq!(
        app.count("SELECT count(*) FROM app_user WHERE email = 'ny@x.se'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_session_ends_after_the_idle_timeout() {
    let app = TestApp::spawn_with(|c| c.session_idle = Duration::from_secs(1)).await;
    let client = app.signed_in(ADMIN).await;
    assert_eq!(client.get("/").await.status, 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(client.get("/").await.status, 303);
}

#[tokio::test]
async fn demo_accounts_are_listed_only_in_demo_mode() {
    let demo = TestApp::spawn().await;
    let listed = demo
        .client()
        .get("/logga-in")
        .await
        .texts(".demo-accounts tbody td:first-child");
    assert_eq!(listed.len(), 8);
    assert!(listed.contains(&"samordning@demo.portfolj.se".to_owned()));
    let real = TestApp::spawn_with(|c| c.demo = false).await;
    let page = real.client().get("/logga-in").await;
    assert!(page.texts(".demo-accounts").is_empty());
    assert!(!page.body.contains("Demoläge"));
}
