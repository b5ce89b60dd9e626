//! The auditors' six checks on data built for the test in a municipality of its own, so that
//! every count is known: each count, its drill-down rows and its Excel export agree.

use calamine::{Reader, Xlsx};
use sqlx::Executor;

use crate::support::{AUDITOR, IT_CENTER, TestApp};

/// Testby: three council goals, two boards, two projects, a fund with two directions and
/// three applications, an effect goal, a benefit and a board year, each placed to be found by
/// exactly one check (see the expected counts below).
const TESTBY: &str = r#"
INSERT INTO municipality (id, name) VALUES ('10000000-0000-0000-0000-000000000001', 'Testby');
INSERT INTO board (id, name, municipality_id) VALUES
  ('20000000-0000-0000-0000-000000000001', 'Testnämnden', '10000000-0000-0000-0000-000000000001'),
  ('20000000-0000-0000-0000-000000000002', 'Stilla nämnden', '10000000-0000-0000-0000-000000000001');
INSERT INTO council_goal (id, municipality_id, title) VALUES
  ('30000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 'Mål med projekt'),
  ('30000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 'Mål med bidrag'),
  ('30000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000001', 'Mål utan arbete');
INSERT INTO project (id, name, case_number, board_id, plan, status, planned_start, planned_end, actual_end) VALUES
  ('40000000-0000-0000-0000-000000000001', 'Avslutat projekt', 'TB 2023-1', '20000000-0000-0000-0000-000000000001', 'digitalisation', 'completed', '2023-01-01', '2023-12-31', '2024-01-31'),
  ('40000000-0000-0000-0000-000000000002', 'Pågående projekt', 'TB 2026-2', '20000000-0000-0000-0000-000000000001', 'digitalisation', 'in_progress', '2025-06-01', '2027-06-30', NULL);
INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) VALUES
  ('40000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 100),
  ('40000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 100);
INSERT INTO project_council_goal (project_id, council_goal_id) VALUES
  ('40000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000001');
INSERT INTO effect_goal (id, project_id, position, goal) VALUES
  ('50000000-0000-0000-0000-000000000001', '40000000-0000-0000-0000-000000000001', 1, 'Bättre service');
INSERT INTO fund (id, municipality_id, year, amount) VALUES
  ('60000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 2021, 6000000);
INSERT INTO fund_direction (id, municipality_id, position, name) VALUES
  ('70000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 1, 'Inriktning med mål'),
  ('70000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 2, 'Inriktning utan mål');
INSERT INTO fund_direction_council_goal (direction_id, council_goal_id) VALUES
  ('70000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000002');
INSERT INTO fund_application (id, fund_id, direction_id, title, department, amount_applied, status, amount_granted, decision_reason, decided_on, decided_by) VALUES
  ('80000000-0000-0000-0000-000000000001', '60000000-0000-0000-0000-000000000001', '70000000-0000-0000-0000-000000000001', 'Uppföljt bidrag', 'Socialförvaltningen', 500000, 'granted', 400000, '', '2021-03-01', 'KS'),
  ('80000000-0000-0000-0000-000000000002', '60000000-0000-0000-0000-000000000001', '70000000-0000-0000-0000-000000000001', 'Glömt bidrag', 'Miljöförvaltningen', 300000, 'granted', 300000, '', '2021-03-01', 'KS'),
  ('80000000-0000-0000-0000-000000000003', '60000000-0000-0000-0000-000000000001', '70000000-0000-0000-0000-000000000002', 'Avslaget', 'Kulturförvaltningen', 100000, 'refused', NULL, 'Nej', '2021-03-01', 'KS');
INSERT INTO fund_application_council_goal (application_id, council_goal_id) VALUES
  ('80000000-0000-0000-0000-000000000001', '30000000-0000-0000-0000-000000000002');
INSERT INTO fund_follow_up (id, application_id, followed_on, spent, comment) VALUES
  ('90000000-0000-0000-0000-000000000001', '80000000-0000-0000-0000-000000000001', '2021-12-01', 350000, 'Klart');
INSERT INTO benefit_calculation (id, project_id, first_year, horizon, discount_rate, benefit_start, hourly_cost) VALUES
  ('a0000000-0000-0000-0000-000000000001', '40000000-0000-0000-0000-000000000002', 2024, 5, 0.035, 2, 500);
INSERT INTO benefit_stakeholder (id, calculation_id, name) VALUES
  ('b0000000-0000-0000-0000-000000000001', 'a0000000-0000-0000-0000-000000000001', 'Invånare');
INSERT INTO benefit (id, calculation_id, stakeholder_id, description, kind, amount) VALUES
  ('c0000000-0000-0000-0000-000000000001', 'a0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-000000000001', 'Färre samtal', 'redistributable', 200);
INSERT INTO board_year_investment (board_id, year, appropriation, outcome, granted, refreshed_in) VALUES
  ('20000000-0000-0000-0000-000000000001', 2025, 1000000, 600000, true, 0);
"#;

const TESTBY_ID: &str = "10000000-0000-0000-0000-000000000001";

#[tokio::test]
async fn each_check_counts_exactly_the_offending_rows_and_exports_them() {
    let app = TestApp::spawn().await;
    app.owner().await.execute(TESTBY).await.unwrap();
    let auditor = app.signed_in(AUDITOR).await;
    let page = auditor
        .get(&format!("/revision?kommun={TESTBY_ID}&ar=2026"))
        .await;
    assert_eq!(page.status, 200);
    let counts = page.texts("#checks tbody td.num");
    assert_eq!(counts, ["4", "2", "3", "1", "1", "1"]);

    let drill = |k: &str| format!("/revision/kontroll?k={k}&kommun={TESTBY_ID}&ar=2026");
    let rows = |p: &crate::support::Page| p.texts("#findings tbody tr");
    let linkage = auditor.get(&drill("malkoppling")).await;
    let linkage_rows = rows(&linkage);
    for expected in [
        "Mål utan arbete",
        "Pågående projekt (TB 2026-2)",
        "Glömt bidrag",
        "Inriktning utan mål",
    ] {
        assert!(
            linkage_rows.iter().any(|r| r.contains(expected)),
            "{expected} in {linkage_rows:?}"
        );
    }
    assert_eq!(linkage_rows.len(), 4);
    assert!(
        !linkage.body.contains("Mål med bidrag"),
        "the goal a grant serves is linked"
    );

    let smart = rows(&auditor.get(&drill("smart")).await);
    assert_eq!(smart.len(), 2);
    assert!(smart[0].starts_with("Effektmål") && smart[0].contains("Bättre service"));
    assert!(smart[1].starts_with("Nytta") && smart[1].contains("Nyttoägare saknas"));

    let follow = rows(&auditor.get(&drill("uppfoljning")).await);
    assert_eq!(follow.len(), 3);
    assert!(follow[0].contains("Avslutat projekt") && follow[0].contains("aldrig uppföljt"));
    assert!(follow[1].contains("Glömt bidrag"));
    assert!(follow[2].contains("Färre samtal") && follow[2].contains("Planerad från 2025"));

    let fund = auditor.get(&drill("fonden")).await;
    let cells: Vec<String> = fund
        .texts("#findings tbody th, #findings tbody td")
        .into_iter()
        .map(|c| c.replace('\u{a0}', " "))
        .collect();
    assert_eq!(
        cells,
        [
            "Testby",
            "2021",
            "6 000 000",
            "700 000",
            "1 av 2 (50 %)",
            "0 %"
        ]
    );

    let rate = auditor.get(&drill("genomforandegrad")).await;
    assert!(rows(&rate)[0].contains("60 %"), "{:?}", rows(&rate));

    let boards = rows(&auditor.get(&drill("aktivitet")).await);
    assert_eq!(boards.len(), 1);
    assert!(boards[0].contains("Stilla nämnden"));
    // In 2022 neither board had anything running.
    let earlier = auditor
        .get(&format!(
            "/revision/kontroll?k=aktivitet&kommun={TESTBY_ID}&ar=2022"
        ))
        .await;
    assert_eq!(rows(&earlier).len(), 2);

    // The Excel export has the same rows under the same headers.
    let xlsx = auditor
        .get(&format!(
            "/revision/kontroll.xlsx?k=uppfoljning&kommun={TESTBY_ID}&ar=2026"
        ))
        .await;
    assert_eq!(xlsx.status, 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("Kontroll").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 0), "Uppföljning av projekt, bidrag och nyttor");
    assert_eq!(cell(2, 0), "Urval: Testby, 2026. Antal: 3.");
    assert_eq!((cell(4, 0), cell(4, 1)), ("Slag".into(), "Namn".into()));
    assert_eq!(cell(7, 1), "Pågående projekt (TB 2026-2): Färre samtal");
    assert_eq!(cell(8, 0), "", "three rows, no more");
    // Amounts and years are numbers an auditor can sum.
    let fund_xlsx = auditor
        .get(&format!(
            "/revision/kontroll.xlsx?k=fonden&kommun={TESTBY_ID}&ar=2026"
        ))
        .await;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(fund_xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("Kontroll").unwrap();
    assert_eq!(
        sheet.get_value((5, 1)),
        Some(&calamine::Data::Float(2021.0))
    );
    assert_eq!(
        sheet.get_value((5, 3)),
        Some(&calamine::Data::Float(700_000.0))
    );

    // The auditor's start page has the same checks; others do not have them.
    let start = auditor.get("/").await;
    assert_eq!(start.texts("#auditor-checks #checks tbody tr").len(), 6);
    assert!(
        app.signed_in(IT_CENTER)
            .await
            .get("/")
            .await
            .texts("#auditor-checks")
            .is_empty()
    );
    assert_eq!(
        app.signed_in(IT_CENTER).await.get("/revision").await.status,
        403
    );
    assert_eq!(auditor.get("/revision/kontroll?k=okand").await.status, 404);
    // A municipality or a year that does not exist is no page, not "all municipalities".
    let nowhere = "00000000-0000-0000-0000-000000000000";
    for query in [
        format!("/revision?kommun={nowhere}"),
        format!("/revision/kontroll?k=aktivitet&kommun={nowhere}"),
        "/revision?kommun=skräp".to_owned(),
        "/revision/kontroll.xlsx?k=smart&ar=99999".to_owned(),
    ] {
        assert_eq!(auditor.get(&query).await.status, 404, "{query}");
    }
}

/// The demo answers seed 004's findings for Huddinge: what the demo's fund, grants and benefits
/// make of each check (the counts worked out in the fixture `fixtures/demo/benefits.json`).
#[tokio::test]
async fn the_demo_answers_the_huddinge_findings() {
    let app = TestApp::spawn().await;
    let auditor = app.signed_in("revisor.huddinge@demo.portfolj.se").await;
    // Across all municipalities every check finds something.
    let start = auditor.get("/").await;
    let all = start.texts("#auditor-checks #checks tbody td.num");
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|c| c != "0"), "{all:?}");

    // The register: the robot's two benefits and the two items' five; the robot's rating is
    // the one overdue.
    let register = auditor.get("/nyttor").await;
    assert_eq!(
        register.text("#register-count"),
        "7 nyttor, varav 1 försenad."
    );

    let huddinge = app.municipality_id("Huddinge").await;
    let page = auditor
        .get(&format!("/revision?kommun={huddinge}&ar=2026"))
        .await;
    // Goal linkage: the climate goal has no grant, VR has no goal, Innovation serves none.
    // SMART: the qualitative benefit of the robot has no owner, indicator or baseline.
    // Follow-up: the chatbot and VR grants, and that benefit. Fund: both years fall short.
    // Huddinge has no investment projects in the period follow-up; none of its three boards
    // has a project or an action plan in 2026.
    assert_eq!(
        page.texts("#checks tbody td.num"),
        ["3", "1", "3", "2", "0", "3"]
    );
    let drill = |k: &str| format!("/revision/kontroll?k={k}&kommun={huddinge}&ar=2026");
    let fund = auditor.get(&drill("fonden")).await;
    let cells: Vec<String> = fund
        .texts("#findings tbody td")
        .into_iter()
        .map(|c| c.replace('\u{a0}', " "))
        .collect();
    assert_eq!(
        cells,
        [
            "2021",
            "6 000 000",
            "1 900 000",
            "1 av 2 (50 %)",
            "0 %",
            "2020",
            "2 000 000",
            "1 550 000",
            "2 av 3 (66,7 %)",
            "41,9 %"
        ]
    );
    let follow = auditor
        .get(&drill("uppfoljning"))
        .await
        .texts("#findings tbody tr");
    assert!(
        follow[0].contains("Chattbot för bygglovsfrågor"),
        "{follow:?}"
    );
    assert!(follow[1].contains("VR i undervisningen"));
    assert!(follow[2].contains("Snabbare beslut om ekonomiskt bistånd"));
}
