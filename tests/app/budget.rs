//! Budget lines and outcome: controllers edit in the browser, bad input changes nothing, a stale
//! save is refused with both values, and concurrent saves never lose an update.

use std::sync::Arc;

use crate::{
    projects::{SEED_000, budget_table, project_id},
    support::{CONTROLLER, Client, IT_CENTER, TestApp},
};

struct Line {
    id: String,
    version: i32,
    category: String,
    budget: String,
}

async fn lines(app: &TestApp, project: &str) -> Vec<Line> {
    let rows: Vec<(String, i32, String, String)> = sqlx::query_as(
        "SELECT id::text, version, category, budget::text FROM budget_line \
         WHERE project_id = $1::uuid ORDER BY position",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, version, category, budget)| Line {
            id,
            version,
            category,
            budget,
        })
        .collect()
}

/// The grid as posted: every line with its version, `budgets[i]` replaced where given.
fn grid<'a>(lines: &'a [Line], budgets: &'a [(usize, &'a str)]) -> Vec<(&'static str, String)> {
    let mut fields = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let budget = budgets
            .iter()
            .find(|(j, _)| *j == i)
            .map_or_else(|| line.budget.replace('.', ","), |(_, b)| (*b).to_owned());
        fields.push(("ids", line.id.clone()));
        fields.push(("versions", line.version.to_string()));
        fields.push(("categories", line.category.clone()));
        fields.push(("sub_entities", String::new()));
        fields.push(("budgets", budget));
    }
    fields
}

