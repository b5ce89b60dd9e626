//! Operating outcome from the ledger, as a controller sets it up and imports it: the keys of an
//! activity (responsibility centre and account range) added, refused when they overlap and
//! removed; the demo file's rows going to the demo board's activities, revenue from class-3
//! accounts and costs from the rest, each month showing its batch, and withdrawn by the undo;
//! an overlapping file booking only its vouchers' changes over a month typed by hand; and the
//! rows of a decided period listed and never booked.

use portfolj::imports::sie::encode_pc8;

use crate::{
    ledger_import::{import_file, map_accounts, save, undo},
    support::{CONTROLLER, Client, TestApp},
};

const DEMO_FILE: &[u8] = include_bytes!("../../docs/examples/demo-huvudbok.se");
const BOARD: &str = "Gemensamma servicenämnden";

/// The demo board's activity `code`: its board's id and its own.
async fn activity(app: &TestApp, code: &str) -> (String, String) {
    let ids = app
        .text_of(
            "SELECT a.board_id || ' ' || a.id FROM activity a JOIN board b ON b.id = a.board_id \
             WHERE b.name = 'Gemensamma servicenämnden' AND a.code = $1",
            code,
        )
        .await;
    let (board, id) = ids.split_once(' ').expect("board and activity");
    (board.to_owned(), id.to_owned())
}

/// The demo board's activity `code`'s outcome grid of 2026.
async fn outcome_grid(app: &TestApp, code: &str) -> String {
    let (board, activity) = activity(app, code).await;
    format!("/uppfoljning/underlag/{board}/verksamheter/{activity}/utfall?ar=2026")
}

fn keys_page((board, activity): &(String, String)) -> String {
    format!("/uppfoljning/underlag/{board}/verksamheter/{activity}/nycklar")
}

/// An activity's month as stored: "revenue costs source file", or "" without a row.
async fn month_of(app: &TestApp, code: &str, month: &str) -> String {
    app.text_of(
        &format!(
            "SELECT coalesce((SELECT o.revenue || ' ' || o.costs || ' ' || o.source || ' ' || \
             coalesce(i.file_name, '-') FROM operating_outcome o \
             JOIN activity a ON a.id = o.activity_id JOIN board b ON b.id = a.board_id \
             LEFT JOIN ledger_import i ON i.id = o.import_id \
             WHERE b.name = '{BOARD}' AND a.code = $1 AND o.month = '{month}-01'), '')"
        ),
        code,
    )
    .await
}

/// A SIE file of Ludvika with the given vouchers.
fn sie(vouchers: &str) -> Vec<u8> {
    let text = format!(
        "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#FNAMN \"Ludvika kommun\"\r\n\
         #KONTO 5410 \"Förbrukningsinventarier\"\r\n{vouchers}"
    );
    encode_pc8(&text).expect("code page 437")
}

/// A voucher of responsibility centre 310 (the demo's key of 033 Service och support): `costs`
/// on 5410 and `revenue` on 3510 in `date`'s month, against the bank.
fn voucher(number: u32, date: &str, costs: u32, revenue: u32) -> String {
    let net = i64::from(costs) - i64::from(revenue);
    format!(
        "#VER A {number} {date} \"Verifikation {number}\"\r\n{{\r\n\
         #TRANS 5410 {{1 \"310\"}} {costs}.00\r\n#TRANS 3510 {{1 \"310\"}} -{revenue}.00\r\n\
         #TRANS 1930 {{}} {}.00\r\n}}\r\n",
        -net
    )
}

