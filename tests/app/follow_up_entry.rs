//! The follow-up's data entry as a controller uses it: a new board's period built from nothing
//! through the forms (activities, a budget spread evenly and one typed per month, outcome,
//! an occasion, the members' key and the projects' appropriations) until its report shows the
//! figures computed by hand below; every refusal keeps what was typed and changes nothing; only
//! controllers see and use the forms; every change is in the audit log with old and new value.

use portfolj::{
    audit,
    domain::{budget::OutcomeSource, money::Money},
    follow_up::entry::{
        outcome::{MonthOutcome, record_operating_outcome},
        repo::Activity,
    },
};
use uuid::Uuid;

use crate::{
    follow_up::{cells, rows, typed},
    support::{ADMIN, AUDITOR, CONTROLLER, Client, IT_CENTER, Page, TestApp},
};

const MINUS: char = '\u{2212}';
const BOARD: &str = "Miljö- och byggnadsnämnden";

/// The href of the first link on `page` whose text starts with `text`, inside `scope`.
fn link(page: &Page, scope: &str, text: &str) -> String {
    let selector = scraper::Selector::parse(&format!("{scope} a")).unwrap();
    page.html()
        .select(&selector)
        .find(|a| {
            a.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .starts_with(text)
        })
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no link {text:?} in {scope}:\n{}", page.body))
}

/// The action of the page's post form whose action contains `part`.
fn action(page: &Page, part: &str) -> String {
    let selector = scraper::Selector::parse("form[method=post]").unwrap();
    page.html()
        .select(&selector)
        .filter_map(|f| f.value().attr("action"))
        .find(|a| a.contains(part))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no form posting to {part}"))
}

/// A page after a save: the redirect followed.
async fn saved(client: &Client, response: Page) -> Page {
    assert_eq!(response.status, 303, "{}", response.body);
    client.get(response.location().unwrap()).await
}

/// A new board of Ludvika with one project that serves Ludvika and Smedjebacken: what exists
/// before the controller starts. Returns (board, project).
async fn new_board(app: &TestApp) -> (Uuid, Uuid) {
    let (board, project) = (Uuid::now_v7(), Uuid::now_v7());
    for sql in [
        format!(
            "INSERT INTO board (id, name, municipality_id) SELECT '{board}', '{BOARD}', id FROM municipality WHERE name = 'Ludvika'"
        ),
        format!(
            "INSERT INTO project (id, name, case_number, project_number, board_id, plan, status) VALUES ('{project}', 'Digitalt bygglov', 'MBN 2030-7', '0201', '{board}', 'digitalisation', 'in_progress')"
        ),
        format!(
            "INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) SELECT '{project}', id, CASE name WHEN 'Ludvika' THEN 60 ELSE 40 END FROM municipality WHERE name IN ('Ludvika', 'Smedjebacken')"
        ),
    ] {
        sqlx::query(&sql).execute(&app.db).await.unwrap();
    }
    (board, project)
}