async fn post(
    client: &Client,
    from: &str,
    to: &str,
    fields: &[(&'static str, String)],
) -> crate::support::Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_from(from, to, &borrowed).await
}

/// The grid form's fields exactly as the page rendered them (hidden and visible).
fn grid_as_rendered(page: &crate::support::Page, url: &str) -> Vec<(&'static str, String)> {
    let html = page.html();
    let controls = scraper::Selector::parse(&format!(
        "form[action='{url}'] input[name], form[action='{url}'] select[name]"
    ))
    .unwrap();
    let option = scraper::Selector::parse("option[selected]").unwrap();
    let names = [
        "ids",
        "versions",
        "categories",
        "sub_entities",
        "budgets",
        "original_categories",
        "original_sub_entities",
        "original_budgets",
        "original_incomes",
        "incomes",
    ];
    html.select(&controls)
        .filter(|e| {
            e.value().attr("type") != Some("checkbox") || e.value().attr("checked").is_some()
        })
        .filter_map(|e| {
            let name = names
                .into_iter()
                .find(|n| Some(*n) == e.value().attr("name"))?;
            let value = if e.value().name() == "select" {
                e.select(&option)
                    .next()
                    .and_then(|o| o.value().attr("value"))
                    .unwrap_or("")
            } else {
                e.value().attr("value").unwrap_or("")
            };
            Some((name, value.to_owned()))
        })
        .collect()
}

/// A project without sub-entities, so the grid's empty sub-entity column is the truth. Its
/// lines add up to exactly its appropriation (1 800 000), so these tests, which raise figures
/// to check other things, give it room first; saving above the appropriation asks for a
/// confirmation, which `budget_entry.rs` tests.
async fn archive(app: &TestApp) -> String {
    let id = project_id(app, "GSN 2022-14").await;
    sqlx::query("UPDATE project SET appropriation = 2500000 WHERE id = $1::uuid")
        .bind(&id)
        .execute(&app.db)
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_controller_saves_the_grid_in_swedish_notation_and_it_is_in_the_history() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = lines(&app, &id).await;
    let client = app.signed_in(CONTROLLER).await;
    let page_url = format!("/projekt/{id}/budget");
    let saved = post(
        &client,
        &page_url,
        &page_url,
        &grid(&before, &[(0, "0,35 mnkr"), (2, "412 tkr")]),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = lines(&app, &id).await;
    assert_eq!(after[0].budget, "350000.00");
    assert_eq!(after[1].budget, before[1].budget);
    assert_eq!(after[2].budget, "412000.00");
    assert_eq!(after[0].version, before[0].version + 1);
    assert_eq!(
        after[1].version, before[1].version,
        "an unchanged line is not touched"
    );

    let page = client.get(&page_url).await;
    let table = budget_table(&page.body);
    assert_eq!(table[1][1], "350\u{a0}000");
    assert_eq!(table.last().unwrap()[1], "1\u{a0}862\u{a0}000");
    let history = client.get(&format!("/projekt/{id}/historik")).await;
    let rows = history.texts("table tbody tr");
    assert!(
        rows.iter()
            .any(|r| r
                .contains("Budgetpost ändrad Upphandling och förstudie Budget 300 000 350 000")),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r.contains("Budget 400 000 412 000")));
}

#[tokio::test]
async fn a_bad_amount_is_named_echoed_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = lines(&app, &id).await;
    let client = app.signed_in(CONTROLLER).await;
    let audit_before = app.count("SELECT count(*) FROM audit_log").await;
    let url = format!("/projekt/{id}/budget");
    let refused = post(
        &client,
        &url,
        &url,
        &grid(&before, &[(0, "350 000"), (1, "12,34,56")]),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("line-1-budget").unwrap(),
        "Budget för ”Licenser och införande”: ”12,34,56” är inget belopp. Skriv till exempel 3 200 000, 3 200 000,50, 3,2 mnkr eller 2 636 tkr."
    );
    // What was typed stays, on every line.
    assert_eq!(refused.value("#line-0-budget").as_deref(), Some("350 000"));
    assert_eq!(refused.value("#line-1-budget").as_deref(), Some("12,34,56"));
    let after = lines(&app, &id).await;
    assert_eq!(
        after[0].budget, before[0].budget,
        "the valid line is not saved either"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log").await,
        audit_before
    );

    for bad in ["NaN", "1e309", "3,001", "1 234 567 890 123"] {
        let page = post(&client, &url, &url, &grid(&before, &[(2, bad)])).await;
        assert_eq!(page.status, 422, "{bad}");
        assert!(
            page.field_error("line-2-budget")
                .unwrap()
                .contains(&format!("”{bad}”")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_stale_save_shows_both_values_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = lines(&app, &id).await;
    let url = format!("/projekt/{id}/budget");
    let first = app.signed_in(CONTROLLER).await;
    let second = app.signed_in(CONTROLLER).await;
    assert_eq!(
        post(&first, &url, &url, &grid(&before, &[(0, "320 000")]))
            .await
            .status,
        303
    );
    let refused = post(&second, &url, &url, &grid(&before, &[(0, "290 000")])).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.text(".conflict").contains("budget 320 000 kr"),
        "{}",
        refused.text(".conflict")
    );
    assert_eq!(refused.value("#line-0-budget").as_deref(), Some("290 000"));
    assert_eq!(lines(&app, &id).await[0].budget, "320000.00");
    // Saving again from the refused form, having seen theirs, lands.
    let fields = grid_as_rendered(&refused, &url);
    assert_eq!(post(&second, &url, &url, &fields).await.status, 303);
    assert_eq!(lines(&app, &id).await[0].budget, "290000.00");
}

#[tokio::test]
async fn outcome_entries_add_up_and_bad_months_are_refused() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let line = &lines(&app, &id).await[2]; // Kompetensöverföring: no outcome yet
    let client = app.signed_in(CONTROLLER).await;
    let url = format!("/projekt/{id}/budget/rader/{}", line.id);
    let action = format!("{url}/utfall");
    let bad = client
        .post_from(
            &url,
            &action,
            &[("month", "2023-13"), ("amount", "25 000"), ("text", "Kurs")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("month").unwrap().contains("”2023-13”"));
    assert_eq!(bad.value("#amount").as_deref(), Some("25 000"));
    let empty = client
        .post_from(
            &url,
            &action,
            &[("month", "2022-11"), ("amount", " "), ("text", "Kurs")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(
        empty.field_error("amount").unwrap(),
        "Fel: Ange ett belopp."
    );
    assert_eq!(empty.value("#text").as_deref(), Some("Kurs"));
    assert_eq!(
        client
            .post_from(
                &url,
                &action,
                &[("month", "2022-11"), ("amount", "25 000"), ("text", "Kurs")]
            )
            .await
            .status,
        303
    );
    assert_eq!(
        client
            .post_from(
                &url,
                &action,
                &[
                    ("month", "2022-12"),
                    ("amount", "−5 000"),
                    ("text", "Kreditering")
                ]
            )
            .await
            .status,
        303
    );
    let table = budget_table(&client.get(&format!("/projekt/{id}")).await.body);
    assert_eq!(
        table[3],
        [
            "Kompetensöverföring, leverantör",
            "100\u{a0}000",
            "20\u{a0}000",
            "80\u{a0}000"
        ]
    );
    assert_eq!(table.last().unwrap()[2], "2\u{a0}655\u{a0}859");
    assert_eq!(table.last().unwrap()[3], "44\u{a0}141");
    // The list's totals follow (all lines, the VA lines included in the budget).
    let list = client.get("/projekt?q=KS+2020-339").await;
    let cells = list.texts("table.project-list tbody td");
    assert_eq!(
        cells[6..9],
        ["3 200 000", "3 200 000", "2 655 859"],
        "{cells:?}"
    );
}

#[tokio::test]
async fn it_center_cannot_change_figures() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = lines(&app, &id).await;
    let client = app.signed_in(IT_CENTER).await;
    let url = format!("/projekt/{id}/budget");
    assert_eq!(
        post(&client, &url, &url, &grid(&before, &[(0, "1")]))
            .await
            .status,
        403
    );
    assert!(!client.get(&url).await.body.contains("Spara budget"));
}

/// 20 tasks, 1 000 saves of conflicting amounts to one line: each save lands with its audit
/// entry or is refused as stale; the final value is the last audited one; nothing is lost.
#[tokio::test]
async fn concurrent_saves_never_lose_an_update() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let line = lines(&app, &id).await.into_iter().next().unwrap();
    let url = Arc::new(format!("/projekt/{id}/budget/rader/{}", line.id));
    let mut tasks = Vec::new();
    for task in 0..20_i64 {
        let client = app.signed_in(CONTROLLER).await;
        let token = client.get(&url).await.csrf_token();
        let db = app.db.clone();
        let url = url.clone();
        let line_id = line.id.clone();
        let category = line.category.clone();
        tasks.push(tokio::spawn(async move {
            let (mut landed, mut stale) = (0, 0);
            for i in 0..50_i64 {
                let version: i32 =
                    sqlx::query_scalar("SELECT version FROM budget_line WHERE id = $1::uuid")
                        .bind(&line_id)
                        .fetch_one(&db)
                        .await
                        .unwrap();
                let amount = (task * 1_000 + i + 1).to_string();
                let page = client
                    .post_raw(
                        &url,
                        &[
                            ("csrf_token", token.as_str()),
                            ("ids", line_id.as_str()),
                            ("versions", &version.to_string()),
                            ("categories", category.as_str()),
                            ("sub_entities", ""),
                            ("budgets", &amount),
                        ],
                    )
                    .await;
                match page.status {
                    303 => landed += 1,
                    409 => stale += 1,
                    other => panic!("unexpected {other}: {}", page.body),
                }
            }
            (landed, stale)
        }));
    }
    let (mut landed, mut stale) = (0, 0);
    for task in tasks {
        let (l, s) = task.await.unwrap();
        landed += l;
        stale += s;
    }
    assert_eq!(landed + stale, 1_000);
    assert!(landed > 0);
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE entity = 'budget_line' \
         AND entity_id = $1 AND field = 'budget' ORDER BY id",
    )
    .bind(&line.id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audited.len(),
        landed,
        "every landed save is audited, nothing else"
    );
    // The audit entries form one unbroken chain: each starts where the previous ended.
    for pair in audited.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].0,
            "a save was based on a value nobody saw"
        );
    }
    let (final_value, version): (String, i32) =
        sqlx::query_as("SELECT budget::text, version FROM budget_line WHERE id = $1::uuid")
            .bind(&line.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let last = &audited.last().unwrap().1;
    assert_eq!(
        last.replace('\u{a0}', ""),
        final_value.trim_end_matches(".00")
    );
    assert_eq!(version, line.version + i32::try_from(landed).unwrap());
}

