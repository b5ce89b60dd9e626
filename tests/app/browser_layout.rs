//! The data pages at a laptop's 1366 × 768: the page does not scroll sideways, each page's key
//! columns are in view without scrolling the table either, and the header row stays in view when
//! the table's rows are scrolled.

use crate::browser::{Driver, axe_violations, overflow_x, sign_in};
use crate::support::TestApp;

/// The headers among `wanted` that are not wholly inside the table's box as the page opens.
const OUT_OF_VIEW: &str = "
    const [table, wanted] = arguments;
    const t = document.querySelector(table);
    const box = t.closest('.table-wrap').getBoundingClientRect();
    const heads = [...t.querySelectorAll('thead th')];
    return wanted.filter(w => {
        const th = heads.find(h => h.textContent.trim().startsWith(w));
        if (!th) return true;
        const r = th.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1;
    });";

/// Where the header row is, from the top of the table's box, once the box is scrolled 200 px
/// down: at 0 or just below (a caption above it may scroll away) when it sticks, negative when
/// it scrolled out of view.
const HEADER_AFTER_SCROLL: &str = "
    const t = document.querySelector(arguments[0]);
    const wrap = t.closest('.table-wrap');
    const th = t.querySelector('thead th');
    if (wrap.scrollHeight <= wrap.clientHeight + 200) return 0;
    wrap.scrollTop = 200;
    const top = th.getBoundingClientRect().top - wrap.getBoundingClientRect().top;
    wrap.scrollTop = 0;
    return top;";

#[tokio::test]
async fn at_1366_px_the_data_pages_show_their_key_columns_and_keep_their_headers() {
    let app = TestApp::spawn().await;
    let q4 = crate::portfolio::round_id(&app, "2026-Q4").await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(1366, 768).await.unwrap();
    let board = format!("/omgangar/{q4}/rangordning");
    let pages: [(&str, &str, &str, &[&str]); 5] = [
        (
            "controller@demo.portfolj.se",
            "/projekt",
            "table.project-list",
            &["Budget", "Utfall", "Planerat slut"],
        ),
        (
            "itcenter@demo.portfolj.se",
            "/portfolj",
            "table.portfolio-list",
            &["Nytta", "Status"],
        ),
        (
            "samordning@demo.portfolj.se",
            &board,
            "table.board",
            &["Ack. timmar", "Ack. kostnad", "Strategigrupperna"],
        ),
        (
            "revisor@demo.portfolj.se",
            &board,
            "table.board",
            &["Ack. kostnad", "Strategigrupperna"],
        ),
        (
            "admin@demo.portfolj.se",
            "/logg?inloggningar=ja",
            "table.audit-log",
            &["Före", "Efter"],
        ),
    ];
    for (account, page, table, key_columns) in pages {
        sign_in(&browser, &app.base_url, account).await;
        browser
            .goto(&format!("{}{page}", app.base_url))
            .await
            .unwrap();
        assert!(overflow_x(&browser).await < 1.0, "{page} scrolls sideways");
        let hidden = browser
            .execute(OUT_OF_VIEW, vec![table.into(), key_columns.into()])
            .await
            .unwrap();
        assert_eq!(
            hidden,
            serde_json::json!([]),
            "{account} {page}: key columns out of view"
        );
        let top = browser
            .execute(HEADER_AFTER_SCROLL, vec![table.into()])
            .await
            .unwrap();
        assert!(
            top.as_f64().is_some_and(|t| (-1.0..5.0).contains(&t)),
            "{page}: the header row scrolled away ({top})"
        );
        let violations = axe_violations(&browser).await;
        assert!(violations.is_empty(), "{account} {page}: {violations:#?}");
        browser.delete_all_cookies().await.unwrap();
    }
    browser.close().await.unwrap();
}

