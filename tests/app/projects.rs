//! Investment projects: seed 000 reproduced from data, the list, visibility per municipality,
//! the project form.

use scraper::{Html, Selector};

use crate::support::{AUDITOR, CONTROLLER, IT_CENTER, STRATEGY_LUDVIKA, TestApp};

pub const SEED_000: &str = "KS 2020-339";

pub async fn project_id(app: &TestApp, case_number: &str) -> String {
    sqlx::query_scalar("SELECT id::text FROM project WHERE case_number = $1")
        .bind(case_number)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The budget table as rows of cells, text exactly as rendered (only trimmed), so the
/// non-breaking spaces and minus signs are checked too.
pub fn budget_table(body: &str) -> Vec<Vec<String>> {
    let html = Html::parse_document(body);
    let rows = Selector::parse("table.budget-table tr").unwrap();
    let cells = Selector::parse("th, td").unwrap();
    html.select(&rows)
        .map(|row| {
            row.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect()
        })
        .collect()
}

/// `-19 000` as the page prints figures: `−19 000` with a non-breaking space between the
/// digit groups (and only there).
fn typographic(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            ' ' if digit(i.checked_sub(1)) && digit(Some(i + 1)) => '\u{a0}',
            '-' if digit(Some(i + 1)) => '\u{2212}',
            other => *other,
        })
        .collect()
}

#[tokio::test]
async fn seed_000_table_is_reproduced_from_the_data() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let page = app
        .signed_in(AUDITOR)
        .await
        .get(&format!("/projekt/{id}"))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("h1"), "Nytt beslut- och ledningsstödsystem");
    let expected: Vec<Vec<String>> = [
        ["Budgetpost", "Budget", "Utfall", "Avvikelse"],
        [
            "Förstudie, behovs- och marknadsanalys, avrop",
            "700 000",
            "719 000",
            "-19 000",
        ],
        [
            "Införandeprojekt, leverantör",
            "700 000",
            "504 000",
            "196 000",
        ],
        ["Kompetensöverföring, leverantör", "100 000", "", "100 000"],
        [
            "Konsulttjänster, leverantör",
            "700 000",
            "386 659",
            "313 341",
        ],
        [
            "Interna fackmän och externt biträdande projektstöd",
            "500 000",
            "1 026 200",
            "-526 200",
        ],
        [
            "Införandeprojekt, leverantör (VA-bolaget)",
            "350 000",
            "",
            "",
        ],
        [
            "Interna fackmän och externt biträdande projektstöd (VA-bolaget)",
            "150 000",
            "",
            "",
        ],
        [
            "Totalt",
            "3 200 000 inkl VA 2 700 000 exkl VA",
            "2 635 859",
            "64 141",
        ],
    ]
    .iter()
    .map(|row| {
        // Labels as typed; figures with a non-breaking space and the real minus sign.
        std::iter::once(row[0].to_owned())
            .chain(row[1..].iter().map(|cell| typographic(cell)))
            .collect()
    })
    .collect();
    assert_eq!(budget_table(&page.body), expected);
    assert_eq!(page.text("caption"), "Budget och utfall (kr)");
}

