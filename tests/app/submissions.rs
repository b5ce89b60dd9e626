//! Every create form carries a one-time id: the same form posted twice (a double click, a
//! retried request) creates one thing, and the second post is answered like the first with a
//! note that nothing was saved twice.

use crate::{
    portfolio::{item_id, round_id},
    projects::{SEED_000, project_id},
    support::{ADMIN, CONTROLLER, COORDINATION, Client, IT_CENTER, Page, TestApp},
};

const SENT_BEFORE: &str = "Det här formuläret var redan skickat; inget sparades två gånger.";

/// Posts the filled-in form of `page` for `action` twice with the same values, as a double
/// click does, and checks that `count` (a `SELECT count(*)`) grew by one and that the second
/// answer leads where the first did, saying that nothing was saved twice. Returns the first
/// answer.
async fn posted_twice(
    app: &TestApp,
    client: &Client,
    (page, action): (&Page, &str),
    changes: &[(&str, &str)],
    count: &str,
) -> Page {
    let values = page.filled_in(action, changes);
    assert!(
        values
            .iter()
            .any(|(n, v)| n == "submission" && !v.is_empty()),
        "the form for {action} carries no one-time id"
    );
    let before = app.count(count).await;
    let first = client.post_values(action, &values).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let second = client.post_values(action, &values).await;
    assert_eq!(second.status, 303, "{}", second.body);
    assert_eq!(second.location(), first.location());
    assert_eq!(app.count(count).await, before + 1, "{count} after {action}");
    // The first post's message was for its own redirect; the second says what happened.
    let next = client.get(second.location().unwrap()).await;
    let flashes = next.texts(".flash");
    assert!(
        flashes.iter().any(|f| f == SENT_BEFORE),
        "{action}: {flashes:?}"
    );
    first
}

/// [`posted_twice`] for the form on the page at `from`.
async fn sent_twice(
    app: &TestApp,
    client: &Client,
    (from, action): (&str, &str),
    changes: &[(&str, &str)],
    count: &str,
) -> Page {
    let page = client.get(from).await;
    posted_twice(app, client, (&page, action), changes, count).await
}

#[tokio::test]
async fn the_budget_forms_save_once_when_sent_twice() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let client = app.signed_in(CONTROLLER).await;
    let line = app
        .text_of(
            "SELECT id::text FROM budget_line WHERE project_id = $1::uuid ORDER BY position LIMIT 1",
            &id,
        )
        .await;
    let line_page = format!("/projekt/{id}/budget/rader/{line}");
    sent_twice(
        &app,
        &client,
        (&line_page, &format!("{line_page}/utfall")),
        &[("month", "2022-11"), ("amount", "1 000")],
        "SELECT count(*) FROM outcome_entry",
    )
    .await;
    // Money booked once: the line's outcome moved by 1 000 kr, not 2 000.
    let audited = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'outcome_entry_created'")
        .await;
    assert_eq!(audited, 2, "one entry: the line's outcome and the entry");

    let budget = format!("/projekt/{id}/budget");
    sent_twice(
        &app,
        &client,
        (&budget, &format!("{budget}/rader")),
        &[("category", "Licenser"), ("budget", "0")],
        "SELECT count(*) FROM budget_line",
    )
    .await;
    sent_twice(
        &app,
        &client,
        (&budget, &format!("{budget}/delenheter")),
        &[("sub_name", "Bostadsbolaget"), ("sub_short_name", "BB")],
        "SELECT count(*) FROM sub_entity",
    )
    .await;
}

