//! The review of the period follow-up (findings F5, F7, F12, F14, F15): occasions keep the
//! year's order and a held period, a joint board's missing key is named, the audit log reads in
//! Swedish, administrators reach the occasions, and the smaller refusals read as the forms do.

use uuid::Uuid;

use crate::{
    follow_up::{open_report, rows, second_period, typed},
    support::{ADMIN, AUDITOR, CONTROLLER, Client, Page, SECRETARY_GSN, TestApp},
};

/// The href of the first link in `scope` whose text starts with `text`.
fn link(page: &Page, scope: &str, text: &str) -> String {
    let selector = scraper::Selector::parse(&format!("{scope} a")).unwrap();
    page.html()
        .select(&selector)
        .find(|a| a.text().collect::<String>().trim().starts_with(text))
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no link {text:?} in {scope}:\n{}", page.body))
}

const OCCASIONS: &str = "/uppfoljning/underlag/tillfallen";

/// The demo's occasion `number` of `year`.
async fn occasion(app: &TestApp, year: i32, number: i32) -> Uuid {
    sqlx::query_scalar("SELECT id FROM follow_up_occasion WHERE year = $1 AND number = $2")
        .bind(year)
        .bind(number)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Gemensamma servicenämnden, the demo's joint board.
async fn gsn(app: &TestApp) -> Uuid {
    sqlx::query_scalar("SELECT id FROM board WHERE name = 'Gemensamma servicenämnden'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The occasions of `year` as the occasions page lists them.
async fn listed(client: &Client, year: i32) -> Vec<Vec<String>> {
    rows(
        &client.get(&format!("{OCCASIONS}?ar={year}")).await,
        "table.occasions",
    )
}

/// A refused occasion form: 422, the message next to the period, what was typed kept.
fn refused_period(page: &Page, message: &str, typed_deadline: &str) {
    assert_eq!(page.status, 422, "{}", page.body);
    let error = page
        .field_error("through_month")
        .unwrap_or_else(|| panic!("no period error: {}", page.body));
    assert!(error.contains(message), "{error}");
    assert!(
        page.texts(".error-summary a, .error-summary li")
            .join(" ")
            .contains(message),
        "summary: {}",
        page.body
    );
    assert_eq!(page.value("#deadline").as_deref(), Some(typed_deadline));
}

#[tokio::test]
async fn an_occasions_period_is_held_by_its_reports_and_keeps_the_years_order() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let board = gsn(&app).await;
    let (o2, o3) = (occasion(&app, 2022, 2).await, occasion(&app, 2022, 3).await);
    let before = listed(&client, 2022).await;

    // O2's report is submitted: its period stays.
    let edit = format!("{OCCASIONS}/{o2}");
    let page = client
        .submit_form(
            &edit,
            &edit,
            &[("through_month", "7"), ("deadline", "2022-08-20")],
        )
        .await;
    refused_period(&page, "Perioden kan inte ändras", "2022-08-20");

    // O3's report has carry-over proposals: its period stays, its deadline may move.
    let project: Uuid = sqlx::query_scalar("SELECT id FROM project WHERE board_id = $1 LIMIT 1")
        .bind(board)
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "WITH f AS (INSERT INTO follow_up (id, board_id, occasion_id) VALUES (gen_random_uuid(), $1, $2) RETURNING id) \
         INSERT INTO carry_over (project_id, from_year, amount, follow_up_id) SELECT $3, 2022, 100000, id FROM f",
    )
    .bind(board)
    .bind(o3)
    .bind(project)
    .execute(&app.db)
    .await
    .unwrap();
    let edit = format!("{OCCASIONS}/{o3}");
    let page = client
        .submit_form(
            &edit,
            &edit,
            &[("through_month", "11"), ("deadline", "2022-12-15")],
        )
        .await;
    refused_period(&page, "förslag om överföring", "2022-12-15");
    assert_eq!(listed(&client, 2022).await, before);
    let moved = client
        .submit_form(&edit, &edit, &[("deadline", "2023-02-01")])
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(
        listed(&client, 2022).await[2],
        ["3", "januari–december", "2023-02-01", "Ändra tillfälle 3"]
    );

    // A new occasion after tillfälle 3 (januari–december) cannot cover januari–februari.
    let page = client
        .submit_form(
            &format!("{OCCASIONS}?ar=2022"),
            OCCASIONS,
            &[
                ("year", "2022"),
                ("number", "4"),
                ("through_month", "2"),
                ("deadline", "2023-03-01"),
            ],
        )
        .await;
    refused_period(
        &page,
        "sluta senare än tillfälle 1s (januari–april)",
        "2023-03-01",
    );
    assert_eq!(listed(&client, 2022).await.len(), 3);

    // In a new year: 1 (april), then 2 must end after april and 1 may not move past 2.
    let new_year = format!("{OCCASIONS}?ar=2031");
    let add = |number: &'static str, month: &'static str, deadline: &'static str| {
        [
            ("year", "2031"),
            ("number", number),
            ("through_month", month),
            ("deadline", deadline),
        ]
    };
    let added = client
        .submit_form(&new_year, OCCASIONS, &add("1", "4", "2031-05-15"))
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = client
        .submit_form(&new_year, OCCASIONS, &add("2", "3", "2031-04-15"))
        .await;
    refused_period(
        &page,
        "sluta senare än tillfälle 1s (januari–april)",
        "2031-04-15",
    );
    let added = client
        .submit_form(&new_year, OCCASIONS, &add("2", "8", "2031-09-15"))
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let first = occasion(&app, 2031, 1).await;
    let edit = format!("{OCCASIONS}/{first}");
    let page = client
        .submit_form(
            &edit,
            &edit,
            &[("through_month", "9"), ("deadline", "2031-10-15")],
        )
        .await;
    refused_period(
        &page,
        "sluta tidigare än tillfälle 2s (januari–augusti)",
        "2031-10-15",
    );
    assert_eq!(
        listed(&client, 2031).await,
        [
            ["1", "januari–april", "2031-05-15", "Ändra tillfälle 1"],
            ["2", "januari–augusti", "2031-09-15", "Ändra tillfälle 2"],
        ]
    );
}