#[tokio::test]
async fn the_list_sorts_swedish_filters_and_searches() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let names = |page: &crate::support::Page| page.texts("table.project-list tbody th");
    let all = client.get("/projekt?sortera=namn").await;
    assert_eq!(
        names(&all),
        [
            "Digital arbetsplats",
            "Fiberstam kärnnätverk",
            "Gemensamt e-arkiv",
            "Klientdatorer och skrivare",
            "Nytt beslut- och ledningsstödsystem",
            "Serverhall och lagring",
            "Utbyggnad trådlöst nät",
            "Åtgärdsprogram IT-säkerhet",
            "Öppna data Smedjebacken"
        ]
    );
    let desc = client.get("/projekt?sortera=namn&ordning=fallande").await;
    assert_eq!(names(&desc)[0], "Öppna data Smedjebacken");
    assert_eq!(
        desc.html()
            .select(&Selector::parse("th[aria-sort=descending]").unwrap())
            .count(),
        1
    );

    let smedjebacken: String =
        sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = 'Smedjebacken'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let shared = client.get(&format!("/projekt?kommun={smedjebacken}")).await;
    assert_eq!(
        names(&shared),
        [
            "Digital arbetsplats",
            "Fiberstam kärnnätverk",
            "Gemensamt e-arkiv",
            "Klientdatorer och skrivare",
            "Serverhall och lagring",
            "Utbyggnad trådlöst nät",
            "Åtgärdsprogram IT-säkerhet",
            "Öppna data Smedjebacken"
        ]
    );
    let by_case = client.get("/projekt?q=ks+2020").await;
    assert_eq!(names(&by_case), ["Nytt beslut- och ledningsstödsystem"]);
    let by_number = client.get("/projekt?q=0003-0365").await;
    assert_eq!(names(&by_number), ["Digital arbetsplats"]);
    let completed = client.get("/projekt?status=completed").await;
    assert_eq!(names(&completed), ["Nytt beslut- och ledningsstödsystem"]);
    let in_2022 = client.get("/projekt?ar=2022&sortera=namn").await;
    assert_eq!(
        names(&in_2022),
        [
            "Digital arbetsplats",
            "Fiberstam kärnnätverk",
            "Klientdatorer och skrivare",
            "Nytt beslut- och ledningsstödsystem",
            "Serverhall och lagring",
            "Utbyggnad trådlöst nät"
        ]
    );
    let by_plan = client.get("/projekt?plan=infrastructure").await;
    assert_eq!(
        names(&by_plan),
        [
            "Fiberstam kärnnätverk",
            "Serverhall och lagring",
            "Utbyggnad trådlöst nät",
            "Åtgärdsprogram IT-säkerhet"
        ]
    );
    let nothing = client.get("/projekt?q=%25").await;
    assert!(nothing.body.contains("Inga projekt matchar filtret."));
}

#[tokio::test]
async fn the_list_pages_through_many_projects() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "INSERT INTO project (id, name, case_number, board_id, plan, status) \
         SELECT gen_random_uuid(), 'Projekt ' || lpad(n::text, 3, '0'), 'KS 2030-' || n, \
                (SELECT id FROM board LIMIT 1), 'digitalisation', 'idea' \
         FROM generate_series(1, 60) AS n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.signed_in(AUDITOR).await;
    let first = client.get("/projekt?q=Projekt+0").await;
    assert!(
        first
            .text("[role=status]")
            .starts_with("60 projekt, sida 1 av 3")
    );
    assert_eq!(first.texts("table.project-list tbody tr").len(), 25);
    let third = client.get("/projekt?q=Projekt+0&sida=3").await;
    assert_eq!(third.texts("table.project-list tbody tr").len(), 10);
    assert_eq!(third.texts("table.project-list tbody th")[0], "Projekt 051");
}

#[tokio::test]
async fn a_strategy_group_sees_only_its_own_municipality() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(STRATEGY_LUDVIKA).await;
    let list = client.get("/projekt").await;
    assert_eq!(
        list.texts("table.project-list tbody th"),
        [
            "Digital arbetsplats",
            "Fiberstam kärnnätverk",
            "Gemensamt e-arkiv",
            "Klientdatorer och skrivare",
            "Serverhall och lagring",
            "Utbyggnad trådlöst nät",
            "Åtgärdsprogram IT-säkerhet"
        ]
    );
    let norrtalje = project_id(&app, SEED_000).await;
    assert_eq!(
        client.get(&format!("/projekt/{norrtalje}")).await.status,
        403
    );
    assert_eq!(
        client
            .get(&format!("/projekt/{norrtalje}/budget"))
            .await
            .status,
        403
    );
    let smart = client.get("/effektmal").await;
    assert!(!smart.body.contains("Nytt beslut- och ledningsstödsystem"));
}

async fn board_and_municipalities(app: &TestApp) -> (String, String, String) {
    let board: String = sqlx::query_scalar(
        "SELECT b.id::text FROM board b JOIN municipality m ON m.id = b.municipality_id \
         WHERE b.name = 'Gemensamma servicenämnden'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let id = |name: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT id::text FROM municipality WHERE name = $1")
                .bind(name)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    (board, id("Ludvika").await, id("Smedjebacken").await)
}

