//! A report's action plan and its way to the board, as users reach them: the controller drafts
//! measures, the board's head of administration approves them (and only then do they count), the
//! controller submits the complete report, the board's secretary records the decision, which
//! freezes the figures, and a decided report's text is corrected only with a reason.

use crate::{
    follow_up::{open_report, rows, second_period},
    support::{
        AUDITOR, CONTROLLER, Client, HEAD_OF_ADMINISTRATION, Page, SECRETARY, SECRETARY_GSN,
        TestApp,
    },
};

/// The href of the link or button-like link whose text starts with `text`.
pub fn link(page: &Page, text: &str) -> Option<String> {
    let a = scraper::Selector::parse("main a").unwrap();
    page.html()
        .select(&a)
        .find(|a| a.text().collect::<String>().trim().starts_with(text))
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
}

/// The action of the form whose button's text starts with `text`.
fn button(page: &Page, text: &str) -> Option<String> {
    let form = scraper::Selector::parse("main form").unwrap();
    let b = scraper::Selector::parse("button").unwrap();
    page.html()
        .select(&form)
        .find(|f| {
            f.select(&b)
                .any(|b| b.text().collect::<String>().trim().starts_with(text))
        })
        .and_then(|f| f.value().attr("action"))
        .map(str::to_owned)
}

/// The full year's net forecast and deviation on the report (Netto row of the total table).
fn full_year_net(page: &Page) -> Vec<String> {
    rows(page, "table.operating:not(.activities)")[2][5..].to_vec()
}

async fn post_button(client: &Client, from: &str, text: &str) -> Page {
    let page = client.get(from).await;
    let action = button(&page, text).unwrap_or_else(|| panic!("no button {text} on {from}"));
    client
        .post_values(&action, &page.form_values(&action))
        .await
}