/// Adds an activity to `board` through its form; returns its id.
async fn add_activity(app: &TestApp, client: &Client, board: Uuid, code: &str, name: &str) -> Uuid {
    let activities = format!("/uppfoljning/underlag/{board}/verksamheter?ar=2031");
    let post = action(&client.get(&activities).await, "/verksamheter?ar=2031");
    let changes = [("code", code), ("name", name)];
    saved(
        client,
        client.submit_form(&activities, &post, &changes).await,
    )
    .await;
    sqlx::query_scalar("SELECT id FROM activity WHERE board_id = $1 AND code = $2")
        .bind(board)
        .bind(code)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The hub of the data entry for 2031, reached from the follow-up overview.
async fn hub(client: &Client) -> Page {
    let overview = client.get("/uppfoljning").await;
    let href = link(&overview, "main", "Underlag");
    let base = href.split('?').next().unwrap().to_owned();
    let hub = client.get(&format!("{base}?ar=2031")).await;
    assert_eq!(hub.status, 200);
    hub
}

/// The link `text` in the hub's row of the new board.
fn board_link(hub: &Page, text: &str) -> String {
    let selector = scraper::Selector::parse("table.boards tbody tr").unwrap();
    let a = scraper::Selector::parse("a").unwrap();
    hub.html()
        .select(&selector)
        .find(|r| r.text().collect::<String>().contains(BOARD))
        .and_then(|r| {
            r.select(&a)
                .find(|a| a.text().collect::<String>().starts_with(text))
                .and_then(|a| a.value().attr("href").map(str::to_owned))
        })
        .unwrap_or_else(|| panic!("no {text} for {BOARD}"))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

/// Whether the audit log has `action` on `field` from `old` to `new` (spaces as typed).
async fn audited(app: &TestApp, action: &str, field: &str, old: &str, new: &str) -> bool {
    let sql = format!(
        "SELECT count(*) FROM audit_log WHERE action = '{action}' AND field = '{field}' \
         AND replace(coalesce(old_value, ''), chr(160), ' ') = '{old}' \
         AND replace(coalesce(new_value, ''), chr(160), ' ') = '{new}'"
    );
    app.count(&sql).await > 0
}

#[tokio::test]
async fn a_controller_builds_a_new_boards_period_through_the_forms() {
    let app = TestApp::spawn().await;
    let (_, project) = new_board(&app).await;
    let client = app.signed_in(CONTROLLER).await;
    let hub = hub(&client).await;

    // The occasion: January–April 2031, due in May.
    let occasions = link(&hub, "main", "Uppföljningstillfällen 2031");
    let form = client.get(&occasions).await;
    let post = action(&form, "/uppfoljning/underlag/tillfallen");
    let changes = [
        ("number", "1"),
        ("through_month", "4"),
        ("deadline", "2031-05-15"),
    ];
    let list = saved(
        &client,
        client.submit_form(&occasions, &post, &changes).await,
    )
    .await;
    assert_eq!(
        rows(&list, "table.occasions"),
        [["1", "januari–april", "2031-05-15", "Ändra tillfälle 1"]]
    );

    // Two activities.
    let activities = board_link(&hub, "Verksamheter");
    let page = client.get(&activities).await;
    let post = action(&page, "/verksamheter?ar=2031");
    for (code, name) in [("101", "Tillsyn"), ("102", "Bygglov")] {
        saved(
            &client,
            client
                .submit_form(&activities, &post, &[("code", code), ("name", name)])
                .await,
        )
        .await;
    }
    let page = client.get(&activities).await;
    let listed: Vec<Vec<String>> = rows(&page, "table.activities")
        .into_iter()
        .map(|r| r[..3].to_vec())
        .collect();
    assert_eq!(
        listed,
        vec![
            cells(&["101", "Tillsyn", "Aktiv"]),
            cells(&["102", "Bygglov", "Aktiv"])
        ]
    );

    // 101: the year's budget spread evenly; 10 000 000 kr leaves 4 öre for the first months.
    let budget = link(&page, "table.activities", "Budget 2031 för 101");
    let form = client.get(&budget).await;
    let spread = action(&form, "/budget/jamnt");
    let grid = saved(
        &client,
        client
            .submit_form(
                &budget,
                &spread,
                &[("year_left", "1 200 000"), ("year_right", "10 000 000")],
            )
            .await,
    )
    .await;
    assert_eq!(grid.value("#right-1").as_deref(), Some("833\u{a0}333,34"));
    assert_eq!(grid.value("#right-4").as_deref(), Some("833\u{a0}333,34"));
    assert_eq!(grid.value("#right-5").as_deref(), Some("833\u{a0}333,33"));
    assert_eq!(grid.value("#left-12").as_deref(), Some("100\u{a0}000"));
    assert_eq!(grid.text(".saved-costs"), "10 000 000");

    // 102: typed per month, a credit with a real minus sign.
    let budget_102 = link(&page, "table.activities", "Budget 2031 för 102");
    let grid_action = budget_102.split('?').next().unwrap().to_owned();
    let form = client.get(&budget_102).await;
    let mut changes: Vec<(&str, usize, &str)> = vec![("left", 2, "\u{2212}40 000")];
    for m in 0..12 {
        changes.push(("right", m, if m < 6 { "500 000" } else { "700 000,00" }));
    }
    let grid = saved(
        &client,
        client
            .post_values(
                &grid_action,
                &typed(form.form_values(&grid_action), &changes),
            )
            .await,
    )
    .await;
    assert_eq!(grid.text(".saved-revenue"), format!("{MINUS}40 000"));
    assert_eq!(grid.text(".saved-costs"), "7 200 000");

    // Outcome: 101 January–May (May is after the period), 102 January–April.
    let outcome_101 = link(&page, "table.activities", "Utfall 2031 för 101");
    let outcome_action = outcome_101.split('?').next().unwrap().to_owned();
    let form = client.get(&outcome_101).await;
    let changes = [
        ("left", 0, "90 000"),
        ("right", 0, "800 000"),
        ("left", 1, "90 000"),
        ("right", 1, "850 000"),
        ("left", 2, "120 000"),
        ("right", 2, "900 000"),
        ("left", 3, "100 000"),
        ("right", 3, "950 000,50"),
        ("right", 4, "1 000 000"),
    ];
    let grid = saved(
        &client,
        client
            .post_values(
                &outcome_action,
                &typed(form.form_values(&outcome_action), &changes),
            )
            .await,
    )
    .await;
    let sources: Vec<String> = rows(&grid, "table.months")
        .into_iter()
        .map(|r| r.last().unwrap().clone())
        .collect();
    assert_eq!(
        &sources[..6],
        &cells(&["Manuell", "Manuell", "Manuell", "Manuell", "Manuell", "–"])
    );
    let outcome_102 = link(&page, "table.activities", "Utfall 2031 för 102");
    let outcome_action = outcome_102.split('?').next().unwrap().to_owned();
    let form = client.get(&outcome_102).await;
    let changes: Vec<(&str, usize, &str)> = (0..4).map(|m| ("right", m, "550 000")).collect();
    saved(
        &client,
        client
            .post_values(
                &outcome_action,
                &typed(form.form_values(&outcome_action), &changes),
            )
            .await,
    )
    .await;

    // The members' key: the board's municipality and the one its project also serves.
    let key = board_link(&hub, "Medlemsandelar");
    let form = client.get(&key).await;
    assert_eq!(
        rows(&form, "table.member-key")
            .iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>(),
        ["Ludvika", "Smedjebacken"]
    );
    let post = key.split('?').next().unwrap().to_owned();
    saved(
        &client,
        client
            .post_values(
                &post,
                &typed(
                    form.form_values(&post),
                    &[("left", 0, "60"), ("left", 1, "40,00")],
                ),
            )
            .await,
    )
    .await;

    // The project's appropriation of the year.
    let years = board_link(&hub, "Projektens anslag");
    let form = client.get(&years).await;
    let post = years.split('?').next().unwrap().to_owned();
    saved(
        &client,
        client
            .post_values(
                &post,
                &typed(
                    form.form_values(&post),
                    &[("left", 0, "2 000 000"), ("right", 0, "400 000")],
                ),
            )
            .await,
    )
    .await;

    // The report, found from the overview of 2031.
    let overview = client.get("/uppfoljning?ar=2031").await;
    let report = client.get(&link(&overview, "table", BOARD)).await;
    assert_eq!(report.status, 200);
    // Period January–April. Budget: revenue 4 × 100 000 − 40 000 = 360 000; costs 4 × 833 333,34
    // + 4 × 500 000 = 5 333 333,36. Outcome: revenue 400 000; costs 3 500 000,50 + 2 200 000 =
    // 5 700 000,50 (May's 1 000 000 is outside). Full year on budget (no forecast yet):
    // revenue 1 160 000, costs 17 200 000, net 16 040 000.
    assert_eq!(
        rows(&report, "table.operating:not(.activities)"),
        vec![
            cells(&["Intäkter", "0,4", "0,4", "0,0", "1,2", "1,2", "0,0"]),
            cells(&["Kostnader", "5,3", "5,7", "-0,4", "17,2", "17,2", "0,0"]),
            cells(&["Netto", "5,0", "5,3", "-0,3", "16,0", "16,0", "0,0"]),
        ]
    );
    // 101's costs: 3 333 333,36 against 3 500 000,50.
    assert_eq!(
        rows(&report, "table.activities")[1],
        cells(&["Kostnader", "3,3", "3,5", "-0,2", "10,0", "10,0", "0,0"])
    );
    let investments = rows(&report, "table.investments");
    assert_eq!(investments.len(), 1);
    assert!(
        investments[0][0].starts_with("0201 Digitalt bygglov"),
        "{investments:?}"
    );
    assert_eq!(
        investments[0][1..],
        cells(&["2,0", "0,4", "2,4", "0,0", "-2,4", "2,4", "0,0"])[..]
    );
    let shares: Vec<String> = rows(&report, "table.shares")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(shares, ["Ludvika", "Smedjebacken"]);
    assert_eq!(
        report.texts("nav.entry-links a").len(),
        4,
        "the controller's Underlag links"
    );

    // Every figure is in the audit log with its old and new value.
    assert!(audited(&app, "activity_created", "code", "", "101").await);
    assert!(audited(&app, "operating_budget_saved", "costs", "", "833 333,34").await);
    assert!(audited(&app, "operating_budget_saved", "revenue", "", "−40 000").await);
    assert!(
        audited(
            &app,
            "operating_outcome_recorded",
            "costs",
            "",
            "950 000,50"
        )
        .await
    );
    assert!(audited(&app, "operating_outcome_recorded", "source", "", "Manuell").await);
    assert!(audited(&app, "occasion_created", "deadline", "", "2031-05-15").await);
    assert!(audited(&app, "member_key_saved", "percent", "", "60").await);
    assert!(audited(&app, "project_year_saved", "annual_budget", "", "2 000 000").await);
    assert_eq!(count(&app, &format!("SELECT count(*) FROM audit_log WHERE action = 'project_year_saved' AND project_id = '{project}'")).await, 2);
    let budget_costs = count(&app, "SELECT count(*) FROM audit_log WHERE action = 'operating_budget_saved' AND field = 'costs' AND actor_id IS NOT NULL").await;
    assert_eq!(budget_costs, 24, "each month's costs of both activities");
}

#[tokio::test]
async fn refusals_keep_what_was_typed_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (board, _) = new_board(&app).await;
    let client = app.signed_in(CONTROLLER).await;
    let activity = add_activity(&app, &client, board, "101", "Tillsyn").await;
    let activities = format!("/uppfoljning/underlag/{board}/verksamheter?ar=2031");
    let post = action(&client.get(&activities).await, "/verksamheter?ar=2031");

    // A duplicate code.
    let refused = client
        .submit_form(&activities, &post, &[("code", "101"), ("name", "Annat")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("code")
            .unwrap()
            .contains("redan en verksamhet med den koden")
    );
    assert_eq!(refused.value("#name").as_deref(), Some("Annat"));
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM activity WHERE board_id = '{board}'")
        )
        .await,
        1
    );

    // A bad number in the outcome grid.
    let outcome = format!("/uppfoljning/underlag/{board}/verksamheter/{activity}/utfall");
    let form = client.get(&format!("{outcome}?ar=2031")).await;
    // Each cell is labelled with its column and month.
    assert_eq!(form.text("label[for=left-1]"), "Intäkter januari");
    assert_eq!(form.text("label[for=right-12]"), "Kostnader december");
    let values = typed(
        form.form_values(&outcome),
        &[
            ("left", 0, "tolv"),
            ("right", 0, "12 000"),
            ("right", 1, "5 000"),
        ],
    );
    let refused = client.post_values(&outcome, &values).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("left-1")
            .unwrap()
            .contains("”tolv” är inget belopp")
    );
    assert_eq!(refused.value("#left-1").as_deref(), Some("tolv"));
    assert_eq!(refused.value("#right-2").as_deref(), Some("5 000"));
    assert_eq!(count(&app, "SELECT count(*) FROM operating_outcome o JOIN activity a ON a.id = o.activity_id WHERE a.code = '101' AND a.name = 'Tillsyn'").await, 0);

    // A blank year to spread.
    let spread = format!("/uppfoljning/underlag/{board}/verksamheter/{activity}/budget/jamnt");
    let from = format!("/uppfoljning/underlag/{board}/verksamheter/{activity}/budget?ar=2031");
    let refused = client
        .submit_form(
            &from,
            &spread,
            &[("year_left", "1 000"), ("year_right", "")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("year_right").is_some());
    assert_eq!(refused.value("#year_left").as_deref(), Some("1 000"));
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM operating_budget WHERE activity_id = '{activity}'")
        )
        .await,
        0
    );

    // A key that does not sum to 100, and one that is no percent.
    let key = format!("/uppfoljning/underlag/{board}/medlemsandelar");
    let form = client.get(&format!("{key}?ar=2031")).await;
    let refused = client
        .post_values(
            &key,
            &typed(
                form.form_values(&key),
                &[("left", 0, "60"), ("left", 1, "30")],
            ),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("key")
            .unwrap()
            .contains("nu blir de 90,00 procent"),
        "{}",
        refused.body
    );
    let typed_percents: Vec<String> = refused
        .form_values(&key)
        .into_iter()
        .filter(|(n, _)| n == "left")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(typed_percents, ["60", "30"]);
    let refused = client
        .post_values(
            &key,
            &typed(
                form.form_values(&key),
                &[("left", 0, "sextio"), ("left", 1, "40")],
            ),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .texts(".field__error")
            .join(" ")
            .contains("”sextio” är ingen andel")
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM member_key WHERE board_id = '{board}'")
        )
        .await,
        0
    );

    // Occasions: the same number, the same period, a deadline inside the period, a year too far.
    let occasions = "/uppfoljning/underlag/tillfallen?ar=2031";
    let post = "/uppfoljning/underlag/tillfallen";
    saved(
        &client,
        client
            .submit_form(
                occasions,
                post,
                &[
                    ("number", "1"),
                    ("through_month", "4"),
                    ("deadline", "2031-05-15"),
                ],
            )
            .await,
    )
    .await;
    let before = count(&app, "SELECT count(*) FROM follow_up_occasion").await;
    for (changes, field, message) in [
        (
            [
                ("number", "1"),
                ("through_month", "8"),
                ("deadline", "2031-09-15"),
                ("year", "2031"),
            ],
            "number",
            "redan ett tillfälle 1",
        ),
        (
            [
                ("number", "2"),
                ("through_month", "4"),
                ("deadline", "2031-09-15"),
                ("year", "2031"),
            ],
            "through_month",
            "samma period",
        ),
        (
            [
                ("number", "2"),
                ("through_month", "8"),
                ("deadline", "2031-08-31"),
                ("year", "2031"),
            ],
            "deadline",
            "efter periodens slut (2031-08-31)",
        ),
        (
            [
                ("number", "2"),
                ("through_month", "8"),
                ("deadline", "2031-09-15"),
                ("year", "2101"),
            ],
            "year",
            "mellan 2000 och 2100",
        ),
    ] {
        let refused = client.submit_form(occasions, post, &changes).await;
        assert_eq!(refused.status, 422, "{field}");
        let error = refused
            .field_error(field)
            .unwrap_or_else(|| panic!("{field}: {}", refused.body));
        assert!(error.contains(message), "{field}: {error}");
        assert_eq!(refused.value("#deadline").as_deref(), Some(changes[2].1));
        assert_eq!(
            count(&app, "SELECT count(*) FROM follow_up_occasion").await,
            before
        );
    }

    // An occasion with a decided report cannot change.
    let occasion: Uuid = sqlx::query_scalar("SELECT id FROM follow_up_occasion WHERE year = 2031")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let edit = format!("/uppfoljning/underlag/tillfallen/{occasion}");
    // A tab opened before the decision, then the decision: the page shows no form any more.
    let open_tab = client
        .get(&edit)
        .await
        .filled_in(&edit, &[("deadline", "2031-05-20")]);
    sqlx::query("INSERT INTO follow_up (id, board_id, occasion_id, status, decision_body, decision_paragraph, decided_on, decided_snapshot) VALUES (gen_random_uuid(), $1, $2, 'decided', 'Kommunstyrelsen', '§ 12', '2031-06-01', '{}')")
        .bind(board).bind(occasion).execute(&app.db).await.unwrap();
    let page = client.get(&edit).await;
    assert!(page.text("p.notice").contains("kan inte längre ändras"));
    assert!(
        page.form_fields(&edit).is_none(),
        "read-only: {}",
        page.body
    );
    assert_eq!(
        page.texts("dl.occasion-saved dd"),
        ["2031", "1", "januari–april", "2031-05-15"]
    );
    let refused = client.post_values(&edit, &open_tab).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text("p.notice").contains("kan inte längre ändras"));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM follow_up_occasion WHERE year = 2031 AND deadline = '2031-05-15'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_stale_form_is_refused_with_what_is_saved_and_saved_again_on_purpose() {
    let app = TestApp::spawn().await;
    let (board, _) = new_board(&app).await;
    let client = app.signed_in(CONTROLLER).await;
    let activity = add_activity(&app, &client, board, "102", "Bygglov").await;
    let activities = format!("/uppfoljning/underlag/{board}/verksamheter?ar=2031");
    let budget = format!("/uppfoljning/underlag/{board}/verksamheter/{activity}/budget");
    let page = format!("{budget}?ar=2031");

    // Both open the budget; the other saves February first.
    let mine = client.get(&page).await.form_values(&budget);
    let other = app.signed_in(CONTROLLER).await;
    let theirs = other.get(&page).await.form_values(&budget);
    saved(
        &other,
        other
            .post_values(&budget, &typed(theirs, &[("right", 1, "600 000")]))
            .await,
    )
    .await;
    let stale = client
        .post_values(&budget, &typed(mine, &[("right", 1, "650 000")]))
        .await;
    assert_eq!(stale.status, 409);
    assert!(
        stale
            .text(".conflict")
            .contains("februari: intäkter 0, kostnader 600 000"),
        "{}",
        stale.text(".conflict")
    );
    assert_eq!(stale.value("#right-2").as_deref(), Some("650 000"));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM operating_budget WHERE costs = 600000"
        )
        .await,
        1
    );

    // Saving again, having seen theirs, is mine over theirs.
    saved(
        &client,
        client
            .post_values(&budget, &stale.form_values(&budget))
            .await,
    )
    .await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM operating_budget WHERE costs = 650000"
        )
        .await,
        1
    );
    assert!(
        audited(
            &app,
            "operating_budget_saved",
            "costs",
            "600 000",
            "650 000"
        )
        .await
    );

    // Renaming: a stale form is refused too.
    let edit = format!("/uppfoljning/underlag/{board}/verksamheter/{activity}");
    let mine = client.get(&edit).await.form_values(&edit);
    saved(
        &other,
        other
            .submit_form(&edit, &edit, &[("name", "Bygglov och anmälan")])
            .await,
    )
    .await;
    let stale = client
        .post_values(&edit, &typed(mine, &[("name", 0, "Bygg")]))
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("Bygglov och anmälan"));
    assert_eq!(stale.value("#name").as_deref(), Some("Bygg"));
    assert!(
        audited(
            &app,
            "activity_updated",
            "name",
            "Bygglov",
            "Bygglov och anmälan"
        )
        .await
    );

    // Deactivated, it is listed as such.
    saved(
        &client,
        client
            .submit_form(&edit, &edit, &[("name", "Bygglov och anmälan")])
            .await,
    )
    .await;
    let values: Vec<(String, String)> = client
        .get(&edit)
        .await
        .form_values(&edit)
        .into_iter()
        .filter(|(n, _)| n != "active")
        .collect();
    saved(&client, client.post_values(&edit, &values).await).await;
    let list = client.get(&activities).await;
    assert_eq!(rows(&list, "table.activities")[0][2], "Inaktiv");
    assert!(audited(&app, "activity_updated", "active", "ja", "nej").await);
}

