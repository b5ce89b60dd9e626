//! The digitalisation portfolio: the lists and totals a user reads, the item form with its
//! validation, and the order gate.

use crate::support::{COORDINATION, IT_CENTER, STRATEGY_LUDVIKA, STRATEGY_SMEDJEBACKEN, TestApp};

/// The id of demo item `number` (P-0nn).
pub async fn item_id(app: &TestApp, number: i32) -> String {
    sqlx::query_scalar("SELECT id::text FROM portfolio_item WHERE number = $1")
        .bind(number)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The id of the round for `quarter`.
pub async fn round_id(app: &TestApp, quarter: &str) -> String {
    sqlx::query_scalar("SELECT id::text FROM round WHERE quarter = $1")
        .bind(quarter)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The rows of a totals table, cell by cell.
pub fn table_rows(page: &crate::support::Page, caption: &str) -> Vec<Vec<String>> {
    let html = page.html();
    let tables = scraper::Selector::parse("table").unwrap();
    let caption_sel = scraper::Selector::parse("caption").unwrap();
    let rows = scraper::Selector::parse("tbody tr, tfoot tr").unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    let table = html
        .select(&tables)
        .find(|t| {
            t.select(&caption_sel)
                .next()
                .is_some_and(|c| c.text().collect::<String>().trim() == caption)
        })
        .unwrap_or_else(|| panic!("no table {caption}"));
    table
        .select(&rows)
        .map(|r| {
            r.select(&cells)
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_portfolio_lists_the_four_plans_with_totals_per_plan_and_municipality() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let page = client.get("/portfolj").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("[role=status]"), "44 objekt.");
    let titles = page.texts("table.portfolio-list tbody th");
    for seed in [
        "Digital arbetsplats (0003-0365): flytt till O365",
        "Fiberstam kärnnätverk (0005): slutförande",
        "Utbyggnad trådlöst nät (0010): skolor etapp 3",
    ] {
        assert!(titles.iter().any(|t| t == seed), "{seed} in {titles:?}");
    }
    let per_plan = table_rows(&page, "Per plan");
    assert_eq!(
        per_plan,
        [
            ["Digitaliseringsplan", "11", "2 620", "1 615 000", "460 000"],
            [
                "Förvaltningsplan – Verksamhetssystem",
                "10",
                "2 780",
                "3 110 000",
                "665 000"
            ],
            [
                "Förvaltningsplan – IT-centers tjänstekatalog",
                "9",
                "2 500",
                "4 050 000",
                "1 310 000"
            ],
            [
                "Förvaltningsplan – IT-infrastruktur och IT-säkerhet",
                "14",
                "3 960",
                "7 070 000",
                "675 000"
            ],
            ["Totalt", "44", "11 860", "15 845 000", "3 110 000"],
        ]
    );
    // Each item is counted once: shared and common items have a row of their own.
    let per_municipality = table_rows(&page, "Per beställande kommun");
    let counts: Vec<(&str, &str)> = per_municipality
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        counts,
        [
            ("Huddinge", "0"),
            ("Ludvika", "8"),
            ("Norrtälje", "0"),
            ("Smedjebacken", "8"),
            ("Gemensamma (flera eller alla kommuner)", "28"),
            ("Totalt", "44"),
        ]
    );

    let infrastructure = client
        .get("/portfolj?plan=infrastructure&sortera=timmar&ordning=fallande")
        .await;
    assert_eq!(
        infrastructure.text("h1"),
        "Förvaltningsplan – IT-infrastruktur och IT-säkerhet"
    );
    assert_eq!(infrastructure.text("[role=status]"), "14 objekt.");
    assert_eq!(
        infrastructure.texts("table.portfolio-list tbody th")[0],
        "Flytt till nytt datacenter"
    );
    let mandatory = client.get("/portfolj?typ=mandatory").await;
    assert_eq!(mandatory.text("[role=status]"), "5 objekt.");
}

#[tokio::test]
async fn a_strategy_group_sees_its_own_and_the_shared_items_only() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(STRATEGY_SMEDJEBACKEN).await;
    let page = client.get("/portfolj").await;
    let rows = page.texts("table.portfolio-list tbody tr td:nth-child(3)");
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|m| m.contains("Smedjebacken") || m == "Alla"),
        "{rows:?}"
    );
    let ludvika_only = item_id(&app, 1).await;
    assert_eq!(
        client
            .get(&format!("/portfolj/{ludvika_only}"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_bad_item_form_keeps_what_was_typed_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let before = app.count("SELECT count(*) FROM portfolio_item").await;
    let page = client
        .submit_form(
            "/portfolj/nytt",
            "/portfolj/nytt",
            &[
                ("title", "Digital nämndhandläggning"),
                ("plan", "digitalisation"),
                ("effort_hours", "tolv"),
                ("investment", "12,345"),
                ("running_cost", "−5 000"),
                ("score_citizen", "7"),
                ("complexity", "high"),
                ("dependencies", "P-003, P-999"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.field_error("effort_hours")
            .unwrap()
            .contains("”tolv” är inget antal timmar")
    );
    assert!(
        page.field_error("investment")
            .unwrap()
            .contains("fler än två decimaler")
    );
    assert!(
        page.field_error("running_cost")
            .unwrap()
            .contains("inte vara negativ")
    );
    assert!(
        page.field_error("score_citizen")
            .unwrap()
            .contains("Ange ett heltal 0–5")
    );
    assert!(
        page.field_error("complexity_reason")
            .unwrap()
            .contains("Motivera")
    );
    assert_eq!(
        page.value("#title").as_deref(),
        Some("Digital nämndhandläggning")
    );
    assert_eq!(page.value("#effort_hours").as_deref(), Some("tolv"));
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before
    );

    // Fixed except for the unknown dependency, which is found only against the database.
    let page = client
        .submit_form(
            "/portfolj/nytt",
            "/portfolj/nytt",
            &[
                ("title", "Digital nämndhandläggning"),
                ("plan", "digitalisation"),
                ("effort_hours", "120"),
                ("investment", "150 000"),
                ("dependencies", "P-003, P-999"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("dependencies").unwrap(),
        "Fel: Objekt P-999 finns inte i portföljen."
    );
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before
    );
}

#[tokio::test]
async fn an_item_is_created_edited_and_every_change_is_audited() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let created = client
        .submit_form(
            "/portfolj/nytt",
            "/portfolj/nytt",
            &[
                ("title", "Digital nämndhandläggning"),
                ("plan", "digitalisation"),
                ("effort_hours", "1 200"),
                ("investment", "1,2 mnkr"),
                ("running_cost", "80 000"),
                ("score_citizen", "3"),
                ("score_efficiency", "5"),
                ("dependencies", "P-002"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let path = created.location().unwrap().to_owned();
    let page = client.get(&path).await;
    assert_eq!(page.text("h1"), "P-045 Digital nämndhandläggning");
    assert!(page.texts("dd").iter().any(|d| d == "1 200 000 kr"));
    assert!(
        page.texts("dd")
            .iter()
            .any(|d| d == "P-002 Digital signering av avtal")
    );
    // Benefit in the open round's model, weights 30/25/30/15: (3·30 + 5·25) / (5·100) = 43 %.
    let valuation = page.text("#nyttovardering + p");
    assert!(valuation.contains("nytta 43 av 100"), "{valuation}");

    let edit = format!("{path}/redigera");
    let stale = client.get(&edit).await;
    let saved = client
        .submit_form(&edit, &edit, &[("effort_hours", "900")])
        .await;
    assert_eq!(saved.status, 303);
    // A form opened before that save is refused and shows what is saved now.
    let token = stale.csrf_token();
    let mut fields = stale.form_values(&edit);
    fields
        .iter_mut()
        .filter(|(n, _)| n == "title")
        .for_each(|(_, v)| *v = "Annan titel".into());
    fields
        .iter_mut()
        .filter(|(n, _)| n == "csrf_token")
        .for_each(|(_, v)| *v = token.clone());
    let conflict = client.post_values(&edit, &fields).await;
    assert_eq!(conflict.status, 409);
    assert!(conflict.text(".conflict").contains("Timmar: 900"));
    assert_eq!(conflict.value("#title").as_deref(), Some("Annan titel"));

    let audited: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT field, old_value, new_value FROM audit_log \
         WHERE action = 'portfolio_item_updated' ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [("effort_hours".into(), "1200".into(), "900".into())]
    );
}

#[tokio::test]
async fn dependencies_may_not_go_round_in_a_circle() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    // P-035 depends on P-034; making P-034 depend on P-035 would close the circle.
    let edit = format!("/portfolj/{}/redigera", item_id(&app, 34).await);
    let page = client
        .submit_form(&edit, &edit, &[("dependencies", "P-035")])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("dependencies").unwrap().contains("cirkel"));
    let page = client
        .submit_form(&edit, &edit, &[("dependencies", "P-034")])
        .await;
    assert!(
        page.field_error("dependencies")
            .unwrap()
            .contains("sig självt")
    );
}

#[tokio::test]
async fn only_items_prioritised_in_the_latest_decided_round_can_be_ordered() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;

    // P-043 was prioritised in 2026-Q3, the latest decided round.
    let prioritised = format!("/portfolj/{}", item_id(&app, 43).await);
    let page = client
        .post_from(
            &prioritised,
            &format!("{prioritised}/bestallningar"),
            &[("reference", "BE-2026-0500")],
        )
        .await;
    assert_eq!(page.status, 303);
    let page = client.get(&prioritised).await;
    assert!(
        page.text(".flash")
            .contains("Beställningen av P-043 är registrerad.")
    );
    assert!(page.body.contains("Registrerad (prioriterad 2026-Q3)"));
    assert!(page.text(".item-status") == "Status: Beställt");
    // Ordered, it leaves the open round's agenda and no longer competes for its hours.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM round_item ri JOIN round r ON r.id = ri.round_id \
             JOIN portfolio_item i ON i.id = ri.item_id WHERE r.quarter = '2026-Q4' AND i.number = 43"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'round_item_withdrawn'")
            .await,
        1
    );

    // P-004 is on the agenda of the open round, not prioritised by a decided one.
    let open = format!("/portfolj/{}", item_id(&app, 4).await);
    let page = client
        .post_from(
            &open,
            &format!("{open}/bestallningar"),
            &[("reference", "BE-2026-0501")],
        )
        .await;
    assert_eq!(page.status, 303);
    let page = client.get(&open).await;
    let refusal = page.text(".flash");
    assert!(
        refusal.starts_with("Beställningen kan inte genomföras: objektet fanns inte med i den senast beslutade omgången (2026-Q3)."),
        "{refusal}"
    );
    assert!(page.body.contains("Väntar på prioritering"));
    assert_eq!(page.text(".item-status"), "Status: I omgång");

    // P-044 was rejected.
    let rejected = format!("/portfolj/{}", item_id(&app, 44).await);
    client
        .post_from(
            &rejected,
            &format!("{rejected}/bestallningar"),
            &[("reference", "BE-2026-0502")],
        )
        .await;
    assert!(
        client
            .get(&rejected)
            .await
            .text(".flash")
            .contains("avslog objektet")
    );

    let refusals: Vec<(String, String)> = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE action = 'order_refused' ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(refusals.len(), 2);
    assert_eq!(refusals[0].0, "BE-2026-0501");
    assert!(refusals[0].1.contains("fanns inte med"));

    // IT-center's start page lists what waits: the demo's paused digital workplace and P-004.
    let start = client.get("/").await;
    let waiting = start.texts("table[aria-labelledby=waiting-orders] tbody th");
    assert_eq!(
        waiting,
        [
            "P-021 Digital arbetsplats (0003-0365): flytt till O365",
            "P-004 Digitala tillsynsbesök i hemtjänsten",
            "P-044 Ny telefonväxel"
        ]
    );
    // Reading the start page is not a refusal.
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'order_refused'")
            .await,
        2
    );
}