#[tokio::test]
async fn measures_count_only_once_the_head_of_administration_has_approved_them() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, true).await;
    let controller = app.signed_in(CONTROLLER).await;
    let report = open_report(
        &controller,
        2025,
        "Tillfälle 1",
        "Kultur- och fritidsnämnden",
    )
    .await;
    let report_path = format!("/uppfoljning/{}/{}", second.occasion, second.board);
    let before = full_year_net(&report);
    let measures = "SELECT count(*) FROM action_measure a JOIN follow_up f ON f.id = a.follow_up_id \
                    JOIN board b ON b.id = f.board_id WHERE b.name = 'Kultur- och fritidsnämnden'";
    let plan_path = link(&report, "Handlingsplan").expect("the report links its action plan");
    let plan = controller.get(&plan_path).await;
    let new = link(&plan, "Ny åtgärd").expect("a controller adds measures");

    // Bad input: messages next to the fields, what was typed kept, nothing saved.
    let form = controller.get(&new).await;
    let values = form.filled_in(
        &new,
        &[
            ("activity", "Bibliotek"),
            ("description", ""),
            ("effect_forecast", "tre miljoner"),
            ("in_forecast", "ja"),
        ],
    );
    let refused = controller.post_values(&new, &values).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("description")
            .unwrap()
            .contains("Beskrivning")
    );
    assert!(
        refused
            .field_error("effect_forecast")
            .unwrap()
            .contains("tre miljoner")
    );
    assert_eq!(refused.value("#activity").as_deref(), Some("Bibliotek"));
    assert_eq!(app.count(measures).await, 3);
    // A decision date needs who decided; a year-9999 go-live is a typo.
    let values = form.filled_in(
        &new,
        &[
            ("activity", "Bibliotek"),
            ("description", "Något"),
            ("decided_on", "2025-03-01"),
            ("go_live", "9999-12-31"),
        ],
    );
    let refused = controller.post_values(&new, &values).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("decided_by")
            .unwrap()
            .contains("vem som beslutade")
    );
    assert!(refused.field_error("go_live").unwrap().contains("utanför"));
    assert_eq!(app.count(measures).await, 3);

    // A new measure in group 3, numbered 3.1 by itself, included but not yet approved.
    let values = form.filled_in(
        &new,
        &[
            ("group", "3"),
            ("activity", "Bibliotek"),
            ("description", "Digitala lånekort ersätter plastkort"),
            ("effect_forecast", "300 000"),
            ("in_forecast", "ja"),
        ],
    );
    let saved = controller.post_values(&new, &values).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    // The same form posted twice saves nothing twice.
    controller.post_values(&new, &values).await;
    assert_eq!(app.count(measures).await, 4);
    let report = controller.get(&report_path).await;
    let plan_rows = rows(&report, "table.action-plan");
    let added = plan_rows.iter().find(|r| r[0] == "3.1").expect("3.1");
    assert_eq!(added[10..], ["Nej", "0,00"], "not approved: does not count");
    assert_eq!(full_year_net(&report), before);

    // The head of administration approves it; now it counts, 0,3 mnkr lower costs.
    let head = app.signed_in(HEAD_OF_ADMINISTRATION).await;
    // Gemensamma servicenämnden's head of administration does not approve this board's plan.
    let plan = head.get(&plan_path).await;
    assert_eq!(plan.status, 403);
    sqlx::query(
        "INSERT INTO user_role (id, user_id, role, board_id) SELECT gen_random_uuid(), u.id, \
         'head_of_administration', $1 FROM app_user u WHERE email = $2",
    )
    .bind(second.board)
    .bind(HEAD_OF_ADMINISTRATION)
    .execute(&app.db)
    .await
    .unwrap();
    let head = app.signed_in(HEAD_OF_ADMINISTRATION).await;
    let plan = head.get(&plan_path).await;
    assert!(
        link(&plan, "Ändra").is_none(),
        "the head approves, the controller edits"
    );
    let approved = post_button(&head, &plan_path, "Godkänn åtgärd 3.1").await;
    assert_eq!(approved.status, 303);
    let report = controller.get(&report_path).await;
    let added = rows(&report, "table.action-plan")
        .into_iter()
        .find(|r| r[0] == "3.1")
        .unwrap();
    assert_eq!(added[10..], ["Ja", "0,30"]);
    assert_ne!(full_year_net(&report), before);
    // A secretary cannot approve: the button is the head's.
    let secretary = app.signed_in(SECRETARY).await;
    let measure: String =
        sqlx::query_scalar("SELECT id::text FROM action_measure WHERE group_number = 3")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let forbidden = secretary
        .post_from("/", &format!("{plan_path}/{measure}/aterkalla"), &[])
        .await;
    assert_eq!(forbidden.status, 403);

    // The controller changes the amount: the approval is withdrawn and audited.
    let edit = link(&controller.get(&plan_path).await, "Ändra åtgärd 3.1")
        .or_else(|| Some(format!("{plan_path}/{measure}")))
        .unwrap();
    let changed = controller
        .submit_form(&edit, &edit, &[("effect_forecast", "350 000")])
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let plan = controller.get(&plan_path).await;
    assert!(plan.body.contains("Godkännandet är återkallat"));
    let report = controller.get(&report_path).await;
    assert_eq!(full_year_net(&report), before, "no longer approved");
    let audited = app
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE entity_id = '{measure}' \
             AND field IN ('approved', 'effect_forecast')"
        ))
        .await;
    assert_eq!(
        audited, 4,
        "amount at creation, approved, amount changed, approval withdrawn"
    );

    // Approving from a page loaded before the measure changed approves nothing unseen.
    let stale = head.get(&plan_path).await;
    let changed = controller
        .submit_form(&edit, &edit, &[("effect_forecast", "400 000")])
        .await;
    assert_eq!(changed.status, 303);
    let approve = button(&stale, "Godkänn åtgärd 3.1").expect("the head's button");
    let refused = head
        .post_values(&approve, &stale.form_values(&approve))
        .await;
    assert_eq!(refused.status, 303);
    assert!(
        head.get(&plan_path)
            .await
            .body
            .contains("har ändrats sedan du öppnade")
    );
    assert_eq!(full_year_net(&controller.get(&report_path).await), before);

    // Removing from a stale page is refused too (the head approved it meanwhile); a removal
    // keeps every figure of the measure in the log; a second click is told it is gone.
    let stale = controller.get(&plan_path).await;
    assert_eq!(
        post_button(&head, &plan_path, "Godkänn åtgärd 3.1")
            .await
            .status,
        303
    );
    let remove = button(&stale, "Ta bort åtgärd 3.1").expect("the controller's button");
    controller
        .post_values(&remove, &stale.form_values(&remove))
        .await;
    assert!(
        controller
            .get(&plan_path)
            .await
            .body
            .contains("har ändrats sedan du öppnade")
    );
    assert_eq!(app.count(measures).await, 4);
    let fresh = controller.get(&plan_path).await;
    let values = fresh.form_values(&remove);
    assert_eq!(controller.post_values(&remove, &values).await.status, 303);
    assert_eq!(app.count(measures).await, 3);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'action_measure_removed' \
             AND entity_id = '{measure}' AND ((field = 'effect_forecast' AND old_value = '400\u{a0}000') \
             OR (field = 'approved' AND old_value = 'ja'))"
        ))
        .await,
        2
    );
    controller.post_values(&remove, &values).await;
    assert!(
        controller
            .get(&plan_path)
            .await
            .body
            .contains("Åtgärden var redan borttagen.")
    );
}