#[tokio::test]
async fn the_ledger_import_takes_the_same_path_and_the_month_shows_its_source() {
    let app = TestApp::spawn().await;
    let (board, _) = new_board(&app).await;
    let activity = Activity {
        id: Uuid::now_v7(),
        board_id: board,
        code: "101".into(),
        name: "Tillsyn".into(),
        active: true,
    };
    sqlx::query(
        "INSERT INTO activity (id, board_id, code, name) VALUES ($1, $2, '101', 'Tillsyn')",
    )
    .bind(activity.id)
    .bind(board)
    .execute(&app.db)
    .await
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let outcome = MonthOutcome {
        activity: &activity,
        month: chrono::NaiveDate::from_ymd_opt(2031, 6, 17).unwrap(),
        revenue: Money::ZERO,
        costs: Money::parse("123 456,78").unwrap(),
        source: OutcomeSource::Import,
        batch: None,
    };
    assert!(
        record_operating_outcome(&mut tx, &audit::Actor::cli("import"), &outcome)
            .await
            .unwrap()
    );
    assert!(
        !record_operating_outcome(&mut tx, &audit::Actor::cli("import"), &outcome)
            .await
            .unwrap(),
        "the same again changes nothing"
    );
    tx.commit().await.unwrap();
    assert!(audited(&app, "operating_outcome_recorded", "source", "", "Import").await);

    let client = app.signed_in(CONTROLLER).await;
    let page = client
        .get(&format!(
            "/uppfoljning/underlag/{board}/verksamheter/{}/utfall?ar=2031",
            activity.id
        ))
        .await;
    let june = &rows(&page, "table.months")[5];
    assert_eq!(june[0], "Juni");
    assert_eq!(june.last().unwrap(), "Import");
    assert_eq!(page.value("#right-6").as_deref(), Some("123\u{a0}456,78"));

    // A month with figures cannot be emptied; corrected by hand it becomes manual.
    let post = format!(
        "/uppfoljning/underlag/{board}/verksamheter/{}/utfall",
        activity.id
    );
    let refused = client
        .post_values(
            &post,
            &typed(
                page.form_values(&post),
                &[("left", 5, ""), ("right", 5, "")],
            ),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("left-6").unwrap().contains("Skriv 0"));
    let page = saved(
        &client,
        client
            .post_values(
                &post,
                &typed(page.form_values(&post), &[("right", 5, "120 000")]),
            )
            .await,
    )
    .await;
    assert_eq!(rows(&page, "table.months")[5].last().unwrap(), "Manuell");
    assert!(
        audited(
            &app,
            "operating_outcome_recorded",
            "source",
            "Import",
            "Manuell"
        )
        .await
    );
    assert!(
        audited(
            &app,
            "operating_outcome_recorded",
            "costs",
            "123 456,78",
            "120 000"
        )
        .await
    );
}

