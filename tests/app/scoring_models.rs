//! Prioritisation models as the administrator, IT-center and the coordination group use them:
//! a model copied and defined (criteria, scale, weights) with bad input refused next to its
//! field, a round switched to it, items scored on its own criteria and valued by hand on the
//! board and in the suggestion; the benefit-calculation model reading the item's calculation;
//! and a decided round keeping the model and the values it was decided with.

use crate::{
    benefit_pages::{BY_HAND, add_benefits, start, without_demo_benefits},
    portfolio::round_id,
    support::{ADMIN, COORDINATION, Client, IT_CENTER, TestApp},
};

async fn model_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id::text FROM scoring_model WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn item_id(app: &TestApp, number: i32) -> String {
    sqlx::query_scalar("SELECT id::text FROM portfolio_item WHERE number = $1")
        .bind(number)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A copy of the model `from` named `name`; returns its page.
async fn copy_model(app: &TestApp, admin: &Client, from: &str, name: &str) -> String {
    let from = model_id(app, from).await;
    let created = admin
        .submit_form(
            "/prioriteringsmodeller",
            "/prioriteringsmodeller",
            &[("name", name), ("copy_of", &from)],
        )
        .await;
    assert_eq!(created.status, 303, "{:?}", created.texts(".field__error"));
    created.location().unwrap().to_owned()
}

/// The model form's values with the `n`-th value of each repeated field in `rows` replaced:
/// (field, row, value).
async fn model_form(
    admin: &Client,
    page: &str,
    fields: &[(&str, &str)],
    rows: &[(&str, usize, &str)],
) -> Vec<(String, String)> {
    let mut values = admin.get(page).await.form_values(page);
    for (name, value) in fields {
        let v = values.iter_mut().find(|(n, _)| n == name).unwrap();
        v.1 = (*value).to_owned();
    }
    for (name, row, value) in rows {
        let v = values
            .iter_mut()
            .filter(|(n, _)| n == name)
            .nth(*row)
            .unwrap_or_else(|| panic!("no row {row} of {name}"));
        v.1 = (*value).to_owned();
    }
    values
}

async fn choose_model(admin: &Client, round: &str, model: &str) {
    let page = format!("/omgangar/{round}");
    let chosen = admin
        .submit_form(
            &page,
            &format!("{page}/modell"),
            &[("scoring_model_id", model)],
        )
        .await;
    assert_eq!(chosen.status, 303, "{:?}", chosen.texts(".field__error"));
}

/// The cells of the row of item `reference` ("P-001") in the table rows matching `rows` on
/// `path`, each trimmed.
async fn row_cells(client: &Client, path: &str, rows: &str, reference: &str) -> Vec<String> {
    let page = client.get(path).await;
    let html = page.html();
    let row = scraper::Selector::parse(rows).unwrap();
    let cell = scraper::Selector::parse("td, th").unwrap();
    html.select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| {
                    c.text()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.iter().any(|c| c == reference))
        .unwrap_or_else(|| panic!("{reference} is not in {path}"))
}

/// The board's value cell of item `reference`.
async fn board_value(client: &Client, round: &str, reference: &str) -> String {
    let path = format!("/omgangar/{round}/rangordning");
    let page = client.get(&path).await;
    let html = page.html();
    let row = scraper::Selector::parse("#board-rows tr[data-item]").unwrap();
    let number = scraper::Selector::parse(".item-ref").unwrap();
    let cell = scraper::Selector::parse("td, th").unwrap();
    let found = html
        .select(&row)
        .find(|r| {
            r.select(&number)
                .any(|n| n.text().collect::<String>() == reference)
        })
        .unwrap_or_else(|| panic!("{reference} is not on {path}"));
    // Place, item (title and number), plan, municipalities, hours, cost, value.
    let cells: Vec<String> = found
        .select(&cell)
        .map(|c| c.text().collect::<String>().trim().to_owned())
        .collect();
    cells[6].clone()
}

#[tokio::test]
async fn an_administrator_defines_a_model_and_the_round_values_its_items_with_it() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let page = copy_model(
        &app,
        &admin,
        "WSJF, förseningskostnad per insats",
        "Vår WSJF",
    )
    .await;

    // Bad input is shown next to its field and changes nothing.
    let bad = model_form(
        &admin,
        &page,
        &[("scale_max", "0")],
        &[
            ("criterion_weight", 0, "tung"),
            ("criterion_name", 2, "Tidskritikalitet"),
        ],
    )
    .await;
    let refused = admin.post_values(&page, &bad).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("scale_max").is_some());
    assert!(
        refused
            .field_error("criterion_weight_0")
            .unwrap()
            .contains("”tung” är ingen vikt")
    );
    assert!(
        refused
            .field_error("criterion_name_2")
            .unwrap()
            .contains("redan ett kriterium")
    );
    assert_eq!(
        refused
            .form_values(&page)
            .iter()
            .find(|(n, _)| n == "criterion_weight")
            .unwrap()
            .1,
        "tung",
        "what was typed is kept"
    );
    assert_eq!(
        app.count("SELECT sum(weight) FROM scoring_criterion c JOIN scoring_model m ON m.id = c.model_id WHERE m.name = 'Vår WSJF'")
            .await,
        3
    );

    // Weights 2/1/1 and a fourth criterion that weighs nothing; the second blank row adds
    // nothing.
    let good = model_form(
        &admin,
        &page,
        &[],
        &[
            ("criterion_weight", 0, "2"),
            ("criterion_name", 3, "Arkitektur"),
            ("criterion_source", 3, "scored"),
            ("criterion_weight", 3, "0"),
        ],
    )
    .await;
    let saved = admin.post_values(&page, &good).await;
    assert_eq!(saved.status, 303, "{:?}", saved.texts(".field__error"));
    let shown = admin.get(&page).await;
    assert_eq!(
        shown.texts("#criteria tbody th"),
        [
            "Affärsvärde",
            "Tidskritikalitet",
            "Riskminskning och möjliggörande",
            "Arkitektur"
        ]
    );
    // A stale form is refused with what is saved now.
    let stale = admin.post_values(&page, &good).await;
    assert_eq!(stale.status, 409);
    assert!(
        stale
            .text(".conflict")
            .contains("Affärsvärde: Egen poäng i modellen (0 till skalans högsta), vikt 2")
    );

    // The open round values its items with the model; IT-center scores P-001 (320 hours).
    let q4 = round_id(&app, "2026-Q4").await;
    let model = model_id(&app, "Vår WSJF").await;
    choose_model(&admin, &q4, &model).await;
    let item = format!("/portfolj/{}", item_id(&app, 1).await);
    let it_center = app.signed_in(IT_CENTER).await;
    let scores = format!("{item}/poang");
    let form = it_center.get(&item).await.form_values(&scores);
    let criteria: Vec<String> = form
        .iter()
        .filter(|(n, _)| n == "criterion")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(criteria.len(), 4);
    let typed = |values: [&str; 4]| -> Vec<(String, String)> {
        let mut scores = values.iter();
        form.iter()
            .map(|(n, v)| match n.as_str() {
                "score" => (n.clone(), (*scores.next().unwrap()).to_owned()),
                _ => (n.clone(), v.clone()),
            })
            .collect()
    };
    let too_high = it_center
        .post_values(&scores, &typed(["13", "21", "3", ""]))
        .await;
    assert_eq!(too_high.status, 422);
    assert!(
        too_high
            .field_error(&format!("score_{}", criteria[1]))
            .unwrap()
            .contains("Ange ett heltal 0–20")
    );
    assert_eq!(app.count("SELECT count(*) FROM portfolio_item_score s JOIN scoring_criterion c ON c.id = s.criterion_id JOIN scoring_model m ON m.id = c.model_id WHERE m.name = 'Vår WSJF'").await, 0);
    let scored = it_center
        .post_values(&scores, &typed(["13", "8", "3", ""]))
        .await;
    assert_eq!(scored.status, 303, "{}", scored.body);

    // By hand: (2 × 13/20 + 1 × 8/20 + 1 × 3/20 + 0 × 0/20) ÷ 4 × 100 = 46,25 → 46,3;
    // per effort: 46,25 × 100 ÷ 320 = 14,45… → 14,5.
    let valued = it_center.get(&item).await;
    let said = valued.text("#nyttovardering + p");
    assert!(said.contains("Vår WSJF"), "{said}");
    assert!(said.contains("nytta 46,3 av 100, WSJF 14,5"), "{said}");
    assert_eq!(
        valued.text(".formula"),
        "Uträkning: (2 × 13/20 + 1 × 8/20 + 1 × 3/20 + 0 × 0/20) ÷ 4 × 100 = 46,3; per insats: 46,3 × 100 ÷ 320 timmar = 14,5"
    );
    let coordination = app.signed_in(COORDINATION).await;
    assert_eq!(
        board_value(&coordination, &q4, "P-001").await,
        "46,3 (WSJF 14,5)"
    );
    // The suggestion values it the same way; items without scores bring nothing.
    let path = format!("/omgangar/{q4}/forslag");
    let row = row_cells(&coordination, &path, "tbody tr", "P-001").await;
    assert!(row.contains(&"46,3".to_owned()), "{row:?}");
    let suggestion = coordination.get(&path).await;
    assert!(
        suggestion
            .texts("tbody tr")
            .iter()
            .filter(|r| r.contains("ingen nytta i nyttovärderingen"))
            .count()
            > 10
    );

    // Every change is in the audit log with the old and the new value.
    for (action, field, old, new) in [
        (
            "round_model_chosen",
            "scoring_model",
            "Samordningsgruppens nyttovärdering",
            "Vår WSJF",
        ),
        ("portfolio_item_scored", "Vår WSJF: Affärsvärde", "", "13"),
    ] {
        let logged = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM audit_log WHERE action = $1 AND field = $2 \
             AND coalesce(old_value, '') = $3 AND new_value = $4",
        )
        .bind(action)
        .bind(field)
        .bind(old)
        .bind(new)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(logged, 1, "{action} {field}");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'scoring_model_updated' AND field = 'criteria'")
            .await,
        1
    );

    // A form for another model than the round's is stale, and saves nothing.
    let mut other = typed(["1", "1", "1", ""]);
    other.iter_mut().find(|(n, _)| n == "model").unwrap().1 =
        model_id(&app, "WSJF, förseningskostnad per insats").await;
    let refused = it_center.post_values(&scores, &other).await;
    assert_eq!(refused.status, 409);
    assert!(refused.text(".conflict").contains("Affärsvärde 13"));
    // A model's name is its own in any letter case.
    let twin = admin
        .submit_form(
            "/prioriteringsmodeller",
            "/prioriteringsmodeller",
            &[("name", "VÅR wsjf"), ("copy_of", &model)],
        )
        .await;
    assert_eq!(twin.status, 422);
    assert!(
        twin.field_error("name")
            .unwrap()
            .contains("redan en modell")
    );
    // The scale is not lowered under a score an item has.
    let lower = model_form(&admin, &page, &[("scale_max", "10")], &[]).await;
    let refused = admin.post_values(&page, &lower).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("scale_max")
            .unwrap()
            .contains("1 poäng")
    );
    // A criterion that no longer scores by hand reads its new source, not the score it had:
    // Affärsvärde now reads P-001's citizen score, 5 of 5.
    let moved = model_form(&admin, &page, &[], &[("criterion_source", 0, "citizen")]).await;
    assert_eq!(admin.post_values(&page, &moved).await.status, 303);
    let formula = it_center.get(&item).await.text(".formula");
    assert!(
        formula.starts_with("Uträkning: (2 × 5/5 + 1 × 8/20"),
        "{formula}"
    );
}