#[tokio::test]
async fn the_decided_report_is_frozen_and_only_its_text_is_corrected_with_a_reason() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, false).await;
    let report_path = format!("/uppfoljning/{}/{}", second.occasion, second.board);
    let controller = app.signed_in(CONTROLLER).await;

    // Incomplete (no forecasts): no submit button, and a hand-made post is refused.
    let report = controller.get(&report_path).await;
    assert!(button(&report, "Lämna in").is_none());
    let refused = controller
        .post_from(
            &report_path,
            &format!("{report_path}/lamna-in"),
            &[("version", &report_version(&app, &second).await.to_string())],
        )
        .await;
    assert_eq!(refused.status, 303);
    let back = controller.get(&report_path).await;
    assert!(
        back.body
            .contains("kan inte lämnas in förrän den är komplett"),
        "{}",
        back.body
    );
    assert!(back.body.contains("<strong>Pågår</strong>"));

    // Complete it and submit: the forecast form is then closed until it is taken back.
    for sql in [
        "INSERT INTO activity_forecast (follow_up_id, activity_id, revenue, costs) \
         SELECT f.id, a.id, 1000000, 2000000 FROM follow_up f JOIN activity a ON a.board_id = f.board_id \
         WHERE f.board_id = $1",
        "INSERT INTO project_forecast (follow_up_id, project_id, forecast) \
         SELECT f.id, y.project_id, 900000 FROM follow_up f JOIN project p ON p.board_id = f.board_id \
         JOIN project_year y ON y.project_id = p.id WHERE f.board_id = $1",
    ] {
        sqlx::query(sql)
            .bind(second.board)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let submitted = post_button(&controller, &report_path, "Lämna in till nämnden").await;
    assert_eq!(submitted.status, 303);
    // An approval would change the submitted figures: the head's buttons are closed.
    sqlx::query(
        "INSERT INTO user_role (id, user_id, role, board_id) SELECT gen_random_uuid(), u.id, \
         'head_of_administration', $1 FROM app_user u WHERE email = $2",
    )
    .bind(second.board)
    .bind(HEAD_OF_ADMINISTRATION)
    .execute(&app.db)
    .await
    .unwrap();
    let head = app.signed_in(HEAD_OF_ADMINISTRATION).await;
    let plan_path = format!("{report_path}/handlingsplan");
    let plan = head.get(&plan_path).await;
    assert_eq!(plan.status, 200);
    assert!(button(&plan, "Godkänn").is_none() && button(&plan, "Återkalla").is_none());
    assert!(plan.body.contains("godkännanden kan inte ändras nu"));
    let (measure, version): (String, i32) = sqlx::query_as(
        "SELECT a.id::text, a.version FROM action_measure a JOIN follow_up f ON f.id = a.follow_up_id \
         WHERE f.board_id = $1 AND a.approved_at IS NULL LIMIT 1",
    )
    .bind(second.board)
    .fetch_one(&app.db)
    .await
    .unwrap();
    head.post_from(
        &plan_path,
        &format!("{plan_path}/{measure}/godkann"),
        &[("version", &version.to_string())],
    )
    .await;
    assert!(
        head.get(&plan_path)
            .await
            .body
            .contains("godkännanden ändras bara medan rapporten pågår")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM action_measure WHERE id = '{measure}' AND approved_at IS NULL"
        ))
        .await,
        1
    );
    let report = controller.get(&report_path).await;
    assert!(link(&report, "Ändra prognoser").is_none());
    assert_eq!(
        controller
            .get(&format!("{report_path}/prognos"))
            .await
            .status,
        409
    );
    let frozen_before = rows(&report, "table.operating:not(.activities)");

    // Only the board's secretary records the decision.
    let other = app.signed_in(SECRETARY).await;
    assert_eq!(
        other.get(&format!("{report_path}/beslut")).await.status,
        403
    );
    sqlx::query(
        "INSERT INTO user_role (id, user_id, role, board_id) SELECT gen_random_uuid(), u.id, \
         'secretary', $1 FROM app_user u WHERE email = $2",
    )
    .bind(second.board)
    .bind(SECRETARY_GSN)
    .execute(&app.db)
    .await
    .unwrap();
    let secretary = app.signed_in(SECRETARY_GSN).await;
    let report = secretary.get(&report_path).await;
    let decide = link(&report, "För in nämndens beslut").expect("the secretary's link");
    let future = (chrono::Local::now().date_naive() + chrono::Days::new(3)).to_string();
    let refused = secretary
        .submit_form(
            &decide,
            &decide,
            &[("decided_on", &future), ("decision_paragraph", "")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("decided_on")
            .unwrap()
            .contains("framtiden")
    );
    assert!(
        refused
            .field_error("decision_paragraph")
            .unwrap()
            .contains("Paragraf")
    );
    assert_eq!(
        refused.value("#decided_on").as_deref(),
        Some(future.as_str())
    );
    let decided = secretary
        .submit_form(
            &decide,
            &decide,
            &[("decided_on", "2025-05-20"), ("decision_paragraph", "§ 31")],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);

    // Later postings change the rows, not the decided report.
    sqlx::query("UPDATE operating_outcome SET costs = costs + 1000000 WHERE month = '2025-02-01'")
        .execute(&app.db)
        .await
        .unwrap();
    let report = controller.get(&report_path).await;
    assert!(
        report
            .body
            .contains("Beslutad av Kultur- och fritidsnämnden 2025-05-20, § 31")
    );
    assert_eq!(
        rows(&report, "table.operating:not(.activities)"),
        frozen_before
    );
    assert!(button(&report, "Återta").is_none());
    assert!(link(&report, "Handlingsplan").is_some());
    let plan = controller
        .get(&link(&report, "Handlingsplan").unwrap())
        .await;
    assert!(link(&plan, "Ny åtgärd").is_none(), "the plan is locked");

    // A correction needs its reason; with one, the text changes and the reason is listed.
    let correct = link(&report, "Rätta rapportens text").expect("controllers correct");
    let refused = controller
        .submit_form(&correct, &correct, &[("summary_text", "Rättad inledning.")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("reason").unwrap().contains("Anledning"));
    assert_eq!(refused.text("#summary_text"), "Rättad inledning.");
    let corrected = controller
        .submit_form(
            &correct,
            &correct,
            &[
                ("summary_text", "Rättad inledning."),
                ("reason", "Fel period angavs i inledningen."),
            ],
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    let auditor = app.signed_in(AUDITOR).await;
    let report = auditor.get(&report_path).await;
    assert!(report.body.contains("Rättad inledning."));
    assert!(report.body.contains("Fel period angavs i inledningen."));
    // The correction is a version of the text, with its reason.
    let versions = auditor
        .get(&link(&report, "Textens versioner").expect("a link to the text's versions"))
        .await;
    let newest = versions.texts("section.text-version")[0].clone();
    assert!(
        newest.contains("Rättelse efter beslutet. Anledning: Fel period angavs i inledningen.")
            && newest.contains("Rättad inledning."),
        "{newest}"
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE action = 'follow_up_corrected' \
             AND field IN ('summary_text', 'correction_reason')"
        )
        .await,
        2
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE action = 'follow_up_status' \
             AND new_value IN ('Inlämnad', 'Beslutad')"
        )
        .await,
        2
    );
}

