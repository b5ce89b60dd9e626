//! Outcome from the ledger, as a controller imports it: the demo's SIE file read, previewed,
//! its accounts mapped, saved as a batch and undone; the same file refused; a file with broken
//! lines saving nothing; an overlapping file skipping the vouchers already imported; and an undo
//! refused once a decided report holds the outcome.

use std::time::Duration;

use portfolj::imports::sie::encode_pc8;
use rust_decimal::Decimal;

use crate::support::{CONTROLLER, Client, Page, TestApp};

pub(crate) const IMPORTS: &str = "/utfall/import";
const DEMO_FILE: &[u8] = include_bytes!("../../docs/examples/demo-huvudbok.se");

/// Uploads a ledger file of Ludvika with the upload form, and waits until it is read: the
/// import's page.
pub(crate) async fn import_file(
    app: &TestApp,
    client: &Client,
    name: &str,
    bytes: Vec<u8>,
) -> (String, Page) {
    import_with(app, client, &[], (name, bytes)).await
}

/// Uploads a ledger file of Ludvika after typing `changes` on the form, and waits until it is
/// read: the import's page.
pub(crate) async fn import_with(
    app: &TestApp,
    client: &Client,
    changes: &[(&str, &str)],
    file: (&str, Vec<u8>),
) -> (String, Page) {
    let ludvika = app.municipality_id("Ludvika").await;
    let mut typed = vec![("municipality", ludvika.as_str())];
    typed.extend_from_slice(changes);
    let sent = client.upload_with(IMPORTS, IMPORTS, &typed, file).await;
    assert_eq!(sent.status, 303, "{}", sent.text("main"));
    let path = sent.location().expect("the import's page").to_owned();
    for _ in 0..100 {
        let progress = client.get(&format!("{path}/status")).await;
        if !progress.body.contains("\"reading\"") {
            return (path.clone(), client.get(&path).await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path} was not read in 10 s");
}

/// Maps every listed account to its proposal, and those without one to `fallback`'s line.
pub(crate) async fn map_accounts(client: &Client, path: &str, fallback: &str) -> Page {
    let page = client.get(path).await;
    let action = format!("{path}/koppling");
    let mut values = page.form_values(&action);
    let html = page.html();
    for (name, value) in values.iter_mut() {
        if name.starts_with("konto:") && value.is_empty() {
            let options = scraper::Selector::parse(&format!("select[name='{name}'] option"))
                .expect("selector");
            let chosen = html
                .select(&options)
                .find(|o| o.text().collect::<String>().starts_with(fallback))
                .and_then(|o| o.value().attr("value"))
                .expect("the fallback line");
            *value = chosen.to_owned();
        }
    }
    client.post_values(&action, &values).await
}

pub(crate) async fn outcome_of(app: &TestApp, category: &str) -> Decimal {
    app.text_of(
        "SELECT coalesce(sum(e.amount), 0)::text FROM outcome_entry e \
         JOIN budget_line l ON l.id = e.budget_line_id WHERE l.category = $1",
        category,
    )
    .await
    .parse()
    .expect("a sum")
}

#[tokio::test]
async fn the_demo_file_is_previewed_mapped_saved_and_undone() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let start = client.get("/").await;
    assert!(
        start.body.contains(IMPORTS),
        "the start page links to the import"
    );
    let before = outcome_of(&app, "Migrering av äldre arkiv").await;

    let (path, page) = import_file(&app, &client, "demo-huvudbok.se", DEMO_FILE.to_vec()).await;
    assert_eq!(page.text("#import-status"), "Inläst, inte sparad");
    // Project 0099 is none of Ludvika's: listed with its sum, never dropped silently.
    let unmatched = page.texts("table:has(#okanda-rubrik) tbody td");
    assert_eq!(
        unmatched[..3],
        ["inget projekt i kommunen har numret", "1", "40 000"]
    );
    // Every voucher balances: the rows of all kinds sum to zero.
    assert_eq!(page.text("table:has(#fordelning-rubrik) tfoot td.num"), "0");
    assert!(
        page.form_fields(&format!("{path}/spara")).is_none(),
        "unmapped accounts stop it"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'import'")
            .await,
        0,
        "nothing is saved by reading"
    );

    let mapped = map_accounts(&client, &path, "Migrering").await;
    assert_eq!(mapped.status, 303);
    let page = client.get(&path).await;
    assert_eq!(
        page.texts("table:has(#koppling-rubrik)").len(),
        0,
        "all mapped"
    );
    let saved = client
        .submit_form(&path, &format!("{path}/spara"), &[])
        .await;
    assert_eq!(saved.status, 303);
    let page = client.get(&path).await;
    assert!(
        page.text(".flash, [role=status]")
            .contains("6 utfallsposter"),
        "{}",
        page.body
    );
    assert_eq!(page.text("#import-status"), "Importerad");

    // The staged rows go once the batch is saved: its report is its groups.
    let mut staged = 1;
    for _ in 0..50 {
        staged = app.count("SELECT count(*) FROM ledger_import_row").await;
        if staged == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(staged, 0, "the saved import's staged rows are deleted");

    // A 106: the #RTRANS of 12 000 once (not its #TRANS copy), the #BTRANS of 10 000 never.
    let migration = outcome_of(&app, "Migrering av äldre arkiv").await;
    assert_eq!(migration, before + Decimal::from(85_000 + 12_000));
    // Dimension 1 and 6 in one object list; "år" read from code page 437.
    let licence = app
        .text_of(
            "SELECT e.text || ' | ' || e.voucher FROM outcome_entry e \
             JOIN budget_line l ON l.id = e.budget_line_id \
             WHERE l.category = $1 AND e.source = 'import'",
            "Licenser och införande",
        )
        .await;
    assert_eq!(licence, "Licenser e-arkiv, år 1 | SIE A 101");

    // The budget line's page shows the source and the batch.
    let line = app
        .text_of(
            "SELECT '/projekt/' || project_id || '/budget/rader/' || id FROM budget_line WHERE category = $1",
            "Licenser och införande",
        )
        .await;
    let line_page = client.get(&line).await;
    assert!(
        line_page.body.contains("demo-huvudbok.se</a>, SIE A 101"),
        "{}",
        line_page.text("main")
    );

    // The same file again is refused, and says why.
    let ludvika = app.municipality_id("Ludvika").await;
    let again = client
        .upload_with(
            IMPORTS,
            IMPORTS,
            &[("municipality", &ludvika)],
            ("kopia.se", DEMO_FILE.to_vec()),
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(
        again
            .field_error("file")
            .unwrap()
            .contains("redan importerad")
    );

    // Undo needs a reason, then reverses every entry.
    let refused = undo(&client, &path, " ").await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("reason").is_some());
    let undone = undo(&client, &path, "Fel period").await;
    assert_eq!(undone.status, 303);
    assert_eq!(outcome_of(&app, "Migrering av äldre arkiv").await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'reversal'")
            .await,
        6
    );
    let page = client.get(&path).await;
    assert_eq!(page.text("#import-status"), "Ångrad");
    assert!(page.text("main").contains("Fel period"));
    // The history of the project shows the import and its undo, with the batch.
    let project = app
        .text_of(
            "SELECT id::text FROM project WHERE project_number = $1",
            "0012",
        )
        .await;
    let history = client.get(&format!("/projekt/{project}/historik")).await;
    let text = history.text("main");
    assert!(text.contains("Utfall importerat från huvudboken"), "{text}");
    assert!(text.contains("Import ångrad med motbokningar"), "{text}");
    assert!(
        text.contains("demo-huvudbok.se: 2 poster på Migrering av äldre arkiv"),
        "{text}"
    );

    // Undone, the file can be imported again.
    let (_, again) = import_file(&app, &client, "demo-huvudbok.se", DEMO_FILE.to_vec()).await;
    assert_eq!(again.text("#import-status"), "Inläst, inte sparad");
}

/// A SIE file of Ludvika's project 0005 (one budget line, so the mapping proposes it).
pub(crate) fn sie(vouchers: &str) -> Vec<u8> {
    let text = format!(
        "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Raindance\" 5\r\n\
         #FNAMN \"Ludvika kommun\"\r\n#KONTO 5410 \"Förbrukningsinventarier\"\r\n{vouchers}"
    );
    encode_pc8(&text).expect("code page 437")
}

pub(crate) fn voucher(number: u32, date: &str, amount: u32) -> String {
    format!(
        "#VER A {number} {date} \"Faktura {number}\"\r\n{{\r\n\
         #TRANS 5410 {{6 \"0005\"}} {amount}.00\r\n#TRANS 2440 {{}} -{amount}.00\r\n}}\r\n"
    )
}

/// Undoes the import at `path` for `reason` with its undo form.
pub(crate) async fn undo(client: &Client, path: &str, reason: &str) -> Page {
    client
        .submit_form(path, &format!("{path}/angra"), &[("reason", reason)])
        .await
}

pub(crate) async fn save(client: &Client, path: &str) -> Page {
    let page = client.get(path).await;
    if page.form_fields(&format!("{path}/koppling")).is_some() {
        assert_eq!(
            client
                .submit_form(path, &format!("{path}/koppling"), &[])
                .await
                .status,
            303
        );
    }
    client
        .submit_form(path, &format!("{path}/spara"), &[])
        .await
}

#[tokio::test]
async fn a_file_with_three_broken_lines_saves_nothing_and_the_good_file_imports_after() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let good = format!(
        "{}{}",
        voucher(1, "20260301", 1000),
        voucher(2, "20260302", 2000)
    );
    let broken = good
        .replace(
            "#TRANS 5410 {6 \"0005\"} 1000.00",
            "#TRANS 5410 {6 \"0005\"} 1000,00",
        )
        .replace("#VER A 2 20260302", "#VER A 2 2026-03-02")
        + "#OBJEKT x 1 \"a\"\r\n";
    let (path, page) = import_file(&app, &client, "trasig.se", sie(&broken)).await;
    let lines: Vec<String> = page.texts("table:has(#fel-rubrik) tbody th");
    assert_eq!(lines, ["9", "12", "17"], "{}", page.text("main"));
    assert!(page.form_fields(&format!("{path}/spara")).is_none());
    let refused = client
        .post_from(&path, &format!("{path}/spara"), &[("version", "1")])
        .await;
    assert_eq!(
        refused.status, 303,
        "a refused button goes back to its page"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'import'")
            .await,
        0
    );

    let (path, _) = import_file(&app, &client, "rätt.se", sie(&good)).await;
    assert_eq!(save(&client, &path).await.status, 303);
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'import'")
            .await,
        2
    );
}

