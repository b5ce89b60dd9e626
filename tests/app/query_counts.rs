//! No N+1: the pages that list rows run the same number of statements whatever the number of
//! rows they show.

use crate::{
    projects::{SEED_000, project_id},
    support::{AUDITOR, Client, TestApp, queries},
};

async fn statements(client: &Client, path: &str) -> usize {
    let page = client.get(path).await;
    assert_eq!(page.status, 200, "{path}");
    queries::statements(page.header("x-request-id").expect("request id"))
}

#[tokio::test]
async fn list_and_project_pages_run_a_fixed_number_of_statements() {
    queries::install();
    let app = TestApp::spawn().await;
    let client = app.signed_in(AUDITOR).await;
    // Warm up: the first request of a session may refresh it.
    client.get("/").await;

    let few = statements(&client, "/projekt").await;
    sqlx::query(
        "INSERT INTO project (id, name, case_number, board_id, plan, status) \
         SELECT gen_random_uuid(), 'Projekt ' || n, 'KS 2031-' || n, \
                (SELECT id FROM board LIMIT 1), 'digitalisation', 'idea' \
         FROM generate_series(1, 40) AS n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let many = statements(&client, "/projekt").await;
    assert!(few > 0, "the counter sees the statements");
    assert_eq!(few, many, "the list runs a statement per row");

    // The seed project has 7 lines, 5 goals and 15 outcome entries; the empty one none.
    let full = project_id(&app, SEED_000).await;
    let empty = project_id(&app, "KS 2024-88").await;
    for tab in ["", "/effektmal", "/budget", "/historik"] {
        let with_rows = statements(&client, &format!("/projekt/{full}{tab}")).await;
        let without = statements(&client, &format!("/projekt/{empty}{tab}")).await;
        assert_eq!(
            with_rows, without,
            "/projekt/{{id}}{tab} runs a statement per row"
        );
    }
    let goals = statements(&client, "/effektmal").await;
    assert!(goals > 0);
}

#[tokio::test]
async fn portfolio_pages_run_a_fixed_number_of_statements() {
    queries::install();
    let app = TestApp::spawn().await;
    let client = app.signed_in(crate::support::COORDINATION).await;
    client.get("/").await;
    let q4 = crate::portfolio::round_id(&app, "2026-Q4").await;
    let pages = [
        "/portfolj".to_owned(),
        format!("/omgangar/{q4}"),
        format!("/omgangar/{q4}/rangordning"),
        format!("/omgangar/{q4}/forslag"),
        format!("/omgangar/{q4}/beslut"),
        format!("/omgangar/{q4}/jamforelse"),
    ];
    let mut before = Vec::new();
    for page in &pages {
        before.push(statements(&client, page).await);
    }
    // Forty more items on the round, with links, dependencies and notes of their own.
    sqlx::query(
        "WITH items AS ( \
             INSERT INTO portfolio_item (id, title, plan, kind, complexity, effort_hours, investment, running_cost, status) \
             SELECT gen_random_uuid(), 'Objekt ' || n, 'digitalisation', 'new_need', 'low', 10, 1000, 0, 'in_round' \
             FROM generate_series(1, 40) AS n RETURNING id), \
         links AS (INSERT INTO portfolio_item_municipality (item_id, municipality_id) \
             SELECT i.id, m.id FROM items i, municipality m WHERE m.name = 'Ludvika'), \
         deps AS (INSERT INTO portfolio_item_dependency (item_id, depends_on_id) \
             SELECT i.id, (SELECT id FROM portfolio_item WHERE number = 1) FROM items i) \
         INSERT INTO round_item (round_id, item_id) SELECT $1::uuid, id FROM items",
    )
    .bind(&q4)
    .execute(&app.db)
    .await
    .unwrap();
    for (page, few) in pages.iter().zip(before) {
        let many = statements(&client, page).await;
        assert_eq!(few, many, "{page} runs a statement per row");
    }
}
