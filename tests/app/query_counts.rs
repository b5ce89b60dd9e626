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
