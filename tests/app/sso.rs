//! Single sign-on against a real OpenID provider (npm `oidc-provider`, `support::oidc`): the
//! first sign-in creates the account with the roles its groups map to, a changed group changes
//! the roles at the next sign-in, no role gives a page that says so, sign-out offers the
//! provider's; a replayed return, a tampered, expired or foreign token are refused.

use chrono::{Duration, Utc};
use portfolj::{config::SsoSettings, sso::provider::Provider as Client};

use crate::support::{
    ADMIN, Client as Browser, TestApp,
    oidc::{CLIENT_ID, CLIENT_SECRET, Provider},
};

struct Setup {
    app: TestApp,
    idp: Provider,
}

fn settings(idp: &Provider, client_id: &str) -> SsoSettings {
    SsoSettings {
        issuer: idp.issuer.clone(),
        client_id: client_id.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
        scopes: ["openid", "email", "profile", "groups"]
            .map(String::from)
            .to_vec(),
        groups_claim: "groups".to_owned(),
    }
}

/// The application with single sign-on through a fresh provider, and the administrator's table
/// mapping `portfolj-controllers` to controller and `portfolj-it` to IT-center.
async fn setup() -> Setup {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let idp = Provider::start(&base).await;
    let sso = settings(&idp, CLIENT_ID);
    crate::support::logs::secret(CLIENT_SECRET);
    let app = TestApp::spawn_on(listener, |config| {
        config.public_url = base.clone();
        config.sso = Some(sso);
    })
    .await;
    let admin = app.signed_in(ADMIN).await;
    for (group, role) in [
        ("portfolj-controllers", "controller"),
        ("portfolj-it", "it_center"),
    ] {
        let page = admin
            .submit_form(
                "/admin/inloggning",
                "/admin/inloggning",
                &[("group", group), ("role", role)],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
    }
    Setup { app, idp }
}

/// A visitor's whole sign-in: our start, the provider's login as `login`, and our return.
async fn sign_in(setup: &Setup, browser: &Browser, login: &str) -> crate::support::Page {
    let start = browser.get("/logga-in/sso").await;
    assert_eq!(start.status, 303, "{}", start.body);
    let authorize = start.location().unwrap();
    assert!(authorize.starts_with(&setup.idp.issuer), "{authorize}");
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "{authorize}"
    );
    assert!(authorize.contains("nonce="), "{authorize}");
    let back = setup.idp.log_in(authorize, login).await;
    // The code is a secret: the log never shows it (nor the rest of the address's query).
    let code = back
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    crate::support::logs::secret(code);
    browser.get(&back).await
}

async fn roles_of(app: &TestApp, email: &str) -> String {
    app.text_of(
        "SELECT coalesce(string_agg(r.role, ',' ORDER BY r.role), '') FROM app_user u \
         LEFT JOIN user_role r ON r.user_id = u.id WHERE u.email = $1",
        email,
    )
    .await
}

#[tokio::test]
async fn the_first_sign_in_creates_the_account_and_every_sign_in_takes_the_roles_anew() {
    let setup = setup().await;
    setup
        .idp
        .set_groups("alice", &["portfolj-controllers", "unrelated"])
        .await;
    let browser = setup.app.client();
    let page = browser.get("/logga-in").await;
    assert!(
        page.body.contains("Logga in med kommunens konto"),
        "{}",
        page.body
    );

    let returned = sign_in(&setup, &browser, "alice").await;
    assert_eq!(returned.status, 303, "{}", returned.body);
    let start = browser.get("/").await;
    assert_eq!(start.status, 200);
    assert!(
        start.body.contains("Alice"),
        "signed in as Alice: {}",
        start.body
    );
    assert_eq!(roles_of(&setup.app, "alice@example.se").await, "controller");
    assert!(
        browser.get("/projekt/nytt").await.status == 403,
        "a controller only"
    );

    // The provider moves Alice to IT-center and rotates its signing key: the next sign-in has
    // the new role only, verified with the new key.
    setup.idp.set_groups("alice", &["portfolj-it"]).await;
    setup.idp.rotate_keys().await;
    let again = setup.app.client();
    assert_eq!(sign_in(&setup, &again, "alice").await.status, 303);
    assert_eq!(roles_of(&setup.app, "alice@example.se").await, "it_center");
    assert_eq!(again.get("/projekt/nytt").await.status, 200);
    let accounts = setup
        .app
        .count("SELECT count(*) FROM app_user WHERE email = 'alice@example.se'")
        .await;
    assert_eq!(accounts, 1, "the same account, found by its subject");
    let id = setup
        .app
        .text_of(
            "SELECT id::text FROM app_user WHERE email = $1",
            "alice@example.se",
        )
        .await;
    let admin = setup.app.signed_in(ADMIN).await;
    let account = admin.get(&format!("/admin/anvandare/{id}")).await;
    assert!(
        account
            .body
            .contains("Kontot loggar in med kommunens konto"),
        "{}",
        account.body
    );
    let audited = setup
        .app
        .text_of(
            "SELECT old_value || ' -> ' || new_value FROM audit_log \
             WHERE action = 'user_updated' AND field = 'roles' AND actor_label LIKE $1",
            "Alice%",
        )
        .await;
    assert_eq!(audited, "Controller -> IT-center");

    // Signing out ends the session here; the sign-in page then offers the provider's sign-out
    // (a link: the pages' CSP keeps a form's redirect on this site).
    let out = again.post_from("/", "/logga-ut", &[]).await;
    assert_eq!((out.status, out.location()), (303, Some("/logga-in")));
    let offered = again.get("/logga-in").await;
    let link = href(&offered, "a[href*='/session/end']").expect("the provider's sign-out");
    assert!(
        link.starts_with(&format!("{}/session/end", setup.idp.issuer)),
        "{link}"
    );
    assert!(link.contains("id_token_hint="), "{link}");
    assert!(offered.body.contains("Du är utloggad från Portfolj"));
    assert_eq!(again.get("/").await.status, 303, "signed out here");
    let later = again.get("/logga-in").await;
    assert!(
        href(&later, "a[href*='/session/end']").is_none(),
        "offered once"
    );
}

