//! Each role's start page says what needs it now, each as a link: the controller's projects over
//! budget and ledger files to check, the coordination group's cut line, where a strategy group's
//! recommendations ended up, and IT-center's items that lack data.

use crate::{
    portfolio::round_id,
    projects::project_id,
    support::{CONTROLLER, COORDINATION, IT_CENTER, STRATEGY_LUDVIKA, TestApp},
};

#[tokio::test]
async fn the_controller_is_shown_projects_over_budget_and_files_to_check() {
    let app = TestApp::spawn().await;
    let fiber = project_id(&app, "GSN 2021-7").await;
    // Outcome 2 050 000 kr against a budget cut to 1 000 000 kr.
    sqlx::query("UPDATE budget_line SET budget = 1000000 / (SELECT count(*) FROM budget_line WHERE project_id = $1::uuid) WHERE project_id = $1::uuid")
        .bind(&fiber)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO ledger_import (id, municipality_id, file_name, sha256, format, status, created_by) \
         SELECT gen_random_uuid(), m.id, 'huvudbok-okt.se', repeat('a', 64), 'sie4', 'failed', u.id \
         FROM municipality m, app_user u WHERE m.name = 'Ludvika' AND u.email = $1",
    )
    .bind(CONTROLLER)
    .execute(&app.db)
    .await
    .unwrap();
    let start = app.signed_in(CONTROLLER).await.get("/").await;
    let projects = start.texts("#projects-to-check li");
    let line = projects
        .iter()
        .find(|l| l.starts_with("Fiberstam kärnnätverk"))
        .unwrap_or_else(|| panic!("{projects:?}"));
    assert!(
        line.contains("utfallet 2 050 000 kr är över budgeten 1 000 000 kr"),
        "{line}"
    );
    assert!(
        start
            .body
            .contains(&format!("href=\"/projekt/{fiber}/budget\""))
    );
    let imports = start.texts("#imports-to-check li");
    assert!(
        imports
            .iter()
            .any(|i| i.contains("huvudbok-okt.se") && i.contains("kunde inte läsas")),
        "{imports:?}"
    );
    // Another role's start page has no controller's desk.
    let it = app.signed_in(IT_CENTER).await.get("/").await;
    assert!(it.texts("#controller-desk").is_empty());
}

#[tokio::test]
async fn the_coordination_group_sees_the_rounds_reviews_and_the_cut_line_of_the_board() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let client = app.signed_in(COORDINATION).await;
    let start = client.get("/").await;
    assert_eq!(
        start.text("#round-reviews"),
        "2 av 2 strategigrupper har skickat in sin beredning (sista dag 2026-11-20)."
    );
    // The figures are the board's: the last row above the cut line carries its running totals.
    let board = client.get(&format!("/omgangar/{q4}/rangordning")).await;
    let above = board.texts("#board-rows tr[data-item]:not(.below-cut) td:nth-child(8)");
    let ranked = board
        .texts("#board-rows tr[data-item] input[name=was][value]")
        .len();
    let hours = board.texts("#board-rows tr[data-item]:not(.below-cut) td:nth-child(8)");
    let cost = board.texts("#board-rows tr[data-item]:not(.below-cut) td:nth-child(9)");
    let figures = start.text("#cut-line-figures");
    assert!(
        figures.contains(&format!("{} av", above.len()))
            && figures.contains(&format!("{} av 3 000 timmar", hours.last().unwrap()))
            && figures.contains(&format!("{} av 4 500 000 kr", cost.last().unwrap())),
        "{figures} (board: {} above, {ranked})",
        above.len()
    );
    assert!(
        start
            .body
            .contains(&format!("href=\"/omgangar/{q4}/rangordning\""))
    );
}

#[tokio::test]
async fn a_strategy_group_sees_what_became_of_its_recommendations_once_decided() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    sqlx::query(
        "UPDATE round_item SET decision = CASE WHEN rank <= 5 THEN 'prioritised' ELSE 'postponed' END \
         WHERE round_id = $1::uuid AND rank IS NOT NULL",
    )
    .bind(&q4)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE round SET phase = 'decided', decided_at = now() WHERE id = $1::uuid")
        .bind(&q4)
        .execute(&app.db)
        .await
        .unwrap();
    let start = app.signed_in(STRATEGY_LUDVIKA).await.get("/").await;
    assert_eq!(
        start.text("#recommendations-heading"),
        "Era rekommendationer i 2026-Q4"
    );
    let rows = crate::follow_up::rows(&start, "#recommendation-outcomes");
    // Ludvika recommended P-012 first and said it must have it.
    let p012 = rows
        .iter()
        .find(|r| r[0].starts_with("P-012"))
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(p012[1], "Ludvika");
    assert_eq!(p012[2], "1");
    assert_eq!(p012[3], "Ja");
    let decided_rank: i64 = app
        .count(&format!(
            "SELECT coalesce(rank, 0)::bigint FROM round_item ri JOIN portfolio_item i ON i.id = ri.item_id \
             WHERE ri.round_id = '{q4}' AND i.number = 12"
        ))
        .await;
    assert_eq!(
        p012[4],
        if decided_rank == 0 {
            "–".to_owned()
        } else {
            decided_rank.to_string()
        }
    );
    assert!(["Prioriteras", "Skjuts upp", "Inget beslut"].contains(&p012[5].as_str()));
    // Only Ludvika's own recommendations.
    assert!(rows.iter().all(|r| r[1] == "Ludvika"));
}

#[tokio::test]
async fn it_center_sees_the_items_that_lack_what_the_round_needs() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "UPDATE portfolio_item SET description = '', effort_hours = 0, investment = 0, running_cost = 0 \
         WHERE number = 5",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let start = app.signed_in(IT_CENTER).await.get("/").await;
    let items = start.texts("#items-missing-data li");
    let p005 = items
        .iter()
        .find(|i| i.starts_with("P-005"))
        .unwrap_or_else(|| panic!("{items:?}"));
    assert!(
        p005.contains("saknar beskrivning, uppskattning av timmar och kostnad"),
        "{p005}"
    );
}