#[tokio::test]
async fn an_overlapping_file_books_only_what_its_vouchers_add_or_change() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let first = format!(
        "{}{}",
        voucher(1, "20260301", 1000),
        voucher(2, "20260302", 2000)
    );
    let (path, _) = import_file(&app, &client, "mars.se", sie(&first)).await;
    assert_eq!(save(&client, &path).await.status, 303);

    // A 2 again as it was, A 1 changed in the ledger since (1 000 → 1 500), A 3 new.
    let second = format!(
        "{}{}{}",
        voucher(1, "20260301", 1500),
        voucher(2, "20260302", 2000),
        voucher(3, "20260405", 4000)
    );
    let (path, page) = import_file(&app, &client, "mars-april.se", sie(&second)).await;
    let text = page.text("main");
    assert!(
        text.contains("Redan importerat och oförändrat: 1 post."),
        "{text}"
    );
    assert!(
        text.contains("Ändrat sedan förra importen: 1 post."),
        "{text}"
    );
    assert_eq!(save(&client, &path).await.status, 303);
    let booked = app
        .text_of(
            "SELECT string_agg(amount::text || ' ' || voucher, ', ' ORDER BY recorded_at, month, voucher) \
             FROM outcome_entry WHERE source = $1",
            "import",
        )
        .await;
    assert_eq!(
        booked,
        "1000.00 SIE A 1, 2000.00 SIE A 2, 500.00 SIE A 1, 4000.00 SIE A 3"
    );

    // The same vouchers once more: nothing new to book, and the save says so.
    let (path, page) = import_file(&app, &client, "igen.se", sie(&format!("{second}\r\n"))).await;
    assert!(page.form_fields(&format!("{path}/spara")).is_none());
    assert!(page.text("main").contains("inget nytt utfall"));
}