#[tokio::test]
async fn a_user_whose_groups_give_no_role_gets_a_page_that_says_so() {
    let setup = setup().await;
    setup.idp.set_groups("bertil", &["some-other-group"]).await;
    let browser = setup.app.client();
    let page = sign_in(&setup, &browser, "bertil").await;
    assert_eq!(page.status, 403);
    assert!(
        page.text("h1").contains("Du har ingen roll i Portfolj"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Bertil"));
    assert_eq!(browser.get("/").await.status, 303, "not signed in");
    let accounts = setup
        .app
        .count("SELECT count(*) FROM app_user WHERE email = 'bertil@example.se'")
        .await;
    assert_eq!(accounts, 0, "no account for someone without a role");
}

#[tokio::test]
async fn a_return_is_used_once_and_only_in_the_browser_that_started_it() {
    let setup = setup().await;
    setup
        .idp
        .set_groups("cecilia", &["portfolj-controllers"])
        .await;
    let browser = setup.app.client();
    let start = browser.get("/logga-in/sso").await;
    let back = setup.idp.log_in(start.location().unwrap(), "cecilia").await;

    // Another browser (an attacker who got the address) cannot use it.
    let other = setup.app.client();
    let refused = other.get(&back).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("Inloggningen kunde inte slutföras"),
        "{}",
        refused.body
    );
    assert_eq!(other.get("/").await.status, 303);

    assert_eq!(
        browser.get(&back).await.status,
        303,
        "the right browser signs in"
    );
    let replayed = browser.get(&back).await;
    assert_eq!(replayed.status, 400, "the same return again");

    // A return whose state was changed on the way.
    let fresh = setup.app.client();
    let start = fresh.get("/logga-in/sso").await;
    let back = setup.idp.log_in(start.location().unwrap(), "cecilia").await;
    let forged = back.replace("state=", "state=x");
    assert_eq!(fresh.get(&forged).await.status, 400);
    assert_eq!(fresh.get("/").await.status, 303);
}

#[tokio::test]
async fn tampered_expired_and_foreign_tokens_are_refused() {
    let setup = setup().await;
    setup
        .idp
        .set_groups("david", &["portfolj-controllers"])
        .await;
    let ours = Client::new(settings(&setup.idp, CLIENT_ID), &setup.app.base_url).unwrap();
    let token = setup.idp.id_token("david", "n-1").await;
    crate::support::logs::secret(&token);

    let identity = ours
        .verify(&token, "n-1", Utc::now())
        .await
        .expect("a good token");
    assert_eq!(
        (identity.subject.as_str(), identity.groups.clone()),
        ("david", vec!["portfolj-controllers".to_owned()])
    );

    // The payload changed (another user, more groups), the signature kept.
    let parts: Vec<&str> = token.split('.').collect();
    let payload = String::from_utf8(base64url_decode(parts[1])).unwrap();
    let forged = payload
        .replace("\"david\"", "\"admin\"")
        .replace("portfolj-controllers", "portfolj-it");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64url_encode(forged.as_bytes()),
        parts[2]
    );
    assert!(
        ours.verify(&tampered, "n-1", Utc::now()).await.is_err(),
        "tampered"
    );

    assert!(
        ours.verify(&token, "n-2", Utc::now()).await.is_err(),
        "another sign-in's nonce"
    );
    let later = Utc::now() + Duration::minutes(11);
    assert!(
        ours.verify(&token, "n-1", later).await.is_err(),
        "expired (lifetime 10 minutes)"
    );

    let foreign = Client::new(settings(&setup.idp, "another-client"), &setup.app.base_url).unwrap();
    assert!(
        foreign.verify(&token, "n-1", Utc::now()).await.is_err(),
        "another audience"
    );
    let mut elsewhere = settings(&setup.idp, CLIENT_ID);
    elsewhere.issuer = setup.idp.issuer.replace("127.0.0.1", "localhost");
    let wrong_issuer = Client::new(elsewhere, &setup.app.base_url).unwrap();
    assert!(
        wrong_issuer
            .verify(&token, "n-1", Utc::now())
            .await
            .is_err(),
        "another issuer"
    );
}

