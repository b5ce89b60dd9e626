//! A real browser (headless Chromium through chromedriver): signing in with the keyboard alone,
//! and an axe-core accessibility scan of the pages that shows no violations.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, key::Key};
use serde_json::{Value, json};

use crate::support::TestApp;

const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    process: Child,
    port: u16,
    profile: std::path::PathBuf,
}

impl Driver {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver not found: apt-get install chromium chromium-driver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-{port}"));
        Self {
            process,
            port,
            profile,
        }
    }

    pub async fn browser(&self) -> Client {
        let options = json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", self.profile.display()),
            ]
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("start a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Puts axe-core into the page unless it is there already (a page scanned at a second window
/// size): its half a megabyte of source need not cross the WebDriver connection again.
async fn inject_axe(browser: &Client) {
    let present = browser
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await
        .expect("look for axe-core");
    if present != Value::Bool(true) {
        browser.execute(AXE, vec![]).await.expect("inject axe-core");
    }
}

/// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; returns the violations.
pub async fn axe_violations(browser: &Client) -> Vec<Value> {
    inject_axe(browser).await;
    let result = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {
                 runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                 resultTypes: ['violations'],
             })
                .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.html) }))));",
            vec![],
        )
        .await
        .expect("run axe-core");
    result.as_array().cloned().unwrap_or_default()
}

/// Runs only the axe-core rules named (best-practice rules beside the WCAG ones, such as
/// `landmark-unique`); returns the violations.
pub async fn axe_rule_violations(browser: &Client, rules: &[&str]) -> Vec<Value> {
    inject_axe(browser).await;
    let result = browser
        .execute_async(
            "const [rules, done] = arguments;
             axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] })
                .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.html) }))));",
            vec![json!(rules)],
        )
        .await
        .expect("run axe-core");
    result.as_array().cloned().unwrap_or_default()
}

/// How much wider than the window the page is, in CSS pixels (0: it does not scroll sideways).
pub async fn overflow_x(browser: &Client) -> f64 {
    browser
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("page width")
        .as_f64()
        .unwrap_or(f64::MAX)
}

