//! Dates that cannot be right are refused next to their fields: an outcome month to come or long
//! before the project, a measurement or an appropriation decision in the future, a new round
//! planned in the past.

use crate::{
    projects::{SEED_000, project_id},
    support::{CONTROLLER, IT_CENTER, TestApp},
};

#[tokio::test]
async fn outcome_is_booked_from_the_year_before_the_start_to_the_current_month() {
    let app = TestApp::spawn().await;
    // Seed 000 started in 2021 (planned 2021-01-01).
    let id = project_id(&app, SEED_000).await;
    let line = app
        .text_of(
            "SELECT id::text FROM budget_line WHERE project_id = $1::uuid ORDER BY position LIMIT 1",
            &id,
        )
        .await;
    let client = app.signed_in(CONTROLLER).await;
    let page = format!("/projekt/{id}/budget/rader/{line}");
    let action = format!("{page}/utfall");
    let entries = "SELECT count(*) FROM outcome_entry";
    let before = app.count(entries).await;
    let next_month = portfolj::web::format::today()
        .checked_add_months(chrono::Months::new(1))
        .unwrap()
        .format("%Y-%m")
        .to_string();
    for (month, message) in [
        ("2099-01", "Månad: 2099-01 har inte börjat."),
        (next_month.as_str(), "har inte börjat"),
        (
            "1999-01",
            "Månad: 1999-01 ligger före projektet, som startade 2021. Utfall kan registreras från 2020-01.",
        ),
        ("2019-12", "Utfall kan registreras från 2020-01."),
    ] {
        let refused = client
            .submit_form(&page, &action, &[("month", month), ("amount", "1 000")])
            .await;
        assert_eq!(refused.status, 422, "{month}");
        let error = refused.field_error("month").unwrap();
        assert!(error.contains(message), "{month}: {error}");
        assert_eq!(refused.value("#month").as_deref(), Some(month));
    }
    assert_eq!(app.count(entries).await, before);
    for month in ["2020-01", "2021-06"] {
        let booked = client
            .submit_form(&page, &action, &[("month", month), ("amount", "1 000")])
            .await;
        assert_eq!(booked.status, 303, "{month}");
    }
}

#[tokio::test]
async fn measurements_and_appropriation_decisions_are_not_dated_in_the_future() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2023-5").await;
    let it_center = app.signed_in(IT_CENTER).await;
    let new_goal = format!("/projekt/{id}/effektmal/nytt");
    it_center
        .submit_form(&new_goal, &new_goal, &[("goal", "Färre incidenter")])
        .await;
    let goal = app
        .text_of(
            "SELECT id::text FROM effect_goal WHERE project_id = $1::uuid",
            &id,
        )
        .await;
    let goals = format!("/projekt/{id}/effektmal");
    let refused = it_center
        .submit_form(
            &goals,
            &format!("{goals}/{goal}/matningar"),
            &[("measured_on", "2099-06-30"), ("value", "10")],
        )
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.location());
    assert_eq!(
        refused.field_error(&format!("measured_on-{goal}")).unwrap(),
        "Fel: Mätdatumet ligger i framtiden: en mätning registreras när den är gjord."
    );
    assert_eq!(app.count("SELECT count(*) FROM goal_measurement").await, 0);

    let controller = app.signed_in(CONTROLLER).await;
    let economy = format!("/projekt/{id}/ekonomi");
    let refused = controller
        .submit_form(
            &economy,
            &economy,
            &[("appropriation", "2 mnkr"), ("decision_date", "2099-05-20")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("decision_date")
            .unwrap()
            .contains("datumet ligger i framtiden")
    );
}

#[tokio::test]
async fn a_new_round_is_not_planned_in_the_past() {
    let app = TestApp::spawn().await;
    sqlx::query("UPDATE round SET phase = 'decided', decided_at = now(), meeting_date = '2026-11-01' WHERE phase <> 'decided'")
        .execute(&app.db)
        .await
        .unwrap();
    let it_center = app.signed_in(IT_CENTER).await;
    let refused = it_center
        .submit_form(
            "/omgangar",
            "/omgangar",
            &[
                ("hours_capacity", "2 000"),
                ("budget", "3 mnkr"),
                ("review_deadline", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("review_deadline").unwrap(),
        "Fel: Sista dag för beredningen kan inte ligga i det förflutna för en ny omgång."
    );
    assert_eq!(app.count("SELECT count(*) FROM round").await, 2);
}
