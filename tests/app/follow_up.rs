//! The period follow-up as users reach it: the overview from the navigation, seed 002's report
//! reproduced from the demo data cell by cell, and a second period the test builds itself (a
//! deficit, an approved and an unapproved measure, a carry-over and figures that round), so
//! neither the figures nor the words are the demo's by accident.

use sqlx::PgPool;
use uuid::Uuid;

use crate::support::{
    AUDITOR, CONTROLLER, Client, Page, SECRETARY, STRATEGY_LUDVIKA, TestApp, queries,
};

const MINUS: char = '\u{2212}';

/// The cells of each body row of the table matching `table` (row header first).
pub(crate) fn rows(page: &Page, table: &str) -> Vec<Vec<String>> {
    let html = page.html();
    let row = scraper::Selector::parse(&format!("{table} tbody tr:not(.group)")).unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    html.select(&row)
        .map(|r| {
            r.select(&cell)
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

/// Expected figures, written with a hyphen for the page's minus sign.
pub(crate) fn cells(values: &[&str]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.replace('-', &MINUS.to_string()))
        .collect()
}

/// Follows the navigation to the year's overview and the board's report at an occasion.
pub async fn open_report(client: &Client, year: i32, occasion: &str, board: &str) -> Page {
    let start = client.get("/").await;
    let nav = start.html();
    let link = scraper::Selector::parse("nav a").unwrap();
    let overview_href = nav
        .select(&link)
        .find(|a| a.text().collect::<String>().trim() == "Uppföljning")
        .and_then(|a| a.value().attr("href"))
        .expect("Uppföljning in the navigation")
        .to_owned();
    let overview = client.get(&format!("{overview_href}?ar={year}")).await;
    assert_eq!(overview.status, 200);
    let html = overview.html();
    let section = scraper::Selector::parse("h2, table").unwrap();
    let mut in_occasion = false;
    let mut href = None;
    for element in html.select(&section) {
        if element.value().name() == "h2" {
            in_occasion = element.text().collect::<String>().starts_with(occasion);
        } else if in_occasion {
            let a = scraper::Selector::parse("tbody th a").unwrap();
            href = element
                .select(&a)
                .find(|a| a.text().collect::<String>() == board)
                .and_then(|a| a.value().attr("href"))
                .map(str::to_owned);
        }
    }
    let href = href.unwrap_or_else(|| panic!("{board} at {occasion} in:\n{}", overview.body));
    let report = client.get(&href).await;
    assert_eq!(report.status, 200, "{href}");
    report
}

#[tokio::test]
async fn the_demo_reproduces_seed_002() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let page = open_report(&client, 2022, "Tillfälle 2", "Gemensamma servicenämnden").await;

    assert_eq!(
        rows(&page, "table.operating:not(.activities)"),
        [
            cells(&["Intäkter", "43,0", "50,4", "7,3", "64,5", "63,5", "-1,0"]),
            cells(&["Kostnader", "43,0", "46,2", "-3,2", "64,5", "61,4", "3,1"]),
            cells(&["Netto", "0,0", "-4,2", "4,1", "0,0", "-2,1", "2,1"]),
        ]
    );
    let total = page.texts("table.investments tfoot td");
    assert_eq!(
        total,
        cells(&["4,9", "7,7", "12,6", "3,4", "-9,2", "8,6", "-4,0"])
    );
    let projects: Vec<String> = rows(&page, "table.investments")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    for commented in [
        "0003-0365 Digital arbetsplats",
        "0005 Fiberstam kärnnätverk",
        "0010 Utbyggnad trådlöst nät",
    ] {
        assert!(
            projects.contains(&commented.to_owned()),
            "{commented} in {projects:?}"
        );
    }
    assert_eq!(
        page.texts("p.proposal"),
        [
            "1. Nämnden godkänner periodens rapportering, enligt bilaga 1 daterad 13 september 2022.",
            "2. Nämnden fastställer handlingsplan med åtgärder för att bidra till en ekonomi i balans 2022, enligt bilaga 2 daterad 13 september 2022.",
        ]
    );
    let generated = page.texts("p.generated").join("\n");
    for sentence in [
        "Under perioden var nettokostnaderna för den löpande verksamheten totalt 4,1 mnkr lägre än periodens budgeterade nivå (positiv avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför inte.",
        "Den slutgiltiga prognosen för helåret är att IT-center (innan resultatjustering) kommer att ha en positiv driftsavvikelse på 2,1 mnkr.",
        "Av det totala investeringsanslaget för året på 12,6 mnkr (4,9 årsbudget 2022 plus 7,7 överfört från 2021) har 3,4 mnkr upparbetats under perioden. Enligt prognos kommer 8,6 mnkr av anslaget att upparbetas och bokföras till årets slut.",
        "Prognosen för helåret är att 8,6 mnkr av anslaget (68 procent) kommer upparbetas och bokföras.",
        "Intäkterna var 7,3 mnkr högre än budget (positiv avvikelse).",
    ] {
        assert!(
            generated.contains(sentence),
            "{sentence}\nnot in:\n{generated}"
        );
    }
    let plan = rows(&page, "table.action-plan");
    assert_eq!(plan[0][..3], ["1.1", "IT-center", "Inga åtgärder"]);
    assert_eq!(
        page.texts("table.action-plan tfoot td"),
        ["0,00", "0,00", "", "0,00"]
    );
    // The members' shares of the 2,1 mnkr surplus by the board's key.
    assert_eq!(
        rows(&page, "table.shares"),
        [
            cells(&["Ludvika", "1 470 000"]),
            cells(&["Smedjebacken", "630 000"])
        ]
    );
    assert!(page.body.contains("Genomförandegrad"));
    assert!(!page.body.contains("UTKAST"), "the demo report is complete");
}

pub struct Second {
    pub occasion: Uuid,
    pub board: Uuid,
}

/// Kultur- och fritidsnämnden in Smedjebacken, January–April 2025: two activities over budget, a
/// project with a carry-over from 2024 and extra funds, and three measures.
pub async fn second_period(db: &PgPool, with_forecasts: bool) -> Second {
    let board = Uuid::now_v7();
    let occasion = Uuid::now_v7();
    let follow_up = Uuid::now_v7();
    let library = Uuid::now_v7();
    let youth = Uuid::now_v7();
    let project = Uuid::now_v7();
    let statements = [
        format!(
            "INSERT INTO board (id, name, municipality_id) SELECT '{board}', 'Kultur- och fritidsnämnden', id FROM municipality WHERE name = 'Smedjebacken'"
        ),
        format!(
            "INSERT INTO follow_up_occasion (id, year, number, through_month, deadline) VALUES ('{occasion}', 2025, 1, 4, '2025-05-15')"
        ),
        format!(
            "INSERT INTO activity (id, board_id, code, name) VALUES ('{library}', '{board}', '101', 'Bibliotek'), ('{youth}', '{board}', '102', 'Fritidsgårdar')"
        ),
        format!(
            "INSERT INTO operating_budget (activity_id, month, revenue, costs) SELECT '{library}', make_date(2025, m, 1), 1000000, 4000000 FROM generate_series(1, 12) m"
        ),
        format!(
            "INSERT INTO operating_budget (activity_id, month, revenue, costs) SELECT '{youth}', make_date(2025, m, 1), 500000, 2500000 FROM generate_series(1, 12) m"
        ),
        // Outcome after the period (May) and in the year before must not count.
        format!(
            "INSERT INTO operating_outcome (activity_id, month, revenue, costs, source) SELECT '{library}', make_date(2025, m, 1), 900000, 4500000, 'manual' FROM generate_series(1, 5) m"
        ),
        format!(
            "INSERT INTO operating_outcome (activity_id, month, revenue, costs, source) SELECT '{youth}', make_date(2025, m, 1), 500000, 2750000, 'manual' FROM generate_series(1, 4) m"
        ),
        format!(
            "INSERT INTO operating_outcome (activity_id, month, revenue, costs, source) VALUES ('{youth}', '2024-12-01', 1, 999999, 'manual')"
        ),
        format!(
            "INSERT INTO follow_up (id, board_id, occasion_id, attachments_dated) VALUES ('{follow_up}', '{board}', '{occasion}', '2025-05-06')"
        ),
        format!(
            "INSERT INTO project (id, name, case_number, project_number, board_id, plan, status) VALUES ('{project}', 'Meröppet bibliotek', 'KFN 2024-3', '0101', '{board}', 'digitalisation', 'in_progress')"
        ),
        format!(
            "INSERT INTO project_year (project_id, year, annual_budget, extra_granted) VALUES ('{project}', 2025, 1000000, 250000)"
        ),
        format!(
            "INSERT INTO carry_over (project_id, from_year, amount, decided) VALUES ('{project}', 2024, 400000, true)"
        ),
        format!(
            "INSERT INTO budget_line (id, project_id, position, category, budget) VALUES ('{library}', '{project}', 1, 'Inpassering och larm', 2000000)"
        ),
        format!(
            "INSERT INTO outcome_entry (id, budget_line_id, month, amount, source) VALUES (gen_random_uuid(), '{library}', '2024-12-01', 500000, 'manual'), (gen_random_uuid(), '{library}', '2025-02-01', 300000, 'manual'), (gen_random_uuid(), '{library}', '2025-05-01', 999, 'manual')"
        ),
        // A project with only an undecided carry-over has no appropriation this year.
        format!(
            "INSERT INTO project (id, name, case_number, board_id, plan, status) VALUES (gen_random_uuid(), 'Ej beslutad', 'KFN 2024-9', '{board}', 'digitalisation', 'idea')"
        ),
        "INSERT INTO carry_over (project_id, from_year, amount, decided) SELECT id, 2024, 100000, false FROM project WHERE case_number = 'KFN 2024-9'".to_owned(),
        format!(
            "INSERT INTO action_measure (id, follow_up_id, group_number, number, activity, description, effect_period, effect_forecast, in_forecast, approved_at) VALUES \
            (gen_random_uuid(), '{follow_up}', 1, 1, 'Bibliotek', 'Kortare öppettider sommartid', 200000, 1500000, true, now()), \
            (gen_random_uuid(), '{follow_up}', 2, 1, 'Fritidsgårdar', 'Samlokalisering', 0, 2000000, true, NULL), \
            (gen_random_uuid(), '{follow_up}', 2, 2, 'Fritidsgårdar', 'Vakanser hålls öppna', 100000, 700000, false, now())"
        ),
    ];
    for sql in statements {
        sqlx::query(&sql)
            .execute(db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    if with_forecasts {
        for sql in [
            format!(
                "INSERT INTO activity_forecast (follow_up_id, activity_id, revenue, costs, comment) VALUES ('{follow_up}', '{library}', 11000000, 50000000, 'Högre personalkostnader.'), ('{follow_up}', '{youth}', 6000000, 31000000, '')"
            ),
            format!(
                "INSERT INTO project_forecast (follow_up_id, project_id, forecast, comment) VALUES ('{follow_up}', '{project}', 1200000, 'Leveransen av larm dröjer.')"
            ),
        ] {
            sqlx::query(&sql).execute(db).await.unwrap();
        }
    }
    Second { occasion, board }
}

#[tokio::test]
async fn a_period_with_a_deficit_an_action_plan_and_a_carry_over() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, true).await;
    let client = app.signed_in(AUDITOR).await;
    let page = open_report(&client, 2025, "Tillfälle 1", "Kultur- och fritidsnämnden").await;

    assert_eq!(
        rows(&page, "table.operating:not(.activities)"),
        [
            cells(&["Intäkter", "6,0", "5,6", "-0,4", "18,0", "17,0", "-1,0"]),
            cells(&["Kostnader", "26,0", "29,0", "-3,0", "78,0", "79,5", "-1,5"]),
            cells(&["Netto", "20,0", "23,4", "-3,4", "60,0", "62,5", "-2,5"]),
        ]
    );
    // Carry-over 0,4 and extra 0,25 are added during the year; 1,65 shows as 1,7 and the
    // forecast's deviation −0,45 as −0,5 (half away from zero), from exact kronor.
    assert_eq!(
        rows(&page, "table.investments"),
        [cells(&[
            "0101 Meröppet bibliotek",
            "1,0",
            "0,7",
            "1,7",
            "0,3",
            "-1,4",
            "1,2",
            "-0,5"
        ])]
    );
    let generated = page.texts("p.generated").join("\n");
    for sentence in [
        "Under perioden var nettokostnaderna för den löpande verksamheten totalt 3,4 mnkr högre än periodens budgeterade nivå (negativ avvikelse). Handlingsplan med korrigerande åtgärder upprättas därför (bilaga 2).",
        "Intäkterna var 0,4 mnkr lägre än budget (negativ avvikelse). Kostnaderna var 3,0 mnkr högre än budget (negativ avvikelse). Nettokostnaderna var 3,4 mnkr högre än budget (negativ avvikelse).",
        "Den slutgiltiga prognosen för helåret är att Kultur- och fritidsnämnden kommer att ha en negativ driftsavvikelse på 2,5 mnkr.",
        "Av det totala investeringsanslaget för året på 1,7 mnkr (1,0 årsbudget 2025 plus 0,4 överfört från 2024 plus 0,3 extra beviljat under året) har 0,3 mnkr upparbetats under perioden.",
        "Prognosen för helåret är att 1,2 mnkr av anslaget (73 procent) kommer upparbetas och bokföras.",
        "Prognosen räknar med godkända åtgärder i handlingsplanen på 1,5 mnkr.",
    ] {
        assert!(
            generated.contains(sentence),
            "{sentence}\nnot in:\n{generated}"
        );
    }
    assert_eq!(
        page.texts("p.proposal")[1],
        "2. Nämnden fastställer handlingsplan med åtgärder för att bidra till en ekonomi i balans 2025, enligt bilaga 2 daterad 6 maj 2025."
    );
    // Only the approved, included measure counts in the forecast.
    let plan: Vec<Vec<String>> = rows(&page, "table.action-plan");
    let counted: Vec<(&str, &str, &str)> = plan
        .iter()
        .map(|r| {
            (
                r[0].as_str(),
                r[r.len() - 2].as_str(),
                r[r.len() - 1].as_str(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("1.1", "Ja", "1,50"),
            ("Delsumma 1", "", "1,50"),
            ("2.1", "Nej", "0,00"),
            ("2.2", "Nej", "0,00"),
            ("Delsumma 2", "", "0,00"),
            ("Delsumma 3", "", "0,00"),
            ("Delsumma 4", "", "0,00"),
        ]
    );
    assert_eq!(
        page.texts("table.action-plan tfoot td"),
        ["0,30", "4,20", "", "1,50"]
    );
    assert!(
        !page.body.contains("table data shares"),
        "a board without a key has no shares"
    );

    // A secretary of another board may not read it; a strategy group has no follow-ups.
    let path = format!("/uppfoljning/{}/{}", second.occasion, second.board);
    assert_eq!(app.signed_in(SECRETARY).await.get(&path).await.status, 403);
    assert_eq!(
        app.signed_in(STRATEGY_LUDVIKA)
            .await
            .get(&path)
            .await
            .status,
        403
    );
    assert_eq!(
        client
            .get(&format!("/uppfoljning/{}/{}", Uuid::now_v7(), second.board))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_report_without_forecasts_is_marked_as_a_draft_with_what_is_missing() {
    let app = TestApp::spawn().await;
    second_period(&app.db, false).await;
    let client = app.signed_in(CONTROLLER).await;
    let page = open_report(&client, 2025, "Tillfälle 1", "Kultur- och fritidsnämnden").await;
    assert!(
        page.text("[role=status]")
            .starts_with("UTKAST – ofullständigt.")
    );
    assert_eq!(
        page.texts("[role=status] li"),
        [
            "Helårsprognos för verksamhet 101 Bibliotek",
            "Helårsprognos för verksamhet 102 Fritidsgårdar",
            "Prognos för projekt 0101 Meröppet bibliotek",
        ]
    );
}

#[tokio::test]
async fn the_report_runs_a_fixed_number_of_statements() {
    queries::install();
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, true).await;
    let client = app.signed_in(AUDITOR).await;
    client.get("/").await;
    let path = format!("/uppfoljning/{}/{}", second.occasion, second.board);
    let count = |page: Page| queries::statements(page.header("x-request-id").expect("request id"));
    let few = count(client.get(&path).await);
    sqlx::query(&format!(
        "WITH p AS (INSERT INTO project (id, name, case_number, board_id, plan, status) \
                    SELECT gen_random_uuid(), 'Projekt ' || n, 'KFN 2030-' || n, '{}', 'digitalisation', 'idea' \
                    FROM generate_series(1, 30) n RETURNING id) \
         INSERT INTO project_year (project_id, year, annual_budget) SELECT id, 2025, 100000 FROM p",
        second.board
    ))
    .execute(&app.db)
    .await
    .unwrap();
    let many_page = client.get(&path).await;
    assert_eq!(rows(&many_page, "table.investments").len(), 31);
    assert_eq!(
        few,
        count(many_page),
        "the report runs a statement per project"
    );
}

#[tokio::test]
async fn start_pages_show_each_boards_status_at_the_next_occasion() {
    let app = TestApp::spawn().await;
    let occasion = Uuid::now_v7();
    for sql in [
        format!(
            "INSERT INTO follow_up_occasion (id, year, number, through_month, deadline) VALUES ('{occasion}', 2099, 1, 4, current_date + 2)"
        ),
        format!(
            "INSERT INTO follow_up (id, board_id, occasion_id, status) SELECT gen_random_uuid(), id, '{occasion}', 'submitted' FROM board WHERE name = 'Gemensamma servicenämnden'"
        ),
    ] {
        sqlx::query(&sql).execute(&app.db).await.unwrap();
    }
    let controller = app.signed_in(CONTROLLER).await;
    let start = controller.get("/").await;
    assert!(
        start
            .text("#follow-up-heading")
            .starts_with("Uppföljning tillfälle 1 år 2099 (januari–april 2099)"),
        "{}",
        start.text("#follow-up-heading")
    );
    let statuses = rows(&start, "table.follow-up-status");
    assert!(
        statuses.contains(&cells(&[
            "Gemensamma servicenämnden",
            "Ludvika",
            "Inlämnad"
        ])),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&cells(&["Kommunstyrelsen", "Norrtälje", "Ej påbörjad"])),
        "{statuses:?}"
    );
    let html = start.html();
    let link = scraper::Selector::parse("table.follow-up-status a").unwrap();
    for a in html.select(&link) {
        let href = a.value().attr("href").unwrap();
        assert_eq!(controller.get(href).await.status, 200, "{href}");
    }
    // A secretary sees their own board only.
    let secretary = app.signed_in(SECRETARY).await.get("/").await;
    assert_eq!(
        rows(&secretary, "table.follow-up-status"),
        [cells(&["Kommunstyrelsen", "Norrtälje", "Ej påbörjad"])]
    );
    // Those who do not follow the boards' reports get no panel.
    let strategy = app.signed_in(STRATEGY_LUDVIKA).await.get("/").await;
    assert!(!strategy.body.contains("follow-up-heading"));
}

/// The form's values with the `n`-th field called `name` set to `value`, as a person typing.
pub(crate) fn typed(
    mut values: Vec<(String, String)>,
    changes: &[(&str, usize, &str)],
) -> Vec<(String, String)> {
    for (name, n, value) in changes {
        let field = values
            .iter_mut()
            .filter(|(v, _)| v == name)
            .nth(*n)
            .unwrap_or_else(|| panic!("no {name} #{n}"));
        field.1 = (*value).to_owned();
    }
    values
}

#[tokio::test]
async fn the_controller_enters_forecasts_and_bad_input_or_a_stale_form_changes_nothing() {
    let app = TestApp::spawn().await;
    second_period(&app.db, false).await;
    let client = app.signed_in(CONTROLLER).await;
    let report = open_report(&client, 2025, "Tillfälle 1", "Kultur- och fritidsnämnden").await;
    let edit = report
        .html()
        .select(&scraper::Selector::parse("a.button").unwrap())
        .find(|a| a.text().collect::<String>() == "Ändra prognoser och text")
        .and_then(|a| a.value().attr("href"))
        .expect("a controller may edit")
        .to_owned();
    let form = client.get(&edit).await;
    let blank = form.form_values(&edit);

    // A bad amount and a half forecast: refused next to the fields, typed values kept.
    let refused = client
        .post_values(
            &edit,
            &typed(
                blank.clone(),
                &[
                    ("revenue", 0, "elva miljoner"),
                    ("costs", 1, "31 000 000"),
                    ("activity_comment", 0, "Högre personalkostnader."),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("revenue-101")
            .unwrap()
            .contains("elva miljoner")
    );
    assert!(
        refused
            .field_error("revenue-102")
            .unwrap()
            .contains("både intäkter och kostnader")
    );
    assert_eq!(
        refused.value("#revenue-101").as_deref(),
        Some("elva miljoner")
    );
    assert_eq!(
        refused.text("#activity_comment-101"),
        "Högre personalkostnader."
    );
    assert_eq!(
        app.count("SELECT count(*) FROM activity_forecast f JOIN activity a ON a.id = f.activity_id WHERE a.code IN ('101', '102')").await,
        0
    );

    // Implausible values: a negative cost forecast and a year-0 date are typos, not figures.
    let refused = client
        .post_values(
            &edit,
            &typed(
                blank.clone(),
                &[
                    ("revenue", 0, "11 000 000"),
                    ("costs", 0, "-5 000 000"),
                    ("attachments_dated", 0, "0000-01-01"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("costs-101")
            .unwrap()
            .contains("kan inte vara negativt")
    );
    assert!(
        refused
            .field_error("attachments_dated")
            .unwrap()
            .contains("utanför")
    );

    // Someone else opened the same form and saves first.
    let other = app.signed_in(CONTROLLER).await;
    let other_form = other.get(&edit).await.form_values(&edit);
    let first = other
        .post_values(
            &edit,
            &typed(
                other_form,
                &[("revenue", 0, "11 000 000"), ("costs", 0, "50 000 000")],
            ),
        )
        .await;
    assert_eq!(first.status, 303);
    let mine = typed(
        blank,
        &[
            ("revenue", 0, "11,5 mnkr"),
            ("costs", 0, "50 000 000"),
            ("revenue", 1, "6 000 000"),
            ("costs", 1, "31 000 000"),
            ("forecast", 0, "1 200 000"),
            ("project_comment", 0, "Leveransen av larm dröjer."),
            ("reporting_unit", 0, "Kultur- och fritidsförvaltningen"),
        ],
    );
    let stale = client.post_values(&edit, &mine).await;
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.value("#revenue-101").as_deref(),
        Some("11,5 mnkr"),
        "what I typed stays"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM activity_forecast WHERE revenue = 11000000")
            .await,
        1
    );

    // Saving again, having seen theirs, is mine over theirs.
    let again = client.post_values(&edit, &stale.form_values(&edit)).await;
    assert_eq!(again.status, 303, "{}", again.body);
    let page = client.get(again.location().unwrap()).await;
    assert_eq!(
        rows(&page, "table.operating:not(.activities)")[0],
        cells(&["Intäkter", "6,0", "5,6", "-0,4", "18,0", "17,5", "-0,5"])
    );
    assert!(
        page.texts("p.generated")
            .join(" ")
            .contains("att Kultur- och fritidsförvaltningen kommer att ha")
    );
    assert!(!page.body.contains("UTKAST"));
    let audited = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'follow_up_saved' AND entity = 'activity' AND entity_id = '101 Bibliotek' AND field = 'forecast_revenue' AND replace(old_value, chr(160), ' ') = '11 000 000' AND replace(new_value, chr(160), ' ') = '11 500 000'")
        .await;
    assert_eq!(audited, 1);
    assert_eq!(app.count("SELECT count(*) FROM audit_log WHERE action = 'follow_up_saved' AND field = 'year_forecast' AND project_id IS NOT NULL").await, 1);

    // Auditors read the report without an edit link.
    let auditor = app.signed_in(AUDITOR).await.get(&page_path(&edit)).await;
    assert!(!auditor.body.contains("Ändra prognoser och text"));
}

fn page_path(edit: &str) -> String {
    edit.trim_end_matches("/prognos").to_owned()
}
