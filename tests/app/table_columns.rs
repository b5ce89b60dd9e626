//! Data tables as a day's work needs them: the user chooses the columns, the choice is
//! remembered per user and table and comes back to the same filter, and the footer sums what
//! the filter selects.

use crate::support::{CONTROLLER, COORDINATION, IT_CENTER, Page, TestApp};

fn headers(page: &Page, table: &str) -> Vec<String> {
    page.texts(&format!("{table} thead th"))
}

/// Every body row has as many cells as the header, and so has the footer.
fn rows_match_headers(page: &Page, table: &str) {
    let width = headers(page, table).len();
    let html = page.html();
    let row = scraper::Selector::parse(&format!("{table} tbody tr, {table} tfoot tr")).unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    for r in html.select(&row) {
        let spans: usize = r
            .select(&cell)
            .map(|c| c.value().attr("colspan").map_or(1, |n| n.parse().unwrap()))
            .sum();
        assert_eq!(spans, width, "{}", r.html());
    }
}

fn kr(text: &str) -> i64 {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_user_hides_columns_of_the_project_list_and_finds_them_hidden_next_time() {
    let app = TestApp::spawn().await;
    let controller = app.signed_in(CONTROLLER).await;
    let list = "/projekt?status=in_progress";
    let page = controller.get(list).await;
    let all = headers(&page, "table.project-list");
    for key in ["Budget", "Utfall", "Planerat slut", "Dnr"] {
        assert!(all.contains(&key.to_owned()), "{all:?}");
    }
    // The footer sums every project the filter selects.
    let budget_column = all.iter().position(|h| h == "Budget").unwrap() + 1;
    let footer_budget = page.text(&format!(
        "table.project-list tfoot td:nth-child({budget_column})"
    ));
    let expected = app
        .count(
            "SELECT coalesce(sum(budget_total), 0)::bigint FROM project \
             WHERE status = 'in_progress'",
        )
        .await;
    assert!(expected > 0);
    assert_eq!(kr(&footer_budget), expected);
    rows_match_headers(&page, "table.project-list");

    // Hide Dnr and Nämnd; the choice comes back to the same filtered list.
    let chosen: Vec<(String, String)> = page
        .form_values("/kolumner")
        .into_iter()
        .filter(|(name, value)| !(name == "visa" && (value == "dnr" || value == "namnd")))
        .collect();
    assert!(chosen.iter().any(|(n, v)| n == "tillbaka" && v == list));
    let saved = controller.post_values("/kolumner", &chosen).await;
    assert_eq!(saved.status, 303);
    assert_eq!(saved.location(), Some(list));
    let page = controller.get(list).await;
    let shown = headers(&page, "table.project-list");
    assert!(!shown.contains(&"Dnr".to_owned()) && !shown.contains(&"Nämnd".to_owned()));
    assert_eq!(shown.len(), all.len() - 2);
    assert!(page.text(".column-chooser summary").contains("2 dolda"));
    rows_match_headers(&page, "table.project-list");
    // Remembered for this user on another visit and filter, not for another user.
    assert!(
        !headers(&controller.get("/projekt").await, "table.project-list")
            .contains(&"Dnr".to_owned())
    );
    let it_center = app.signed_in(IT_CENTER).await;
    assert_eq!(
        headers(&it_center.get(list).await, "table.project-list"),
        all
    );

    // "Visa alla" brings every column back.
    let token = page.csrf_token();
    let back = controller
        .post_raw(
            "/kolumner",
            &[
                ("csrf_token", &token),
                ("tabell", "projekt"),
                ("atgard", "alla"),
                ("tillbaka", list),
            ],
        )
        .await;
    assert_eq!(back.status, 303);
    assert_eq!(
        headers(&controller.get(list).await, "table.project-list"),
        all
    );
}

#[tokio::test]
async fn a_forged_chooser_neither_leads_elsewhere_nor_stores_what_the_table_lacks() {
    let app = TestApp::spawn().await;
    let controller = app.signed_in(CONTROLLER).await;
    let token = controller.get("/projekt").await.csrf_token();
    for away in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let saved = controller
            .post_raw(
                "/kolumner",
                &[
                    ("csrf_token", &token),
                    ("tabell", "projekt"),
                    ("visa", "budget"),
                    ("tillbaka", away),
                ],
            )
            .await;
        assert_eq!(saved.status, 303);
        assert_eq!(saved.location(), Some("/"), "{away}");
    }
    let unknown = controller
        .post_raw(
            "/kolumner",
            &[
                ("csrf_token", &token),
                ("tabell", "hemlig"),
                ("tillbaka", "/"),
            ],
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        app.count("SELECT count(*) FROM user_table_columns WHERE table_key = 'hemlig'")
            .await,
        0
    );
    // Unknown column keys are dropped: what is stored is only the table's own columns.
    controller
        .post_raw(
            "/kolumner",
            &[
                ("csrf_token", &token),
                ("tabell", "projekt"),
                ("visa", "budget"),
                ("visa", "<script>"),
                ("tillbaka", "/projekt"),
            ],
        )
        .await;
    let stored = app
        .count(
            "SELECT count(*) FROM user_table_columns, unnest(hidden) h \
             WHERE table_key = 'projekt' AND h NOT IN \
             ('dnr','projektnummer','namnd','kommuner','status','plan','anslag','utfall','slut')",
        )
        .await;
    assert_eq!(stored, 0);
    let page = controller.get("/projekt").await;
    assert_eq!(headers(&page, "table.project-list"), ["Namn", "Budget"]);
    rows_match_headers(&page, "table.project-list");
}

#[tokio::test]
async fn the_board_and_the_portfolio_keep_their_own_choices_and_rows_span_what_is_shown() {
    let app = TestApp::spawn().await;
    let coordination = app.signed_in(COORDINATION).await;
    let q4 = crate::portfolio::round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let page = coordination.get(&board).await;
    let all = headers(&page, "table.board");
    assert!(
        all.iter().any(|h| h.contains("Strategigrupperna")),
        "{all:?}"
    );
    let chosen: Vec<(String, String)> = page
        .form_values("/kolumner")
        .into_iter()
        .filter(|(name, value)| !(name == "visa" && (value == "kommuner" || value == "plan")))
        .collect();
    let saved = coordination.post_values("/kolumner", &chosen).await;
    assert_eq!(saved.location(), Some(board.as_str()));
    let page = coordination.get(&board).await;
    let shown = headers(&page, "table.board");
    assert_eq!(shown.len(), all.len() - 2);
    assert!(!shown.contains(&"Kommuner".to_owned()));
    // The cut line and the unranked heading span exactly the columns shown.
    rows_match_headers(&page, "table.board");
    // The portfolio list is another table: untouched.
    let items = coordination.get("/portfolj").await;
    assert!(headers(&items, "table.portfolio-list").contains(&"Kommuner".to_owned()));
    rows_match_headers(&items, "table.portfolio-list");
}
