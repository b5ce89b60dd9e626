//! The benefit register as its users keep it: every benefit with its SMART flags, filtered;
//! an owner named, measured and followed up; bad input refused next to its field with nothing
//! changed; effect goals linked; the plan taken from the decided version; and each reader sees
//! only the benefits of what they may see.

use crate::{
    benefit_pages::{BY_HAND, add_benefits, remove_first_line, start, without_demo_benefits},
    projects::project_id,
    support::{AUDITOR, CONTROLLER, Client, IT_CENTER, SECRETARY, STRATEGY_LUDVIKA, TestApp},
};

fn nbsp(text: String) -> String {
    text.replace('\u{a0}', " ")
}

/// The hand calculation, its investment in 2024: the benefits are planned for 2025–2028.
fn from_2024() -> Vec<(&'static str, &'static str)> {
    let mut fields = BY_HAND.to_vec();
    fields[0] = ("first_year", "2024");
    fields
}

/// IT-center's calculation on GSN 2023-5 with the three benefits, planned from 2025: (the
/// project's id, IT-center's client).
async fn benefits_from_2024(app: &TestApp) -> (String, Client) {
    let id = project_id(app, "GSN 2023-5").await;
    let it_center = app.signed_in(IT_CENTER).await;
    let calc = start(
        &it_center,
        &format!("/projekt/{id}/nyttokalkyl"),
        &from_2024(),
    )
    .await;
    add_benefits(&it_center, &calc).await;
    (id, it_center)
}

async fn benefit_id(app: &TestApp, description: &str) -> String {
    app.text_of(
        "SELECT id::text FROM benefit WHERE description = $1",
        description,
    )
    .await
}

/// The register's rows as (benefit, status cell) and its count line.
async fn register(client: &Client, query: &str) -> (Vec<String>, String) {
    let page = client.get(&format!("/nyttor{query}")).await;
    assert_eq!(page.status, 200);
    (
        page.texts("#benefits tbody th"),
        page.text("#register-count"),
    )
}

