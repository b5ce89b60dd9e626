//! Forged requests are refused and change nothing.

use crate::support::{ADMIN, TestApp};

const NEW_USER: [(&str, &str); 4] = [
    ("email", "forged@x.se"),
    ("display_name", "Forged"),
    ("password", "ett långt lösenord"),
    ("roles", "admin"),
];

async fn forged_users(app: &TestApp) -> i64 {
    app.count("SELECT count(*) FROM app_user WHERE email = 'forged@x.se'")
        .await
}

#[tokio::test]
async fn a_post_without_a_token_is_forbidden() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    let page = client.post_raw("/admin/anvandare/ny", &NEW_USER).await;
    assert_eq!(page.status, 403);
    assert_eq!(page.text("h1"), "Formuläret kunde inte skickas");
    assert!(page.text("main").contains("Ingenting har sparats"));
    assert_eq!(forged_users(&app).await, 0);
}

#[tokio::test]
async fn a_post_with_a_wrong_token_is_forbidden() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    let mut fields = vec![("csrf_token", "0".repeat(64))];
    fields.extend(NEW_USER.iter().map(|(k, v)| (*k, v.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        client.post_raw("/admin/anvandare/ny", &fields).await.status,
        403
    );
    assert_eq!(forged_users(&app).await, 0);
}

#[tokio::test]
async fn a_post_with_another_sessions_token_is_forbidden() {
    let app = TestApp::spawn().await;
    let victim = app.signed_in(ADMIN).await;
    let attacker = app.signed_in(ADMIN).await;
    let attackers_token = attacker.csrf_token().await;
    let mut fields = vec![("csrf_token", attackers_token.as_str())];
    fields.extend_from_slice(&NEW_USER);
    assert_eq!(
        victim.post_raw("/admin/anvandare/ny", &fields).await.status,
        403
    );
    assert_eq!(forged_users(&app).await, 0);
    // The same form with the victim's own token goes through: the refusal was the token.
    assert_eq!(
        victim
            .post_from("/admin/anvandare/ny", "/admin/anvandare/ny", &NEW_USER)
            .await
            .status,
        303
    );
    assert_eq!(forged_users(&app).await, 1);
}

#[tokio::test]
async fn the_token_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let before = client.csrf_token().await;
    client.sign_in(ADMIN, "demo").await;
    let after = client.get("/").await.csrf_token();
    assert_ne!(before, after);
}
