//! User administration: creating, editing, deactivating, and every way a form can go wrong.

use crate::support::{ADMIN, AUDITOR, Client, TestApp};

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id::text FROM app_user WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn municipality_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn create(client: &Client, fields: &[(&str, &str)]) -> crate::support::Page {
    client
        .post_from("/admin/anvandare/ny", "/admin/anvandare/ny", fields)
        .await
}

#[tokio::test]
async fn an_admin_creates_a_user_who_can_then_sign_in_with_that_role() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let ludvika = municipality_id(&app, "Ludvika").await;
    let page = create(
        &admin,
        &[
            ("email", "Karin.Ek@Ludvika.se"),
            ("display_name", "Karin Ek"),
            ("title", "Ekonomichef"),
            ("password", "ett långt lösenord"),
            ("roles", "strategy_group"),
            ("roles", "controller"),
            ("strategy_municipality", &ludvika),
        ],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let list = admin.get("/admin/anvandare").await;
    assert!(list.body.contains("Användaren Karin Ek har skapats."));
    let row = list
        .texts("tbody tr")
        .into_iter()
        .find(|r| r.contains("Karin Ek"))
        .unwrap();
    assert_eq!(
        row,
        "Karin Ek karin.ek@ludvika.se Ekonomichef Controller, IT-strategigrupp Aktiv"
    );
    let karin = app.client();
    assert_eq!(
        karin
            .sign_in("karin.ek@ludvika.se", "ett långt lösenord")
            .await
            .status,
        303
    );
    assert_eq!(
        karin.get("/").await.text(".lead"),
        "Du är inloggad som Controller, IT-strategigrupp."
    );
    let audited = app.count("SELECT count(*) FROM audit_log WHERE action = 'user_created' AND field = 'roles' AND new_value = 'Controller; IT-strategigrupp (Ludvika)'").await;
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn every_bad_field_is_named_next_to_it_and_what_was_typed_is_kept() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let users_before = app.count("SELECT count(*) FROM app_user").await;
    let long_name = "Å".repeat(201);
    let page = create(
        &admin,
        &[
            ("email", "inte-en-adress"),
            ("display_name", &long_name),
            ("title", "Chef"),
            ("password", ""),
            ("roles", "superuser"),
            ("roles", "secretary"),
        ],
    )
    .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("email").unwrap(),
        "Fel: ”inte-en-adress” är inte en giltig e-postadress."
    );
    assert_eq!(
        page.field_error("display_name").unwrap(),
        "Fel: Namn: Högst 200 tecken (du skrev 201)."
    );
    assert_eq!(
        page.field_error("password").unwrap(),
        "Fel: Ange ett lösenord."
    );
    assert_eq!(
        page.field_error("roles").unwrap(),
        "Fel: okänd roll: superuser"
    );
    assert_eq!(
        page.field_error("boards").unwrap(),
        "Fel: Välj minst en nämnd som nämndsekreteraren eller förvaltningschefen arbetar för."
    );
    assert_eq!(page.texts(".error-summary li").len(), 5);
    assert_eq!(page.value("#email").as_deref(), Some("inte-en-adress"));
    assert_eq!(
        page.value("#display_name").as_deref(),
        Some(long_name.as_str())
    );
    assert_eq!(page.value("#title").as_deref(), Some("Chef"));
    assert!(
        page.html()
            .select(&scraper::Selector::parse("#role-secretary[checked]").unwrap())
            .next()
            .is_some()
    );
    assert_eq!(
        app.count("SELECT count(*) FROM app_user").await,
        users_before,
        "nothing saved"
    );
}

#[tokio::test]
async fn a_form_posted_twice_creates_one_user() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let fields = [
        ("email", "dubbel@x.se"),
        ("display_name", "Dubbel"),
        ("password", "ett långt lösenord"),
        ("roles", "auditor"),
    ];
    let token = admin.get("/admin/anvandare/ny").await.csrf_token();
    let mut with_token = vec![("csrf_token", token.as_str())];
    with_token.extend_from_slice(&fields);
    assert_eq!(
        admin
            .post_raw("/admin/anvandare/ny", &with_token)
            .await
            .status,
        303
    );
    let second = admin.post_raw("/admin/anvandare/ny", &with_token).await;
    assert_eq!(second.status, 422);
    assert_eq!(
        second.field_error("email").unwrap(),
        "Fel: E-postadressen används redan av ett annat konto."
    );
    assert_eq!(
        app.count("SELECT count(*) FROM app_user WHERE email = 'dubbel@x.se'")
            .await,
        1
    );
}