#[tokio::test]
async fn the_coordination_groups_start_page_leads_to_the_ranking_board() {
    let app = TestApp::spawn().await;
    let page = app.signed_in(COORDINATION).await.get("/").await;
    let q4 = round_id(&app, "2026-Q4").await;
    assert_eq!(
        page.text("#open-round"),
        "Prioriteringsomgång 2026-Q4: prioriteringsmöte"
    );
    assert!(
        page.body
            .contains(&format!("href=\"/omgangar/{q4}/rangordning\""))
    );
}

#[tokio::test]
async fn a_waiting_order_is_registered_once_a_decided_round_prioritises_the_item() {
    let app = TestApp::spawn().await;
    let it_center = app.signed_in(IT_CENTER).await;
    let coordination = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    // P-031 is first on the board: the decision form proposes it prioritised.
    let item = format!("/portfolj/{}", item_id(&app, 31).await);
    it_center
        .post_from(
            &item,
            &format!("{item}/bestallningar"),
            &[("reference", "BE-2026-0600")],
        )
        .await;
    assert!(
        it_center
            .get(&item)
            .await
            .body
            .contains("Väntar på prioritering")
    );
    let decision = format!("/omgangar/{q4}/beslut");
    assert_eq!(
        coordination
            .submit_form(&decision, &decision, &[("confirm", "ja")])
            .await
            .status,
        303
    );

    let order: String =
        sqlx::query_scalar("SELECT id::text FROM portfolio_order WHERE reference = 'BE-2026-0600'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let register = format!("/portfolj/bestallningar/{order}/registrera");
    assert_eq!(it_center.post_from(&item, &register, &[]).await.status, 303);
    let page = it_center.get(&item).await;
    assert!(page.text(".flash").contains("är registrerad"));
    assert!(page.body.contains("Registrerad (prioriterad 2026-Q4)"));
    assert_eq!(page.text(".item-status"), "Status: Beställt");
    assert!(
        !it_center.get("/").await.body.contains("BE-2026-0600"),
        "no longer waiting on the start page"
    );

    // Delivered ends it; a further order does not move it back.
    assert_eq!(
        it_center
            .post_from(&item, &format!("{item}/levererat"), &[])
            .await
            .status,
        303
    );
    it_center
        .post_from(
            &item,
            &format!("{item}/bestallningar"),
            &[("reference", "BE-2026-0601")],
        )
        .await;
    assert_eq!(
        it_center.get(&item).await.text(".item-status"),
        "Status: Levererat"
    );
}

/// A strategy group sees that an item of its municipality depends on another municipality's
/// item or project, but not what that item or project is called.
#[tokio::test]
async fn a_strategy_group_does_not_see_the_titles_of_links_outside_its_municipality() {
    let app = TestApp::spawn().await;
    let of = |municipality: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_as::<_, (uuid::Uuid, String)>(
                "SELECT i.id, i.title FROM portfolio_item i WHERE \
                 (SELECT array_agg(m.name::text) FROM portfolio_item_municipality im \
                  JOIN municipality m ON m.id = im.municipality_id WHERE im.item_id = i.id) = ARRAY[$1] \
                 ORDER BY i.number LIMIT 1",
            )
            .bind(municipality)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (mine, _) = of("Ludvika").await;
    let (theirs, their_title) = of("Smedjebacken").await;
    let (project, project_name): (uuid::Uuid, String) = sqlx::query_as(
        "SELECT p.id, p.name FROM project p WHERE NOT EXISTS (SELECT 1 FROM project_municipality pm \
         JOIN municipality m ON m.id = pm.municipality_id WHERE pm.project_id = p.id AND m.name = 'Ludvika') LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO portfolio_item_dependency (item_id, depends_on_id) VALUES ($1, $2)")
        .bind(mine)
        .bind(theirs)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE portfolio_item SET project_id = $2 WHERE id = $1")
        .bind(mine)
        .bind(project)
        .execute(&app.db)
        .await
        .unwrap();
    let path = format!("/portfolj/{mine}");
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await.get(&path).await;
    assert_eq!(ludvika.status, 200);
    assert!(
        !ludvika.body.contains(&their_title),
        "dependency title shown"
    );
    assert!(!ludvika.body.contains(&project_name), "project name shown");
    assert!(!ludvika.body.contains(&format!("/portfolj/{theirs}")));
    assert!(ludvika.body.contains("Ett objekt i en annan kommun"));
    // IT-center compiles the whole portfolio and sees both.
    let it = app.signed_in(IT_CENTER).await.get(&path).await;
    assert!(it.body.contains(&their_title) && it.body.contains(&project_name));
}

/// "Registrera nu" is offered only where the gate would let it through; elsewhere the page says
/// why the order waits (the walk found the button on orders the gate then refused).
#[tokio::test]
async fn registering_a_waiting_order_is_offered_only_when_the_gate_allows_it() {
    let app = TestApp::spawn().await;
    let it_center = app.signed_in(IT_CENTER).await;
    let coordination = app.signed_in(COORDINATION).await;
    let register_buttons = |page: &crate::support::Page| {
        page.texts("#bestallningar ~ .table-wrap button")
            .into_iter()
            .filter(|b| b == "Registrera nu")
            .count()
    };
    // P-031 is on the open 2026-Q4 agenda, not in the latest decided round (2026-Q3).
    let item = format!("/portfolj/{}", item_id(&app, 31).await);
    let ordered = it_center
        .post_from(
            &item,
            &format!("{item}/bestallningar"),
            &[("reference", "BE-2026-0700")],
        )
        .await;
    assert_eq!(ordered.status, 303);
    let order: String =
        sqlx::query_scalar("SELECT id::text FROM portfolio_order WHERE reference = 'BE-2026-0700'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let register = format!("/portfolj/bestallningar/{order}/registrera");
    let page = it_center.get(&item).await;
    assert!(page.body.contains("Väntar på prioritering"));
    assert_eq!(register_buttons(&page), 0, "the gate would refuse it");
    assert!(page.form_fields(&register).is_none());
    assert_eq!(
        page.text(".order-wait"),
        "Kan registreras först när objektet är prioriterat: objektet fanns inte med i den \
         senast beslutade omgången (2026-Q3)."
    );

    // The coordination group decides 2026-Q4 as the board proposes, prioritising P-031.
    let q4 = round_id(&app, "2026-Q4").await;
    let decision = format!("/omgangar/{q4}/beslut");
    assert_eq!(
        coordination
            .submit_form(&decision, &decision, &[("confirm", "ja")])
            .await
            .status,
        303
    );
    let page = it_center.get(&item).await;
    assert_eq!(register_buttons(&page), 1, "now the gate allows it");
    assert!(page.texts(".order-wait").is_empty());
    // The button is the page's real form, and it goes through.
    let registered = it_center.submit_form(&item, &register, &[]).await;
    assert_eq!(registered.status, 303, "{}", registered.body);
    assert!(
        it_center
            .get(&item)
            .await
            .body
            .contains("Registrerad (prioriterad 2026-Q4)")
    );
}
