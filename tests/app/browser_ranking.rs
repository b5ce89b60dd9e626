//! The ranking board in a real browser: ranking by keyboard alone and by drag and drop, each
//! saved and announced; and no accessibility violations on the portfolio's pages.

use std::time::{Duration, Instant};

use fantoccini::{
    Client, Locator,
    actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction},
    key::Key,
};

use crate::{
    browser::{Driver, active_id, press, scan_pages, sign_in},
    portfolio::{item_id, round_id},
    support::TestApp,
};

async fn rank_of(app: &TestApp, number: i32) -> Option<i32> {
    sqlx::query_scalar(
        "SELECT ri.rank FROM round_item ri JOIN round r ON r.id = ri.round_id \
         JOIN portfolio_item i ON i.id = ri.item_id WHERE r.quarter = '2026-Q4' AND i.number = $1",
    )
    .bind(number)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// The ranked items of 2026-Q4 as saved, in order.
async fn saved_order(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT 'P-' || lpad(i.number::text, 3, '0') FROM round_item ri JOIN round r ON r.id = ri.round_id \
         JOIN portfolio_item i ON i.id = ri.item_id WHERE r.quarter = '2026-Q4' AND ri.rank IS NOT NULL \
         ORDER BY ri.rank",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The ranked items as the board in the browser shows them, in order.
async fn shown_order(browser: &Client) -> Vec<String> {
    let order = browser
        .execute(
            "return [...document.querySelectorAll('#board-rows tr[data-item]')]
                .filter(r => r.querySelector('.rank-input').value !== '')
                .map(r => r.querySelector('.item-ref').textContent.trim());",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value::<Vec<String>>(order).unwrap()
}

/// Waits until the live region says `text` (the board's script announces each save).
async fn announced(browser: &Client, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = browser
            .execute(
                "return document.getElementById('board-status').textContent;",
                vec![],
            )
            .await
            .unwrap();
        if now.as_str() == Some(text) {
            return;
        }
        assert!(Instant::now() < deadline, "announced {now:?}, not {text:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_board_is_ranked_by_keyboard_alone_and_each_move_is_saved_and_announced() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let p4 = 4; // board rows are keyed by item number
    assert_eq!(rank_of(&app, 4).await, Some(9));
    let driver = Driver::start();
    let browser = driver.browser().await;
    sign_in(&browser, &app.base_url, "samordning@demo.portfolj.se").await;
    browser
        .goto(&format!("{}/omgangar/{q4}/rangordning", app.base_url))
        .await
        .unwrap();

    // Tab from the top of the page to P-004's "move up" button.
    browser
        .execute("document.body.focus();", vec![])
        .await
        .unwrap();
    let target = format!("upp-{p4}");
    for _ in 0..200 {
        if active_id(&browser).await == target {
            break;
        }
        press(&browser, Key::Tab).await;
    }
    assert_eq!(
        active_id(&browser).await,
        target,
        "the move button is reachable by Tab"
    );
    press(&browser, Key::Enter).await;
    announced(
        &browser,
        "Flyttad till plats 8 av 35. Rangordningen är sparad.",
    )
    .await;
    assert_eq!(rank_of(&app, 4).await, Some(8));
    // Focus stays on the button, so the next Enter moves it again.
    assert_eq!(active_id(&browser).await, target);
    press(&browser, Key::Enter).await;
    announced(
        &browser,
        "Flyttad till plats 7 av 35. Rangordningen är sparad.",
    )
    .await;
    assert_eq!(rank_of(&app, 4).await, Some(7));

    // Shift+Tab back to the place field, type a place and press Enter: moved to position.
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&format!(
            "{}{}",
            char::from(Key::Shift),
            char::from(Key::Tab)
        ))
        .await
        .unwrap();
    assert_eq!(active_id(&browser).await, format!("rank-{p4}"));
    let field = browser.active_element().await.unwrap();
    field.clear().await.unwrap();
    field
        .send_keys(&format!("2{}", char::from(Key::Enter)))
        .await
        .unwrap();
    announced(&browser, "Rangordningen är sparad: 6 objekt fick ny plats.").await;
    assert_eq!(rank_of(&app, 4).await, Some(2));
    let cut = browser.find(Locator::Id("strecket")).await;
    assert!(cut.is_ok(), "the cut line is drawn again after the save");

    // Moved up to the top, its "move up" is disabled, so focus goes back to its place field.
    press(&browser, Key::Tab).await;
    assert_eq!(active_id(&browser).await, target);
    press(&browser, Key::Enter).await;
    announced(
        &browser,
        "Flyttad till plats 1 av 35. Rangordningen är sparad.",
    )
    .await;
    assert_eq!(rank_of(&app, 4).await, Some(1));
    let up = browser.find(Locator::Id(&target)).await.unwrap();
    assert_eq!(up.attr("disabled").await.unwrap().as_deref(), Some("true"));
    assert_eq!(active_id(&browser).await, format!("rank-{p4}"));
    browser.close().await.unwrap();
}

/// Typing a lower place and pressing Enter saves exactly that place: the walk found "7 → 8"
/// staying at 7 and "7 → 9" landing at 8.
#[tokio::test]
async fn a_place_typed_further_down_is_saved_as_typed() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let before = saved_order(&app).await;
    assert_eq!(before[8], "P-004", "P-004 starts ninth");
    let driver = Driver::start();
    let browser = driver.browser().await;
    sign_in(&browser, &app.base_url, "samordning@demo.portfolj.se").await;
    browser
        .goto(&format!("{}/omgangar/{q4}/rangordning", app.base_url))
        .await
        .unwrap();
    for (typed, announcement) in [
        ("10", "Rangordningen är sparad: 2 objekt fick ny plats."),
        ("12", "Rangordningen är sparad: 3 objekt fick ny plats."),
    ] {
        // The rows are swapped in after each save, so the field is found anew.
        let field = browser.find(Locator::Id("rank-4")).await.unwrap();
        field.clear().await.unwrap();
        field
            .send_keys(&format!("{typed}{}", char::from(Key::Enter)))
            .await
            .unwrap();
        announced(&browser, announcement).await;
        let saved = saved_order(&app).await;
        let place = saved.iter().position(|r| r == "P-004").unwrap() + 1;
        assert_eq!(place.to_string(), typed, "{saved:?}");
        // The others keep their order, and the board shows what was saved.
        let others = |order: &[String]| -> Vec<String> {
            order.iter().filter(|r| *r != "P-004").cloned().collect()
        };
        assert_eq!(others(&saved), others(&before));
        assert_eq!(shown_order(&browser).await, saved);
        let shown_place = browser
            .find(Locator::Id("rank-4"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(shown_place.as_deref(), Some(typed));
    }
    browser.refresh().await.unwrap();
    assert_eq!(shown_order(&browser).await, saved_order(&app).await);
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_board_is_ranked_by_drag_and_drop_and_the_order_is_saved() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let (p1, p31) = (1, 31);
    assert_eq!(rank_of(&app, 1).await, Some(8));
    // Drag P-001 (eighth) up to the top of the list.
    let driver = Driver::start();
    let browser = driver.browser().await;
    sign_in(&browser, &app.base_url, "samordning@demo.portfolj.se").await;
    browser
        .goto(&format!("{}/omgangar/{q4}/rangordning", app.base_url))
        .await
        .unwrap();
    let handle = browser
        .find(Locator::Css(&format!("#rad-{p1} .drag-handle")))
        .await
        .unwrap();
    let first = browser
        .find(Locator::Id(&format!("rad-{p31}")))
        .await
        .unwrap();
    let half = browser
        .execute(
            &format!(
                "return document.getElementById('rad-{p31}').getBoundingClientRect().height / 2;"
            ),
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: handle,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(100)),
            x: 0.0,
            y: -10.0,
        })
        .then(PointerAction::MoveToElement {
            element: first.clone(),
            duration: Some(Duration::from_millis(400)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::MoveToElement {
            element: first,
            duration: Some(Duration::from_millis(200)),
            x: 0.0,
            y: 4.0 - half,
        })
        .then(PointerAction::Pause {
            duration: Duration::from_millis(200),
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    browser.perform_actions(drag).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while rank_of(&app, 1).await == Some(8) {
        assert!(Instant::now() < deadline, "the drop was not saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // What the board shows after the drop is what was saved, and what a reload shows.
    let saved = saved_order(&app).await;
    assert!(
        rank_of(&app, 1).await < Some(8),
        "P-001 moved up: {saved:?}"
    );
    assert_eq!(shown_order(&browser).await, saved);
    browser.refresh().await.unwrap();
    assert_eq!(shown_order(&browser).await, saved);
    browser.close().await.unwrap();
}

#[tokio::test]
async fn portfolio_pages_have_no_accessibility_violations() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let q3 = round_id(&app, "2026-Q3").await;
    let item = item_id(&app, 14).await;
    let ludvika: String =
        sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = 'Ludvika'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    // The open round values its items in WSJF, so the item page carries the form of the
    // model's own scores and the board its figure per effort.
    sqlx::query(
        "UPDATE round SET scoring_model_id = (SELECT id FROM scoring_model WHERE preset = 'wsjf') \
         WHERE id = $1::uuid",
    )
    .bind(&q4)
    .execute(&app.db)
    .await
    .unwrap();
    let wsjf: String =
        sqlx::query_scalar("SELECT id::text FROM scoring_model WHERE preset = 'wsjf'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let driver = Driver::start();
    let browser = driver.browser().await;
    let accounts = [
        (
            "samordning@demo.portfolj.se",
            vec![
                format!("/omgangar/{q4}/rangordning"),
                format!("/omgangar/{q4}/forslag"),
                format!("/omgangar/{q4}/beslut"),
                format!("/omgangar/{q4}/jamforelse"),
                format!("/omgangar/{q3}/rangordning"),
                "/".to_owned(),
            ],
        ),
        (
            "itcenter@demo.portfolj.se",
            vec![
                "/portfolj".to_owned(),
                format!("/portfolj/{item}"),
                format!("/portfolj/{item}/redigera"),
                "/portfolj/nytt".to_owned(),
                "/portfolj/import".to_owned(),
                "/omgangar".to_owned(),
                format!("/omgangar/{q4}"),
                "/".to_owned(),
            ],
        ),
        (
            "strategi.ludvika@demo.portfolj.se",
            vec![
                format!("/omgangar/{q4}/beredning/{ludvika}"),
                "/".to_owned(),
            ],
        ),
        (
            "admin@demo.portfolj.se",
            vec![
                format!("/omgangar/{q4}"),
                "/prioriteringsmodeller".to_owned(),
                format!("/prioriteringsmodeller/{wsjf}"),
            ],
        ),
    ];
    scan_pages(&browser, &app.base_url, accounts.into(), false).await;
    browser.close().await.unwrap();
}
