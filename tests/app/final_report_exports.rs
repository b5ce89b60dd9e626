//! The final report's Word and PDF files as a reader sees them, in the single exports and in the
//! meeting's ZIP: the case number exactly as registered.

use crate::{
    projects::{SEED_000, project_id},
    support::{
        Client, SECRETARY, TestApp,
        documents::{libreoffice_convert, poppler, zip_entry},
    },
};

/// The seed's proposal, with the case number as the registry has it.
const PROPOSAL: &str = "Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339.";

/// Marks the seed's draft ready for the meeting of 2023-03-13.
async fn make_ready(client: &Client, report: &str) {
    let ready = client
        .submit_form(
            report,
            &format!("{report}/status"),
            &[("to", "ready"), ("meeting_date", "2023-03-13")],
        )
        .await;
    assert_eq!(ready.status, 303, "{}", ready.body);
}

#[tokio::test]
async fn the_meeting_zip_quotes_the_case_number_as_registered() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    make_ready(&secretary, &format!("/projekt/{id}/slutredovisning")).await;
    let board: String =
        sqlx::query_scalar("SELECT board_id::text FROM project WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let zip = secretary
        .get(&format!(
            "/slutredovisningar/sammantrade.zip?namnd={board}&datum=2023-03-13"
        ))
        .await;
    assert_eq!(zip.status, 200);
    let docx = zip_entry(&zip.bytes, "01 Slutredovisning KS 2020-339.docx");
    let pdf = zip_entry(&zip.bytes, "01 Slutredovisning KS 2020-339.pdf");

    let word = String::from_utf8(
        tokio::task::spawn_blocking(move || {
            libreoffice_convert(&docx, "rapport.docx", "txt:Text", "txt")
        })
        .await
        .unwrap(),
    )
    .unwrap()
    .replace('\u{a0}', " ");
    let pdf = poppler("pdftotext", &[], &pdf).replace('\u{a0}', " ");
    for (format, text) in [("Word", word), ("PDF", pdf)] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(PROPOSAL), "{format}: {text}");
        assert!(!flat.contains("2020–339"), "{format}: {text}");
    }
}