#[tokio::test]
async fn the_calculation_model_reads_the_items_calculation_and_a_decided_round_keeps_it() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let admin = app.signed_in(ADMIN).await;
    let page = copy_model(&app, &admin, "Nyttokalkyl", "Kalkylen, steg om 50 000").await;
    let values = model_form(&admin, &page, &[("kronor_per_step", "50 000")], &[]).await;
    assert_eq!(admin.post_values(&page, &values).await.status, 303);
    let q4 = round_id(&app, "2026-Q4").await;
    choose_model(
        &admin,
        &q4,
        &model_id(&app, "Kalkylen, steg om 50 000").await,
    )
    .await;

    // The hand calculation on the item ranked first: net present value 119 135,55 kr and one
    // qualitative benefit rated 4. By hand: 119 135,55 ÷ 50 000 = 2,38 → 2 steps of 5;
    // (70 × 2/5 + 30 × 4/5) ÷ 100 × 100 = 52.
    let item: String = sqlx::query_scalar(
        "SELECT i.id::text FROM round_item ri JOIN portfolio_item i ON i.id = ri.item_id \
         WHERE ri.round_id = $1::uuid AND ri.rank = 1",
    )
    .bind(&q4)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let reference: String = sqlx::query_scalar(
        "SELECT 'P-' || lpad(number::text, 3, '0') FROM portfolio_item WHERE id = $1::uuid",
    )
    .bind(&item)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let it_center = app.signed_in(IT_CENTER).await;
    let calc = start(
        &it_center,
        &format!("/portfolj/{item}/nyttokalkyl"),
        &BY_HAND,
    )
    .await;
    add_benefits(&it_center, &calc).await;
    let shown = it_center.get(&format!("/portfolj/{item}")).await;
    assert_eq!(
        shown.text(".formula"),
        "Uträkning: (70 × 2/5 + 30 × 4/5) ÷ 100 × 100 = 52"
    );
    assert!(
        shown
            .text("main")
            .contains("(nettonuvärde 119 136 kr ÷ 50 000 kr per steg)2 av 5"),
        "{}",
        shown.text("main")
    );
    let coordination = app.signed_in(COORDINATION).await;
    assert_eq!(board_value(&coordination, &q4, &reference).await, "52");

    // A calculation changed while the group decides makes the decision form stale.
    let decision = format!("/omgangar/{q4}/beslut");
    let shown_form = coordination
        .get(&decision)
        .await
        .filled_in(&decision, &[("confirm", "ja")]);
    let page_before = it_center.get(&calc).await;
    let option = page_before
        .html()
        .select(&scraper::Selector::parse("#stakeholder option").unwrap())
        .filter_map(|o| o.value().attr("value").map(str::to_owned))
        .find(|v| !v.is_empty())
        .unwrap();
    let rated = [
        ("stakeholder", option.as_str()),
        ("description", "Bättre arbetsmiljö"),
        ("kind", "qualitative"),
        ("rating", "5"),
        ("rating_reason", "Färre avbrott"),
    ];
    let added = it_center
        .submit_form(&calc, &format!("{calc}/nyttor"), &rated)
        .await;
    assert_eq!(added.status, 303);
    assert_eq!(
        coordination
            .post_values(&decision, &shown_form)
            .await
            .status,
        409
    );
    // By hand now: ratings 4 and 5, mean 4,5 → 5; (70 × 2/5 + 30 × 5/5) = 58.
    assert_eq!(board_value(&coordination, &q4, &reference).await, "58");

    // The group decides; the model is frozen and the round keeps the values it decided with,
    // though the calculation changes afterwards.
    let decided = coordination
        .submit_form(&decision, &decision, &[("confirm", "ja")])
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let edited = it_center
        .submit_form(
            &calc,
            &format!("{calc}/indata"),
            &[("investment", "900 000")],
        )
        .await;
    assert_eq!(edited.status, 303);
    assert_eq!(board_value(&coordination, &q4, &reference).await, "58");
    let item_page = it_center.get(&format!("/portfolj/{item}")).await;
    assert!(
        item_page
            .text(".formula")
            .starts_with("Uträkning: (70 × 0/5")
    );
    let protocol = coordination.get(&format!("/omgangar/{q4}")).await;
    assert!(protocol.text("#modell + p").contains("låst"));

    let frozen = admin.get(&page).await;
    assert!(frozen.text(".notice").contains("2026-Q4"));
    assert!(frozen.form_fields(&page).is_none());
    let changed = admin.post_values(&page, &values).await;
    assert_eq!(changed.status, 409);
    // The database refuses it too, whoever asks.
    let direct = sqlx::query("UPDATE scoring_criterion SET weight = 1 WHERE model_id = $1::uuid")
        .bind(model_id(&app, "Kalkylen, steg om 50 000").await)
        .execute(&app.db)
        .await;
    assert!(direct.is_err());
    // A copy of it may be changed.
    let copy = copy_model(&app, &admin, "Kalkylen, steg om 50 000", "Kalkylen 2027").await;
    let values = model_form(&admin, &copy, &[("kronor_per_step", "25 000")], &[]).await;
    assert_eq!(admin.post_values(&copy, &values).await.status, 303);
}