fn base64url_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn base64url_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn href(page: &crate::support::Page, selector: &str) -> Option<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    let html = page.html();
    let found = html
        .select(&selector)
        .next()?
        .value()
        .attr("href")?
        .to_owned();
    Some(found)
}

#[tokio::test]
async fn a_local_account_with_the_same_address_is_not_taken_over() {
    let setup = setup().await;
    let admin = setup.app.signed_in(ADMIN).await;
    let created = admin
        .submit_form(
            "/admin/anvandare/ny",
            "/admin/anvandare/ny",
            &[
                ("email", "erik@example.se"),
                ("display_name", "Erik Reservadmin"),
                ("password", "ett långt lösenord"),
                ("roles", "admin"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    setup.idp.set_groups("erik", &["portfolj-it"]).await;
    let browser = setup.app.client();
    let refused = sign_in(&setup, &browser, "erik").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("erik@example.se"));
    assert_eq!(browser.get("/").await.status, 303, "not signed in");
    assert_eq!(
        roles_of(&setup.app, "erik@example.se").await,
        "admin",
        "roles kept"
    );
    let name = setup
        .app
        .text_of(
            "SELECT display_name FROM app_user WHERE email = $1",
            "erik@example.se",
        )
        .await;
    assert_eq!(name, "Erik Reservadmin");
    let reason = setup
        .app
        .text_of(
            "SELECT new_value FROM audit_log WHERE action = 'sign_in_failed' AND actor_label LIKE $1",
            "Erik <%",
        )
        .await;
    assert!(
        reason.contains("e-postadressen tillhör ett annat konto"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_deactivated_account_stays_out_and_keeps_its_roles() {
    let setup = setup().await;
    setup.idp.set_groups("fia", &["portfolj-controllers"]).await;
    assert_eq!(
        sign_in(&setup, &setup.app.client(), "fia").await.status,
        303
    );
    sqlx::query("UPDATE app_user SET active = false WHERE email = 'fia@example.se'")
        .execute(&setup.app.db)
        .await
        .unwrap();
    setup.idp.set_groups("fia", &["portfolj-it"]).await;
    let browser = setup.app.client();
    let refused = sign_in(&setup, &browser, "fia").await;
    assert_eq!(refused.status, 403);
    assert!(refused.text("h1").contains("Kontot är inaktiverat"));
    assert_eq!(roles_of(&setup.app, "fia@example.se").await, "controller");
}

#[tokio::test]
async fn the_providers_refusal_and_a_foreign_issuer_on_the_return_are_pages_not_sign_ins() {
    let setup = setup().await;
    setup
        .idp
        .set_groups("gustav", &["portfolj-controllers"])
        .await;
    let browser = setup.app.client();
    let start = browser.get("/logga-in/sso").await;
    let authorize = start.location().unwrap().to_owned();
    let state = authorize
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let cancelled = browser
        .get(&format!(
            "/logga-in/sso/retur?error=access_denied&error_description=Avbrutet%0Afalsk+rad&state={state}"
        ))
        .await;
    assert_eq!(cancelled.status, 400);
    assert!(
        cancelled.body.contains("Inloggningen avbröts"),
        "{}",
        cancelled.body
    );

    let start = browser.get("/logga-in/sso").await;
    let back = setup.idp.log_in(start.location().unwrap(), "gustav").await;
    let foreign = back.replace("iss=", "iss=https%3A%2F%2Fevil.example");
    let refused = browser.get(&foreign).await;
    assert_eq!(refused.status, 400);
    assert_eq!(browser.get("/").await.status, 303, "not signed in");
}

#[tokio::test]
async fn two_returns_of_a_new_user_at_once_make_one_account() {
    let setup = setup().await;
    setup
        .idp
        .set_groups("hanna", &["portfolj-controllers"])
        .await;
    let (first, second) = (setup.app.client(), setup.app.client());
    let mut backs = Vec::new();
    for browser in [&first, &second] {
        let start = browser.get("/logga-in/sso").await;
        backs.push(setup.idp.log_in(start.location().unwrap(), "hanna").await);
    }
    let (a, b) = tokio::join!(first.get(&backs[0]), second.get(&backs[1]));
    assert_eq!((a.status, b.status), (303, 303), "{}\n{}", a.body, b.body);
    let accounts = setup
        .app
        .count("SELECT count(*) FROM app_user WHERE email = 'hanna@example.se'")
        .await;
    assert_eq!(accounts, 1);
}