#[tokio::test]
async fn keys_are_added_refused_when_they_overlap_and_removed() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let innovation = activity(&app, "031").await;
    let page = keys_page(&innovation);
    let activities = client
        .get(&format!(
            "/uppfoljning/underlag/{}/verksamheter",
            innovation.0
        ))
        .await;
    assert!(activities.body.contains(&page), "the activities link to it");
    assert!(
        client
            .get(&page)
            .await
            .body
            .contains("Verksamheten har inga nycklar ännu")
    );

    // 033 Service och support takes centre 310's accounts 3000–7999 in the demo.
    let typed = [
        ("cost_centre", "310"),
        ("account_from", "5400"),
        ("account_to", "5499"),
    ];
    let refused = client.submit_form(&page, &page, &typed).await;
    assert_eq!(refused.status, 422);
    let message = refused.field_error("cost_centre").expect("a message");
    assert!(
        message.contains("ansvar 310, konto 3000–7999") && message.contains("033"),
        "{message}"
    );
    assert_eq!(refused.value("#account_from").as_deref(), Some("5400"));
    let uneven = [
        ("cost_centre", ""),
        ("account_from", "400"),
        ("account_to", "4999"),
    ];
    let refused = client.submit_form(&page, &page, &uneven).await;
    assert!(
        refused
            .field_error("account_to")
            .is_some_and(|m| m.contains("lika många siffror"))
    );
    assert_eq!(
        app.count("SELECT count(*) FROM operating_key").await,
        2,
        "nothing added"
    );

    let added = client
        .submit_form(
            &page,
            &page,
            &[
                ("cost_centre", "330"),
                ("account_from", "3000"),
                ("account_to", "8999"),
            ],
        )
        .await;
    assert_eq!(added.status, 303);
    let shown = client.get(&page).await;
    assert_eq!(
        shown.texts("table:has(#keys-caption) tbody th"),
        ["330"],
        "{}",
        shown.body
    );
    assert!(
        shown
            .text("table:has(#keys-caption) tbody")
            .contains("3000–8999")
    );
    let removed = client
        .submit_form(&page, &format!("{page}/ta-bort"), &[])
        .await;
    assert_eq!(removed.status, 303);
    assert!(
        client
            .get(&page)
            .await
            .body
            .contains("Verksamheten har inga nycklar ännu")
    );
    let audited = app
        .count(
            "SELECT count(*) FROM audit_log WHERE action IN \
             ('operating_key_added', 'operating_key_removed')",
        )
        .await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn the_demo_file_books_operating_outcome_by_the_keys_and_the_undo_withdraws_it() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let (path, page) = import_file(&app, &client, "demo-huvudbok.se", DEMO_FILE.to_vec()).await;
    let rows = page.texts("table:has(#drift-rubrik) tbody tr");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let cells = scraper::Selector::parse("th, td").unwrap();
    let support_october: Vec<String> = page
        .html()
        .select(&scraper::Selector::parse("table:has(#drift-rubrik) tbody tr").unwrap())
        .map(|r| {
            r.select(&cells)
                .map(|c| c.text().collect::<String>().trim().replace('\u{a0}', " "))
                .collect::<Vec<_>>()
        })
        .find(|r| r[0].starts_with("033 Service och support") && r[1] == "2026-10")
        .expect("033's October");
    // Centre 310 in October: 18 000 of internal revenue and 5 000 of office supplies.
    assert_eq!(
        support_october[2..],
        [
            "18 000",
            "5 000",
            "intäkter 0, kostnader 0",
            "–",
            "intäkter 18 000, kostnader 5 000"
        ]
    );
    assert_eq!(
        app.count("SELECT count(*) FROM operating_outcome_entry")
            .await,
        0,
        "nothing is saved by reading"
    );

    assert_eq!(map_accounts(&client, &path, "Migrering").await.status, 303);
    let saved = save(&client, &path).await;
    assert_eq!(saved.status, 303);
    let after = client.get(&path).await;
    assert!(
        after.text("[role=status]").contains("4 driftposter"),
        "{}",
        after.text("main")
    );
    assert_eq!(
        month_of(&app, "033", "2026-10").await,
        "18000.00 5000.00 import demo-huvudbok.se"
    );
    assert_eq!(
        month_of(&app, "032", "2026-06").await,
        "0.00 410000.00 import demo-huvudbok.se"
    );
    // The month shows its source and batch, linked.
    let months = client.get(&outcome_grid(&app, "033").await).await;
    let sources = months.texts("td.source");
    assert_eq!(sources[9], "Import: demo-huvudbok.se", "{sources:?}");
    assert!(months.body.contains(&format!("href=\"{path}\"")));
    let audited = app
        .count(
            "SELECT count(*) FROM audit_log WHERE action = 'operating_outcome_recorded' \
             AND field = 'costs'",
        )
        .await;
    assert_eq!(audited, 3, "each month's change with its old and new value");

    let undone = undo(&client, &path, "Fel period").await;
    assert_eq!(undone.status, 303);
    assert_eq!(month_of(&app, "033", "2026-10").await, "", "withdrawn");
    assert_eq!(
        app.count("SELECT count(*) FROM operating_outcome_entry WHERE source = 'reversal'")
            .await,
        4,
        "one per voucher and month: A 101, A 103, B 12 and B 13"
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE action = 'operating_outcome_withdrawn' \
             AND field = 'costs'"
        )
        .await,
        3
    );
}

