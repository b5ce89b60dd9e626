//! Effect goals: the seed's five goals with their assessments, the SMART check with its reasons,
//! goal edits in the history, measurements, and stale saves.

use crate::{
    projects::{SEED_000, project_id},
    support::{AUDITOR, IT_CENTER, TestApp},
};

#[tokio::test]
async fn seed_000_goals_are_partly_achieved_and_flagged_where_not_smart() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let page = app
        .signed_in(AUDITOR)
        .await
        .get(&format!("/projekt/{id}/effektmal"))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("section.goal h3"),
        [
            "Effektmål 1",
            "Effektmål 2",
            "Effektmål 3",
            "Effektmål 4",
            "Effektmål 5"
        ]
    );
    let facts = page.texts("section.goal dl");
    assert!(
        facts.iter().all(|f| f.contains("BedömningDelvis uppnått")),
        "{facts:#?}"
    );
    assert!(page.body.contains(
        "<strong>Vi vet att vi är på rätt väg när</strong> fler än 80% av cheferna själva gör sin budget och prognos."
    ));
    // Goal 1 has neither target value nor date nor baseline; goal 4 has a target value.
    let flags = |n: usize| {
        page.html()
            .select(
                &scraper::Selector::parse(&format!("section.goal:nth-of-type({n}) [data-flag]"))
                    .unwrap(),
            )
            .map(|e| e.value().attr("data-flag").unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        flags(1),
        ["not_measurable", "no_baseline", "no_target_date"]
    );
    assert_eq!(flags(4), ["no_baseline", "no_target_date"]);
    assert!(
        page.body
            .contains("Inte mätbart: målvärde och enhet saknas")
    );

    let overview = app.signed_in(AUDITOR).await.get("/effektmal").await;
    assert!(
        overview
            .text(".lead")
            .starts_with("6 effektmål, varav 6 med brister")
    );
}

#[tokio::test]
async fn it_center_adds_a_smart_goal_measures_it_and_assesses_it() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2023-5").await;
    let client = app.signed_in(IT_CENTER).await;
    let new = format!("/projekt/{id}/effektmal/nytt");
    let bad = client
        .post_from(
            &new,
            &new,
            &[
                ("goal", "Färre incidenter"),
                ("target_value", "tio"),
                ("target_date", "2026-13-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("target_value")
            .unwrap()
            .contains("”tio” är inget tal")
    );
    assert!(
        bad.field_error("target_date")
            .unwrap()
            .contains("”2026-13-01” är inget datum")
    );
    assert_eq!(bad.value("#unit").as_deref(), Some(""));
    assert_eq!(app.count("SELECT count(*) FROM effect_goal").await, 6);

    let fields = [
        ("goal", "Färre allvarliga säkerhetsincidenter."),
        (
            "indicator",
            "antalet allvarliga incidenter per år har halverats.",
        ),
        ("baseline", "12"),
        ("target_value", "6"),
        ("unit", "incidenter per år"),
        ("target_date", "2099-12-31"),
    ];
    assert_eq!(client.post_from(&new, &new, &fields).await.status, 303);
    let page = client.get(&format!("/projekt/{id}/effektmal")).await;
    assert_eq!(
        page.text(".smart"),
        "SMART-kontroll Målet är specifikt, mätbart och tidsatt."
    );
    let goal: String =
        sqlx::query_scalar("SELECT id::text FROM effect_goal WHERE project_id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();

    let measure = format!("/projekt/{id}/effektmal/{goal}/matningar");
    let list = format!("/projekt/{id}/effektmal");
    let refused = client
        .post_from(
            &list,
            &measure,
            &[("measured_on", "2026-06-30"), ("value", "x")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.value(&format!("#measured_on-{goal}")).as_deref(),
        Some("2026-06-30")
    );
    let measured = client
        .post_from(
            &list,
            &measure,
            &[
                ("measured_on", "2026-06-30"),
                ("value", "9"),
                ("comment", "Halvår"),
            ],
        )
        .await;
    assert_eq!(measured.status, 303);
    let cells = client.get(&list).await.texts("section.goal table td");
    assert_eq!(cells[..3], ["2026-06-30", "9", "Halvår"]);

    let edit = format!("/projekt/{id}/effektmal/{goal}");
    let assessed = client
        .post_from(
            &edit,
            &edit,
            &[
                fields.as_slice(),
                &[
                    ("assessment", "achieved"),
                    ("assessment_comment", "Målet nåddes."),
                    ("version", "1"),
                ],
            ]
            .concat(),
        )
        .await;
    assert_eq!(assessed.status, 303, "{}", assessed.body);
    let stale = client
        .post_from(
            &edit,
            &edit,
            &[
                fields.as_slice(),
                &[("assessment", "not_achieved"), ("version", "1")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("Bedömning: Uppnått"));
    let history = client.get(&format!("/projekt/{id}/historik")).await;
    let rows = history.texts("table tbody tr");
    assert!(
        rows.iter()
            .any(|r| r.contains("Effektmål ändrat Effektmål 1 Bedömning Uppnått")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Mätning registrerad Mätning, effektmål 1 Värde 2026-06-30: 9"))
    );
}