#[tokio::test]
async fn projects_goals_and_measurements_are_created_once_when_sent_twice() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let board = app
        .text_of(
            "SELECT id::text FROM board WHERE name = $1",
            "Gemensamma servicenämnden",
        )
        .await;
    let ludvika = app.municipality_id("Ludvika").await;
    let page = client.get("/projekt/nytt").await;
    let mut values = page.filled_in(
        "/projekt/nytt",
        &[
            ("name", "Ny växel"),
            ("case_number", "GSN 2026-7"),
            ("board", &board),
            ("plan", "infrastructure"),
            ("status", "idea"),
        ],
    );
    // The allocation's first row: Ludvika pays all.
    let at = values
        .iter()
        .position(|(n, _)| n == "municipalities")
        .unwrap();
    values[at].1 = ludvika.clone();
    let at = values.iter().position(|(n, _)| n == "shares").unwrap();
    values[at].1 = "100".into();
    let before = app.count("SELECT count(*) FROM project").await;
    let first = client.post_values("/projekt/nytt", &values).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let second = client.post_values("/projekt/nytt", &values).await;
    assert_eq!(second.status, 303);
    // The second answer leads to the project the first created, not a copy of it.
    assert_eq!(second.location(), first.location());
    assert_eq!(app.count("SELECT count(*) FROM project").await, before + 1);
    let project = client.get(second.location().unwrap()).await;
    assert!(project.texts(".flash").iter().any(|f| f == SENT_BEFORE));

    let id = project_id(&app, "GSN 2023-5").await;
    let new_goal = format!("/projekt/{id}/effektmal/nytt");
    sent_twice(
        &app,
        &client,
        (&new_goal, &new_goal),
        &[("goal", "Färre incidenter")],
        "SELECT count(*) FROM effect_goal",
    )
    .await;
    let goal = app
        .text_of(
            "SELECT id::text FROM effect_goal WHERE project_id = $1::uuid",
            &id,
        )
        .await;
    sent_twice(
        &app,
        &client,
        (
            &format!("/projekt/{id}/effektmal"),
            &format!("/projekt/{id}/effektmal/{goal}/matningar"),
        ),
        &[("measured_on", "2026-06-30"), ("value", "10")],
        "SELECT count(*) FROM goal_measurement",
    )
    .await;
}

#[tokio::test]
async fn items_orders_imports_and_rounds_are_created_once_when_sent_twice() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let first = sent_twice(
        &app,
        &client,
        ("/portfolj/nytt", "/portfolj/nytt"),
        &[
            ("title", "Digital nämndhandläggning"),
            ("plan", "digitalisation"),
            ("effort_hours", "100"),
        ],
        "SELECT count(*) FROM portfolio_item",
    )
    .await;
    assert!(first.location().unwrap().starts_with("/portfolj/"));

    let item = format!("/portfolj/{}", item_id(&app, 43).await);
    sent_twice(
        &app,
        &client,
        (&item, &format!("{item}/bestallningar")),
        &[("reference", "BE-2026-0700")],
        "SELECT count(*) FROM portfolio_order",
    )
    .await;

    let csv = "Titel;Plan;Typ;Komplexitet;Timmar\n\
               Digital post till invånare;Digitaliseringsplan;Nytt behov;Medel;160\n";
    let preview = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    posted_twice(
        &app,
        &client,
        (&preview, "/portfolj/import/spara"),
        &[],
        "SELECT count(*) FROM portfolio_item",
    )
    .await;

    let coordination = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let decision = format!("/omgangar/{q4}/beslut");
    let decided = coordination
        .submit_form(&decision, &decision, &[("confirm", "ja")])
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    sent_twice(
        &app,
        &client,
        ("/omgangar", "/omgangar"),
        &[("hours_capacity", "2 000"), ("budget", "3 mnkr")],
        "SELECT count(*) FROM round",
    )
    .await;
}

#[tokio::test]
async fn users_and_council_goals_are_created_once_when_sent_twice() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let ludvika = app.municipality_id("Ludvika").await;
    sent_twice(
        &app,
        &admin,
        ("/mal", "/mal"),
        &[("municipality", &ludvika), ("title", "Trygg skola")],
        "SELECT count(*) FROM council_goal",
    )
    .await;
    sent_twice(
        &app,
        &admin,
        ("/admin/anvandare/ny", "/admin/anvandare/ny"),
        &[
            ("email", "karin.ek@ludvika.se"),
            ("display_name", "Karin Ek"),
            ("password", "ett långt lösenord"),
            ("roles", "auditor"),
        ],
        "SELECT count(*) FROM app_user",
    )
    .await;
}

/// A refused post claims nothing: the same form corrected and sent again is saved.
#[tokio::test]
async fn a_refused_post_can_be_corrected_and_sent_again() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let item = format!("/portfolj/{}", item_id(&app, 43).await);
    let orders = format!("{item}/bestallningar");
    let page = client.get(&item).await;
    let empty = client
        .post_values(&orders, &page.filled_in(&orders, &[("reference", " ")]))
        .await;
    assert_eq!(empty.status, 422);
    let saved = client
        .post_values(
            &orders,
            &page.filled_in(&orders, &[("reference", "BE-2026-0701")]),
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_order WHERE reference = 'BE-2026-0701'")
            .await,
        1
    );
    // Another order of the same item with the same reference is the same order twice.
    let again = client
        .post_from(&item, &orders, &[("reference", "BE-2026-0701")])
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(
        again.field_error("reference").unwrap(),
        "Fel: Objektet har redan en beställning med den referensen."
    );
}