#[tokio::test]
async fn a_withdrawn_sub_entity_is_shown_incl_and_excl_in_the_total() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let client = app.signed_in(CONTROLLER).await;
    let url = format!("/projekt/{id}/budget");
    let subs = format!("{url}/delenheter");
    let missing = client
        .post_from(
            &url,
            &subs,
            &[
                ("sub_name", "Bostadsbolaget"),
                ("sub_short_name", ""),
                ("excluded", "1"),
            ],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(
        missing.value("#sub_name").as_deref(),
        Some("Bostadsbolaget")
    );
    assert!(missing.field_error("sub_short_name").is_some());
    let created = client
        .post_from(
            &url,
            &subs,
            &[
                ("sub_name", "Bostadsbolaget"),
                ("sub_short_name", "BB"),
                ("excluded", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let sub: String =
        sqlx::query_scalar("SELECT id::text FROM sub_entity WHERE name = 'Bostadsbolaget'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let line = client
        .post_from(
            &url,
            &format!("{url}/rader"),
            &[
                ("category", "Licenser"),
                ("sub_entity", &sub),
                ("budget", "200 tkr"),
            ],
        )
        .await;
    assert_eq!(line.status, 303, "{}", line.body);
    let table = budget_table(&client.get(&url).await.body);
    assert_eq!(
        table[4],
        ["Licenser (Bostadsbolaget)", "200\u{a0}000", "", ""]
    );
    assert_eq!(
        table.last().unwrap()[1],
        "2\u{a0}000\u{a0}000 inkl BB 1\u{a0}800\u{a0}000 exkl BB"
    );
    assert_eq!(table.last().unwrap()[3], "789\u{a0}500");
}

/// Someone else changes a line you did not touch: your save of another line lands and their
/// figure stays. Only the lines you edited are compared with what is saved.
#[tokio::test]
async fn saving_the_grid_never_reverts_a_line_someone_else_changed() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let url = format!("/projekt/{id}/budget");
    let me = app.signed_in(CONTROLLER).await;
    let colleague = app.signed_in(CONTROLLER).await;
    let mine = grid_as_rendered(&me.get(&url).await, &url);
    let before = lines(&app, &id).await;
    assert_eq!(
        post(&colleague, &url, &url, &grid(&before, &[(1, "1 200 000")]))
            .await
            .status,
        303
    );

    let mut budgets = 0;
    let edited: Vec<(&'static str, String)> = mine
        .into_iter()
        .map(|(name, value)| {
            if name == "budgets" {
                budgets += 1;
                if budgets == 1 {
                    return (name, "333 000".to_owned());
                }
            }
            (name, value)
        })
        .collect();
    let saved = post(&me, &url, &url, &edited).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = lines(&app, &id).await;
    assert_eq!(after[0].budget, "333000.00");
    assert_eq!(
        after[1].budget, "1200000.00",
        "the colleague's figure stays"
    );
}

#[tokio::test]
async fn the_line_form_answers_on_its_own_page() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let line = &lines(&app, &id).await[0];
    let client = app.signed_in(CONTROLLER).await;
    let url = format!("/projekt/{id}/budget/rader/{}", line.id);
    let page = client.get(&url).await;
    let mut fields = grid_as_rendered(&page, &url);
    for (name, value) in &mut fields {
        if *name == "budgets" {
            *value = "tre miljoner".to_owned();
        }
    }
    let refused = post(&client, &url, &url, &fields).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text("h2").contains("Upphandling och förstudie"),
        "the line's own page"
    );
    assert!(
        refused
            .field_error("line-0-budget")
            .unwrap()
            .contains("”tre miljoner” är inget belopp")
    );
    assert_eq!(
        refused.value("#line-0-budget").as_deref(),
        Some("tre miljoner")
    );
    for (name, value) in &mut fields {
        if *name == "budgets" {
            *value = "310 000".to_owned();
        }
    }
    let saved = post(&client, &url, &url, &fields).await;
    assert_eq!(saved.status, 303);
    assert_eq!(saved.location(), Some(url.as_str()));
    assert_eq!(lines(&app, &id).await[0].budget, "310000.00");
}