#[tokio::test]
async fn it_center_creates_a_shared_project_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let (board, ludvika, smedjebacken) = board_and_municipalities(&app).await;
    let norrtalje: String =
        sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = 'Norrtälje'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let before = app.count("SELECT count(*) FROM project").await;
    let fields = |case: &'static str, share: &'static str| {
        vec![
            ("name", "Ny växel"),
            ("case_number", case),
            ("board", board.as_str()),
            ("plan", "infrastructure"),
            ("status", "idea"),
            ("planned_start", "2027-01-01"),
            ("planned_end", "2027-06-30"),
            ("municipalities", ludvika.as_str()),
            ("shares", "60"),
            ("municipalities", smedjebacken.as_str()),
            ("shares", share),
            ("municipalities", norrtalje.as_str()),
            ("shares", ""),
        ]
    };
    let bad = client
        .post_from(
            "/projekt/nytt",
            "/projekt/nytt",
            &fields("GSN 2026-x", "30"),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("case_number")
            .unwrap()
            .contains("”GSN 2026-x” är inget diarienummer")
    );
    assert_eq!(
        bad.field_error("municipalities").unwrap(),
        "Fel: Fördelningsnyckeln summerar till 90 %, den ska bli 100 %."
    );
    assert_eq!(bad.value("#name").as_deref(), Some("Ny växel"));
    assert_eq!(app.count("SELECT count(*) FROM project").await, before);

    let duplicate = client
        .post_from(
            "/projekt/nytt",
            "/projekt/nytt",
            &fields("GSN 2022-14", "40"),
        )
        .await;
    assert_eq!(duplicate.status, 422, "{}", duplicate.body);
    assert!(duplicate.field_error("case_number").is_some());

    let created = client
        .post_from(
            "/projekt/nytt",
            "/projekt/nytt",
            &fields("GSN 2026–7", "40"),
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let page = client.get(created.location().unwrap()).await;
    assert_eq!(page.text("h1"), "Ny växel");
    assert!(
        page.text("dl.facts")
            .contains("Ludvika 60 %, Smedjebacken 40 %")
    );
    assert!(page.text("dl.facts").contains("Dnr GSN 2026-7") || page.body.contains("GSN 2026-7"));
    let history = client
        .get(&format!("{}/historik", created.location().unwrap()))
        .await;
    assert!(history.text("table").contains("Projekt skapat"));
}

/// The edit form of GSN 2022-14 with a new name, on the board and its two municipalities (60/40)
/// that `board_and_municipalities` returns, as of `version`.
fn edit_fields<'a>(
    name: &'a str,
    version: &'a str,
    ids: [&'a str; 3],
) -> Vec<(&'static str, &'a str)> {
    let [board, ludvika, smedjebacken] = ids;
    vec![
        ("name", name),
        ("case_number", "GSN 2022-14"),
        ("board", board),
        ("plan", "business_systems"),
        ("municipalities", ludvika),
        ("shares", "60"),
        ("municipalities", smedjebacken),
        ("shares", "40"),
        ("version", version),
    ]
}

#[tokio::test]
async fn a_stale_project_form_is_refused_with_both_versions() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2022-14").await;
    let (board, ludvika, smedjebacken) = board_and_municipalities(&app).await;
    let first = app.signed_in(IT_CENTER).await;
    let second = app.signed_in(IT_CENTER).await;
    let form = format!("/projekt/{id}/redigera");
    let fields = |name| edit_fields(name, "1", [&board, &ludvika, &smedjebacken]);
    assert_eq!(
        first
            .post_from(&form, &form, &fields("E-arkiv, etapp 1"))
            .await
            .status,
        303
    );
    let refused = second
        .post_from(&form, &form, &fields("E-arkiv för båda kommunerna"))
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.text(".conflict").contains("E-arkiv, etapp 1"));
    assert_eq!(
        refused.value("#name").as_deref(),
        Some("E-arkiv för båda kommunerna")
    );
    let name: String = sqlx::query_scalar("SELECT name FROM project WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name, "E-arkiv, etapp 1");
}

