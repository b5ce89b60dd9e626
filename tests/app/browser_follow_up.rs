//! The period follow-up in a real browser: axe-core finds no accessibility violations on the
//! pages of the report's way to the board (the report, the action plan, the measure form, the
//! decision, correction and carry-over forms, the print view and an entry grid), at a desktop's
//! width and at a phone's, where only the tables scroll sideways; and a measure is added to the
//! action plan with the keyboard alone, after the empty form is refused with focus on its error
//! summary.

use std::time::{Duration, Instant};

use fantoccini::{Client, key::Key};
use uuid::Uuid;

use crate::{
    browser::{Driver, active_id, axe_violations, overflow_x, press, sign_in},
    follow_up::rows,
    support::{CONTROLLER, Client as HttpClient, HEAD_OF_ADMINISTRATION, SECRETARY_GSN, TestApp},
};

/// The demo's Gemensamma servicenämnden, 2022: its report at occasion 2 (January–August,
/// submitted), the year-end occasion 3, its measure 1.1 and activity 031.
struct Demo {
    report: String,
    year_end: String,
    measure: Uuid,
    budget_grid: String,
}

async fn demo(app: &TestApp) -> Demo {
    let one = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>(sql)
                .fetch_one(&db)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }
    };
    let board = one("SELECT id FROM board WHERE name = 'Gemensamma servicenämnden'").await;
    let second = one("SELECT id FROM follow_up_occasion WHERE year = 2022 AND number = 2").await;
    let third = one("SELECT id FROM follow_up_occasion WHERE year = 2022 AND number = 3").await;
    let measure = one(
        "SELECT m.id FROM action_measure m JOIN follow_up f ON f.id = m.follow_up_id \
         JOIN follow_up_occasion o ON o.id = f.occasion_id \
         JOIN board b ON b.id = f.board_id \
         WHERE b.name = 'Gemensamma servicenämnden' AND o.year = 2022 AND o.number = 2 \
         ORDER BY m.group_number, m.number LIMIT 1",
    )
    .await;
    let activity = one(
        "SELECT a.id FROM activity a JOIN board b ON b.id = a.board_id \
         WHERE b.name = 'Gemensamma servicenämnden' AND a.code = '031'",
    )
    .await;
    Demo {
        report: format!("/uppfoljning/{second}/{board}"),
        year_end: format!("/uppfoljning/{third}/{board}"),
        measure,
        budget_grid: format!(
            "/uppfoljning/underlag/{board}/verksamheter/{activity}/budget?ar=2022"
        ),
    }
}

/// Posts the form on `from` whose action ends with `suffix`, as shown.
async fn press_button(client: &HttpClient, from: &str, suffix: &str) {
    let page = client.get(from).await;
    let action = format!("{from}{suffix}");
    let values = page.form_values(&action);
    assert!(!values.is_empty(), "no form {action} on {from}");
    let done = client.post_values(&action, &values).await;
    assert_eq!(done.status, 303, "{action}: {}", done.body);
}

/// Signs in as each account and scans its pages with axe-core; with `no_sideways`, each page must
/// also fit the window's width. Returns every problem found, so one run lists them all.
async fn scan(
    browser: &Client,
    base: &str,
    accounts: Vec<(&str, Vec<String>)>,
    no_sideways: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (account, pages) in accounts {
        sign_in(browser, base, account).await;
        for page in pages {
            browser.goto(&format!("{base}{page}")).await.unwrap();
            let violations = axe_violations(browser).await;
            if !violations.is_empty() {
                problems.push(format!("{account} {page}: {violations:#?}"));
            }
            let wider = overflow_x(browser).await;
            if no_sideways && wider >= 1.0 {
                problems.push(format!(
                    "{account} {page} is {wider} px wider than the window"
                ));
            }
        }
        browser.delete_all_cookies().await.unwrap();
    }
    problems
}