#[tokio::test]
async fn an_owner_is_named_measures_the_benefit_and_the_register_follows() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let (_, it_center) = benefits_from_2024(&app).await;

    // Nothing is owned, described or measured, and 2025 is over: every benefit is flagged.
    let auditor = app.signed_in(AUDITOR).await;
    let (rows, count) = register(&auditor, "").await;
    assert_eq!(
        rows,
        ["Färre licenser", "Kortare väntan", "Tryggare beslut"]
    );
    assert_eq!(count, "3 nyttor, varav 3 försenade.");
    let page = auditor.get("/nyttor").await;
    let flags: Vec<String> = page
        .html()
        .select(&scraper::Selector::parse("#benefits tbody tr:first-child [data-flag]").unwrap())
        .map(|e| e.value().attr("data-flag").unwrap().to_owned())
        .collect();
    assert_eq!(
        flags,
        ["no_owner", "no_indicator", "no_baseline", "overdue"]
    );
    // A row names its flags in a few words; the reasons are on the benefit's page.
    assert!(
        page.text("#benefits tbody tr:first-child .flags")
            .starts_with("Nyttoägare saknas")
    );
    assert_eq!(
        register(&auditor, "?slag=financial").await.0,
        ["Färre licenser"]
    );
    assert_eq!(register(&auditor, "?ar=2028").await.0.len(), 3);
    assert!(register(&auditor, "?ar=2029").await.0.is_empty());
    assert!(register(&auditor, "?status=realised").await.0.is_empty());

    // IT-center names the controller as the owner of the financial benefit.
    let benefit = benefit_id(&app, "Färre licenser").await;
    let url = format!("/nyttor/{benefit}");
    let controller_id = app
        .text_of("SELECT id::text FROM app_user WHERE email = $1", CONTROLLER)
        .await;
    let controller_name = app
        .text_of(
            "SELECT display_name FROM app_user WHERE email = $1",
            CONTROLLER,
        )
        .await;
    let bad = it_center
        .submit_form(
            &url,
            &url,
            &[
                ("owner", &controller_id),
                ("indicator", "Licenskostnad på konto 6540"),
                ("status", "not_realised"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("status_reason")
            .unwrap()
            .contains("Skriv varför")
    );
    assert_eq!(
        bad.value("#indicator").as_deref(),
        None,
        "a textarea carries its text, not a value"
    );
    assert!(
        bad.text("#indicator")
            .contains("Licenskostnad på konto 6540")
    );
    assert_eq!(
        app.count("SELECT count(*) FROM benefit WHERE owner_id IS NOT NULL")
            .await,
        0
    );
    // Auditors read and change nothing: they are not offered as owners.
    let offered = it_center.get(&url).await.texts("#owner option");
    assert!(offered.contains(&controller_name), "{offered:?}");
    assert!(!offered.iter().any(|o| o == "Rut Rydberg"), "{offered:?}");
    let saved = it_center
        .submit_form(
            &url,
            &url,
            &[
                ("owner", &controller_id),
                ("indicator", "Licenskostnad på konto 6540"),
                ("baseline", "120 000"),
                ("status", "being_realised"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{:?}", saved.texts(".field__error"));

    // The owner, a controller, measures; a date to come and a non-number are refused.
    let controller = app.signed_in(CONTROLLER).await;
    let measure = format!("{url}/matningar");
    let bad = controller
        .submit_form(
            &url,
            &measure,
            &[("measured_on", "2099-01-01"), ("value", "mycket")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("measured_on")
            .unwrap()
            .contains("framtiden")
    );
    assert!(bad.field_error("value").unwrap().contains("är inget tal"));
    assert_eq!(bad.value("#value").as_deref(), Some("mycket"));
    assert_eq!(
        app.count("SELECT count(*) FROM benefit_measurement").await,
        0
    );
    for (date, value) in [("2025-03-31", "15 000"), ("2025-09-30", "20 000")] {
        let done = controller
            .submit_form(&url, &measure, &[("measured_on", date), ("value", value)])
            .await;
        assert_eq!(done.status, 303, "{:?}", done.texts(".field__error"));
    }
    let page = controller.get(&url).await;
    let year_2025: Vec<String> = page
        .texts("#realisation tbody tr:first-child th, #realisation tbody tr:first-child td")
        .into_iter()
        .map(nbsp)
        .collect();
    // A benefit is a rate a year: the year's last reading is its realisation.
    assert_eq!(year_2025, ["2025", "60 000", "20 000", "−40 000"]);
    assert!(
        page.text("main")
            .contains("den aktuella kalkylen (ingen beslutad version)")
    );
    assert_eq!(page.text("#benefit-status"), "Under realisering");
    // The calculation shows what it promised in kronor against what was realised: 60 000 kr
    // and 100 hours × 500 kr planned for 2025, 20 000 kr a year measured last.
    let calc = app
        .text_of(
            "SELECT id::text FROM benefit_calculation WHERE $1 <> ''",
            "x",
        )
        .await;
    let promised = controller.get(&format!("/nyttokalkyler/{calc}")).await;
    let year_2025: Vec<String> = promised
        .texts("#promise tbody tr:nth-child(2) th, #promise tbody tr:nth-child(2) td")
        .into_iter()
        .map(nbsp)
        .collect();
    assert_eq!(year_2025, ["2025", "110 000", "20 000", "−90 000"]);
    assert!(
        promised
            .text("#plan-utfall + p")
            .contains("den aktuella kalkylen")
    );
    let (_, count) = register(&auditor, "").await;
    assert_eq!(count, "3 nyttor, varav 2 försenade.");
    assert_eq!(
        register(&auditor, &format!("?agare={controller_id}"))
            .await
            .0,
        ["Färre licenser"]
    );
    let owned = auditor.get("/nyttor").await;
    assert!(
        owned
            .text("#benefits tbody tr:first-child")
            .contains(&controller_name)
    );
    assert!(
        owned
            .text("#benefits tbody tr:first-child")
            .contains("Uppfyller SMART")
    );

    // Neither a secretary nor a strategy group follows up a benefit they do not own.
    for who in [SECRETARY, STRATEGY_LUDVIKA] {
        let client = app.signed_in(who).await;
        let refused = client
            .post_from(
                &url,
                &measure,
                &[("measured_on", "2025-10-01"), ("value", "1")],
            )
            .await;
        assert_eq!(refused.status, 403, "{who}");
        assert!(client.get(&url).await.form_fields(&measure).is_none());
    }

    // The audit log has the owner by name, old and new, and the measurements.
    let owner_change: (String, String) = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE action = 'benefit_updated' AND field = 'owner'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(owner_change, (String::new(), controller_name));
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'benefit_measured' AND project_id IS NOT NULL").await,
        2
    );
}

#[tokio::test]
async fn effect_goals_are_linked_to_the_benefit_they_evidence() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let id = project_id(&app, "GSN 2023-5").await;
    let it_center = app.signed_in(IT_CENTER).await;
    let calc = start(&it_center, &format!("/projekt/{id}/nyttokalkyl"), &BY_HAND).await;
    add_benefits(&it_center, &calc).await;
    let new_goal = format!("/projekt/{id}/effektmal/nytt");
    let made = it_center
        .submit_form(&new_goal, &new_goal, &[("goal", "Lägre licenskostnader")])
        .await;
    assert_eq!(made.status, 303);
    let goal = app
        .text_of(
            "SELECT id::text FROM effect_goal WHERE goal = $1",
            "Lägre licenskostnader",
        )
        .await;
    let benefit = benefit_id(&app, "Färre licenser").await;
    let url = format!("/nyttor/{benefit}");
    let links = format!("{url}/effektmal");
    let forged = it_center
        .post_from(
            &url,
            &links,
            &[("goal", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(forged.status, 422);
    assert!(
        forged
            .text(".error-summary")
            .contains("Välj bland projektets effektmål")
    );
    let linked = it_center.post_from(&url, &links, &[("goal", &goal)]).await;
    assert_eq!(linked.status, 303);
    let page = app.signed_in(AUDITOR).await.get(&url).await;
    assert!(page.text("#linked-goals").contains("Lägre licenskostnader"));
    let audited = app
        .text_of(
            "SELECT new_value FROM audit_log WHERE field = 'effect_goals' AND entity_id = $1",
            &benefit,
        )
        .await;
    assert!(audited.starts_with("Effektmål "), "{audited}");
    // The goal's page says which benefit it evidences.
    let goals = app
        .signed_in(AUDITOR)
        .await
        .get(&format!("/projekt/{id}/effektmal"))
        .await;
    assert!(
        goals
            .text(&format!("#mal-{goal} .evidence"))
            .contains("Färre licenser")
    );
}

#[tokio::test]
async fn the_plan_is_the_decided_versions_and_readers_see_only_their_municipalities() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    // KS 2024-88 serves Smedjebacken only.
    let id = project_id(&app, "KS 2024-88").await;
    let it_center = app.signed_in(IT_CENTER).await;
    let calc = start(&it_center, &format!("/projekt/{id}/nyttokalkyl"), &BY_HAND).await;
    add_benefits(&it_center, &calc).await;
    let controller = app.signed_in(CONTROLLER).await;
    let economy = format!("/projekt/{id}/ekonomi");
    let decided = controller
        .submit_form(
            &economy,
            &economy,
            &[
                ("appropriation", "400 000"),
                ("decision_date", "2026-01-15"),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{:?}", decided.texts(".field__error"));
    // The calculation moves on after the decision; the promise stays the decided one.
    let moved = it_center
        .submit_form(&calc, &format!("{calc}/indata"), &[("first_year", "2030")])
        .await;
    assert_eq!(moved.status, 303);
    let url = format!("/nyttor/{}", benefit_id(&app, "Färre licenser").await);
    let page = it_center.get(&url).await;
    assert!(
        page.text("main")
            .contains("beslutad version 1 (Investeringsanslag 400 000 kr")
    );
    assert_eq!(page.text("#realisation tbody tr:first-child th"), "2027");

    // Ludvika's strategy group sees none of it; the auditor sees it all.
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await;
    assert!(register(&ludvika, "").await.0.is_empty());
    assert_eq!(ludvika.get(&url).await.status, 403);
    assert_eq!(register(&app.signed_in(AUDITOR).await, "").await.0.len(), 3);

    // A benefit taken out of the calculation keeps its page but takes no more follow-up.
    remove_first_line(&it_center, &calc).await;
    let removed = app
        .text_of(
            "SELECT id::text FROM benefit WHERE removed AND calculation_id::text = $1",
            calc.trim_start_matches("/nyttokalkyler/"),
        )
        .await;
    let url = format!("/nyttor/{removed}");
    let page = it_center.get(&url).await;
    assert!(page.text(".notice").contains("borttagen ur kalkylen"));
    let refused = it_center
        .post_from(
            &url,
            &format!("{url}/matningar"),
            &[("measured_on", "2026-01-01"), ("value", "1")],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert_eq!(register(&it_center, "").await.0.len(), 2);
}

#[tokio::test]
async fn overdue_follow_ups_are_flagged_on_the_start_pages_of_owner_controller_and_auditor() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let (id, it_center) = benefits_from_2024(&app).await;
    // The secretary owns the financial benefit.
    let benefit = benefit_id(&app, "Färre licenser").await;
    let url = format!("/nyttor/{benefit}");
    let secretary_id = app
        .text_of("SELECT id::text FROM app_user WHERE email = $1", SECRETARY)
        .await;
    let named = it_center
        .submit_form(&url, &url, &[("owner", &secretary_id)])
        .await;
    assert_eq!(named.status, 303);

    let owner_start = app.signed_in(SECRETARY).await.get("/").await;
    assert_eq!(
        owner_start.text("#overdue-heading"),
        "Dina nyttor att följa upp"
    );
    assert_eq!(owner_start.texts("#overdue-benefits a"), ["Färre licenser"]);
    let controller_start = app.signed_in(CONTROLLER).await.get("/").await;
    let flagged = controller_start.texts("#overdue-benefits a");
    assert_eq!(
        flagged,
        ["Färre licenser", "Kortare väntan", "Tryggare beslut"]
    );
    assert!(
        controller_start
            .text("#overdue-benefits")
            .contains("ingen ägare")
    );
    // IT-center owns nothing and is not a controller: no flags.
    assert!(
        it_center
            .get("/")
            .await
            .html()
            .select(&scraper::Selector::parse("#overdue").unwrap())
            .next()
            .is_none()
    );

    // The project completed in January 2025 and was never followed up: flagged, until a
    // benefit is measured.
    let mut owner = app.owner().await;
    sqlx::query(
        "UPDATE project SET status = 'completed', actual_end = '2025-01-31' WHERE id = $1::uuid",
    )
    .bind(&id)
    .execute(&mut owner)
    .await
    .unwrap();
    let name = app
        .text_of("SELECT name FROM project WHERE id = $1::uuid", &id)
        .await;
    let auditor = app.signed_in(AUDITOR).await;
    let lagging = auditor.get("/").await.texts("#overdue-projects a");
    assert!(lagging.contains(&name), "{lagging:?}");
    let measured = it_center
        .submit_form(
            &url,
            &format!("{url}/matningar"),
            &[("measured_on", "2026-11-30"), ("value", "30 000")],
        )
        .await;
    assert_eq!(measured.status, 303);
    let start_page = auditor.get("/").await;
    assert!(!start_page.texts("#overdue-projects a").contains(&name));
    assert_eq!(
        start_page.texts("#overdue-benefits a"),
        ["Kortare väntan", "Tryggare beslut"]
    );
}