/// The budget and outcome totals are kept in the project's row, but not as a change of the
/// project: a budget line added while the project form is open does not make the form stale,
/// and saving the form keeps the new total.
#[tokio::test]
async fn a_budget_change_while_the_project_form_is_open_does_not_make_it_stale() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2022-14").await;
    let (board, ludvika, smedjebacken) = board_and_municipalities(&app).await;
    let client = app.signed_in(IT_CENTER).await;
    let form = format!("/projekt/{id}/redigera");
    let version = client
        .get(&form)
        .await
        .value("input[name=version]")
        .unwrap();
    let total = || async {
        app.count(&format!(
            "SELECT coalesce(budget_total, 0)::bigint FROM project WHERE id = '{id}'"
        ))
        .await
    };
    let before = total().await;
    let project = id.parse().unwrap();
    let line = portfolj::budget::repo::LineInput {
        category: "Licenser".into(),
        sub_entity_id: None,
        budget: portfolj::domain::money::Money::parse("250 000").unwrap(),
        income: false,
    };
    let mut conn = app.db.acquire().await.unwrap();
    portfolj::budget::repo::insert_line(&mut conn, project, &line)
        .await
        .unwrap();
    assert_eq!(total().await, before + 250_000);

    let saved = client
        .post_from(
            &form,
            &form,
            &edit_fields(
                "E-arkiv, etapp 2",
                &version,
                [&board, &ludvika, &smedjebacken],
            ),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(total().await, before + 250_000);
    let list = client.get("/projekt?q=etapp+2").await;
    assert!(list.text("table.project-list").contains("E-arkiv, etapp 2"));
}

#[tokio::test]
async fn controllers_and_auditors_cannot_edit_project_fields() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    for account in [CONTROLLER, AUDITOR] {
        let client = app.signed_in(account).await;
        let page = client.get(&format!("/projekt/{id}/redigera")).await;
        assert_eq!(page.status, 403, "{account}");
        let show = client.get(&format!("/projekt/{id}")).await;
        assert!(!show.body.contains("Ändra projektet"), "{account}");
    }
}

