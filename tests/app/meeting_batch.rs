//! The meeting's ZIP asked for without a date, or for a meeting with no ready drafts: the
//! drafts page answers with its form as typed and says what is wrong, instead of a bare error
//! page or an archive holding only an empty list of items.

use crate::{
    projects::{SEED_000, project_id},
    support::{Page, SECRETARY, TestApp},
};

const BATCH: &str = "/slutredovisningar/sammantrade.zip";

/// The board of seed 000's project, one of the secretary's boards.
async fn seed_board(app: &TestApp) -> String {
    let id = project_id(app, SEED_000).await;
    sqlx::query_scalar("SELECT board_id::text FROM project WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The batch form is on the page, with the board chosen and the date as typed.
fn assert_form_kept(page: &Page, board: &str, date: &str) {
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.text("h1"), "Slutredovisningar per sammanträde");
    let fields = page.form_fields(BATCH).expect("the batch form");
    assert_eq!(fields, ["namnd", "datum"]);
    assert_eq!(
        page.value("#namnd option[selected]").as_deref(),
        Some(board)
    );
    assert_eq!(page.value("#datum").as_deref(), Some(date));
}

#[tokio::test]
async fn without_a_date_the_form_says_so_next_to_the_field() {
    let app = TestApp::spawn().await;
    let board = seed_board(&app).await;
    let secretary = app.signed_in(SECRETARY).await;
    // The page's own form sends exactly these two fields.
    let list = secretary.get("/slutredovisningar").await;
    assert_eq!(list.form_fields(BATCH).unwrap(), ["namnd", "datum"]);

    let page = secretary
        .get(&format!("{BATCH}?namnd={board}&datum="))
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_form_kept(&page, &board, "");
    assert_eq!(
        page.field_error("datum").unwrap(),
        "Fel: Ange sammanträdets datum."
    );
    let html = page.html();
    let field = scraper::Selector::parse("#datum").unwrap();
    let field = html.select(&field).next().unwrap();
    assert_eq!(field.value().attr("aria-invalid"), Some("true"));
    assert_eq!(field.value().attr("aria-describedby"), Some("datum-error"));
    assert_eq!(
        page.texts(".error-summary li"),
        ["Ange sammanträdets datum."]
    );

    // A date that is not one keeps what was typed.
    let page = secretary
        .get(&format!("{BATCH}?namnd={board}&datum=13+mars"))
        .await;
    assert_eq!(page.status, 422);
    assert_form_kept(&page, &board, "13 mars");
    assert!(
        page.field_error("datum")
            .unwrap()
            .contains("”13 mars” är inget datum")
    );

    // No board chosen either: both fields say so.
    let page = secretary.get(&format!("{BATCH}?namnd=&datum=")).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.field_error("namnd").unwrap(), "Fel: Välj nämnd.");
    assert!(page.field_error("datum").is_some());
}

#[tokio::test]
async fn a_meeting_without_ready_drafts_gives_a_message_not_an_empty_zip() {
    let app = TestApp::spawn().await;
    let board = seed_board(&app).await;
    let secretary = app.signed_in(SECRETARY).await;
    let page = secretary
        .get(&format!("{BATCH}?namnd={board}&datum=2023-03-20"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.header("content-disposition").is_none(), "no download");
    assert_form_kept(&page, &board, "2023-03-20");
    assert_eq!(
        page.text("#batch-notice"),
        "Ingen slutredovisning är markerad som klar för sammanträdet 2023-03-20 \
         (Kommunstyrelsen, Norrtälje), så det finns inget att ladda ner. En slutredovisning \
         markeras som klar för ett sammanträde under fliken Slutredovisning på projektet."
    );
}