#[tokio::test]
async fn editing_records_each_changed_field_old_and_new() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let id = user_id(&app, AUDITOR).await;
    let path = format!("/admin/anvandare/{id}");
    let form = admin.get(&path).await;
    assert_eq!(form.value("#display_name").as_deref(), Some("Rut Rydberg"));
    let version = form.value("input[name=version]").unwrap();
    let page = admin
        .post_from(
            &path,
            &path,
            &[
                ("version", &version),
                ("email", AUDITOR),
                ("display_name", "Rut Rydberg-Ek"),
                ("title", "Förtroendevald revisor"),
                ("roles", "auditor"),
                ("roles", "controller"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let changes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT field, old_value, new_value FROM audit_log WHERE action = 'user_updated' AND entity_id = $1 ORDER BY id",
    )
    .bind(&id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        changes,
        vec![
            (
                "display_name".into(),
                "Rut Rydberg".into(),
                "Rut Rydberg-Ek".into()
            ),
            (
                "roles".into(),
                "Revisor/läsare".into(),
                "Controller; Revisor/läsare".into()
            ),
        ]
    );
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_both_versions_shown() {
    let app = TestApp::spawn().await;
    let first = app.signed_in(ADMIN).await;
    let second = app.signed_in(ADMIN).await;
    let id = user_id(&app, AUDITOR).await;
    let path = format!("/admin/anvandare/{id}");
    let version = first.get(&path).await.value("input[name=version]").unwrap();
    let fields = |name| {
        [
            ("email", AUDITOR),
            ("title", ""),
            ("roles", "auditor"),
            ("version", version.as_str()),
            ("display_name", name),
        ]
    };
    assert_eq!(
        first
            .post_from(&path, &path, &fields("Först Sparad"))
            .await
            .status,
        303
    );
    let stale = second
        .post_from(&path, &path, &fields("Sparad Sedan"))
        .await;
    assert_eq!(stale.status, 409);
    assert!(
        stale.text(".conflict").contains("Namn: Först Sparad"),
        "the other person's change is shown"
    );
    assert_eq!(
        stale.value("#display_name").as_deref(),
        Some("Sparad Sedan"),
        "my typing is kept"
    );
    let saved: String = sqlx::query_scalar("SELECT display_name FROM app_user WHERE id::text = $1")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(saved, "Först Sparad", "nothing overwritten");
    // Having seen the other change, saving again from the refreshed form goes through.
    let newer = stale.value("input[name=version]").unwrap();
    assert_ne!(newer, version);
    let page = second
        .post_from(
            &path,
            &path,
            &[
                ("email", AUDITOR),
                ("title", ""),
                ("roles", "auditor"),
                ("version", &newer),
                ("display_name", "Sparad Sedan"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
}

#[tokio::test]
async fn deactivation_stops_sign_in_and_keeps_the_account() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let auditor = app.signed_in(AUDITOR).await;
    let id = user_id(&app, AUDITOR).await;
    let path = format!("/admin/anvandare/{id}");
    let version = admin.get(&path).await.value("input[name=version]").unwrap();
    let page = admin
        .post_from(
            &path,
            &format!("{path}/inaktivera"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(app.client().sign_in(AUDITOR, "demo").await.status, 403);
    assert_eq!(
        app.count("SELECT count(*) FROM app_user WHERE email = 'revisor@demo.portfolj.se'")
            .await,
        1
    );
    let list = admin.get("/admin/anvandare").await;
    assert!(
        list.texts("tr.inactive")
            .iter()
            .any(|r| r.contains("Rut Rydberg") && r.contains("Inaktiverad"))
    );
    // The same (now stale) deactivation again is a conflict, not a second change.
    let again = admin
        .post_from(
            &path,
            &format!("{path}/inaktivera"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(again.status, 409);
    let version = admin
        .get(&path)
        .await
        .value("form[action$=aktivera] input[name=version]")
        .unwrap();
    assert_eq!(
        admin
            .post_from(&path, &format!("{path}/aktivera"), &[("version", &version)])
            .await
            .status,
        303
    );
    assert_eq!(app.client().sign_in(AUDITOR, "demo").await.status, 303);
    let entries = app.count("SELECT count(*) FROM audit_log WHERE action IN ('user_deactivated', 'user_activated') AND field = 'active'").await;
    assert_eq!(entries, 2);
    // Activated again, the account does not bring back the sessions it had.
    let version = admin.get(&path).await.value("input[name=version]").unwrap();
    let page = admin
        .post_from(&path, &format!("{path}/aktivera"), &[("version", &version)])
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(auditor.get("/").await.status, 303);
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let id = user_id(&app, ADMIN).await;
    let path = format!("/admin/anvandare/{id}");
    let version = admin.get(&path).await.value("input[name=version]").unwrap();
    let page = admin
        .post_from(
            &path,
            &format!("{path}/inaktivera"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(page.status, 400);
    let page = admin
        .post_from(
            &path,
            &path,
            &[
                ("version", &version),
                ("email", ADMIN),
                ("display_name", "Alva Admin"),
                ("roles", "auditor"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("roles").unwrap(),
        "Fel: Du kan inte ta bort din egen administratörsroll."
    );
    assert_eq!(app.count("SELECT count(*) FROM user_role r JOIN app_user u ON u.id = r.user_id WHERE u.email = 'admin@demo.portfolj.se' AND r.role = 'admin'").await, 1);
}

#[tokio::test]
async fn a_password_change_is_audited_without_the_password() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let auditor = app.signed_in(AUDITOR).await;
    let id = user_id(&app, AUDITOR).await;
    let path = format!("/admin/anvandare/{id}");
    let version = admin.get(&path).await.value("input[name=version]").unwrap();
    let fields = [
        ("version", version.as_str()),
        ("email", AUDITOR),
        ("display_name", "Rut Rydberg"),
        ("title", "Förtroendevald revisor"),
        ("roles", "auditor"),
        ("password", "ett nytt långt lösenord"),
    ];
    assert_eq!(admin.post_from(&path, &path, &fields).await.status, 303);
    // The session opened with the old password ends with it.
    assert_eq!(auditor.get("/").await.status, 303);
    assert_eq!(app.client().sign_in(AUDITOR, "demo").await.status, 401);
    assert_eq!(
        app.client()
            .sign_in(AUDITOR, "ett nytt långt lösenord")
            .await
            .status,
        303
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'password_changed'")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE coalesce(new_value, '') LIKE '%nytt långt%'"
        )
        .await,
        0
    );
}

/// An account with no role could sign in to a start page saying "Du är inloggad som ." and do
/// nothing: creating one, or taking every role from one, is refused next to the roles.
#[tokio::test]
async fn a_user_needs_at_least_one_role() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let users_before = app.count("SELECT count(*) FROM app_user").await;
    let page = create(
        &admin,
        &[
            ("email", "ingen.roll@ludvika.se"),
            ("display_name", "Ingen Roll"),
            ("password", "ett långt lösenord"),
        ],
    )
    .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("roles").unwrap(),
        "Fel: Välj minst en roll: utan roll kan användaren inte göra något i Portfolj."
    );
    assert_eq!(
        app.count("SELECT count(*) FROM app_user").await,
        users_before
    );

    let auditor = app
        .text_of(
            "SELECT id::text FROM app_user WHERE email = $1",
            crate::support::AUDITOR,
        )
        .await;
    let form = format!("/admin/anvandare/{auditor}");
    let page = admin.get(&form).await;
    let values: Vec<(String, String)> = page
        .form_values(&form)
        .into_iter()
        .filter(|(name, _)| name != "roles")
        .collect();
    let refused = admin.post_values(&form, &values).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("roles").is_some());
    assert_eq!(
        app.count("SELECT count(*) FROM user_role r JOIN app_user u ON u.id = r.user_id WHERE u.email = 'revisor@demo.portfolj.se'")
            .await,
        1
    );
}