/// Types `costs` (and 0 revenue) for month `index` (0 = January) in an activity's outcome grid.
async fn type_costs(client: &Client, page: &str, index: usize, costs: &str) {
    let action = page.split('?').next().unwrap_or(page);
    let mut values = client.get(page).await.form_values(action);
    for (name, typed) in [("left", "0"), ("right", costs)] {
        let cell = values
            .iter_mut()
            .filter(|(n, _)| n == name)
            .nth(index)
            .expect("the month's cell");
        cell.1 = typed.to_owned();
    }
    let sent = client.post_values(action, &values).await;
    assert_eq!(sent.status, 303, "{}", sent.text("main"));
}

#[tokio::test]
async fn an_overlapping_file_books_only_its_changes_over_a_month_typed_by_hand() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let outcome = outcome_grid(&app, "033").await;
    type_costs(&client, &outcome, 2, "100").await;
    assert_eq!(
        month_of(&app, "033", "2026-03").await,
        "0.00 100.00 manual -"
    );

    let first = sie(&voucher(1, "20260305", 1000, 0));
    let (path, _) = import_file(&app, &client, "mars.se", first).await;
    assert_eq!(save(&client, &path).await.status, 303);
    // The ledger's figure replaces the one typed by hand.
    assert_eq!(
        month_of(&app, "033", "2026-03").await,
        "0.00 1000.00 import mars.se"
    );

    // Voucher 1 corrected in the ledger, and a new voucher 2 with revenue.
    let second = sie(&format!(
        "{}{}",
        voucher(1, "20260305", 1500, 0),
        voucher(2, "20260320", 200, 300)
    ));
    let (path, page) = import_file(&app, &client, "mars-igen.se", second).await;
    let march = page.text("table:has(#drift-rubrik) tbody tr");
    assert!(
        march.contains("intäkter 300, kostnader 1 700"),
        "after the import: {march}"
    );
    assert_eq!(save(&client, &path).await.status, 303);
    assert_eq!(
        month_of(&app, "033", "2026-03").await,
        "300.00 1700.00 import mars-igen.se"
    );
    let entries = app
        .count("SELECT count(*) FROM operating_outcome_entry WHERE source = 'import'")
        .await;
    assert_eq!(entries, 3, "1 000, then the change of 500 and voucher 2");

    // The same vouchers once more: nothing new to book.
    let third = sie(&format!(
        "{}{}#VER A 3 20260321 \"Annat\"\r\n{{\r\n#TRANS 2440 {{}} 1.00\r\n#TRANS 1930 {{}} -1.00\r\n}}\r\n",
        voucher(1, "20260305", 1500, 0),
        voucher(2, "20260320", 200, 300)
    ));
    let (path, page) = import_file(&app, &client, "mars-tredje.se", third).await;
    assert!(page.text("main").contains("inget nytt utfall"));
    assert!(page.form_fields(&format!("{path}/spara")).is_none());
    assert_eq!(
        month_of(&app, "033", "2026-03").await,
        "300.00 1700.00 import mars-igen.se"
    );
}