async fn report_version(app: &TestApp, second: &crate::follow_up::Second) -> i32 {
    sqlx::query_scalar("SELECT version FROM follow_up WHERE board_id = $1")
        .bind(second.board)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_submitted_report_is_taken_back_for_changes() {
    let app = TestApp::spawn().await;
    let controller = app.signed_in(CONTROLLER).await;
    let report = open_report(
        &controller,
        2022,
        "Tillfälle 2",
        "Gemensamma servicenämnden",
    )
    .await;
    assert!(
        link(&report, "Ändra prognoser").is_none(),
        "the demo report is submitted"
    );
    let action = button(&report, "Återta rapporten").expect("the controller may take it back");
    let taken = controller
        .post_values(&action, &report.form_values(&action))
        .await;
    assert_eq!(taken.status, 303);
    let report = controller.get(taken.location().unwrap()).await;
    assert!(link(&report, "Ändra prognoser").is_some());
    assert!(button(&report, "Lämna in till nämnden").is_some());
}

#[tokio::test]
async fn a_carry_over_proposed_at_year_end_counts_next_year_once_decided() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, false).await;
    let year_end = uuid::Uuid::now_v7();
    // The demo's first occasion of 2026 (January–April).
    let next_year: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM follow_up_occasion WHERE year = 2026 AND through_month = 4",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    for sql in [
        format!(
            "INSERT INTO follow_up_occasion (id, year, number, through_month, deadline) VALUES \
             ('{year_end}', 2025, 3, 12, '2026-01-31')"
        ),
        format!(
            "INSERT INTO follow_up (id, board_id, occasion_id) VALUES (gen_random_uuid(), '{}', '{year_end}')",
            second.board
        ),
        format!(
            "INSERT INTO activity_forecast (follow_up_id, activity_id, revenue, costs) \
             SELECT f.id, a.id, 1000000, 2000000 FROM follow_up f JOIN activity a ON a.board_id = f.board_id \
             WHERE f.occasion_id = '{year_end}'"
        ),
        format!(
            "INSERT INTO project_forecast (follow_up_id, project_id, forecast) \
             SELECT f.id, y.project_id, 1000000 FROM follow_up f JOIN project_year y ON y.year = 2025 \
             JOIN project p ON p.id = y.project_id AND p.board_id = f.board_id WHERE f.occasion_id = '{year_end}'"
        ),
    ] {
        sqlx::query(&sql)
            .execute(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let report_path = format!("/uppfoljning/{year_end}/{}", second.board);
    let controller = app.signed_in(CONTROLLER).await;
    let report = controller.get(&report_path).await;
    let propose = link(&report, "Föreslå överföring till 2026").expect("at the year-end occasion");
    // Not at an occasion before the year's end.
    let april = controller
        .get(&format!(
            "/uppfoljning/{}/{}",
            second.occasion, second.board
        ))
        .await;
    assert!(link(&april, "Föreslå överföring").is_none());

    // The appropriation is 1,65 mnkr (1,0 + 0,25 extra + 0,4 carried from 2024), 300 999 kr spent
    // in the year; the forecast of 1,0 mnkr leaves 650 000 kr, which the form proposes.
    let form = controller.get(&propose).await;
    let field = form
        .html()
        .select(&scraper::Selector::parse("input[name=amount]").unwrap())
        .next()
        .and_then(|i| i.value().attr("value").map(str::to_owned))
        .unwrap();
    assert_eq!(field.replace('\u{a0}', " "), "650 000");
    // A project without a forecast: nobody has said what is left, so nothing is prefilled and
    // saving the form as shown proposes nothing for it.
    let unforecast = uuid::Uuid::now_v7();
    for sql in [
        format!(
            "INSERT INTO project (id, name, case_number, project_number, board_id, plan, status) VALUES ('{unforecast}', 'Utan prognos', 'KFN 2025-1', '0102', '{}', 'digitalisation', 'in_progress')",
            second.board
        ),
        format!(
            "INSERT INTO project_year (project_id, year, annual_budget, extra_granted) VALUES ('{unforecast}', 2025, 500000, 0)"
        ),
    ] {
        sqlx::query(&sql).execute(&app.db).await.unwrap();
    }
    let form = controller.get(&propose).await;
    let rows_shown = rows(&form, "table");
    let row = rows_shown
        .iter()
        .find(|r| r[0].starts_with("0102"))
        .expect("the new project");
    assert!(row.contains(&"prognos saknas".to_owned()), "{row:?}");
    assert_eq!(
        form.value(&format!("#amount-{unforecast}")).as_deref(),
        Some("")
    );
    let zero = controller.submit_form(&propose, &propose, &[]).await;
    assert_eq!(zero.status, 303, "{}", zero.body);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM carry_over WHERE project_id = '{unforecast}'"
        ))
        .await,
        0
    );
    sqlx::query(&format!(
        "DELETE FROM project_year WHERE project_id = '{unforecast}'"
    ))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM carry_over WHERE from_year = 2025")
        .execute(&app.db)
        .await
        .unwrap();
    let too_much = controller
        .submit_form(&propose, &propose, &[("amount", "1 400 000")])
        .await;
    assert_eq!(too_much.status, 422);
    assert!(too_much.body.contains("högst 1"), "{}", too_much.body);
    assert_eq!(
        app.count("SELECT count(*) FROM carry_over WHERE from_year = 2025")
            .await,
        0
    );
    let saved = controller.submit_form(&propose, &propose, &[]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = controller.get(&report_path).await;
    assert_eq!(
        rows(&report, "table.carry-over"),
        [vec!["0101 Meröppet bibliotek".to_owned(), "0,7".to_owned()]]
    );

    // Next year shows nothing carried until the board decides.
    let next_path = format!("/uppfoljning/{next_year}/{}", second.board);
    let next = controller.get(&next_path).await;
    assert!(!next.body.contains("överfört från 2025"));

    post_button(&controller, &report_path, "Lämna in till nämnden").await;
    sqlx::query(
        "INSERT INTO user_role (id, user_id, role, board_id) SELECT gen_random_uuid(), u.id, \
         'secretary', $1 FROM app_user u WHERE email = $2",
    )
    .bind(second.board)
    .bind(SECRETARY_GSN)
    .execute(&app.db)
    .await
    .unwrap();
    let secretary = app.signed_in(SECRETARY_GSN).await;
    let decide = format!("{report_path}/beslut");
    let decided = secretary
        .submit_form(
            &decide,
            &decide,
            &[("decided_on", "2026-01-20"), ("decision_paragraph", "§ 4")],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);

    let next = controller.get(&next_path).await;
    let row = rows(&next, "table.investments")
        .into_iter()
        .find(|r| r[0].starts_with("0101 Meröppet bibliotek"))
        .unwrap_or_else(|| {
            panic!(
                "no carried project in 2026: {:?}",
                rows(&next, "table.investments")
            )
        });
    assert_eq!(row[1..4], ["0,0", "0,7", "0,7"]);
    assert!(
        next.texts("p.generated")
            .join(" ")
            .contains("(0,0 årsbudget 2026 plus 0,7 överfört från 2025)"),
        "{}",
        next.body
    );
}