/// A refused budget grid keeps each field beside its message and in sight: the message wraps in
/// its cell instead of widening the figure's column past the table's box.
#[tokio::test]
async fn a_refused_budget_grid_keeps_the_field_in_sight_beside_its_message() {
    let app = TestApp::spawn().await;
    let seed = crate::projects::project_id(&app, "GSN 2021-7").await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(1366, 768).await.unwrap();
    sign_in(&browser, &app.base_url, "controller@demo.portfolj.se").await;
    browser
        .goto(&format!("{}/projekt/{seed}/budget", app.base_url))
        .await
        .unwrap();
    browser
        .execute(
            "const f = document.getElementById('line-0-budget');
             f.value = 'tolv tusen';
             f.form.querySelector('button.button[type=submit]').click();",
            vec![],
        )
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while browser
        .find(fantoccini::Locator::Id("line-0-budget-error"))
        .await
        .is_err()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no message beside the field"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let inside = browser
        .execute(
            "const f = document.getElementById('line-0-budget').getBoundingClientRect();
             const box = document.getElementById('line-0-budget').closest('.table-wrap').getBoundingClientRect();
             return f.left >= box.left && f.right <= box.right;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        inside,
        serde_json::json!(true),
        "the refused field is out of its table's box"
    );
    assert!(overflow_x(&browser).await < 1.0);
    let focused = browser
        .execute("return document.activeElement.className;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("error-summary"));
    browser.close().await.unwrap();
}

/// The board's place column keeps its width with a refused place's message in it, and rows the
/// script swaps in after the columns were chosen anew elsewhere are shown under a header that
/// fits them.
#[tokio::test]
async fn the_board_keeps_its_columns_through_a_refused_place_and_a_choice_made_elsewhere() {
    let app = TestApp::spawn().await;
    let q4 = crate::portfolio::round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(1366, 768).await.unwrap();
    sign_in(&browser, &app.base_url, "samordning@demo.portfolj.se").await;
    browser
        .goto(&format!("{}{board}", app.base_url))
        .await
        .unwrap();
    let widths = "const r = document.querySelector('#board-rows tr[data-item] .rank-cell');
                  const i = document.querySelector('#board-rows tr[data-item] .item-cell');
                  return [r.getBoundingClientRect().width, r.getBoundingClientRect().right,
                          i.getBoundingClientRect().left];";
    let before = browser.execute(widths, vec![]).await.unwrap();
    // A place that is no number, saved without the script: the page comes back with the message.
    browser
        .execute(
            "const f = document.querySelector('#board-rows tr[data-item] .rank-input');
             f.value = 'abc';
             const form = document.getElementById('ranking-form');
             HTMLFormElement.prototype.submit.call(form);",
            vec![],
        )
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while browser
        .find(fantoccini::Locator::Css("#board-rows .field__error"))
        .await
        .is_err()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no message at the place"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after = browser.execute(widths, vec![]).await.unwrap();
    let w = |v: &serde_json::Value, i: usize| v[i].as_f64().unwrap();
    assert!(
        (w(&after, 0) - w(&before, 0)).abs() < 1.0,
        "{before} → {after}"
    );
    assert!(
        w(&after, 1) <= w(&after, 2) + 1.0,
        "the item overlaps the place: {after}"
    );

    // The same member hides two columns in another tab, then moves a row here.
    browser
        .goto(&format!("{}{board}", app.base_url))
        .await
        .unwrap();
    let other_tab = app.signed_in(crate::support::COORDINATION).await;
    let page = other_tab.get(&board).await;
    let chosen: Vec<(String, String)> = page
        .form_values("/kolumner")
        .into_iter()
        .filter(|(n, v)| !(n == "visa" && (v == "plan" || v == "kommuner")))
        .collect();
    assert_eq!(
        other_tab.post_values("/kolumner", &chosen).await.status,
        303
    );
    browser
        .find(fantoccini::Locator::Css(
            "#board-rows tr[data-item] button[value^='down:']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let fits = "const heads = document.querySelectorAll('table.board thead th').length;
                return [...document.querySelectorAll('#board-rows tr[data-item]')]
                    .every(r => r.children.length === heads) && heads > 0;";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let heads = browser
            .execute(
                "return document.querySelectorAll('table.board thead th').length;",
                vec![],
            )
            .await
            .unwrap();
        if heads.as_u64() == Some(8) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page kept the old header ({heads})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        browser.execute(fits, vec![]).await.unwrap(),
        serde_json::json!(true)
    );
    browser.close().await.unwrap();
}

/// At a phone's width a page's one-word heading ("Investeringsprojekt") stays whole on its line
/// instead of breaking mid-word.
#[tokio::test]
async fn at_390_px_a_one_word_heading_is_not_broken() {
    let app = TestApp::spawn().await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(390, 844).await.unwrap();
    sign_in(&browser, &app.base_url, "controller@demo.portfolj.se").await;
    for page in ["/projekt", "/nyttor", "/fond"] {
        browser
            .goto(&format!("{}{page}", app.base_url))
            .await
            .unwrap();
        let lines = browser
            .execute(
                "const h = document.querySelector('h1');
                 const range = document.createRange();
                 range.selectNodeContents(h);
                 const words = h.textContent.trim().split(/\\s+/).length;
                 return [range.getClientRects().length, words, h.textContent.trim()];",
                vec![],
            )
            .await
            .unwrap();
        let rects = lines[0].as_u64().unwrap();
        let words = lines[1].as_u64().unwrap();
        assert!(
            rects <= words,
            "{page}: the heading {} breaks inside a word",
            lines[2]
        );
    }
    browser.close().await.unwrap();
}
