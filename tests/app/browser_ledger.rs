//! The ledger import in a real browser, as a controller does it: the demo's SIE file chosen in
//! the upload form, the page following the reading until the preview is there, an account
//! mapped and the outcome saved with the buttons; axe-core finds no accessibility violations on
//! the upload form, the preview with its mapping form and the saved batch, at a desktop's width
//! and at a phone's, where only the tables scroll sideways.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::{
    browser::{Driver, axe_violations, overflow_x, sign_in},
    support::{CONTROLLER, TestApp},
};

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// No axe violations, and at a phone's width nothing but the tables scrolls sideways.
async fn check_page(browser: &Client, what: &str) {
    for (width, height) in [(1366, 900), (390, 844)] {
        browser.set_window_size(width, height).await.unwrap();
        let violations = axe_violations(browser).await;
        assert!(
            violations.is_empty(),
            "{what} at {width} px: {violations:#?}"
        );
        let wider = overflow_x(browser).await;
        assert!(wider < 1.0, "{what} is {wider} px wider than {width} px");
    }
    browser.set_window_size(1366, 900).await.unwrap();
}

async fn wait_for_status(browser: &Client, status: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(element) = browser.find(Locator::Id("import-status")).await
            && element.text().await.unwrap_or_default() == status
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the import never became {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_controller_imports_the_demo_file_in_the_browser() {
    let app = TestApp::spawn().await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    let base = &app.base_url;
    sign_in(&browser, base, CONTROLLER).await;
    browser.goto(&format!("{base}/")).await.unwrap();
    browser
        .find(Locator::LinkText("Importera utfall (SIE)"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    check_page(&browser, "the upload form").await;

    let ludvika = app.municipality_id("Ludvika").await;
    browser
        .find(Locator::Css(&format!(
            "#municipality option[value='{ludvika}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let file = std::fs::canonicalize("docs/examples/demo-huvudbok.se").unwrap();
    browser
        .find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(&file.to_string_lossy())
        .await
        .unwrap();
    browser
        .find(Locator::Css(
            "form[enctype='multipart/form-data'] button[type=submit]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The page follows the reading by itself and shows the preview when it is done.
    wait_for_status(&browser, "Inläst, inte sparad").await;
    check_page(&browser, "the preview with the mapping form").await;

    // Gemensamt e-arkiv's consultants have no proposal: they go to the migration.
    browser
        .execute(
            "for (const s of document.querySelectorAll('#koppling ~ form select')) { \
               if (!s.value) { \
                 const o = [...s.options].find(o => o.text.startsWith('Migrering')); \
                 s.value = o.value; } }",
            vec![],
        )
        .await
        .unwrap();
    browser
        .find(Locator::XPath(
            "//button[normalize-space()='Spara kopplingarna']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_status(&browser, "Inläst, inte sparad").await;
    browser
        .find(Locator::XPath(
            "//button[normalize-space()='Spara utfallet']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_status(&browser, "Importerad").await;
    let flash = text_of(&browser, "main").await;
    assert!(
        flash.contains("Importen är sparad: 6 utfallsposter"),
        "{flash}"
    );
    check_page(&browser, "the saved batch").await;
    browser.close().await.unwrap();
}