#[tokio::test]
async fn rows_of_a_decided_period_are_listed_and_never_booked() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let mut owner = app.owner().await;
    sqlx::query(
        "INSERT INTO follow_up_occasion (id, year, number, through_month, deadline) \
         VALUES (gen_random_uuid(), 2026, 9, 4, '2026-05-15') ON CONFLICT DO NOTHING",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO follow_up (id, board_id, occasion_id, status, decision_body, \
         decision_paragraph, decided_on, decided_snapshot) \
         SELECT gen_random_uuid(), b.id, o.id, 'decided', 'Nämnden', '§ 12', '2026-05-20', '{}' \
         FROM board b, follow_up_occasion o \
         WHERE b.name = 'Gemensamma servicenämnden' AND o.year = 2026 AND o.through_month = 4 \
         ON CONFLICT (board_id, occasion_id) DO UPDATE SET status = 'decided', \
         decision_body = 'Nämnden', decision_paragraph = '§ 12', decided_on = '2026-05-20', \
         decided_snapshot = '{}'",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let file = sie(&format!(
        "{}{}",
        voucher(1, "20260310", 700, 0),
        voucher(2, "20260510", 900, 0)
    ));
    let (path, page) = import_file(&app, &client, "beslutad.se", file).await;
    let listed = page.texts("table:has(#drift-beslutad-rubrik) tbody td");
    assert_eq!(
        listed,
        ["2026-03", "2", "0", "700"],
        "{}",
        page.text("main")
    );
    assert_eq!(save(&client, &path).await.status, 303);
    assert_eq!(month_of(&app, "033", "2026-03").await, "");
    assert_eq!(
        month_of(&app, "033", "2026-05").await,
        "0.00 900.00 import beslutad.se"
    );
    // The batch's report still lists them.
    let report = client.get(&path).await;
    assert_eq!(
        report.texts("table:has(#drift-beslutad-rubrik) tbody td"),
        ["2026-03", "2", "0", "700"]
    );
}

/// A SIE voucher of centre 310 with the given (account, amount) rows against the bank.
fn rows_voucher(series_number: &str, date: &str, rows: &[(&str, i64)]) -> String {
    let mut text = format!("#VER {series_number} {date} \"Verifikation\"\r\n{{\r\n");
    for (account, amount) in rows {
        text.push_str(&format!("#TRANS {account} {{1 \"310\"}} {amount}.00\r\n"));
    }
    let sum: i64 = rows.iter().map(|(_, a)| a).sum();
    text.push_str(&format!("#TRANS 1930 {{}} {}.00\r\n}}\r\n", -sum));
    text
}

#[tokio::test]
async fn an_undo_gives_back_a_typed_month_and_keeps_one_typed_since() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let outcome = outcome_grid(&app, "033").await;
    type_costs(&client, &outcome, 3, "400").await;
    let (april, page) = import_file(
        &app,
        &client,
        "april.se",
        sie(&rows_voucher("A 1", "20260410", &[("5410", 1000)])),
    )
    .await;
    assert!(
        page.text("table:has(#drift-rubrik) tbody td")
            .contains("ersätter"),
        "the typed month is marked as replaced"
    );
    assert_eq!(save(&client, &april).await.status, 303);
    assert_eq!(
        month_of(&app, "033", "2026-04").await,
        "0.00 1000.00 import april.se"
    );
    let (may, _) = import_file(
        &app,
        &client,
        "maj.se",
        sie(&rows_voucher("A 2", "20260510", &[("5410", 700)])),
    )
    .await;
    assert_eq!(save(&client, &may).await.status, 303);
    type_costs(&client, &outcome, 4, "750").await;

    // Undone, April gets back what was typed before the import; May, typed since, stays.
    for path in [&may, &april] {
        let undone = undo(&client, path, "Fel fil").await;
        assert_eq!(undone.status, 303, "{}", undone.text("main"));
    }
    assert_eq!(
        month_of(&app, "033", "2026-04").await,
        "0.00 400.00 manual -"
    );
    assert_eq!(
        month_of(&app, "033", "2026-05").await,
        "0.00 750.00 manual -"
    );
}