/// What the report's draft notice lists as missing.
fn missing(page: &Page) -> Vec<String> {
    page.texts("[role=status] li")
}

#[tokio::test]
async fn a_joint_board_without_a_key_of_the_year_lists_the_key_as_missing() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let board = gsn(&app).await;
    let key_2022 = "Medlemsandelar (fördelningsnyckel) för 2022";
    let report = open_report(&client, 2022, "Tillfälle 3", "Gemensamma servicenämnden").await;
    assert!(!missing(&report).iter().any(|m| m == key_2022));
    let report = open_report(&client, 2026, "Tillfälle 1", "Gemensamma servicenämnden").await;
    assert!(
        missing(&report)
            .iter()
            .any(|m| m == "Medlemsandelar (fördelningsnyckel) för 2026"),
        "{:?}",
        missing(&report)
    );

    // Both shares emptied: accepted (no key), and the report says so.
    let key = format!("/uppfoljning/underlag/{board}/medlemsandelar");
    let form = client.get(&format!("{key}?ar=2022")).await;
    let emptied = typed(form.form_values(&key), &[("left", 0, ""), ("left", 1, "")]);
    let saved = client.post_values(&key, &emptied).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = open_report(&client, 2022, "Tillfälle 3", "Gemensamma servicenämnden").await;
    assert!(
        report
            .text("[role=status]")
            .starts_with("UTKAST – ofullständigt."),
        "{}",
        report.body
    );
    assert_eq!(
        missing(&report).iter().filter(|m| *m == key_2022).count(),
        1,
        "{:?}",
        missing(&report)
    );
    assert!(
        !report
            .body
            .contains("Medlemmarnas andel av prognostiserat resultat")
    );
}

/// The log rows (Tid, Vem, Händelse, Objekt, Fält, Före, Efter, Källa) with `action`.
async fn log_rows(app: &TestApp, action: &str) -> Vec<Vec<String>> {
    let page = app.signed_in(AUDITOR).await.get("/logg").await;
    assert_eq!(page.status, 200);
    rows(&page, "table.audit-log")
        .into_iter()
        .filter(|r| r[2] == action)
        .collect()
}