/// A row of a project that did not exist yet is left out; once the project is there, the same
/// voucher in a later file books that row, and only that row.
#[tokio::test]
async fn a_voucher_left_out_for_an_unknown_project_books_once_the_project_exists() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let two_projects = "#VER A 7 20260310 \"Två projekt\"\r\n{\r\n\
        #TRANS 5410 {6 \"0005\"} 300.00\r\n#TRANS 5410 {6 \"0077\"} 700.00\r\n\
        #TRANS 2440 {} -1000.00\r\n}\r\n";
    let (path, page) = import_file(&app, &client, "a.se", sie(two_projects)).await;
    assert!(page.text("main").contains("0077"));
    assert_eq!(save(&client, &path).await.status, 303);

    let mut owner = app.owner().await;
    sqlx::query(
        "WITH p AS (INSERT INTO project (id, name, case_number, project_number, board_id, plan, \
                    status) \
                    SELECT gen_random_uuid(), 'Nytt projekt', 'GSN 2026-77', '0077', board_id, \
                    'infrastructure', 'in_progress' FROM project WHERE project_number = '0005' \
                    RETURNING id) \
         INSERT INTO budget_line (id, project_id, position, category, budget) \
         SELECT gen_random_uuid(), id, 1, 'Utrustning', 5000 FROM p",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let (path, _) = import_file(&app, &client, "b.se", sie(&format!("{two_projects}\r\n"))).await;
    assert_eq!(save(&client, &path).await.status, 303);
    assert_eq!(outcome_of(&app, "Utrustning").await, Decimal::from(700));
    assert_eq!(
        outcome_of(&app, "Fiber och aktiv utrustning").await - outcome_before_imports(&app).await,
        Decimal::from(300),
        "0005's row is not booked twice"
    );
}

