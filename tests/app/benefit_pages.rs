//! Benefit calculations as users keep them: IT-center starts one on a project, adds
//! stakeholders and benefits and sees every figure of the hand calculation with its formula;
//! bad input is shown next to its field and saves nothing; a stale form is refused; the
//! appropriation and the coordination group's prioritisation freeze a version that later edits
//! do not change.

use crate::{
    portfolio::round_id,
    projects::project_id,
    support::{AUDITOR, CONTROLLER, COORDINATION, Client, IT_CENTER, TestApp},
};

/// The hand calculation of docs/DESIGN.md, typed into the start form.
pub(crate) const BY_HAND: [(&str, &str); 8] = [
    ("first_year", "2026"),
    ("horizon", "5"),
    ("benefit_start", "2"),
    ("discount_rate", "5"),
    ("hourly_cost", "500"),
    ("investment", "100 000"),
    ("internal_hours", "200"),
    ("running_per_year", "20 000"),
];

fn nbsp(text: String) -> String {
    text.replace('\u{a0}', " ")
}

/// Takes the demo's benefit calculations and fund out, so that a test counts only what it
/// builds itself.
pub(crate) async fn without_demo_benefits(app: &TestApp) {
    use sqlx::Executor;
    app.owner()
        .await
        .execute(
            "DELETE FROM benefit_measurement; DELETE FROM effect_goal_benefit; DELETE FROM benefit; \
             DELETE FROM benefit_stakeholder; DELETE FROM benefit_calculation_version; \
             DELETE FROM benefit_calculation; DELETE FROM fund_follow_up; \
             DELETE FROM fund_application_council_goal; DELETE FROM fund_application; \
             DELETE FROM fund; DELETE FROM fund_direction_council_goal; DELETE FROM fund_direction;",
        )
        .await
        .unwrap();
}

/// The per-stakeholder table, cell by cell.
fn stakeholder_cells(page: &crate::support::Page) -> Vec<String> {
    page.texts("#stakeholders tbody th, #stakeholders tbody td")
        .into_iter()
        .map(nbsp)
        .collect()
}

/// Starts the calculation at `start` (a project's or an item's page) with `fields`; returns
/// the calculation's path.
pub(crate) async fn start(client: &Client, start: &str, fields: &[(&str, &str)]) -> String {
    let created = client.submit_form(start, start, fields).await;
    assert_eq!(created.status, 303, "{:?}", created.texts(".field__error"));
    created.location().unwrap().to_owned()
}

/// Takes the first benefit in the calculation's table out of it.
pub(crate) async fn remove_first_line(client: &Client, calc: &str) {
    let page = client.get(calc).await;
    let remove = page
        .html()
        .select(&scraper::Selector::parse("#lines form").unwrap())
        .map(|f| f.value().attr("action").unwrap().to_owned())
        .next()
        .unwrap();
    assert_eq!(client.submit_form(calc, &remove, &[]).await.status, 303);
}

/// Adds the hand calculation's two stakeholders and three benefits.
pub(crate) async fn add_benefits(client: &Client, calc: &str) {
    for name in ["Invånare", "Ekonomiavdelningen"] {
        let added = client
            .submit_form(calc, &format!("{calc}/intressenter"), &[("name", name)])
            .await;
        assert_eq!(added.status, 303, "{}", added.body);
    }
    let page = client.get(calc).await;
    let option = |name: &str| {
        let html = page.html();
        let sel = scraper::Selector::parse("#stakeholder option").unwrap();
        html.select(&sel)
            .find(|o| o.text().collect::<String>() == name)
            .and_then(|o| o.value().attr("value").map(str::to_owned))
            .expect("a stakeholder option")
    };
    let (residents, finance) = (option("Invånare"), option("Ekonomiavdelningen"));
    let lines = [
        [
            ("stakeholder", finance.as_str()),
            ("description", "Färre licenser"),
            ("kind", "financial"),
            ("amount", "60 000"),
        ],
        [
            ("stakeholder", residents.as_str()),
            ("description", "Kortare väntan"),
            ("kind", "redistributable"),
            ("amount", "100"),
        ],
    ];
    for line in lines {
        let added = client
            .submit_form(calc, &format!("{calc}/nyttor"), &line)
            .await;
        assert_eq!(added.status, 303, "{:?}", added.texts(".field__error"));
    }
    let rated = [
        ("stakeholder", residents.as_str()),
        ("description", "Tryggare beslut"),
        ("kind", "qualitative"),
        ("rating", "4"),
        ("rating_reason", "Färre manuella steg"),
    ];
    let added = client
        .submit_form(calc, &format!("{calc}/nyttor"), &rated)
        .await;
    assert_eq!(added.status, 303, "{:?}", added.texts(".field__error"));
}

