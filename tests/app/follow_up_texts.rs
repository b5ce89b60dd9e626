//! The officials' own text of a period report is kept in versions with the figures it was
//! written against: when a figure changes afterwards, the report and the forecast form mark the
//! text, listing what changed; saving the text again clears the mark; corrections after the
//! decision are versions with their reason.

use crate::{
    follow_up::{open_report, rows, second_period},
    follow_up_decision::link,
    support::{AUDITOR, CONTROLLER, Page, TestApp},
};

/// The marking's rows: (what, when the text was written, now).
fn marked(page: &Page) -> Vec<Vec<String>> {
    rows(page, "div.conflict table")
}

#[tokio::test]
async fn a_text_is_marked_when_its_figures_change_until_it_is_saved_again() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, true).await;
    let controller = app.signed_in(CONTROLLER).await;
    let report_path = format!("/uppfoljning/{}/{}", second.occasion, second.board);
    let edit = format!("{report_path}/prognos");
    let versions_path = format!("{report_path}/textversioner");

    // Nothing written yet: no versions, no mark.
    let report = open_report(
        &controller,
        2025,
        "Tillfälle 1",
        "Kultur- och fritidsnämnden",
    )
    .await;
    assert!(marked(&report).is_empty());
    let versions = controller.get(&versions_path).await;
    assert!(versions.body.contains("Ingen text är skriven ännu."));

    let saved = controller
        .submit_form(
            &edit,
            &edit,
            &[(
                "summary_text",
                "Biblioteket går över budget på grund av vikarier.",
            )],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = controller.get(&report_path).await;
    assert!(
        marked(&report).is_empty(),
        "written against today's figures"
    );
    assert!(report.body.contains("Textens versioner (1)"));

    // A posting to the library's February costs moves the period's figures the text speaks of.
    sqlx::query(
        "UPDATE operating_outcome o SET costs = costs + 2000000 FROM activity a \
         WHERE a.id = o.activity_id AND a.code = '101' AND o.month = '2025-02-01'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let report = controller.get(&report_path).await;
    let changes = marked(&report);
    let row = |what: &str| changes.iter().find(|r| r[0] == what).cloned();
    // Period: library costs 18,0 against a budget of 16,0 (−2,0), now 20,0 (−4,0); youth −1,0.
    assert_eq!(
        row("Kostnader, periodens avvikelse"),
        Some(vec![
            "Kostnader, periodens avvikelse".into(),
            "−3,0".into(),
            "−5,0".into()
        ])
    );
    assert_eq!(
        row("Vht 101 Bibliotek: periodens nettoavvikelse"),
        Some(vec![
            "Vht 101 Bibliotek: periodens nettoavvikelse".into(),
            "−2,4".into(),
            "−4,4".into()
        ]),
        "the commented activity's own figure is marked too"
    );
    assert!(
        row("Investeringar, prognos").is_none(),
        "unchanged figures are not listed"
    );
    // The controller sees the same mark where the text is edited; other readers see it too.
    assert_eq!(marked(&controller.get(&edit).await), changes);
    let auditor = app.signed_in(AUDITOR).await;
    assert_eq!(marked(&auditor.get(&report_path).await), changes);

    // Saving the text again, unchanged, confirms it against the new figures.
    let saved = controller.submit_form(&edit, &edit, &[]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = controller.get(&report_path).await;
    assert!(marked(&report).is_empty());
    assert!(report.body.contains("Textens versioner (2)"));
    // A save that changes nothing at all adds no version.
    controller.submit_form(&edit, &edit, &[]).await;
    assert!(
        controller
            .get(&report_path)
            .await
            .body
            .contains("Textens versioner (2)")
    );

    let versions = controller.get(&versions_path).await;
    let headings = versions.texts("main h2");
    assert_eq!(headings.len(), 2, "{headings:?}");
    assert!(
        headings[0].starts_with("Version 2,"),
        "newest first: {headings:?}"
    );
    assert!(versions.body.contains("Texten sparades oförändrad"));
    assert!(
        versions
            .body
            .contains("Biblioteket går över budget på grund av vikarier.")
    );
}

#[tokio::test]
async fn the_demo_text_is_version_one_written_against_the_seeds_figures() {
    let app = TestApp::spawn().await;
    let controller = app.signed_in(CONTROLLER).await;
    let report = open_report(
        &controller,
        2022,
        "Tillfälle 2",
        "Gemensamma servicenämnden",
    )
    .await;
    assert!(report.body.contains("Textens versioner (1)"));
    assert!(
        marked(&report).is_empty(),
        "the demo reproduces its own figures"
    );
    let versions_path = link(&report, "Textens versioner").expect("a link to the versions");
    let versions = controller.get(&versions_path).await;
    assert_eq!(versions.status, 200);
    let figures = rows(&versions, "details table");
    assert!(
        figures.contains(&vec![
            "Netto, periodens avvikelse".to_owned(),
            "4,1".to_owned()
        ]),
        "{figures:?}"
    );
    assert!(figures.contains(&vec![
        "Investeringar, totalt anslag".to_owned(),
        "12,6".to_owned()
    ]));
}