/// Undoing an earlier batch reverses its entries; its vouchers then book again from any later
/// file that has them.
#[tokio::test]
async fn after_an_undo_the_vouchers_book_again() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let (first, _) = import_file(&app, &client, "a.se", sie(&voucher(1, "20260301", 1000))).await;
    assert_eq!(save(&client, &first).await.status, 303);
    let undone = undo(&client, &first, "Fel fil").await;
    assert_eq!(undone.status, 303);
    let both = format!(
        "{}{}",
        voucher(1, "20260301", 1000),
        voucher(2, "20260302", 2000)
    );
    let (second, _) = import_file(&app, &client, "b.se", sie(&both)).await;
    assert_eq!(save(&client, &second).await.status, 303);
    assert_eq!(
        outcome_of(&app, "Fiber och aktiv utrustning").await - outcome_before_imports(&app).await,
        Decimal::from(3000)
    );
}

async fn outcome_before_imports(app: &TestApp) -> Decimal {
    app.text_of(
        "SELECT coalesce(sum(amount), 0)::text FROM outcome_entry e JOIN budget_line l \
         ON l.id = e.budget_line_id WHERE l.category = $1 AND e.source = 'manual'",
        "Fiber och aktiv utrustning",
    )
    .await
    .parse()
    .unwrap()
}

#[tokio::test]
async fn an_undo_is_refused_once_a_decided_period_report_holds_the_outcome() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let (path, _) = import_file(&app, &client, "mars.se", sie(&voucher(1, "20260301", 1000))).await;
    assert_eq!(save(&client, &path).await.status, 303);
    let mut owner = app.owner().await;
    sqlx::query(
        "INSERT INTO follow_up (id, board_id, occasion_id, status, decision_body, \
         decision_paragraph, decided_on, decided_snapshot) \
         SELECT gen_random_uuid(), p.board_id, o.id, 'decided', 'Nämnden', '§ 12', '2026-05-20', '{}' \
         FROM project p, follow_up_occasion o \
         WHERE p.project_number = '0005' AND o.year = 2026 AND o.through_month = 4 \
         ON CONFLICT (board_id, occasion_id) DO UPDATE SET status = 'decided', \
         decision_body = 'Nämnden', decision_paragraph = '§ 12', decided_on = '2026-05-20', decided_snapshot = '{}'",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let refused = undo(&client, &path, "Fel fil").await;
    assert_eq!(refused.status, 422);
    let message = refused.field_error("reason").unwrap();
    assert!(
        message.contains("periodrapporten för 2026-03 är beslutad"),
        "{message}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM outcome_entry WHERE source = 'reversal'")
            .await,
        0
    );
}

/// Outcome is not booked on a month that has not started, and a voucher twice in one file would
/// count twice: both are errors with their lines, and nothing is saved.
#[tokio::test]
async fn a_future_month_and_a_voucher_twice_are_errors() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let file = format!(
        "{}{}{}",
        voucher(1, "20260301", 1000),
        voucher(2, "20990101", 2000),
        voucher(1, "20260301", 1000)
    );
    let (path, page) = import_file(&app, &client, "fel.se", sie(&file)).await;
    let problems = page.texts("table:has(#fel-rubrik) tbody td:first-of-type");
    assert_eq!(
        problems,
        [
            "datumet 2099-01-01 ligger i en månad som inte har börjat.",
            "datumet 2099-01-01 ligger i en månad som inte har börjat.",
            "verifikationen A 1 finns redan på rad 7 i filen."
        ],
        "{}",
        page.text("main")
    );
    assert!(page.form_fields(&format!("{path}/spara")).is_none());
}