#[tokio::test]
async fn a_project_calculation_shows_the_hand_calculation_with_its_formulas() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let id = project_id(&app, "GSN 2023-5").await;
    let it_center = app.signed_in(IT_CENTER).await;
    let entry = format!("/projekt/{id}/nyttokalkyl");
    let page = it_center.get(&entry).await;
    assert_eq!(page.status, 200);
    assert!(page.text("main").contains("har ingen nyttokalkyl ännu"));
    assert_eq!(page.text(".tabs [aria-current=page]"), "Nyttokalkyl");
    assert_eq!(page.value("#discount_rate").as_deref(), Some("3,5"));

    // Bad input: each message next to its field, what was typed kept, nothing saved.
    let bad = it_center
        .submit_form(
            &entry,
            &entry,
            &[
                ("horizon", "40"),
                ("hourly_cost", ""),
                ("investment", "mycket"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("horizon").unwrap().contains("1–30"));
    assert!(
        bad.field_error("hourly_cost")
            .unwrap()
            .contains("timkostnaden")
    );
    assert!(bad.field_error("investment").is_some());
    assert_eq!(bad.value("#investment").as_deref(), Some("mycket"));
    assert_eq!(
        app.count("SELECT count(*) FROM benefit_calculation").await,
        0
    );

    let calc = start(&it_center, &entry, &BY_HAND).await;
    assert!(calc.starts_with("/nyttokalkyler/"), "{calc}");
    // The project's tab leads to its calculation from now on.
    assert_eq!(it_center.get(&entry).await.location(), Some(calc.as_str()));
    add_benefits(&it_center, &calc).await;

    // A line without its value is refused next to the field and keeps what was typed.
    let page = it_center.get(&calc).await;
    let who = page.value("#stakeholder option:nth-child(2)").unwrap();
    let bad = it_center
        .submit_form(
            &calc,
            &format!("{calc}/nyttor"),
            &[
                ("stakeholder", &who),
                ("description", "Mindre papper"),
                ("kind", "financial"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("amount")
            .unwrap()
            .ends_with("Ange värdet per år.")
    );
    assert_eq!(bad.value("#description").as_deref(), Some("Mindre papper"));
    assert_eq!(app.count("SELECT count(*) FROM benefit").await, 3);

    // An auditor reads the same figures, with no form.
    let page = app.signed_in(AUDITOR).await.get(&calc).await;
    assert_eq!(page.status, 200);
    assert!(page.form_fields(&format!("{calc}/indata")).is_none());
    assert!(nbsp(page.text("#npv")).starts_with("119 135,55 kr"));
    assert!(
        nbsp(page.text("#npv"))
            .contains("Σ (nytta − kostnad) × diskonteringsfaktor = (0 − 200 000) × 1 +")
    );
    assert!(nbsp(page.text("#ratio")).contains("= 390 054,56 / 270 919,01 = 1,44"));
    assert!(nbsp(page.text("#payback")).starts_with("år 4"));
    let sensitivity = nbsp(page.text("#sensitivity tbody"));
    for figure in ["119 135,55", "41 124,63", "64 951,74", "33 421,26", "år 5"] {
        assert!(sensitivity.contains(figure), "{figure} in {sensitivity}");
    }
    assert_eq!(
        nbsp(page.text("#years tbody tr:nth-child(2) th")),
        "2 (2027)"
    );
    assert_eq!(
        stakeholder_cells(&page),
        [
            "Ekonomiavdelningen",
            "60 000",
            "0",
            "Invånare",
            "50 000",
            "1"
        ]
    );
    assert!(nbsp(page.text("#lines")).contains("100 h × 500 kr = 50 000 kr per år"));

    // The Excel export is a workbook named after the project.
    let xlsx = it_center.get(&format!("{calc}/nyttokalkyl.xlsx")).await;
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.header("content-disposition")
            .unwrap()
            .contains("Nyttokalkyl%20Projekt")
    );
    assert!(xlsx.body.starts_with("PK"));

    // Every change is in the project's history.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT action FROM audit_log WHERE project_id = $1::uuid AND action LIKE 'benefit%' ORDER BY 1",
    )
    .bind(&id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "benefit_calculation_created",
            "benefit_created",
            "benefit_stakeholder_added"
        ]
    );

    // Removing the financial benefit takes its 60 000 a year out of every figure.
    remove_first_line(&it_center, &calc).await;
    let page = it_center.get(&calc).await;
    assert!(!page.text("#lines").contains("Färre licenser"));
    assert_eq!(
        stakeholder_cells(&page)[..3],
        ["Ekonomiavdelningen", "0", "0"]
    );
}

