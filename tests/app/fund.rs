//! The digitalisation fund as a controller keeps it: a fund year, its directions, a
//! department's application with its benefit calculation, the decision (a grant freezes the
//! calculation), the follow-up, and the overview that lists what has not been followed up.

use crate::{
    benefit_pages::{BY_HAND, start, without_demo_benefits},
    support::{CONTROLLER, STRATEGY_LUDVIKA, TestApp},
};

fn nbsp(text: String) -> String {
    text.replace('\u{a0}', " ")
}

#[tokio::test]
async fn a_grant_is_decided_followed_up_and_shown_in_the_overview() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let controller = app.signed_in(CONTROLLER).await;
    let smedjebacken = app.municipality_id("Smedjebacken").await;

    // A fund year: bad input is refused next to its field and saves nothing.
    let bad = controller
        .submit_form(
            "/fond",
            "/fond",
            &[
                ("municipality", &smedjebacken),
                ("year", "tjugo"),
                ("amount", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("year").is_some());
    assert!(bad.field_error("amount").is_some());
    assert_eq!(app.count("SELECT count(*) FROM fund").await, 0);
    let made = controller
        .submit_form(
            "/fond",
            "/fond",
            &[
                ("municipality", &smedjebacken),
                ("year", "2021"),
                ("amount", "6 mnkr"),
            ],
        )
        .await;
    assert_eq!(made.status, 303);
    let fund = made.location().unwrap().to_owned();
    let twice = controller
        .submit_form(
            "/fond",
            "/fond",
            &[
                ("municipality", &smedjebacken),
                ("year", "2021"),
                ("amount", "1"),
            ],
        )
        .await;
    assert_eq!(twice.status, 422, "one fund per municipality and year");

    // A direction serving a council goal of the municipality.
    let goal = app
        .text_of(
            "SELECT id::text FROM council_goal WHERE municipality_id = $1::uuid ORDER BY title LIMIT 1",
            &smedjebacken,
        )
        .await;
    let directions = format!("{fund}/inriktningar");
    let added = controller
        .submit_form(
            &fund,
            &directions,
            &[("name", "Robotisering och automatisering"), ("goal", &goal)],
        )
        .await;
    assert_eq!(added.status, 303, "{:?}", added.texts(".field__error"));
    let direction = app
        .text_of(
            "SELECT id::text FROM fund_direction WHERE name = $1",
            "Robotisering och automatisering",
        )
        .await;

    // Applications: one to grant, one to refuse.
    let applications = format!("{fund}/ansokningar");
    let bad = controller
        .submit_form(
            &fund,
            &applications,
            &[("title", "Robot för fakturor"), ("amount_applied", "0")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("direction").is_some());
    assert!(bad.field_error("department").is_some());
    assert!(
        bad.field_error("amount_applied")
            .unwrap()
            .contains("större än noll")
    );
    assert_eq!(bad.value("#title").as_deref(), Some("Robot för fakturor"));
    let mut ids = Vec::new();
    for title in ["Robot för fakturor", "Chattbot"] {
        let done = controller
            .submit_form(
                &fund,
                &applications,
                &[
                    ("title", title),
                    ("department", "Ekonomiavdelningen"),
                    ("direction", &direction),
                    ("goal", &goal),
                    ("amount_applied", "500 000"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{:?}", done.texts(".field__error"));
        ids.push(done.location().unwrap().to_owned());
    }
    let (robot, chat) = (&ids[0], &ids[1]);
    // The robot's benefit calculation, frozen by the grant.
    let calc = start(&controller, &format!("{robot}/nyttokalkyl"), &BY_HAND).await;

    let decision = format!("{robot}/beslut");
    let too_much = controller
        .submit_form(
            robot,
            &decision,
            &[
                ("decision", "grant"),
                ("amount_granted", "600 000"),
                ("decided_on", "2021-03-01"),
                ("decided_by", "Kommunstyrelsen"),
            ],
        )
        .await;
    assert_eq!(too_much.status, 422);
    assert!(
        too_much
            .field_error("amount_granted")
            .unwrap()
            .contains("större än det sökta")
    );
    let granted = controller
        .submit_form(
            robot,
            &decision,
            &[
                ("decision", "grant"),
                ("amount_granted", "450 000"),
                ("decided_on", "2021-03-01"),
                ("decided_by", "Kommunstyrelsen"),
            ],
        )
        .await;
    assert_eq!(granted.status, 303);
    let refused = controller
        .submit_form(
            chat,
            &format!("{chat}/beslut"),
            &[
                ("decision", "refuse"),
                ("reason", "Ingår redan i e-tjänsteplattformen"),
                ("decided_on", "2021-03-01"),
                ("decided_by", "Kommunstyrelsen"),
            ],
        )
        .await;
    assert_eq!(refused.status, 303);
    let calc_page = controller.get(&calc).await;
    assert!(
        nbsp(calc_page.text("#versioner ~ ul"))
            .contains("Beviljad 450 000 kr av Kommunstyrelsen 2021-03-01")
    );

    // Not followed up yet: flagged first in the fund and counted in the overview.
    let page = controller.get(&fund).await;
    assert_eq!(
        page.texts("#applications tbody th")[0],
        "Robot för fakturor"
    );
    assert_eq!(
        page.text("#applications tbody tr:first-child td:last-child"),
        "Nej"
    );
    let overview = controller.get("/fond").await;
    let row: Vec<String> = overview
        .texts("#funds tbody tr:first-child th, #funds tbody tr:first-child td")
        .into_iter()
        .map(nbsp)
        .collect();
    assert_eq!(
        row,
        [
            "Smedjebacken 2021",
            "6 000 000",
            "450 000",
            "0",
            "0",
            "0 av 1",
            "0 %"
        ]
    );

    let follow = format!("{robot}/uppfoljningar");
    let bad = controller
        .submit_form(
            robot,
            &follow,
            &[("followed_on", "2099-01-01"), ("comment", "")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("followed_on")
            .unwrap()
            .contains("framtiden")
    );
    assert!(bad.field_error("comment").is_some());
    let done = controller
        .submit_form(
            robot,
            &follow,
            &[
                ("followed_on", "2021-12-15"),
                ("spent", "120 000"),
                ("comment", "Roboten hanterar 40 % av fakturorna."),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{:?}", done.texts(".field__error"));
    let overview = controller.get("/fond").await;
    let row: Vec<String> = overview
        .texts("#funds tbody tr:first-child td")
        .into_iter()
        .map(nbsp)
        .collect();
    assert_eq!(
        row,
        ["6 000 000", "450 000", "120 000", "0", "1 av 1", "0 %"]
    );
    let decided = controller.get(chat).await;
    assert!(
        decided
            .text("#decision-made")
            .contains("Avslagen: Ingår redan i e-tjänsteplattformen")
    );

    // Ludvika's strategy group does not read Smedjebacken's fund.
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await;
    assert_eq!(ludvika.get(&fund).await.status, 403);
    assert!(
        ludvika
            .get("/fond")
            .await
            .texts("#funds tbody th")
            .is_empty()
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action LIKE 'fund%'")
            .await,
        7,
        "the fund, the direction, two applications, two decisions and the follow-up"
    );
}

/// A fund grants no more than it has, an application is decided once, and its project is one of
/// the fund's municipality alone (its outcome is the money spent).
#[tokio::test]
async fn a_fund_grants_no_more_than_it_has_to_projects_of_its_own() {
    let app = TestApp::spawn().await;
    without_demo_benefits(&app).await;
    let controller = app.signed_in(CONTROLLER).await;
    let smedjebacken = app.municipality_id("Smedjebacken").await;
    let made = controller
        .submit_form(
            "/fond",
            "/fond",
            &[
                ("municipality", &smedjebacken),
                ("year", "2022"),
                ("amount", "500 000"),
            ],
        )
        .await;
    assert_eq!(made.status, 303);
    let fund = made.location().unwrap().to_owned();
    let added = controller
        .submit_form(
            &fund,
            &format!("{fund}/inriktningar"),
            &[("name", "Automatisering")],
        )
        .await;
    assert_eq!(added.status, 303);
    let direction = app
        .text_of(
            "SELECT id::text FROM fund_direction WHERE name = $1",
            "Automatisering",
        )
        .await;
    // GSN 2023-5 serves Ludvika too: its outcome is not Smedjebacken's fund's money spent.
    let shared = crate::projects::project_id(&app, "GSN 2023-5").await;
    let page = controller.get(&fund).await;
    assert!(
        !page
            .texts("#project option")
            .iter()
            .any(|o| o.contains("GSN 2023-5"))
    );
    let applications = format!("{fund}/ansokningar");
    let fields = |title: &'static str, project: &str| {
        vec![
            ("title", title.to_owned()),
            ("department", "Ekonomi".to_owned()),
            ("direction", direction.clone()),
            ("amount_applied", "400 000".to_owned()),
            ("project", project.to_owned()),
        ]
    };
    let refused = {
        let f = fields("Delat projekt", &shared);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        controller.submit_form(&fund, &applications, &f).await
    };
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("project").is_some());
    let mut ids = Vec::new();
    for title in ["Första", "Andra"] {
        let f = fields(title, "");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = controller.submit_form(&fund, &applications, &f).await;
        assert_eq!(done.status, 303, "{:?}", done.texts(".field__error"));
        ids.push(done.location().unwrap().to_owned());
    }
    let grant = |amount: &'static str| {
        [
            ("decision", "grant"),
            ("amount_granted", amount),
            ("decided_on", "2022-02-01"),
            ("decided_by", "Kommunstyrelsen"),
        ]
    };
    let first = format!("{}/beslut", ids[0]);
    assert_eq!(
        controller
            .submit_form(&ids[0], &first, &grant("400 000"))
            .await
            .status,
        303
    );
    let second = format!("{}/beslut", ids[1]);
    let over = controller
        .submit_form(&ids[1], &second, &grant("400 000"))
        .await;
    assert_eq!(over.status, 422);
    assert!(
        over.field_error("amount_granted")
            .unwrap()
            .replace('\u{a0}', " ")
            .contains("har 100 000 kr kvar att bevilja av 500 000 kr")
    );
    // A decided application is not decided again.
    let again = controller.post_from(&ids[1], &first, &grant("1")).await;
    assert_eq!(again.status, 409);
    assert_eq!(
        app.count("SELECT count(*) FROM fund_application WHERE status = 'granted'")
            .await,
        1
    );
}