/// A project's account mappings are listed on its budget tab, and one removed there is asked
/// for again by the next import.
#[tokio::test]
async fn an_account_mapping_is_shown_and_removed_on_the_budget_tab() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let (path, _) = import_file(&app, &client, "a.se", sie(&voucher(1, "20260301", 1000))).await;
    assert_eq!(save(&client, &path).await.status, 303);
    let project = app
        .text_of(
            "SELECT id::text FROM project WHERE project_number = $1",
            "0005",
        )
        .await;
    let budget = format!("/projekt/{project}/budget");
    let page = client.get(&budget).await;
    assert_eq!(
        page.texts("table:has(caption) tr:has(th[scope=row]) th[scope=row]")
            .iter()
            .filter(|t| *t == "5410")
            .count(),
        1,
        "{}",
        page.text("main")
    );
    let removed = client
        .submit_form(
            &budget,
            &format!("/projekt/{project}/budget/kontokopplingar/ta-bort"),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(
        app.count("SELECT count(*) FROM ledger_account_mapping")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'ledger_account_unmapped'")
            .await,
        1
    );
    let (path, page) = import_file(&app, &client, "b.se", sie(&voucher(2, "20260302", 500))).await;
    assert!(
        page.form_fields(&format!("{path}/koppling")).is_some(),
        "asked again"
    );
}

/// Only the parts of a voucher a file has are compared with what the voucher booked: a report
/// with one project's row of a voucher leaves the other project's booking as it is, a row now in
/// a decided month is not reversed, and a batch is undone only after the later batches of its
/// period.
#[tokio::test]
async fn a_later_file_changes_only_what_it_has_and_batches_are_undone_latest_first() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let two_projects = "#VER A 9 20260610 \"Två projekt\"\r\n{\r\n\
        #TRANS 5410 {6 \"0005\"} 300.00\r\n#TRANS 5410 {6 \"0007\"} 700.00\r\n\
        #TRANS 2440 {} -1000.00\r\n}\r\n";
    let (first, _) = import_file(&app, &client, "juni.se", sie(two_projects)).await;
    assert_eq!(save(&client, &first).await.status, 303);

    // A report of 0007 alone, its row changed to 750: 0005's 300 stays.
    let only_0007 = "#VER A 9 20260610 \"Två projekt\"\r\n{\r\n\
        #TRANS 5410 {6 \"0007\"} 750.00\r\n#TRANS 2440 {} -750.00\r\n}\r\n";
    let (second, _) = import_file(&app, &client, "0007.se", sie(only_0007)).await;
    assert_eq!(save(&client, &second).await.status, 303);
    let booked = app
        .text_of(
            "SELECT string_agg(p.project_number || ' ' || e.amount::text, ', ' \
             ORDER BY e.recorded_at, p.project_number) FROM outcome_entry e \
             JOIN budget_line l ON l.id = e.budget_line_id JOIN project p ON p.id = l.project_id \
             WHERE e.source = $1",
            "import",
        )
        .await;
    assert_eq!(booked, "0005 300.00, 0007 700.00, 0007 50.00");

    // The first batch is undone only after the second, which builds on it.
    let refused = undo(&client, &first, "Fel").await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("reason").unwrap().contains("0007.se"));

    // June decided for the board: the same voucher with 0005's row gone reverses nothing there.
    let mut owner = app.owner().await;
    sqlx::query(
        "INSERT INTO follow_up (id, board_id, occasion_id, status, decision_body, \
         decision_paragraph, decided_on, decided_snapshot) \
         SELECT gen_random_uuid(), p.board_id, o.id, 'decided', 'Nämnden', '§ 12', \
                '2026-09-20', '{}' FROM project p, follow_up_occasion o \
         WHERE p.project_number = '0005' AND o.year = 2026 AND o.through_month = 8 \
         ON CONFLICT (board_id, occasion_id) DO UPDATE SET status = 'decided', \
         decision_body = 'Nämnden', decision_paragraph = '§ 12', decided_on = '2026-09-20', \
         decided_snapshot = '{}'",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let (_, page) = import_file(&app, &client, "igen.se", sie(&format!("{only_0007}\r\n"))).await;
    assert!(
        page.text("main")
            .contains("månaden ingår i en beslutad periodrapport")
    );
    assert!(page.text("main").contains("inget nytt utfall"));
}