#[tokio::test]
async fn status_moves_only_as_allowed_and_is_recorded() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2023-5").await; // decided
    let client = app.signed_in(IT_CENTER).await;
    let page_url = format!("/projekt/{id}");
    let action = format!("{page_url}/status");
    let page = client.get(&page_url).await;
    assert_eq!(
        page.texts("#status option"),
        ["Beslutat (nuvarande)", "Pågår", "Förstudie", "Avbrutet"]
    );
    assert_eq!(page.value("#status option[selected]").unwrap(), "decided");
    for (chosen, message) in [
        ("", "Fel: Välj en ny status."),
        (
            "decided",
            "Fel: Projektet har redan status ”Beslutat”. Välj den status det ska få.",
        ),
    ] {
        let refused = client
            .post_from(&page_url, &action, &[("status", chosen), ("version", "1")])
            .await;
        assert_eq!(refused.status, 422, "{chosen:?}");
        assert_eq!(refused.field_error("status").unwrap(), message);
    }
    let refused = client
        .post_from(
            &page_url,
            &action,
            &[("status", "completed"), ("version", "1")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("status").unwrap(),
        "Fel: Ett projekt med status ”Beslutat” kan inte få status ”Avslutat”."
    );
    let moved = client
        .post_from(
            &page_url,
            &action,
            &[
                ("status", "in_progress"),
                ("changed_on", "2025-02-03"),
                ("status_comment", "Start"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let page = client.get(&page_url).await;
    assert!(page.text(".lead").ends_with("Pågår"));
    assert_eq!(
        page.texts("table.data tbody tr:first-child td"),
        ["2025-02-03", "Beslutat", "Pågår", "Ivar Isaksson", "Start"]
    );
    // The form was based on version 1; the project is now at 2.
    let stale = client
        .post_from(
            &page_url,
            &action,
            &[("status", "completed"), ("version", "1")],
        )
        .await;
    assert_eq!(stale.status, 422);
    assert!(
        stale
            .field_error("status")
            .unwrap()
            .contains("har ändrats sedan du öppnade sidan")
    );
    let history = client.get(&format!("{page_url}/historik")).await;
    assert!(
        history
            .text("table tbody")
            .contains("Status ändrad Projektet Status Beslutat Pågår (2025-02-03)")
    );
}

#[tokio::test]
async fn controllers_set_the_appropriation_in_swedish_notation() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "KS 2024-88").await;
    let client = app.signed_in(CONTROLLER).await;
    let url = format!("/projekt/{id}/ekonomi");
    let bad = client
        .post_from(
            &url,
            &url,
            &[
                ("appropriation", "två miljoner"),
                ("decision_body", "Kommunstyrelsen"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("appropriation")
            .unwrap()
            .contains("Investeringsanslag: ”två miljoner” är inget belopp")
    );
    assert_eq!(
        bad.value("#decision_body").as_deref(),
        Some("Kommunstyrelsen")
    );
    let saved = client
        .post_from(
            &url,
            &url,
            &[
                ("appropriation", "2,5 mnkr"),
                ("decision_body", "Kommunstyrelsen"),
                ("decision_date", "2025-05-20"),
                ("decision_paragraph", "§ 88"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = client.get(&format!("/projekt/{id}")).await;
    assert!(
        page.text("dl.facts")
            .contains("2 500 000 kr (beslut: Kommunstyrelsen 2025-05-20 § 88)")
    );
    let history = client.get(&format!("/projekt/{id}/historik")).await;
    assert!(
        history
            .text("table tbody")
            .contains("Anslag ändrat Projektet Investeringsanslag 2 500 000")
    );
}

#[tokio::test]
async fn the_year_filter_takes_late_and_undated_projects() {
    let app = TestApp::spawn().await;
    // Started after its planned end and still running: the year filter must not fail on it.
    sqlx::query(
        "UPDATE project SET planned_start = '2025-01-01', planned_end = '2025-06-30', \
         actual_start = '2025-09-01', actual_end = NULL WHERE case_number = 'GSN 2023-5'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE project SET planned_start = NULL, planned_end = NULL WHERE case_number = 'KS 2024-88'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.signed_in(AUDITOR).await;
    let page = client.get("/projekt?ar=2025").await;
    assert_eq!(page.status, 200);
    let names = page.texts("table.project-list tbody th");
    assert!(
        names.contains(&"Åtgärdsprogram IT-säkerhet".to_owned()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"Öppna data Smedjebacken".to_owned()),
        "undated: {names:?}"
    );
}

#[tokio::test]
async fn status_and_case_numbers_sort_the_way_people_read_them() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "INSERT INTO project (id, name, case_number, board_id, plan, status) \
         SELECT gen_random_uuid(), 'Sortering ' || n, 'SORT 2020-' || n, \
                (SELECT id FROM board LIMIT 1), 'digitalisation', 'idea' \
         FROM unnest(ARRAY[9, 10, 100]) AS n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.signed_in(AUDITOR).await;
    let by_case = client.get("/projekt?q=SORT&sortera=dnr").await;
    assert_eq!(
        by_case.texts("table.project-list tbody td.nowrap:first-of-type"),
        ["SORT 2020-9", "SORT 2020-10", "SORT 2020-100"]
    );
    let by_status = client.get("/projekt?sortera=status").await;
    let statuses: Vec<String> = by_status
        .texts("table.project-list tbody tr")
        .iter()
        .map(|row| {
            ["Idé", "Förstudie", "Beslutat", "Pågår", "Avslutat"]
                .into_iter()
                .find(|s| row.contains(s))
                .unwrap_or("?")
                .to_owned()
        })
        .collect();
    let mut sorted = statuses.clone();
    let rank = |s: &str| {
        ["Idé", "Förstudie", "Beslutat", "Pågår", "Avslutat"]
            .iter()
            .position(|x| *x == s)
    };
    sorted.sort_by_key(|s| rank(s));
    assert_eq!(statuses, sorted, "lifecycle order");
    assert!(statuses.len() >= 4);
}

#[tokio::test]
async fn start_page_links_lead_to_the_project_pages() {
    let app = TestApp::spawn().await;
    for account in [IT_CENTER, CONTROLLER, AUDITOR] {
        let client = app.signed_in(account).await;
        let start = client.get("/").await;
        let links: Vec<String> = start
            .html()
            .select(&Selector::parse(".panel__links a").unwrap())
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        assert!(!links.is_empty(), "{account}");
        for link in links {
            assert_eq!(client.get(&link).await.status, 200, "{account} {link}");
        }
    }
}

/// Only the committee's decision, recorded on the final report, approves it: IT-center cannot
/// set "Slutredovisning godkänd" through the status form and skip the decision and its checks.
#[tokio::test]
async fn final_report_approval_is_not_a_status_anyone_can_choose() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "KS 2020-339").await; // completed
    let client = app.signed_in(IT_CENTER).await;
    let page_url = format!("/projekt/{id}");
    let page = client.get(&page_url).await;
    assert!(
        !page
            .texts("#status option")
            .iter()
            .any(|o| o.contains("godkänd"))
    );
    let version: String = page
        .value("form[action$='/status'] input[name=version]")
        .unwrap();
    let refused = client
        .post_from(
            &page_url,
            &format!("{page_url}/status"),
            &[("status", "final_report_approved"), ("version", &version)],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("status").unwrap(),
        "Fel: Ett projekt med status ”Avslutat” kan inte få status ”Slutredovisning godkänd”."
    );
    let status: String = sqlx::query_scalar("SELECT status FROM project WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "completed");
}

/// A status change is recorded when it has happened: not in the future, not before the
/// change before it.
#[tokio::test]
async fn a_status_change_date_is_neither_in_the_future_nor_before_the_last_change() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2023-5").await;
    let client = app.signed_in(IT_CENTER).await;
    let page_url = format!("/projekt/{id}");
    let action = format!("{page_url}/status");
    let moved = client
        .post_from(
            &page_url,
            &action,
            &[
                ("status", "in_progress"),
                ("changed_on", "2025-02-03"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303);
    let last = chrono::NaiveDate::from_ymd_opt(2025, 2, 3).unwrap();
    let version = "2".to_owned();
    let before = (last - chrono::Days::new(1)).to_string();
    for (date, message) in [
        (
            "2099-01-01".to_owned(),
            "Fel: En statusändring registreras när den har skett: datumet ligger i framtiden."
                .to_owned(),
        ),
        (
            before,
            format!("Fel: Datumet ligger före föregående statusändring ({last})."),
        ),
    ] {
        let refused = client
            .post_from(
                &page_url,
                &action,
                &[
                    ("status", "completed"),
                    ("changed_on", &date),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{date}");
        assert_eq!(refused.field_error("changed_on").unwrap(), message);
        assert_eq!(refused.value("#changed_on").as_deref(), Some(date.as_str()));
    }
}

/// The error summary lists the messages in the order of the form's fields, not alphabetically,
/// so it reads like the form; each links to its field.
#[tokio::test]
async fn the_error_summary_follows_the_order_of_the_form() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let refused = client
        .submit_form(
            "/projekt/nytt",
            "/projekt/nytt",
            &[
                ("name", " "),
                ("case_number", "x"),
                ("planned_start", "igår"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    let html = refused.html();
    let links = scraper::Selector::parse(".error-summary a").unwrap();
    let targets: Vec<String> = html
        .select(&links)
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .trim_start_matches('#')
                .to_owned()
        })
        .collect();
    assert!(targets.len() >= 3, "{targets:?}");
    // Where each field is in the page.
    let position = |id: &str| {
        refused
            .body
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no field {id}"))
    };
    let mut in_form = targets.clone();
    in_form.sort_by_key(|id| position(id));
    assert_eq!(targets, in_form);
    assert_eq!(&targets[..2], ["name", "case_number"]);
}
