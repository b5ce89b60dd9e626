//! Signing in and out as a user experiences it.

use std::time::Duration;

use crate::support::{ADMIN, AUDITOR, Client, Page, TestApp};

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
    let client = app.signed_in(AUDITOR).await;
    // Signing out leaves a session for the "Du är utloggad" message: one with no user in it,
    // like a session id an attacker could plant.
    client.post_from("/", "/logga-ut", &[]).await;
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
            .contains("Du är utloggad från Portfolj.")
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

/// Browsers strip tabs and newlines from a `Location` and read a backslash as a slash, so each of
/// these would lead off the site if it were followed. The query is how the link arrives (encoded
/// once); the form field is what the sign-in page sends back.
#[tokio::test]
async fn no_return_address_leads_off_the_site() {
    let app = TestApp::spawn().await;
    let bypasses = [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d%0a/evil.example",
        "//evil.example",
        "/%2F/evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%5C%5Cevil.example",
        "/%252F%252Fevil.example",
        "/@evil.example",
        "/%40evil.example",
        "https://evil.example",
        "/%20/evil.example",
    ];
    for bypass in bypasses {
        let client = app.client();
        let page = client.get(&format!("/logga-in?nasta={bypass}")).await;
        assert_eq!(page.status, 200, "{bypass}");
        let kept = page.value("input[name=nasta]").unwrap_or_default();
        assert!(kept.is_empty(), "{bypass} kept as {kept:?}");
        // Sent straight to the form, decoded as the browser would send it.
        let decoded: String = url::form_urlencoded::parse(format!("x={bypass}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        let token = client.csrf_token().await;
        let signed_in = client
            .post_raw(
                "/logga-in",
                &[
                    ("csrf_token", &token),
                    ("email", ADMIN),
                    ("password", "demo"),
                    ("nasta", &decoded),
                ],
            )
            .await;
        assert_eq!(signed_in.location(), Some("/"), "{bypass}");
        // Once signed in, the sign-in page redirects at once: also only on the site.
        let again = client.get(&format!("/logga-in?nasta={bypass}")).await;
        assert_eq!(again.location(), Some("/"), "{bypass}");
    }
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

/// Signs in through a proxy that says the request came from `from`.
async fn sign_in_via_proxy(client: &Client, email: &str, password: &str, from: &str) -> Page {
    let token = client.csrf_token().await;
    client
        .post_with_headers(
            "/logga-in",
            &[("x-forwarded-for", from)],
            &[
                ("csrf_token", &token),
                ("email", email),
                ("password", password),
            ],
        )
        .await
}

async fn behind_proxy() -> TestApp {
    TestApp::spawn_with(|c| c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await
}

#[tokio::test]
async fn failed_sign_ins_slow_down_the_pair_of_account_and_address() {
    let app = behind_proxy().await;
    let attacker = app.client();
    for _ in 0..5 {
        let page = sign_in_via_proxy(&attacker, ADMIN, "fel", "203.0.113.66").await;
        assert_eq!(page.status, 401);
    }
    // Even the right password waits now, and is told how long.
    let page = sign_in_via_proxy(&attacker, ADMIN, "demo", "203.0.113.66").await;
    assert_eq!(page.status, 429);
    assert_eq!(page.header("retry-after"), Some("15"));
    assert!(
        page.text("[role=alert]")
            .contains("För många misslyckade inloggningar. Vänta 15 sekunder")
    );
    // The admin at another address is not locked out, nor is anyone else behind the proxy.
    let admin = app.client();
    assert_eq!(
        sign_in_via_proxy(&admin, ADMIN, "demo", "198.51.100.10")
            .await
            .status,
        303
    );
    let colleague = app.client();
    assert_eq!(
        sign_in_via_proxy(&colleague, AUDITOR, "demo", "203.0.113.66")
            .await
            .status,
        303
    );
    let failures = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND source = '203.0.113.66'")
        .await;
    assert_eq!(failures, 5, "the audit log names the client, not the proxy");
    let logged_password = app
        .count("SELECT count(*) FROM audit_log WHERE actor_label LIKE '%fel%'")
        .await;
    assert_eq!(logged_password, 0, "the password typed is never recorded");
}

#[tokio::test]
async fn parallel_guesses_cannot_slip_past_the_count() {
    let app = behind_proxy().await;
    let client = app.client();
    let token = client.csrf_token().await;
    let headers = [("x-forwarded-for", "203.0.113.99")];
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", AUDITOR),
        ("password", "fel"),
    ];
    let guesses = (0..30).map(|_| client.post_with_headers("/logga-in", &headers, &fields));
    let statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .iter()
        .map(|p| p.status)
        .collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked, 5, "five attempts, then a wait: {statuses:?}");
    assert_eq!(refused, 25);
}

#[tokio::test]
async fn without_a_trusted_proxy_the_forwarded_header_is_ignored() {
    let app = TestApp::spawn().await;
    let client = app.client();
    assert_eq!(
        sign_in_via_proxy(&client, AUDITOR, "fel", "203.0.113.5")
            .await
            .status,
        401
    );
    let sources: Vec<String> =
        sqlx::query_scalar("SELECT source FROM audit_log WHERE action = 'sign_in_failed'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(sources, ["127.0.0.1"]);
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

/// After "Din session hade gått ut" and signing in, the user is back at the form's page, known
/// from the post's own path: a browser that sends no `Referer` (as this client does not) too.
#[tokio::test]
async fn after_an_expired_session_signing_in_leads_back_to_the_forms_page() {
    let app = TestApp::spawn_with(|c| c.session_max = Duration::from_secs(1)).await;
    let id = crate::projects::project_id(&app, "GSN 2023-5").await;
    let client = app.signed_in(crate::support::IT_CENTER).await;
    let goals = format!("/projekt/{id}/effektmal");
    let token = client.get(&goals).await.csrf_token();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // A measurement is posted from the goals page to a path of its own.
    let goal = uuid::Uuid::nil();
    let page = client
        .post_raw(
            &format!("{goals}/{goal}/matningar"),
            &[("csrf_token", &token), ("value", "1")],
        )
        .await;
    assert_eq!(page.status, 303);
    let sign_in = page.location().unwrap().to_owned();
    let form = client.get(&sign_in).await;
    assert!(
        form.texts(".flash-info")
            .iter()
            .any(|f| f.contains("Din session hade gått ut"))
    );
    let mut values = form.form_values("/logga-in");
    for (name, value) in &mut values {
        match name.as_str() {
            "email" => *value = crate::support::IT_CENTER.to_owned(),
            "password" => *value = "demo".to_owned(),
            _ => {}
        }
    }
    let signed_in = client.post_values("/logga-in", &values).await;
    assert_eq!(signed_in.status, 303);
    assert_eq!(signed_in.location(), Some(goals.as_str()));
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
    assert_eq!(listed.len(), 11);
    assert!(listed.contains(&"samordning@demo.portfolj.se".to_owned()));
    assert!(listed.contains(&"forvaltningschef@demo.portfolj.se".to_owned()));
    let real = TestApp::spawn_with(|c| c.demo = false).await;
    let page = real.client().get("/logga-in").await;
    assert!(page.texts(".demo-accounts").is_empty());
    assert!(!page.body.contains("Demoläge"));
}

/// The form shown again after a wrong password carries a working token: the second try, with
/// the right password, signs in (the walk found the token empty there).
#[tokio::test]
async fn a_second_try_after_a_wrong_password_signs_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let failed = client.sign_in(AUDITOR, "fel").await;
    assert_eq!(failed.status, 401);
    let token = failed.csrf_token();
    assert!(!token.is_empty(), "the form shown again has a token");
    let empty = client
        .post_raw("/logga-in", &[("csrf_token", &token), ("email", AUDITOR)])
        .await;
    assert_eq!(empty.status, 422);
    let again = client
        .post_raw(
            "/logga-in",
            &[
                ("csrf_token", &empty.csrf_token()),
                ("email", AUDITOR),
                ("password", "demo"),
            ],
        )
        .await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(again.location(), Some("/"));
}

/// Two tabs on the sign-in page share the visitor's token; signing in in the first must not
/// turn the second tab's sign-in into "Åtkomst nekad".
#[tokio::test]
async fn signing_in_from_a_second_tab_works() {
    let app = TestApp::spawn().await;
    let browser = app.client();
    let second_tab = browser.get("/logga-in").await.csrf_token();
    assert_eq!(browser.sign_in(AUDITOR, "demo").await.status, 303);
    let page = browser
        .post_raw(
            "/logga-in",
            &[
                ("csrf_token", &second_tab),
                ("email", AUDITOR),
                ("password", "demo"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

/// Forged posts without a session are answered without writing anything: no session row per
/// request for anyone to fill the table with.
#[tokio::test]
async fn forged_anonymous_posts_write_no_sessions() {
    let app = TestApp::spawn().await;
    let sessions = "SELECT count(*) FROM tower_sessions.session";
    let before = app.count(sessions).await;
    for _ in 0..20 {
        let page = app
            .client()
            .post_raw(
                "/logga-in",
                &[
                    ("csrf_token", "abc"),
                    ("email", AUDITOR),
                    ("password", "demo"),
                ],
            )
            .await;
        assert!(matches!(page.status, 303 | 403), "{}", page.status);
        assert!(
            page.header("set-cookie")
                .is_none_or(|c| !c.starts_with("portfolj="))
        );
    }
    assert_eq!(app.count(sessions).await, before);
    // The notice of a form posted after its session ended comes with the address instead.
    let page = app.client().get("/logga-in?utgangen=1").await;
    assert!(
        page.text("[role=status]")
            .contains("Din session hade gått ut")
    );
    assert_eq!(app.count(sessions).await, before);
}

/// A new session never takes the place of a stored one with the same id, nor of one being
/// created with it at the same moment: the store draws another id (tower-sessions' contract for
/// `SessionStore::create`).
#[tokio::test]
async fn a_new_session_never_overwrites_one_with_its_id() {
    use tower_sessions::{
        SessionStore,
        session::{Id, Record},
    };
    let app = TestApp::spawn().await;
    let insert = "INSERT INTO tower_sessions.session (id, data, expiry_date) \
                  VALUES ($1, 'the other one'::bytea, now() + interval '1 hour')";
    let data = "SELECT data FROM tower_sessions.session WHERE id = $1";
    for committed in [true, false] {
        let mut record = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        };
        let taken = record.id.to_string();
        let mut other = app.db.begin().await.unwrap();
        sqlx::query(insert)
            .bind(&taken)
            .execute(&mut *other)
            .await
            .unwrap();
        let pending = if committed {
            other.commit().await.unwrap();
            None
        } else {
            Some(other)
        };
        let store = portfolj::auth::session_store(app.db.clone());
        let creating =
            tokio::spawn(async move { store.create(&mut record).await.map(|()| record) });
        if let Some(other) = pending {
            app.blocked_or_done(None, &creating).await;
            other.commit().await.unwrap();
        }
        let record = creating.await.unwrap().unwrap();
        assert_ne!(record.id.to_string(), taken, "committed: {committed}");
        let kept: Vec<u8> = sqlx::query_scalar(data)
            .bind(&taken)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(kept, b"the other one", "committed: {committed}");
        let stored: Option<Vec<u8>> = sqlx::query_scalar(data)
            .bind(record.id.to_string())
            .fetch_optional(&app.db)
            .await
            .unwrap();
        let stored: Record = rmp_serde::from_slice(&stored.expect("stored")).unwrap();
        assert_eq!(stored.id, record.id, "the stored record holds its new id");
    }
}
