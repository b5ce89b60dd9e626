//! The benefit, fund and auditor pages in a real browser: no accessibility violations (axe) for
//! the people who use them, on the demo's data.

use crate::{
    browser::{Driver, scan_pages},
    projects::project_id,
    support::TestApp,
};

async fn id(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test]
async fn benefit_fund_and_auditor_pages_have_no_accessibility_violations() {
    let app = TestApp::spawn().await;
    let calc = id(
        &app,
        "SELECT id::text FROM benefit_calculation WHERE item_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .await;
    let frozen = id(&app, "SELECT c.id::text FROM benefit_calculation c JOIN benefit_calculation_version v ON v.calculation_id = c.id LIMIT 1").await;
    let benefit = id(&app, "SELECT b.id::text FROM benefit b JOIN benefit_measurement m ON m.benefit_id = b.id LIMIT 1").await;
    let fund = id(&app, "SELECT id::text FROM fund ORDER BY year DESC LIMIT 1").await;
    let granted = id(
        &app,
        "SELECT id::text FROM fund_application WHERE status = 'granted' ORDER BY title LIMIT 1",
    )
    .await;
    let open = id(
        &app,
        "SELECT id::text FROM fund_application WHERE status = 'applied' LIMIT 1",
    )
    .await;
    let huddinge = app.municipality_id("Huddinge").await;
    let project = project_id(&app, "GSN 2023-5").await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    let accounts = [
        (
            "itcenter@demo.portfolj.se",
            vec![
                format!("/nyttokalkyler/{calc}"),
                format!("/nyttokalkyler/{frozen}?version=1"),
                format!("/projekt/{project}/nyttokalkyl"),
                "/nyttor".to_owned(),
                format!("/nyttor/{benefit}"),
                "/fond".to_owned(),
                format!("/fond/{fund}"),
                format!("/fond/ansokningar/{granted}"),
                format!("/fond/ansokningar/{open}"),
            ],
        ),
        (
            "controller@demo.portfolj.se",
            vec!["/".to_owned(), format!("/nyttor/{benefit}")],
        ),
        (
            "revisor.huddinge@demo.portfolj.se",
            vec![
                "/".to_owned(),
                format!("/revision?kommun={huddinge}&ar=2026"),
                format!("/revision/kontroll?k=fonden&kommun={huddinge}&ar=2026"),
                format!("/revision/kontroll?k=smart&kommun={huddinge}&ar=2026"),
                "/nyttor?slag=qualitative".to_owned(),
            ],
        ),
        ("admin@demo.portfolj.se", vec!["/admin/kommuner".to_owned()]),
    ];
    scan_pages(&browser, &app.base_url, accounts.into(), false).await;
    browser.close().await.unwrap();
}