#[tokio::test]
async fn only_controllers_see_and_use_the_data_entry() {
    let app = TestApp::spawn().await;
    let (board, _) = new_board(&app).await;
    let controller = app.signed_in(CONTROLLER).await;
    let report_href = {
        let overview = controller.get("/uppfoljning?ar=2022").await;
        assert!(
            overview
                .texts("main a")
                .iter()
                .any(|t| t.starts_with("Underlag"))
        );
        let href = link(&overview, "table", "Gemensamma servicenämnden");
        let report = controller.get(&href).await;
        assert_eq!(report.texts("nav.entry-links a").len(), 4);
        href
    };
    let paths = [
        "/uppfoljning/underlag?ar=2031".to_owned(),
        format!("/uppfoljning/underlag/{board}/verksamheter?ar=2031"),
        format!("/uppfoljning/underlag/{board}/medlemsandelar?ar=2031"),
        format!("/uppfoljning/underlag/{board}/projektanslag?ar=2031"),
    ];
    for account in [AUDITOR, IT_CENTER] {
        let client = app.signed_in(account).await;
        let overview = client.get("/uppfoljning?ar=2022").await;
        assert!(
            !overview
                .texts("main a")
                .iter()
                .any(|t| t.starts_with("Underlag")),
            "{account}"
        );
        let report = client.get(&report_href).await;
        assert_eq!(report.status, 200);
        assert!(report.texts("nav.entry-links a").is_empty(), "{account}");
        for path in &paths {
            assert_eq!(client.get(path).await.status, 403, "{account} {path}");
        }
        let token = client.csrf_token().await;
        let post = format!("/uppfoljning/underlag/{board}/verksamheter");
        let refused = client
            .post_raw(
                &post,
                &[("csrf_token", &token), ("code", "9"), ("name", "X")],
            )
            .await;
        assert_eq!(refused.status, 403);
    }
    // Administrators set the occasions, but nothing of a board's.
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(
        admin
            .get("/uppfoljning/underlag/tillfallen?ar=2031")
            .await
            .status,
        200
    );
    assert_eq!(admin.get(&paths[1]).await.status, 403);
    assert_eq!(
        count(&app, "SELECT count(*) FROM activity WHERE code = '9'").await,
        0
    );
}

