//! Entering a budget figure: an amount is required, a negative one only on a line marked as
//! income or credit, and a total above the appropriation saves only once confirmed on the same
//! form. Every refusal keeps what was typed and saves nothing; every save is audited.

use crate::{
    projects::{budget_table, project_id},
    support::{CONTROLLER, Client, Page, TestApp},
};

/// Gemensamt e-arkiv: three lines, 300 000 + 1 100 000 + 400 000 = its appropriation 1 800 000.
async fn archive(app: &TestApp) -> String {
    project_id(app, "GSN 2022-14").await
}

/// The saved lines as (category, budget), in order.
async fn saved(app: &TestApp, project: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT category, budget::text FROM budget_line WHERE project_id = $1::uuid \
         ORDER BY position",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// Which saved lines are marked as income or credit, in order.
async fn marked(app: &TestApp, project: &str) -> Vec<bool> {
    sqlx::query_scalar(
        "SELECT income FROM budget_line WHERE project_id = $1::uuid ORDER BY position",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// A change a person makes to a form before submitting it.
enum Change<'a> {
    /// The `index`-th field called `name` (a text field) is set to the value.
    Set(&'a str, usize, &'a str),
    /// The checkbox `name` with this value is ticked.
    Check(&'a str, &'a str),
    /// The checkbox `name` with this value is unticked.
    Uncheck(&'a str, &'a str),
}
use Change::{Check, Set, Uncheck};

/// Submits the form for `action` as shown on `page` (a fresh page or one that refused a
/// save) after the given changes; everything else is posted as the page shows it.
async fn submit(client: &Client, page: &Page, action: &str, changes: &[Change<'_>]) -> Page {
    let mut values = page.form_values(action);
    let fields = page.form_fields(action).expect("the form");
    for change in changes {
        match change {
            Set(name, index, value) => {
                let at = values
                    .iter()
                    .enumerate()
                    .filter(|(_, (n, _))| n == name)
                    .map(|(i, _)| i)
                    .nth(*index)
                    .unwrap_or_else(|| panic!("no {name} #{index} in the form for {action}"));
                values[at].1 = (*value).to_owned();
            }
            Check(name, value) => {
                assert!(fields.iter().any(|f| f == name), "no {name} in {action}");
                values.push(((*name).to_owned(), (*value).to_owned()));
            }
            Uncheck(name, value) => {
                let before = values.len();
                values.retain(|(n, v)| !(n == name && v == value));
                assert_eq!(values.len() + 1, before, "{name}={value} was not ticked");
            }
        }
    }
    client.post_values(action, &values).await
}

/// The value of the checkbox with id `id` on the page, as the browser would post it.
fn checkbox_value(page: &Page, id: &str) -> String {
    let html = page.html();
    let selector = scraper::Selector::parse(&format!("input[type=checkbox]#{id}")).unwrap();
    let element = html
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("no checkbox #{id}"));
    assert!(
        element.value().attr("checked").is_none(),
        "asked, not ticked"
    );
    element.value().attr("value").unwrap().to_owned()
}

fn plain(text: &str) -> String {
    text.replace('\u{a0}', " ").replace('\u{2212}', "-")
}

#[tokio::test]
async fn an_empty_amount_asks_for_one_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = saved(&app, &id).await;
    let client = app.signed_in(CONTROLLER).await;
    let audit_before = app.count("SELECT count(*) FROM audit_log").await;
    let url = format!("/projekt/{id}/budget");
    let page = client.get(&url).await;
    let refused = submit(
        &client,
        &page,
        &url,
        &[Set("budgets", 0, "290 000"), Set("budgets", 1, "")],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("line-1-budget").unwrap(),
        "Ange ett belopp för ”Licenser och införande”."
    );
    assert_eq!(refused.value("#line-0-budget").as_deref(), Some("290 000"));
    assert_eq!(refused.value("#line-1-budget").as_deref(), Some(""));

    let new_line = format!("{url}/rader");
    let refused = submit(
        &client,
        &page,
        &new_line,
        &[Set("category", 0, "Konsultstöd"), Set("budget", 0, " ")],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("new-budget").unwrap(),
        "Ange ett belopp för ”Konsultstöd”."
    );
    assert_eq!(
        refused.value("#new-category").as_deref(),
        Some("Konsultstöd")
    );
    assert_eq!(saved(&app, &id).await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn a_negative_amount_needs_a_line_marked_as_income_or_credit() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = saved(&app, &id).await;
    let client = app.signed_in(CONTROLLER).await;
    let audit_before = app.count("SELECT count(*) FROM audit_log").await;
    let url = format!("/projekt/{id}/budget");
    let new_line = format!("{url}/rader");

    // A cost line: refused next to the field, with what was typed kept.
    let page = client.get(&url).await;
    let refused = submit(&client, &page, &url, &[Set("budgets", 2, "−50 000")]).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("line-2-budget").unwrap(),
        "Budget för ”Migrering av äldre arkiv”: ”−50 000” är negativt. Bara en post markerad \
         som intäkt/kreditering kan ha ett negativt belopp."
    );
    assert_eq!(refused.value("#line-2-budget").as_deref(), Some("−50 000"));
    let refused = submit(
        &client,
        &page,
        &new_line,
        &[
            Set("category", 0, "Statsbidrag"),
            Set("budget", 0, "-200 tkr"),
        ],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("new-budget")
            .unwrap()
            .contains("är negativt")
    );
    assert_eq!(refused.value("#new-budget").as_deref(), Some("-200 tkr"));
    assert_eq!(saved(&app, &id).await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log").await,
        audit_before
    );

    // Marked as income or credit, the same figures save.
    let created = submit(&client, &refused, &new_line, &[Check("income", "1")]).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let line = saved(&app, &id).await;
    assert_eq!(line[3], ("Statsbidrag".into(), "-200000.00".into()));
    assert_eq!(marked(&app, &id).await, [false, false, false, true]);
    let page = client.get(&url).await;
    let migration = saved_id(&app, &id, 2).await;
    let table = budget_table(&page.body);
    assert_eq!(plain(&table[4][1]), "-200 000");
    let credit = submit(
        &client,
        &page,
        &url,
        &[Set("budgets", 2, "−50 000"), Check("incomes", &migration)],
    )
    .await;
    assert_eq!(credit.status, 303, "{}", credit.body);
    assert_eq!(saved(&app, &id).await[2].1, "-50000.00");
    assert_eq!(marked(&app, &id).await, [false, false, true, true]);
    // The marking is shown and kept on the next load, and unmarking a negative line is refused.
    let page = client.get(&url).await;
    assert!(
        page.html()
            .select(&scraper::Selector::parse("#line-2-income[checked]").unwrap())
            .next()
            .is_some()
    );
    let refused = submit(&client, &page, &url, &[Uncheck("incomes", &migration)]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .field_error("line-2-budget")
            .unwrap()
            .contains("är negativt")
    );

    let audited: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT action, field, old_value, new_value FROM audit_log \
         WHERE entity = 'budget_line' AND field IN ('income', 'budget') ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let audited: Vec<(String, String, String, String)> = audited
        .into_iter()
        .map(|(a, f, o, n)| (a, f, plain(&o), plain(&n)))
        .collect();
    assert_eq!(
        audited,
        [
            (
                "budget_line_created".into(),
                "budget".into(),
                "".into(),
                "-200 000".into()
            ),
            (
                "budget_line_created".into(),
                "income".into(),
                "".into(),
                "ja".into()
            ),
            (
                "budget_line_updated".into(),
                "budget".into(),
                "400 000".into(),
                "-50 000".into()
            ),
            (
                "budget_line_updated".into(),
                "income".into(),
                "nej".into(),
                "ja".into()
            ),
        ]
    );
}

/// The id of the `index`-th line of the project.
async fn saved_id(app: &TestApp, project: &str, index: i64) -> String {
    sqlx::query_scalar(
        "SELECT id::text FROM budget_line WHERE project_id = $1::uuid ORDER BY position \
         OFFSET $2 LIMIT 1",
    )
    .bind(project)
    .bind(index)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_total_above_the_appropriation_saves_only_once_confirmed_on_the_same_form() {
    let app = TestApp::spawn().await;
    let id = archive(&app).await;
    let before = saved(&app, &id).await;
    let client = app.signed_in(CONTROLLER).await;
    let audit_before = app.count("SELECT count(*) FROM audit_log").await;
    let url = format!("/projekt/{id}/budget");

    // 300 000 → 500 000 takes the total to 2 000 000, over 1 800 000: asked, not saved.
    let page = client.get(&url).await;
    let asked = submit(&client, &page, &url, &[Set("budgets", 0, "500 000")]).await;
    assert_eq!(asked.status, 422);
    assert_eq!(
        plain(&asked.field_error("confirm_over").unwrap()),
        "Budgeten blir 2 000 000 kr, över anslaget 1 800 000 kr. Spara ändå?"
    );
    assert_eq!(asked.value("#line-0-budget").as_deref(), Some("500 000"));
    assert_eq!(
        asked.text("label[for=confirm_over]"),
        "Ja, spara budgeten över anslaget"
    );
    assert_eq!(saved(&app, &id).await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log").await,
        audit_before
    );

    // A confirmation of that total does not cover another one typed after it.
    let confirm = checkbox_value(&asked, "confirm_over");
    let other = submit(
        &client,
        &asked,
        &url,
        &[
            Set("budgets", 0, "600 000"),
            Check("confirm_over", &confirm),
        ],
    )
    .await;
    assert_eq!(other.status, 422);
    assert!(
        plain(&other.field_error("confirm_over").unwrap())
            .starts_with("Budgeten blir 2 100 000 kr")
    );
    assert_eq!(saved(&app, &id).await, before);

    // Ticked on the form that asked, it saves, says so, and the log has both figures.
    let confirmed = submit(&client, &asked, &url, &[Check("confirm_over", &confirm)]).await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_eq!(saved(&app, &id).await[0].1, "500000.00");
    assert_eq!(
        plain(&client.get(&url).await.text(".flash")),
        "Budgetposten har sparats. Budgeten är 2 000 000 kr, över anslaget 1 800 000 kr."
    );
    let over: Vec<(String, String)> = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE action = 'budget_over_appropriation'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        over.iter()
            .map(|(o, n)| (plain(o), plain(n)))
            .collect::<Vec<_>>(),
        [(
            "1 800 000".to_owned(),
            "2 000 000 (anslag 1 800 000)".to_owned()
        )]
    );

    // Lowering a total that is still over is not a decision to go over: no question.
    let page = client.get(&url).await;
    let lowered = submit(&client, &page, &url, &[Set("budgets", 0, "450 000")]).await;
    assert_eq!(lowered.status, 303, "{}", lowered.body);

    // A new line and the line's own page ask the same way, keeping what was typed.
    let new_line = format!("{url}/rader");
    let asked = submit(
        &client,
        &page,
        &new_line,
        &[
            Set("category", 0, "Extra licenser"),
            Set("budget", 0, "100 000"),
        ],
    )
    .await;
    assert_eq!(asked.status, 422);
    assert_eq!(
        plain(&asked.field_error("new-confirm_over").unwrap()),
        "Budgeten blir 2 050 000 kr, över anslaget 1 800 000 kr. Spara ändå?"
    );
    assert_eq!(
        asked.value("#new-category").as_deref(),
        Some("Extra licenser")
    );
    assert_eq!(asked.value("#new-budget").as_deref(), Some("100 000"));
    assert_eq!(saved(&app, &id).await.len(), 3);
    let confirm = checkbox_value(&asked, "new-confirm_over");
    let added = submit(
        &client,
        &asked,
        &new_line,
        &[Check("confirm_over", &confirm)],
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(saved(&app, &id).await.len(), 4);

    let line_url = format!(
        "/projekt/{id}/budget/rader/{}",
        saved_id(&app, &id, 1).await
    );
    let page = client.get(&line_url).await;
    let asked = submit(&client, &page, &line_url, &[Set("budgets", 0, "1 200 000")]).await;
    assert_eq!(asked.status, 422);
    assert_eq!(
        plain(&asked.field_error("confirm_over").unwrap()),
        "Budgeten blir 2 150 000 kr, över anslaget 1 800 000 kr. Spara ändå?"
    );
    assert_eq!(asked.value("#line-0-budget").as_deref(), Some("1 200 000"));
    let confirm = checkbox_value(&asked, "confirm_over");
    let saved_line = submit(
        &client,
        &asked,
        &line_url,
        &[Check("confirm_over", &confirm)],
    )
    .await;
    assert_eq!(saved_line.status, 303, "{}", saved_line.body);
    assert_eq!(saved(&app, &id).await[1].1, "1200000.00");
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'budget_over_appropriation'")
            .await,
        3
    );
}