#[tokio::test]
async fn a_stale_settings_form_is_refused_with_what_is_saved_now() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let id = project_id(&app, "GSN 2023-5").await;
    let (one, two) = (
        app.signed_in(IT_CENTER).await,
        app.signed_in(CONTROLLER).await,
    );
    let calc = start(&one, &format!("/projekt/{id}/nyttokalkyl"), &BY_HAND).await;
    let settings = format!("{calc}/indata");
    let old = one.get(&calc).await;
    let saved = two
        .submit_form(&calc, &settings, &[("discount_rate", "4")])
        .await;
    assert_eq!(saved.status, 303);
    let mut values = old.filled_in(&settings, &[("investment", "150 000")]);
    values.retain(|(n, _)| n != "csrf_token");
    values.push(("csrf_token".into(), old.csrf_token()));
    let stale = one.post_values(&settings, &values).await;
    assert_eq!(stale.status, 409);
    assert!(
        stale
            .text(".conflict")
            .contains("Kalkylränta: 4 % · Nyttorna börjar år: 2")
    );
    assert_eq!(stale.value("#investment").as_deref(), Some("150 000"));
    let rate: String = sqlx::query_scalar("SELECT discount_rate::text FROM benefit_calculation")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rate, "0.0400");
}

#[tokio::test]
async fn the_appropriation_and_the_prioritisation_freeze_a_version() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let id = project_id(&app, "KS 2024-88").await;
    let it_center = app.signed_in(IT_CENTER).await;
    let calc = start(&it_center, &format!("/projekt/{id}/nyttokalkyl"), &BY_HAND).await;
    add_benefits(&it_center, &calc).await;

    let controller = app.signed_in(CONTROLLER).await;
    let economy = format!("/projekt/{id}/ekonomi");
    let decided = controller
        .submit_form(
            &economy,
            &economy,
            &[
                ("appropriation", "2,5 mnkr"),
                ("decision_body", "Kommunstyrelsen"),
                ("decision_date", "2026-03-02"),
                ("decision_paragraph", "§ 12"),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{:?}", decided.texts(".field__error"));
    // The calculation is edited after the decision; the version keeps what was decided.
    let edited = it_center
        .submit_form(
            &calc,
            &format!("{calc}/indata"),
            &[("investment", "400 000")],
        )
        .await;
    assert_eq!(edited.status, 303);
    let live = it_center.get(&calc).await;
    assert!(!nbsp(live.text("#npv")).starts_with("119 135,55"));
    assert!(
        nbsp(live.text("#versioner + ul, #versioner ~ ul")).contains(
            "Version 1: Investeringsanslag 2 500 000 kr beslutat av Kommunstyrelsen 2026-03-02 § 12"
        )
    );
    let frozen = it_center.get(&format!("{calc}?version=1")).await;
    assert_eq!(frozen.status, 200);
    assert!(nbsp(frozen.text("#npv")).starts_with("119 135,55 kr"));
    assert!(frozen.text("#frozen-note").contains("Den ändras inte"));
    assert!(frozen.form_fields(&format!("{calc}/indata")).is_none());
    assert_eq!(
        it_center.get(&format!("{calc}?version=2")).await.status,
        404
    );
    // Saving the same decision again freezes nothing new.
    let again = controller.submit_form(&economy, &economy, &[]).await;
    assert_eq!(again.status, 303);
    assert_eq!(
        app.count("SELECT count(*) FROM benefit_calculation_version")
            .await,
        1
    );

    // The coordination group prioritises the item ranked first in 2026-Q4: its calculation is
    // frozen with the round's decision.
    let q4 = round_id(&app, "2026-Q4").await;
    let item: String = sqlx::query_scalar(
        "SELECT item_id::text FROM round_item WHERE round_id = $1::uuid AND rank = 1",
    )
    .bind(&q4)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let item_calc = start(
        &it_center,
        &format!("/portfolj/{item}/nyttokalkyl"),
        &BY_HAND,
    )
    .await;
    let coordination = app.signed_in(COORDINATION).await;
    let decision = format!("/omgangar/{q4}/beslut");
    let decided = coordination
        .submit_form(&decision, &decision, &[("confirm", "ja")])
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let page = it_center.get(&item_calc).await;
    assert!(
        page.text("#versioner ~ ul")
            .contains("Prioriterad av samordningsgruppen i omgång 2026-Q4"),
        "{}",
        page.text("main")
    );
}

#[tokio::test]
async fn a_municipalitys_hourly_cost_with_its_source_is_the_default_of_its_calculations() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let admin = app.signed_in(crate::support::ADMIN).await;
    let smedjebacken = app.municipality_id("Smedjebacken").await;
    let form = format!("/admin/kommuner/{smedjebacken}");
    let bad = admin
        .submit_form(
            "/admin/kommuner",
            &form,
            &[("hourly_cost", "612,50"), ("hourly_cost_source", "")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text(".error-summary").contains("Ange källan"));
    assert_eq!(
        bad.value(&format!("#hourly_cost-{smedjebacken}"))
            .as_deref(),
        Some("612,50")
    );
    let saved = admin
        .submit_form(
            "/admin/kommuner",
            &form,
            &[
                ("hourly_cost", "612,50"),
                ("hourly_cost_source", "Lönestatistik 2026 med PO-pålägg"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let audited = app
        .text_of(
            "SELECT new_value FROM audit_log WHERE action = 'municipality_updated' AND field = $1",
            "hourly_cost",
        )
        .await;
    assert_eq!(audited, "612,5");
    // KS 2024-88 serves Smedjebacken: its new calculation starts from Smedjebacken's cost.
    let id = project_id(&app, "KS 2024-88").await;
    let page = app
        .signed_in(IT_CENTER)
        .await
        .get(&format!("/projekt/{id}/nyttokalkyl"))
        .await;
    assert_eq!(page.value("#hourly_cost").as_deref(), Some("612,5"));
    assert_eq!(
        page.value("#hourly_cost_source").as_deref(),
        Some("Smedjebacken: Lönestatistik 2026 med PO-pålägg")
    );
}