#[tokio::test]
async fn a_key_takes_only_members_an_occasion_changes_and_an_appropriation_is_removed() {
    let app = TestApp::spawn().await;
    let (board, project) = new_board(&app).await;
    let client = app.signed_in(CONTROLLER).await;

    // Norrtälje is no member of the board: a key naming it is refused.
    let key = format!("/uppfoljning/underlag/{board}/medlemsandelar");
    let form = client.get(&format!("{key}?ar=2031")).await;
    let mut values = typed(
        form.form_values(&key),
        &[("left", 0, "60"), ("left", 1, "30")],
    );
    let norrtalje = app.municipality_id("Norrtälje").await;
    values.extend([
        ("key".to_owned(), norrtalje),
        ("left".to_owned(), "10".to_owned()),
        ("was_left".to_owned(), String::new()),
    ]);
    let refused = client.post_values(&key, &values).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("key").unwrap().contains("inte medlem"));
    assert_eq!(
        count(&app, "SELECT count(*) FROM member_key WHERE year = 2031").await,
        0
    );

    // An occasion changed: audited with old and new.
    let post = "/uppfoljning/underlag/tillfallen";
    let from = "/uppfoljning/underlag/tillfallen?ar=2031";
    let changes = [
        ("number", "1"),
        ("through_month", "4"),
        ("deadline", "2031-05-15"),
    ];
    saved(&client, client.submit_form(from, post, &changes).await).await;
    let occasion: Uuid = sqlx::query_scalar("SELECT id FROM follow_up_occasion WHERE year = 2031")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let edit = format!("/uppfoljning/underlag/tillfallen/{occasion}");
    let list = saved(
        &client,
        client
            .submit_form(
                &edit,
                &edit,
                &[("through_month", "5"), ("deadline", "2031-06-10")],
            )
            .await,
    )
    .await;
    assert_eq!(
        rows(&list, "table.occasions"),
        [["1", "januari–maj", "2031-06-10", "Ändra tillfälle 1"]]
    );
    assert!(audited(&app, "occasion_updated", "through_month", "4", "5").await);
    assert!(
        audited(
            &app,
            "occasion_updated",
            "deadline",
            "2031-05-15",
            "2031-06-10"
        )
        .await
    );

    // An appropriation: a negative annual budget is refused; both cells blank remove it.
    let years = format!("/uppfoljning/underlag/{board}/projektanslag");
    let form = client.get(&format!("{years}?ar=2031")).await;
    let refused = client
        .post_values(
            &years,
            &typed(form.form_values(&years), &[("left", 0, "-5 000")]),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error(&format!("left-{project}"))
            .unwrap()
            .contains("kan inte vara negativ")
    );
    let page = saved(
        &client,
        client
            .post_values(
                &years,
                &typed(form.form_values(&years), &[("left", 0, "1 000 000")]),
            )
            .await,
    )
    .await;
    assert_eq!(
        page.value(&format!("#right-{project}")).as_deref(),
        Some("0")
    );
    saved(
        &client,
        client
            .post_values(
                &years,
                &typed(
                    page.form_values(&years),
                    &[("left", 0, ""), ("right", 0, "")],
                ),
            )
            .await,
    )
    .await;
    assert_eq!(
        count(&app, "SELECT count(*) FROM project_year WHERE year = 2031").await,
        0
    );
    assert!(audited(&app, "project_year_saved", "annual_budget", "1 000 000", "").await);
}