pub async fn active_id(browser: &Client) -> String {
    let id = browser
        .execute(
            "return document.activeElement.id || document.activeElement.className;",
            vec![],
        )
        .await;
    id.expect("active element")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Presses `key` on the keyboard, wherever the focus is. Through WebDriver's actions, as a
/// person's key press: sending keys to the focused element would, for a date field, set its
/// value rather than press the key (WebDriver's rule for fields that are not typed into).
pub async fn press(browser: &Client, key: Key) {
    let value = char::from(key);
    let keys = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    browser.perform_actions(keys).await.expect("key");
}

#[tokio::test]
async fn signing_in_with_the_keyboard_alone_and_no_accessibility_violations() {
    let app = TestApp::spawn().await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser
        .goto(&format!("{}/logga-in", app.base_url))
        .await
        .unwrap();

    let violations = axe_violations(&browser).await;
    assert!(violations.is_empty(), "sign-in page: {violations:#?}");

    // The first Tab reaches the skip link, and it becomes visible when focused.
    browser
        .execute("document.body.focus();", vec![])
        .await
        .unwrap();
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&char::from(Key::Tab).to_string())
        .await
        .unwrap();
    assert_eq!(active_id(&browser).await, "skip-link");
    let left = browser
        .execute(
            "return document.activeElement.getBoundingClientRect().left;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        left.as_f64().is_some_and(|l| l >= 0.0),
        "the focused skip link is on screen"
    );

    // Tab on to the e-mail field, type, Tab to the password, type, Enter.
    for _ in 0..10 {
        if active_id(&browser).await == "email" {
            break;
        }
        press(&browser, Key::Tab).await;
    }
    assert_eq!(
        active_id(&browser).await,
        "email",
        "the e-mail field is reachable by Tab"
    );
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys("samordning@demo.portfolj.se")
        .await
        .unwrap();
    press(&browser, Key::Tab).await;
    assert_eq!(active_id(&browser).await, "password");
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys("demo")
        .await
        .unwrap();
    press(&browser, Key::Enter).await;

    let deadline = Instant::now() + Duration::from_secs(10);
    let heading = loop {
        let h1 = browser
            .execute("return document.querySelector('h1')?.textContent;", vec![])
            .await
            .unwrap();
        if h1.as_str() == Some("Välkommen, Saga Svensson") || Instant::now() > deadline {
            break h1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(heading.as_str(), Some("Välkommen, Saga Svensson"));

    let violations = axe_violations(&browser).await;
    assert!(violations.is_empty(), "start page: {violations:#?}");
    browser.close().await.unwrap();
}

/// Signs in as each account (none: a visitor) and scans its pages with axe-core; with
/// `no_sideways`, each page must also fit the window's width.
pub async fn scan_pages(
    browser: &Client,
    base: &str,
    accounts: Vec<(&str, Vec<String>)>,
    no_sideways: bool,
) {
    for (account, pages) in accounts {
        if !account.is_empty() {
            sign_in(browser, base, account).await;
        }
        for page in pages {
            browser.goto(&format!("{base}{page}")).await.unwrap();
            let violations = axe_violations(browser).await;
            assert!(violations.is_empty(), "{account} {page}: {violations:#?}");
            if no_sideways {
                let wider = overflow_x(browser).await;
                assert!(
                    wider < 1.0,
                    "{account} {page} is {wider} px wider than the window"
                );
            }
        }
        browser.delete_all_cookies().await.unwrap();
    }
}

/// Signs in through the form, as a person with a mouse would.
pub async fn sign_in(browser: &Client, base: &str, email: &str) {
    browser.goto(&format!("{base}/logga-in")).await.unwrap();
    browser
        .find(fantoccini::Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    browser
        .find(fantoccini::Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("demo")
        .await
        .unwrap();
    browser
        .find(fantoccini::Locator::Css(
            "form[action='/logga-in'] button[type=submit]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while browser.current_url().await.unwrap().path() == "/logga-in" {
        assert!(
            Instant::now() < deadline,
            "sign-in as {email} did not finish"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// At a phone's width (390 px) no page scrolls sideways: wide tables scroll inside their own box,
/// which is a named region that takes focus (axe's `scrollable-region-focusable`), and a long
/// unbroken word wraps. The sign-in page's landmarks have names of their own.
#[tokio::test]
async fn at_390_px_only_the_tables_scroll_sideways_in_focusable_named_boxes() {
    let app = TestApp::spawn().await;
    let seed = crate::projects::project_id(&app, crate::projects::SEED_000).await;
    // A description of one 9 000-letter word, as a hostile review typed.
    sqlx::query("UPDATE project SET description = repeat('x', 9000) WHERE id = $1::uuid")
        .bind(&seed)
        .execute(&app.db)
        .await
        .unwrap();
    let q4 = crate::portfolio::round_id(&app, "2026-Q4").await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(390, 844).await.unwrap();
    browser
        .goto(&format!("{}/logga-in", app.base_url))
        .await
        .unwrap();
    let width = browser
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap();
    assert!(width.as_f64().is_some_and(|w| w <= 390.0), "{width}");
    let landmarks = axe_rule_violations(&browser, &["landmark-unique"]).await;
    assert!(landmarks.is_empty(), "sign-in page: {landmarks:#?}");
    let accounts = [
        ("", vec!["/logga-in".to_owned()]),
        (
            "controller@demo.portfolj.se",
            vec![
                format!("/projekt/{seed}"),
                format!("/projekt/{seed}/budget"),
                format!("/projekt/{seed}/historik"),
                "/projekt".to_owned(),
            ],
        ),
        (
            "itcenter@demo.portfolj.se",
            vec!["/".to_owned(), "/portfolj".to_owned()],
        ),
        (
            "samordning@demo.portfolj.se",
            vec![format!("/omgangar/{q4}/rangordning")],
        ),
        ("admin@demo.portfolj.se", vec!["/logg".to_owned()]),
        ("sekreterare@demo.portfolj.se", vec!["/".to_owned()]),
    ];
    scan_pages(&browser, &app.base_url, accounts.into(), true).await;
    browser.close().await.unwrap();
}

/// After a refused form, focus is on the error summary; a project's tabs look like tabs, the
/// current one marked by more than colour, and show a focus ring.
#[tokio::test]
async fn a_refused_form_focuses_its_error_summary_and_the_current_tab_is_marked() {
    let app = TestApp::spawn().await;
    let seed = crate::projects::project_id(&app, crate::projects::SEED_000).await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    sign_in(&browser, &app.base_url, "itcenter@demo.portfolj.se").await;
    browser
        .goto(&format!("{}/projekt/nytt", app.base_url))
        .await
        .unwrap();
    browser
        .find(fantoccini::Locator::Css(
            "form[action='/projekt/nytt'] button[type=submit]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while active_id(&browser).await != "error-summary" {
        assert!(
            Instant::now() < deadline,
            "focus is on {:?}",
            active_id(&browser).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    browser
        .goto(&format!("{}/projekt/{seed}/budget", app.base_url))
        .await
        .unwrap();
    let style = |selector: &str| {
        format!(
            "const s = getComputedStyle(document.querySelector('{selector}'));
             return [s.fontWeight, s.borderTopWidth, s.textDecorationLine];"
        )
    };
    let current = browser
        .execute(&style("nav.tabs a[aria-current=page]"), vec![])
        .await
        .unwrap();
    let other = browser
        .execute(&style("nav.tabs a:not([aria-current])"), vec![])
        .await
        .unwrap();
    assert_eq!(current, json!(["700", "4px", "none"]));
    assert_eq!(other, json!(["400", "2px", "underline"]));
    // Tab to the first tab: its focus ring is drawn.
    browser
        .execute("document.querySelector('nav.tabs a').focus();", vec![])
        .await
        .unwrap();
    press(&browser, Key::Tab).await;
    let ring = browser
        .execute(
            "return getComputedStyle(document.activeElement).outlineStyle;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ring, json!("solid"));
    browser.close().await.unwrap();
}