#[tokio::test]
async fn the_audit_log_names_the_follow_ups_events_fields_and_objects_in_swedish() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, false).await;
    let client = app.signed_in(CONTROLLER).await;

    // A measure's "Ev. mål" changed through its form.
    let measure: Uuid = sqlx::query_scalar(
        "SELECT m.id FROM action_measure m JOIN follow_up f ON f.id = m.follow_up_id \
         WHERE f.board_id = $1 AND m.group_number = 1 AND m.number = 1",
    )
    .bind(second.board)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let edit = format!(
        "/uppfoljning/{}/{}/handlingsplan/{measure}",
        second.occasion, second.board
    );
    let saved = client
        .submit_form(&edit, &edit, &[("goal", "Lägre kostnad")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let measure_rows = log_rows(&app, "Åtgärd i handlingsplanen sparad").await;
    let goal = measure_rows
        .iter()
        .find(|r| r[4] == "Ev. mål")
        .unwrap_or_else(|| panic!("{measure_rows:?}"));
    assert_eq!(
        goal[3],
        "Åtgärd i handlingsplanen: Åtgärd 1.1, Kultur- och fritidsnämnden, tillfälle 1 2025"
    );
    assert_eq!(goal[6], "Lägre kostnad");

    // The joint board's key: whose share changed.
    let board = gsn(&app).await;
    let key = format!("/uppfoljning/underlag/{board}/medlemsandelar");
    let form = client.get(&format!("{key}?ar=2022")).await;
    let changed = typed(
        form.form_values(&key),
        &[("left", 0, "60"), ("left", 1, "40")],
    );
    assert_eq!(client.post_values(&key, &changed).await.status, 303);
    let key_rows: Vec<(String, String, String, String)> = log_rows(&app, "Medlemsandel sparad")
        .await
        .into_iter()
        .map(|r| (r[3].clone(), r[4].clone(), r[5].clone(), r[6].clone()))
        .collect();
    assert_eq!(
        key_rows,
        [
            (
                "Medlemsandel: Andel för Smedjebacken 2022, Gemensamma servicenämnden".to_owned(),
                "Andel, procent".to_owned(),
                "30".to_owned(),
                "40".to_owned()
            ),
            (
                "Medlemsandel: Andel för Ludvika 2022, Gemensamma servicenämnden".to_owned(),
                "Andel, procent".to_owned(),
                "70".to_owned(),
                "60".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn administrators_reach_the_occasions_from_the_start_page_and_can_go_back() {
    let app = TestApp::spawn().await;
    for (who, back_text) in [
        (ADMIN, "← Start"),
        (CONTROLLER, "← Underlag för uppföljning"),
    ] {
        let client = app.signed_in(who).await;
        let start = client.get("/").await;
        let href = link(&start, "main", "Uppföljningstillfällen");
        let occasions = client.get(&href).await;
        assert_eq!(occasions.status, 200, "{who}");
        let back = link(&occasions, "main", "←");
        assert!(
            occasions.text("main p a").starts_with(back_text),
            "{who}: {}",
            occasions.text("main p a")
        );
        assert_eq!(client.get(&back).await.status, 200, "{who}: {back}");
    }
}

#[tokio::test]
async fn smaller_refusals_read_as_the_forms_do() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, false).await;
    let client = app.signed_in(CONTROLLER).await;

    // The measure form's messages use its labels.
    let new = format!(
        "/uppfoljning/{}/{}/handlingsplan/ny",
        second.occasion, second.board
    );
    let refused = client
        .submit_form(
            &new,
            &new,
            &[
                ("group", "1"),
                ("activity", "Bibliotek"),
                ("description", "Något"),
                ("decided_on", "igår"),
                ("go_live", "snart"),
                ("effect_period", "mycket"),
                ("effect_forecast", "lite"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    for (field, label) in [
        ("decided_on", "Datum för beslut om åtgärd:"),
        ("go_live", "Driftsättning, datum:"),
        (
            "effect_period",
            "Ekonomisk effekt, utfall för perioden, kr:",
        ),
        ("effect_forecast", "Ekonomisk effekt, prognos helår, kr:"),
    ] {
        let error = refused.field_error(field).unwrap_or_default();
        assert!(error.contains(label), "{field}: {error}");
    }

    // A pasted page is quoted cut to 40 characters.
    let activities = format!(
        "/uppfoljning/underlag/{}/verksamheter?ar=2025",
        second.board
    );
    let post = format!(
        "/uppfoljning/underlag/{}/verksamheter?ar=2025",
        second.board
    );
    let long = "9".repeat(10_000);
    let refused = client
        .submit_form(&activities, &post, &[("code", &long), ("name", "Test")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let error = refused.field_error("code").unwrap();
    assert!(
        error.contains(&format!("Kod: ”{}…”", "9".repeat(40))),
        "{error}"
    );
    assert!(error.len() < 200, "{error}");

    // A year that is no year is refused on the overview as on the entry pages.
    for bad in ["abc", "99999", "-1"] {
        let page = client.get(&format!("/uppfoljning?ar={bad}")).await;
        assert_eq!(page.status, 400, "{bad}");
    }
    assert_eq!(client.get("/uppfoljning?ar=2040").await.status, 200);
    assert_eq!(client.get("/uppfoljning").await.status, 200);
}

#[tokio::test]
async fn deciding_twice_answers_that_the_decision_is_recorded() {
    let app = TestApp::spawn().await;
    let board = gsn(&app).await;
    let o2 = occasion(&app, 2022, 2).await;
    let secretary = app.signed_in(SECRETARY_GSN).await;
    let decide = format!("/uppfoljning/{o2}/{board}/beslut");
    let typed = secretary.get(&decide).await.filled_in(
        &decide,
        &[("decided_on", "2022-09-20"), ("decision_paragraph", "§ 45")],
    );
    let decided = secretary.post_values(&decide, &typed).await;
    assert_eq!(decided.status, 303, "{}", decided.body);

    // The same form again, at the version now saved (a second tab reloaded, a double click).
    let version: i32 = sqlx::query_scalar(
        "SELECT version FROM follow_up WHERE board_id = $1 AND occasion_id = $2",
    )
    .bind(board)
    .bind(o2)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let again: Vec<(String, String)> = typed
        .into_iter()
        .map(|(k, v)| {
            if k == "version" {
                (k, version.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    let page = secretary.post_values(&decide, &again).await;
    assert_eq!(page.status, 409);
    assert!(
        page.body.contains("Nämndens beslut är redan infört"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Felkod"), "{}", page.body);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'follow_up_decided' AND field = 'decision_paragraph'")
            .await,
        1
    );
}
