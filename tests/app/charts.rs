//! Charts as users read them: an SVG with a title and a description, and the same figures in a
//! table, from the project's own data.

use crate::{
    projects::project_id,
    support::{CONTROLLER, IT_CENTER, STRATEGY_LUDVIKA, TestApp},
};

#[tokio::test]
async fn a_projects_budget_page_charts_its_cumulative_outcome_by_month_with_a_table() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2021-7").await;
    let client = app.signed_in(CONTROLLER).await;
    let page = client.get(&format!("/projekt/{id}/budget")).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.text("#outcome-chart svg[role=img] title"),
        "Budget och ackumulerat utfall per månad"
    );
    let outcome = app
        .count(&format!(
            "SELECT outcome_total::bigint FROM project WHERE id = '{id}'"
        ))
        .await;
    let rows = crate::follow_up::rows(&page, "#outcome-months");
    assert!(!rows.is_empty());
    let kr = |s: &str| s.replace(' ', "").parse::<i64>().unwrap();
    // The months add up: each row's sum so far is the previous one plus its month.
    let mut sum = 0;
    for r in &rows {
        sum += kr(&r[1]);
        assert_eq!(kr(&r[2]), sum, "{r:?}");
    }
    assert_eq!(sum, outcome);
    let desc = page.text("#outcome-chart desc");
    assert!(desc.contains(&rows.last().unwrap()[2]), "{desc}");
    assert!(desc.contains("mot budgeten 3 500 000 kr"), "{desc}");
    // One point per month in the table, the budget as a level line.
    assert_eq!(
        page.texts("#outcome-chart circle.outcome-point").len(),
        rows.len()
    );
    assert!(page.text("#outcome-chart svg").contains("Budget 3 500 tkr"));

    // A new month of outcome moves the line: the chart is the project's data, not a picture.
    let line: String = sqlx::query_scalar(
        "SELECT id::text FROM budget_line WHERE project_id = $1::uuid ORDER BY position LIMIT 1",
    )
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO outcome_entry (id, budget_line_id, month, amount, source) \
         VALUES (gen_random_uuid(), $1::uuid, '2022-09-01', 2000000, 'manual')",
    )
    .bind(&line)
    .execute(&app.db)
    .await
    .unwrap();
    let page = client.get(&format!("/projekt/{id}/budget")).await;
    let rows = crate::follow_up::rows(&page, "#outcome-months");
    let last = rows.last().unwrap();
    assert_eq!(last[0], "2022-09");
    assert_eq!(kr(&last[2]), outcome + 2_000_000);
    assert!(page.text("#outcome-chart desc").contains("över budgeten"));
}

#[tokio::test]
async fn the_portfolio_draws_each_listed_item_as_a_bubble_coloured_by_its_plan() {
    let app = TestApp::spawn().await;
    let it = app.signed_in(IT_CENTER).await;
    let page = it.get("/portfolj").await;
    let listed = page.texts("table.portfolio-list tbody tr").len();
    let bubbles = page.texts("#portfolio-bubbles circle.bubble title");
    assert_eq!(bubbles.len(), listed);
    // Each bubble names its item with its figures, as the list shows them.
    let p001 = bubbles
        .iter()
        .find(|t| t.starts_with("P-001 "))
        .unwrap_or_else(|| panic!("{bubbles:?}"));
    assert!(
        p001.contains("nytta ") && p001.contains(" kr, ") && p001.contains(" timmar"),
        "{p001}"
    );
    // A legend names every plan drawn; the filter draws only what it lists.
    let plan = it.get("/portfolj?plan=infrastructure").await;
    assert_eq!(
        plan.texts("#portfolio-bubbles circle.bubble").len(),
        plan.texts("table.portfolio-list tbody tr").len()
    );
    assert_eq!(plan.texts("#portfolio-bubbles .legend li").len(), 1);
    assert!(
        page.text("#portfolio-bubbles desc")
            .contains(&format!("{listed} objekt"))
    );
    // A strategy group sees its own items only, in the chart too.
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await.get("/portfolj").await;
    assert_eq!(
        ludvika.texts("#portfolio-bubbles circle.bubble").len(),
        ludvika.texts("table.portfolio-list tbody tr").len()
    );
    assert!(ludvika.texts("#portfolio-bubbles circle.bubble").len() < listed);
}