#[tokio::test]
async fn the_data_entry_pages_have_no_accessibility_violations() {
    let app = TestApp::spawn().await;
    let ids = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>(sql)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let board = ids("SELECT board_id FROM follow_up LIMIT 1").await;
    let occasion = ids("SELECT occasion_id FROM follow_up LIMIT 1").await;
    let activity = ids(
        "SELECT a.id FROM activity a JOIN follow_up f ON f.board_id = a.board_id ORDER BY code LIMIT 1",
    )
    .await;
    let base = format!("/uppfoljning/underlag/{board}");
    let pages = vec![
        "/uppfoljning?ar=2022".to_owned(),
        format!("/uppfoljning/{occasion}/{board}"),
        "/uppfoljning/underlag?ar=2022".to_owned(),
        "/uppfoljning/underlag/tillfallen?ar=2022".to_owned(),
        format!("/uppfoljning/underlag/tillfallen/{occasion}"),
        format!("{base}/verksamheter?ar=2022"),
        format!("{base}/verksamheter/{activity}"),
        format!("{base}/verksamheter/{activity}/budget?ar=2022"),
        format!("{base}/verksamheter/{activity}/utfall?ar=2022"),
        format!("{base}/medlemsandelar?ar=2022"),
        format!("{base}/projektanslag?ar=2022"),
    ];
    let driver = crate::browser::Driver::start();
    let browser = driver.browser().await;
    crate::browser::scan_pages(&browser, &app.base_url, vec![(CONTROLLER, pages)], false).await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_grids_run_a_fixed_number_of_statements() {
    crate::support::queries::install();
    let app = TestApp::spawn().await;
    let (board, _) = new_board(&app).await;
    let client = app.signed_in(CONTROLLER).await;
    client.get("/").await;
    let statements = |path: String| {
        let client = &client;
        async move {
            let page = client.get(&path).await;
            assert_eq!(page.status, 200, "{path}");
            crate::support::queries::statements(page.header("x-request-id").unwrap())
        }
    };
    let years = format!("/uppfoljning/underlag/{board}/projektanslag?ar=2031");
    let key = format!("/uppfoljning/underlag/{board}/medlemsandelar?ar=2031");
    let activities = format!("/uppfoljning/underlag/{board}/verksamheter?ar=2031");
    let few = (
        statements(years.clone()).await,
        statements(key.clone()).await,
        statements(activities.clone()).await,
    );
    sqlx::query(&format!(
        "WITH p AS (INSERT INTO project (id, name, case_number, board_id, plan, status) \
         SELECT gen_random_uuid(), 'Projekt ' || n, 'MBN 2031-' || n, '{board}', 'digitalisation', 'idea' \
         FROM generate_series(1, 40) AS n RETURNING id) \
         INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) \
         SELECT p.id, m.id, 100 FROM p CROSS JOIN municipality m WHERE m.name = 'Norrtälje'"
    ))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO activity (id, board_id, code, name) SELECT gen_random_uuid(), '{board}', \
         'A' || n, 'Verksamhet ' || n FROM generate_series(1, 30) AS n"
    ))
    .execute(&app.db)
    .await
    .unwrap();
    let many = (
        statements(years).await,
        statements(key).await,
        statements(activities).await,
    );
    assert!(few.0 > 0);
    assert_eq!(few, many, "a statement per row");
}