/// Walks the demo report to the board and scans each page of the way as the person who sees
/// it: the controller's pages while the report is open (taken back), the head of
/// administration's plan, the secretary's decision form once it is submitted again, and the
/// controller's correction form and print view once it is decided. Returns the problems found.
async fn scan_the_way_to_the_board(
    app: &TestApp,
    browser: &Client,
    no_sideways: bool,
) -> Vec<String> {
    let d = demo(app).await;
    let r = &d.report;
    let controller = app.signed_in(CONTROLLER).await;
    press_button(&controller, r, "/aterta").await;
    let open = vec![
        r.clone(),
        format!("{r}/prognos"),
        format!("{r}/handlingsplan"),
        format!("{r}/handlingsplan/ny"),
        format!("{r}/handlingsplan/{}", d.measure),
        format!("{r}/utskrift"),
        format!("{}/overforing", d.year_end),
        d.budget_grid.clone(),
    ];
    let approving = vec![format!("{r}/handlingsplan")];
    let mut problems = scan(
        browser,
        &app.base_url,
        vec![(CONTROLLER, open), (HEAD_OF_ADMINISTRATION, approving)],
        no_sideways,
    )
    .await;

    press_button(&controller, r, "/lamna-in").await;
    let deciding = vec![r.clone(), format!("{r}/beslut")];
    problems.extend(
        scan(
            browser,
            &app.base_url,
            vec![(SECRETARY_GSN, deciding)],
            no_sideways,
        )
        .await,
    );

    let secretary = app.signed_in(SECRETARY_GSN).await;
    let form = format!("{r}/beslut");
    let decided = secretary
        .submit_form(
            &form,
            &form,
            &[
                ("decision_body", "Gemensamma servicenämnden"),
                ("decided_on", "2022-09-20"),
                ("decision_paragraph", "§ 45"),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let correcting = vec![r.clone(), format!("{r}/rattelse"), format!("{r}/utskrift")];
    problems.extend(
        scan(
            browser,
            &app.base_url,
            vec![(CONTROLLER, correcting)],
            no_sideways,
        )
        .await,
    );
    problems
}

/// Scans the way to the board in a window of `width` × `height`; returns the problems found.
async fn problems_at(width: u32, height: u32, no_sideways: bool) -> Vec<String> {
    let app = TestApp::spawn().await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(width, height).await.unwrap();
    let problems = scan_the_way_to_the_board(&app, &browser, no_sideways).await;
    browser.close().await.unwrap();
    problems
}

#[tokio::test]
async fn the_follow_up_pages_have_no_accessibility_violations() {
    let problems = problems_at(1366, 768, false).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn at_390_px_the_follow_up_pages_scroll_only_their_tables_and_have_no_violations() {
    let problems = problems_at(390, 844, true).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Presses Tab until the focused element matches `selector`; fails after `limit` presses.
async fn tab_to(browser: &Client, selector: &str, limit: usize) {
    let script = format!("return document.activeElement.matches({selector:?});");
    for _ in 0..limit {
        let there = browser.execute(&script, vec![]).await.unwrap();
        if there.as_bool() == Some(true) {
            let ring = browser
                .execute(
                    "const s = getComputedStyle(document.activeElement);
                     return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                        || s.boxShadow !== 'none';",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(ring.as_bool(), Some(true), "no focus ring on {selector}");
            return;
        }
        press(browser, Key::Tab).await;
    }
    panic!(
        "{selector} not reached by Tab; focus is on {:?}",
        active_id(browser).await
    );
}

async fn type_keys(browser: &Client, text: &str) {
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Waits until `script` returns true on the current page.
async fn wait_for(browser: &Client, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while browser.execute(script, vec![]).await.unwrap().as_bool() != Some(true) {
        assert!(
            Instant::now() < deadline,
            "{script} is not yet true on {}",
            browser.current_url().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_for_path(browser: &Client, path: &str) {
    wait_for(browser, &format!("return location.pathname === {path:?};")).await;
}

#[tokio::test]
async fn a_measure_is_added_to_the_action_plan_with_the_keyboard_alone() {
    let app = TestApp::spawn().await;
    let d = demo(&app).await;
    let r = &d.report;
    let controller = app.signed_in(CONTROLLER).await;
    press_button(&controller, r, "/aterta").await;
    let plan = format!("{r}/handlingsplan");

    let driver = Driver::start();
    let browser = driver.browser().await;
    sign_in(&browser, &app.base_url, CONTROLLER).await;
    browser
        .goto(&format!("{}{plan}", app.base_url))
        .await
        .unwrap();
    browser
        .execute("document.body.focus();", vec![])
        .await
        .unwrap();
    tab_to(&browser, "main a.button[href$='/handlingsplan/ny']", 40).await;
    press(&browser, Key::Enter).await;
    wait_for_path(&browser, &format!("{plan}/ny")).await;

    // Sent empty, the form is refused: focus moves to the error summary, the page has no
    // accessibility violations, and the plan has no new measure.
    tab_to(&browser, "main form button[type=submit]", 60).await;
    press(&browser, Key::Enter).await;
    wait_for(
        &browser,
        "return document.activeElement.classList.contains('error-summary');",
    )
    .await;
    let violations = axe_violations(&browser).await;
    assert!(
        violations.is_empty(),
        "refused measure form: {violations:#?}"
    );

    // Group 2 by the arrow key, then the fields in order.
    tab_to(&browser, "#group", 40).await;
    press(&browser, Key::Down).await;
    tab_to(&browser, "#activity", 5).await;
    type_keys(&browser, "Vht 033 Service och support").await;
    tab_to(&browser, "#description", 5).await;
    type_keys(&browser, "Avveckla dubbla licenser för O365").await;
    tab_to(&browser, "#effect_forecast", 20).await;
    type_keys(&browser, "250 000").await;
    tab_to(&browser, "#in_forecast", 5).await;
    press(&browser, Key::Space).await;
    tab_to(&browser, "main form button[type=submit]", 5).await;
    press(&browser, Key::Enter).await;
    wait_for_path(&browser, &plan).await;

    // The demo's 1.1 and the one measure added: the refused attempt saved nothing.
    let page = controller.get(&plan).await;
    let table = rows(&page, "table");
    assert_eq!(table.len(), 2, "{table:?}");
    let row = &table[1];
    assert_eq!(row[0], "2.1", "{row:?}");
    assert_eq!(row[1], "Vht 033 Service och support", "{row:?}");
    assert_eq!(row[2], "Avveckla dubbla licenser för O365", "{row:?}");
    assert_eq!(row[3], "0,25", "{row:?}");
    assert_eq!(row[4], "Ja", "{row:?}");
    browser.close().await.unwrap();
}
