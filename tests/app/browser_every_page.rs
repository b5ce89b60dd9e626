//! Every page of every role in a real browser, at a laptop's 1366 × 768 and a phone's
//! 390 × 844: axe-core finds no WCAG 2.1 A or AA violation, and no page scrolls sideways (wide
//! tables scroll in their own boxes). The pages come from the route table with the demo's ids,
//! so a page added later is scanned too; each role sees each page as it may (a page a role may
//! not read is its error page, which must pass as well).

use std::collections::BTreeMap;

use portfolj::{domain::role::Role, router::route_table, web::Access};
use serde_json::Value;

use crate::{
    browser::{Driver, axe_violations, overflow_x, sign_in},
    support::TestApp,
    sweeps::{account_with, demo_ids, fill_path},
};

/// The widths and heights every page is scanned at.
const WINDOWS: [(u32, u32); 2] = [(1366, 768), (390, 844)];

/// A route that answers with a page, not a file (`….docx`), a probe or a fragment's status.
fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.') && !matches!(path, "/healthz" | "/readyz") && !path.ends_with("/status")
}

/// Each violation's rule and the elements it found, in a line.
fn described(violations: &[Value]) -> String {
    violations
        .iter()
        .map(|v| {
            let targets: Vec<&str> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            format!("{} {}", v["id"], targets.join(" "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn every_page_of_every_role_passes_axe_and_fits_at_1366_and_at_390_px() {
    let app = TestApp::spawn().await;
    let ids = demo_ids(&app).await;
    // By account (a visitor is ""), the pages it may open.
    let mut visits: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for route in route_table() {
        if route.method != "GET" || !is_page(route.path) {
            continue;
        }
        let path = fill_path(route.path, |name| ids.for_placeholder(name, route.path));
        let accounts: Vec<&str> = match route.access {
            Access::Public => vec![""],
            Access::SignedIn => Role::ALL.iter().map(|r| account_with(*r)).collect(),
            Access::Roles(roles) => roles.iter().map(|r| account_with(*r)).collect(),
        };
        for account in accounts {
            visits.entry(account).or_default().push(path.clone());
        }
    }
    let driver = Driver::start();
    let browser = driver.browser().await;
    let (mut failures, mut scanned) = (Vec::new(), 0);
    for (account, pages) in visits {
        browser.set_window_size(1366, 768).await.unwrap();
        if !account.is_empty() {
            sign_in(&browser, &app.base_url, account).await;
        }
        for page in pages {
            browser
                .goto(&format!("{}{page}", app.base_url))
                .await
                .unwrap();
            for (width, height) in WINDOWS {
                browser.set_window_size(width, height).await.unwrap();
                let violations = axe_violations(&browser).await;
                if !violations.is_empty() {
                    let found = described(&violations);
                    failures.push(format!("{account} {page} at {width} px: {found}"));
                }
                let wider = overflow_x(&browser).await;
                if wider >= 1.0 {
                    failures.push(format!(
                        "{account} {page} at {width} px is {wider} px wider than the window"
                    ));
                }
                scanned += 1;
            }
        }
        browser.delete_all_cookies().await.unwrap();
    }
    browser.close().await.unwrap();
    assert!(
        scanned > 300,
        "only {scanned} scans: the route table was not read"
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