#[tokio::test]
async fn a_voucher_redated_by_a_later_file_stops_the_earlier_undo() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let (june, _) = import_file(
        &app,
        &client,
        "juni.se",
        sie(&rows_voucher("C 1", "20260610", &[("5410", 1000)])),
    )
    .await;
    assert_eq!(save(&client, &june).await.status, 303);
    let (july, _) = import_file(
        &app,
        &client,
        "juli.se",
        sie(&rows_voucher("C 1", "20260710", &[("5410", 1000)])),
    )
    .await;
    assert_eq!(save(&client, &july).await.status, 303);
    assert_eq!(
        month_of(&app, "033", "2026-06").await,
        "0.00 0.00 import juli.se"
    );
    let refused = undo(&client, &june, "Fel").await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("reason")
            .is_some_and(|m| m.contains("juli.se")),
        "{}",
        refused.text("main")
    );
}

#[tokio::test]
async fn vouchers_that_change_within_a_month_are_booked_though_the_month_sums_alike() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let first = format!(
        "{}{}",
        rows_voucher("P 1", "20260810", &[("5410", 100)]),
        rows_voucher("P 2", "20260811", &[("5410", 100), ("901", 60)])
    );
    let (path, page) = import_file(&app, &client, "aug.se", sie(&first)).await;
    assert!(
        page.text("table:has(#drift-rubrik) tbody")
            .contains("intäkter 0, kostnader 200"),
        "account 901 is no account of the range 3000–7999"
    );
    assert_eq!(save(&client, &path).await.status, 303);
    let second = format!(
        "{}{}",
        rows_voucher("P 1", "20260810", &[("5410", 150)]),
        rows_voucher("P 2", "20260811", &[("5410", 50)])
    );
    let (path, page) = import_file(&app, &client, "aug-igen.se", sie(&second)).await;
    assert!(
        page.form_fields(&format!("{path}/spara")).is_some(),
        "{}",
        page.text("main")
    );
    assert_eq!(save(&client, &path).await.status, 303);
    assert_eq!(
        month_of(&app, "033", "2026-08").await,
        "0.00 200.00 import aug-igen.se"
    );
}

#[tokio::test]
async fn an_undo_gives_back_what_that_batch_replaced_though_an_earlier_batch_stands() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let outcome = outcome_grid(&app, "033").await;
    let file = |costs| sie(&rows_voucher("S 1", "20260910", &[("5410", costs)]));
    let (first, _) = import_file(&app, &client, "sept.se", file(100)).await;
    assert_eq!(save(&client, &first).await.status, 303);
    // The controller corrects the month by hand; the next file replaces the correction.
    type_costs(&client, &outcome, 8, "999").await;
    let (second, _) = import_file(&app, &client, "sept-igen.se", file(110)).await;
    assert_eq!(save(&client, &second).await.status, 303);
    assert_eq!(
        month_of(&app, "033", "2026-09").await,
        "0.00 110.00 import sept-igen.se"
    );
    let undone = undo(&client, &second, "Fel").await;
    assert_eq!(undone.status, 303);
    assert_eq!(
        month_of(&app, "033", "2026-09").await,
        "0.00 999.00 manual -",
        "the correction it replaced, not the earlier batch's sum"
    );
    let logged = app
        .count(
            "SELECT count(*) FROM audit_log WHERE action = 'operating_outcome_recorded' \
             AND field = 'replaced' AND new_value LIKE '%999%'",
        )
        .await;
    assert_eq!(logged, 1, "what the batch set aside is in the log");
}
