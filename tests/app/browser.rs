//! A real browser (headless Chromium through chromedriver): signing in with the keyboard alone,
//! and an axe-core accessibility scan of the pages that shows no violations.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

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

/// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; returns the violations.
pub async fn axe_violations(browser: &Client) -> Vec<Value> {
    browser.execute(AXE, vec![]).await.expect("inject axe-core");
    let result = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.html) }))));",
            vec![],
        )
        .await
        .expect("run axe-core");
    result.as_array().cloned().unwrap_or_default()
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

pub async fn press(browser: &Client, key: Key) {
    browser
        .active_element()
        .await
        .expect("focus")
        .send_keys(&char::from(key).to_string())
        .await
        .expect("key");
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

#[tokio::test]
async fn project_pages_have_no_accessibility_violations() {
    let app = TestApp::spawn().await;
    let seed = crate::projects::project_id(&app, crate::projects::SEED_000).await;
    let line: String = sqlx::query_scalar(
        "SELECT id::text FROM budget_line WHERE project_id = $1::uuid ORDER BY position LIMIT 1",
    )
    .bind(&seed)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let driver = Driver::start();
    let browser = driver.browser().await;
    // The controller sees the budget grid and the outcome forms; IT-center the project and
    // goal forms; together they cover every form of the project pages.
    for (account, pages) in [
        (
            "controller@demo.portfolj.se",
            vec![
                "/projekt".to_owned(),
                format!("/projekt/{seed}"),
                format!("/projekt/{seed}/budget"),
                format!("/projekt/{seed}/budget/rader/{line}"),
                format!("/projekt/{seed}/ekonomi"),
                format!("/projekt/{seed}/historik"),
                "/effektmal".to_owned(),
                "/mal".to_owned(),
            ],
        ),
        (
            "itcenter@demo.portfolj.se",
            vec![
                "/projekt/nytt".to_owned(),
                format!("/projekt/{seed}"),
                format!("/projekt/{seed}/effektmal"),
                format!("/projekt/{seed}/effektmal/nytt"),
                format!("/projekt/{seed}/slutredovisning"),
                format!("/projekt/{seed}/slutredovisning/redigera"),
            ],
        ),
        ("admin@demo.portfolj.se", vec!["/mal".to_owned()]),
        (
            "sekreterare@demo.portfolj.se",
            vec![
                "/".to_owned(),
                "/slutredovisningar".to_owned(),
                format!("/projekt/{seed}/slutredovisning"),
            ],
        ),
    ] {
        sign_in(&browser, &app.base_url, account).await;
        for page in pages {
            browser
                .goto(&format!("{}{page}", app.base_url))
                .await
                .unwrap();
            let violations = axe_violations(&browser).await;
            assert!(violations.is_empty(), "{account} {page}: {violations:#?}");
        }
        browser.delete_all_cookies().await.unwrap();
    }
    browser.close().await.unwrap();
}
