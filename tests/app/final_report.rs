//! Final-report drafts: seed 000's sentences reproduced from data, the draft follows the figures,
//! and only the right people edit it.

use scraper::{Html, Selector};

use crate::{
    projects::{SEED_000, budget_table, project_id},
    support::{AUDITOR, CONTROLLER, IT_CENTER, SECRETARY, STRATEGY_LUDVIKA, TestApp},
};

/// The report's paragraphs as rendered, with non-breaking spaces read as spaces (the seed is
/// plain text; we keep figures together).
fn paragraphs(body: &str) -> Vec<String> {
    let html = Html::parse_document(body);
    let p = Selector::parse("article.report p").unwrap();
    html.select(&p)
        .map(|e| {
            e.text()
                .collect::<String>()
                .replace('\u{a0}', " ")
                .trim()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn seed_000_draft_reproduces_the_seed() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let page = app
        .signed_in(AUDITOR)
        .await
        .get(&format!("/projekt/{id}/slutredovisning"))
        .await;
    assert_eq!(page.status, 200);
    let text = paragraphs(&page.body);
    let has = |wanted: &str| {
        assert!(
            text.iter().any(|p| p == wanted),
            "missing paragraph {wanted:?} in {text:#?}"
        );
    };
    has("Kommunstyrelsens arbetsutskott föreslår:");
    has(
        "Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339.",
    );
    has(
        "Projektets beslutade budget var på 3 200 tkr inkl. VA-bolaget som vid tidpunkten skulle implementera Hypergene. VA-bolaget valde sedan att inte implementera Hypergene och således finns heller inget kostnadsutfall för detta. Budget exklusive VA uppgick till 2 700 tkr. Utfallet per 2023-01-04 var 2 636 tkr med en avvikelse om 64 tkr exkl. VA.",
    );
    has(
        "Projektet uppfyllde målet ekonomi, delvis effektmålen men inte tidplanen. Tidplanen har förskjutits på grund av omsättning av nyckelpersoner inom kommunen, otydlig beställning och bristfällig leverans av systemleverantören. Vid projektets införande sattes fem effektmål som skulle realiseras vid projektets avslut. Alla de fem effektmålen har delvis uppnåtts enligt slutredovisningen. För slutlig måluppfyllelse behöver systemet vara i drift en längre tid och kommer utvärderas av systemägaren längre fram efter en löpande dialog med systemleverantör och nyttjande förvaltningar utifrån behov och systemets möjliga prestanda.",
    );
    has("Projektet skulle realisera 5 effektmål.");
    assert!(
        text.iter()
            .any(|p| p.contains("investeringsanslag om 3,2 mnkr, att kapital-"))
    );
    let table = budget_table(&page.body);
    assert_eq!(table.len(), 9);
    assert_eq!(
        table[8][1],
        "3\u{a0}200\u{a0}000 inkl VA 2\u{a0}700\u{a0}000 exkl VA"
    );
    assert!(
        !page.body.contains("UTKAST – ofullständigt"),
        "the seed project is complete"
    );
    assert!(
        page.texts("article.report h3")
            .contains(&"Ekonomiska konsekvenser och riskanalys (kr)".to_owned())
    );
}

#[tokio::test]
async fn the_draft_follows_the_figures_and_says_what_changed() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let line: String = sqlx::query_scalar(
        "SELECT id::text FROM budget_line WHERE project_id = $1::uuid AND category LIKE 'Kompetens%'",
    )
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let controller = app.signed_in(CONTROLLER).await;
    let line_url = format!("/projekt/{id}/budget/rader/{line}");
    let added = controller
        .post_from(
            &line_url,
            &format!("{line_url}/utfall"),
            &[("month", "2023-01"), ("amount", "40 000"), ("text", "")],
        )
        .await;
    assert_eq!(added.status, 303);
    let page = controller
        .get(&format!("/projekt/{id}/slutredovisning"))
        .await;
    assert!(
        page.text(".conflict")
            .contains("Utfall: 2 635 859 → 2 675 859"),
        "{}",
        page.text(".conflict")
    );
    let text = paragraphs(&page.body);
    assert!(text.iter().any(|p| {
        p.contains("Utfallet per 2023-01-04 var 2 676 tkr med en avvikelse om 24 tkr exkl. VA.")
    }));
}

#[tokio::test]
async fn incomplete_projects_get_a_marked_draft() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2022-14").await;
    let page = app
        .signed_in(IT_CENTER)
        .await
        .get(&format!("/projekt/{id}/slutredovisning"))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text(".report__stamp"), "UTKAST – ofullständigt");
    let missing = page.texts(".incomplete li");
    assert!(
        missing.iter().any(|m| m.contains("inte avslutat")),
        "{missing:?}"
    );
    assert!(
        missing
            .iter()
            .any(|m| m == "Effektmål 1 saknar slutlig bedömning.")
    );
}

#[tokio::test]
async fn the_boards_secretary_edits_and_every_save_is_a_version() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let edit = format!("/projekt/{id}/slutredovisning/redigera");
    let form = secretary.get(&edit).await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.value("#title").as_deref(),
        Some("Slutredovisning – Nytt beslut- och ledningsstöd")
    );
    let tricky = "<script>alert('x')</script> & \"citat\" 🙂 ".to_owned() + &"å".repeat(300);
    // The form as the page shows it, with some fields typed anew.
    let typed = |changes: &[(&str, &str)]| form.filled_in(&edit, changes);
    let bad = secretary
        .post_values(
            &edit,
            &typed(&[("figures_as_of", "4 jan"), ("legal_requirements", &tricky)]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("figures_as_of")
            .unwrap()
            .contains("”4 jan” är inget datum")
    );
    let saved = secretary
        .post_values(
            &edit,
            &typed(&[
                ("proposing_body", "Kommunstyrelsens arbetsutskott"),
                ("deciding_body", "Kommunstyrelsen"),
                ("figures_as_of", "2023-01-04"),
                ("legal_requirements", &tricky),
            ]),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = secretary
        .get(&format!("/projekt/{id}/slutredovisning"))
        .await;
    assert!(page.body.contains("Version 2, sparad"));
    assert!(!page.body.contains("<script>alert"), "text is escaped");
    assert!(
        paragraphs(&page.body)
            .iter()
            .any(|p| p.starts_with("<script>alert('x')</script> & \"citat\" 🙂 ååå"))
    );
    // The same form again is stale now.
    let stale = secretary
        .post_values(&edit, &typed(&[("legal_requirements", "Ej tillämpligt.")]))
        .await;
    assert_eq!(stale.status, 409);
    let versions = app
        .count(&format!(
            "SELECT count(*) FROM final_report_version WHERE project_id = '{id}'"
        ))
        .await;
    assert_eq!(versions, 2);
    let history = secretary.get(&format!("/projekt/{id}/historik")).await;
    assert!(
        history
            .text("table tbody")
            .contains("Slutredovisning sparad")
    );

    // Another board's project: the secretary reads it but may not edit.
    let other = project_id(&app, "GSN 2022-14").await;
    assert_eq!(
        secretary
            .get(&format!("/projekt/{other}/slutredovisning/redigera"))
            .await
            .status,
        403
    );
    assert_eq!(
        app.signed_in(STRATEGY_LUDVIKA)
            .await
            .get(&format!("/projekt/{other}/slutredovisning/redigera"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn the_word_export_opens_in_libreoffice_with_the_seed_sentences() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let response = secretary
        .get(&format!("/projekt/{id}/slutredovisning.docx"))
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    // The name keeps its Swedish letters (filename*), with a plain fallback for old clients.
    assert_eq!(
        response.header("content-disposition").unwrap(),
        "attachment; filename=\"Slutredovisning KS 2020-339 Nytt beslut- och ledningsstodsystem.docx\"; \
         filename*=UTF-8''Slutredovisning%20KS%202020-339%20Nytt%20beslut-%20och%20ledningsst%C3%B6dsystem.docx"
    );
    let bytes = response.bytes.clone();
    let text = tokio::task::spawn_blocking(move || {
        crate::support::documents::libreoffice_convert(&bytes, "rapport.docx", "txt:Text", "txt")
    })
    .await
    .unwrap();
    let text = String::from_utf8(text)
        .unwrap()
        .replace('\u{a0}', " ")
        .replace('\u{feff}', "");
    for wanted in [
        "Slutredovisning – Nytt beslut- och ledningsstöd",
        "Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339.",
        "Projektet uppfyllde målet ekonomi, delvis effektmålen men inte tidplanen.",
        "Budget exklusive VA uppgick till 2 700 tkr. Utfallet per 2023-01-04 var 2 636 tkr med en avvikelse om 64 tkr exkl. VA.",
        "Interna fackmän och externt biträdande projektstöd",
        "3 200 000 inkl VA 2 700 000 exkl VA",
        "2 635 859",
        "−526 200",
        "Anette Madsen",
    ] {
        assert!(
            text.contains(wanted),
            "{wanted:?} not in the converted text:\n{text}"
        );
    }

    // LibreOffice also turns it into a PDF whose text has the table's figures.
    let bytes = response.bytes.clone();
    let pdf = tokio::task::spawn_blocking(move || {
        crate::support::documents::libreoffice_convert(&bytes, "rapport.docx", "pdf", "pdf")
    })
    .await
    .unwrap();
    let pdf_text =
        crate::support::documents::poppler("pdftotext", &[], &pdf).replace('\u{a0}', " ");
    for wanted in [
        "1 026 200",
        "313 341",
        "Sida 1",
        "Norrtälje · Dnr KS 2020-339",
    ] {
        assert!(
            pdf_text.contains(wanted),
            "{wanted:?} not in the PDF LibreOffice made:\n{pdf_text}"
        );
    }

    // A secretary of another board may not export this board's draft; an auditor may.
    let other = project_id(&app, "GSN 2022-14").await;
    assert_eq!(
        secretary
            .get(&format!("/projekt/{other}/slutredovisning.docx"))
            .await
            .status,
        403
    );
    assert_eq!(
        app.signed_in(AUDITOR)
            .await
            .get(&format!("/projekt/{other}/slutredovisning.docx"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_decided_draft_is_locked_and_gives_the_protocol_extract() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let page_url = format!("/projekt/{id}/slutredovisning");
    let action = format!("{page_url}/status");
    let secretary = app.signed_in(SECRETARY).await;
    let it_center = app.signed_in(IT_CENTER).await;
    let version = |page: &crate::support::Page| page.value("input[name=report_version]").unwrap();

    let page = it_center.get(&page_url).await;
    let no_date = it_center
        .post_from(
            &page_url,
            &action,
            &[("to", "ready"), ("report_version", &version(&page))],
        )
        .await;
    assert_eq!(no_date.status, 422);
    assert_eq!(
        no_date.field_error("meeting_date").unwrap(),
        "Fel: Ange sammanträdets datum."
    );
    let ready = it_center
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "ready"),
                ("meeting_date", "2023-03-13"),
                ("report_version", &version(&page)),
            ],
        )
        .await;
    assert_eq!(ready.status, 303);

    // Only the board's secretary records the decision, and only with body, § and text.
    let page = it_center.get(&page_url).await;
    assert!(
        page.text("#report-status-heading")
            .contains("Klar för sammanträde, sammanträde 2023-03-13")
    );
    let not_secretary = it_center
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "decided"),
                ("meeting_date", "2023-03-13"),
                ("decision_body", "Kommunstyrelsens arbetsutskott"),
                ("decision_paragraph", "§43"),
                ("decision_text", "Beslut"),
                ("report_version", &version(&page)),
            ],
        )
        .await;
    assert_eq!(not_secretary.status, 422);
    assert!(
        not_secretary
            .body
            .contains("Bara nämndens sekreterare registrerar beslutet.")
    );

    let page = secretary.get(&page_url).await;
    let missing = secretary
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "decided"),
                ("meeting_date", "2023-03-13"),
                ("decision_paragraph", ""),
                ("report_version", &version(&page)),
            ],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(
        missing
            .field_error("decision_paragraph")
            .unwrap()
            .contains("Ange paragrafen")
    );
    // The decision starts out as the proposal, one paragraph per line.
    let decision_text: String = page
        .html()
        .select(&Selector::parse("textarea#decision_text").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(
        decision_text.lines().next(),
        Some("Kommunstyrelsens arbetsutskott föreslår:")
    );
    let decided = secretary
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "decided"),
                ("meeting_date", "2023-03-13"),
                ("decision_body", "Kommunstyrelsens arbetsutskott"),
                ("decision_paragraph", "§43"),
                ("decision_text", &decision_text),
                ("report_version", &version(&page)),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);

    let status: String = sqlx::query_scalar("SELECT status FROM project WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "final_report_approved");

    // After the decision a save is a correction: a new version with its reason, and the
    // protocol extract still quotes what was decided.
    let edit = format!("{page_url}/redigera");
    let form = secretary.get(&edit).await;
    assert_eq!(form.status, 200);
    let mut fields = form.form_values(&edit);
    for (name, value) in &mut fields {
        if name == "send_to" {
            *value = "Ekonomiavdelningen\n\nRevisionen".to_owned();
        }
    }
    let post = |fields: &[(String, String)], reason: &str| {
        let mut all: Vec<(String, String)> = fields
            .iter()
            .filter(|(n, _)| n != "csrf_token" && n != "correction_reason")
            .cloned()
            .collect();
        all.push(("correction_reason".to_owned(), reason.to_owned()));
        all
    };
    let without_reason = post(&fields, "");
    let borrowed: Vec<(&str, &str)> = without_reason
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let refused = secretary.post_from(&edit, &edit, &borrowed).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("correction_reason")
            .unwrap()
            .contains("ange varför den rättas")
    );
    let with_reason = post(&fields, "Revisionen ska också få beslutet.");
    let borrowed: Vec<(&str, &str)> = with_reason
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let corrected = secretary.post_from(&edit, &edit, &borrowed).await;
    assert_eq!(corrected.status, 303, "{}", corrected.status);
    let page = secretary.get(&page_url).await;
    assert!(
        page.body
            .contains("gjord efter beslutet: Revisionen ska också få beslutet.")
    );
    assert!(paragraphs(&page.body).contains(&"Revisionen".to_owned()));

    let protocol = secretary.get(&format!("{page_url}/protokoll")).await;
    assert_eq!(protocol.status, 200);
    let text = paragraphs(&protocol.body);
    assert_eq!(text[0], "Kommunstyrelsens arbetsutskott");
    assert_eq!(protocol.text("article h2"), "§43");
    assert!(text.contains(&"Dnr KS 2020-339".to_owned()));
    assert!(text.contains(&"Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339.".to_owned()));
    assert!(text.contains(&"Ordföranden frågar om kommunstyrelsens arbetsutskott kan besluta i enlighet med tjänsteutlåtandets förslag, och finner att kommunstyrelsens arbetsutskott beslutar i enlighet med förslaget.".to_owned()));
    assert!(text.contains(&"Ekonomiavdelningen".to_owned()));
    assert!(
        !text.contains(&"Revisionen".to_owned()),
        "the extract quotes the decided version"
    );

    // The approved project's figures are the record now: the budget tab offers no form, and a
    // save posted anyway is refused.
    let controller = app.signed_in(CONTROLLER).await;
    let budget = format!("/projekt/{id}/budget");
    assert!(controller.get(&budget).await.form_fields(&budget).is_none());
    let locked = controller
        .post_from(&budget, &budget, &[("budgets", "1")])
        .await;
    assert_eq!(locked.status, 409);
    assert!(locked.body.contains("uppgifterna är låsta"));
}

#[tokio::test]
async fn paragraphs_typed_in_a_browser_stay_paragraphs() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let client = app.signed_in(IT_CENTER).await;
    let edit = format!("/projekt/{id}/slutredovisning/redigera");
    let changes = [
        ("analysis", "Första stycket.\r\n\r\nAndra stycket."),
        (
            "signatures",
            "Anna Andersson\r\nKommundirektör\r\n\r\nBo Berg\r\nEkonomichef",
        ),
    ];
    assert_eq!(client.submit_form(&edit, &edit, &changes).await.status, 303);
    let page = client.get(&format!("/projekt/{id}/slutredovisning")).await;
    let text = paragraphs(&page.body);
    assert!(text.contains(&"Första stycket.".to_owned()), "{text:?}");
    assert!(text.contains(&"Andra stycket.".to_owned()), "{text:?}");
    assert_eq!(page.texts(".report__signature").len(), 2);
}

#[tokio::test]
async fn the_secretary_downloads_a_meetings_drafts_as_one_zip() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let page_url = format!("/projekt/{id}/slutredovisning");
    let page = secretary.get(&page_url).await;
    let version = page.value("input[name=report_version]").unwrap();
    let ready = secretary
        .post_from(
            &page_url,
            &format!("{page_url}/status"),
            &[
                ("to", "ready"),
                ("meeting_date", "2023-03-13"),
                ("report_version", &version),
            ],
        )
        .await;
    assert_eq!(ready.status, 303);

    let start = secretary.get("/").await;
    assert!(
        start.body.contains("Klar för sammanträde"),
        "the start page lists the draft"
    );
    let overview = secretary.get("/slutredovisningar").await;
    let rows = overview.texts("table.drafts tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("2023-03-13") && rows[0].contains("Klar för sammanträde"));

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
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    // Dated when made, not 1980-01-01.
    let year = chrono::Datelike::year(&chrono::Utc::now());
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let modified = entry.last_modified().unwrap();
        assert_eq!(i32::from(modified.year()), year, "{}", entry.name());
    }
    assert_eq!(
        names,
        [
            "00 Ärendelista.txt",
            "01 Slutredovisning KS 2020-339.docx",
            "01 Slutredovisning KS 2020-339.pdf"
        ]
    );
    let mut list = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("00 Ärendelista.txt").unwrap(),
        &mut list,
    )
    .unwrap();
    assert!(
        list.contains("1. Dnr KS 2020-339 – Slutredovisning – Nytt beslut- och ledningsstöd"),
        "{list}"
    );
    let mut docx = Vec::new();
    std::io::Read::read_to_end(
        &mut archive
            .by_name("01 Slutredovisning KS 2020-339.docx")
            .unwrap(),
        &mut docx,
    )
    .unwrap();
    let inner = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    assert!(inner.file_names().any(|n| n == "word/document.xml"));

    // Another board's meeting is not this secretary's to download.
    let other: String =
        sqlx::query_scalar("SELECT board_id::text FROM project WHERE case_number = 'GSN 2022-14'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let refused = secretary
        .get(&format!(
            "/slutredovisningar/sammantrade.zip?namnd={other}&datum=2023-03-13"
        ))
        .await;
    assert_eq!(refused.status, 403);
    let bad_date = secretary
        .get(&format!(
            "/slutredovisningar/sammantrade.zip?namnd={board}&datum=13+mars"
        ))
        .await;
    // A wrong date answers on the form page, next to the field (meeting_batch.rs has more).
    assert_eq!(bad_date.status, 422);
    assert!(
        bad_date
            .field_error("datum")
            .unwrap()
            .contains("”13 mars” är inget datum")
    );
}

#[tokio::test]
async fn the_pdf_export_is_pdf_a_with_embedded_fonts_and_the_seed_sentences() {
    use crate::support::documents::poppler;
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let response = app
        .signed_in(SECRETARY)
        .await
        .get(&format!("/projekt/{id}/slutredovisning.pdf"))
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/pdf"));
    let pdf = response.bytes.clone();

    let info = poppler("pdfinfo", &[], &pdf);
    assert!(
        info.contains("Title:           Slutredovisning – Nytt beslut- och ledningsstöd"),
        "{info}"
    );
    assert!(info.contains("CreationDate:"), "{info}");
    let author = info.lines().find_map(|l| l.strip_prefix("Author:"));
    assert_eq!(author.map(str::trim), Some("Christian Hedborg"), "{info}");
    crate::support::documents::assert_accessible_pdf(&pdf);
    // The structure a screen reader follows: the sections as second-level headings, the
    // budget table with header cells naming their columns and the sums as data cells.
    let structure = poppler("pdfinfo", &["-struct-text"], &pdf);
    let structure = structure.split_whitespace().collect::<Vec<_>>().join(" ");
    for wanted in [
        "H2 \"Lagkrav\" (block) \"Lagkrav\"",
        "TH: /Scope /Column \"Budget\"",
        "TH: /Scope /Column \"Avvikelse\"",
        "TR TD \"Totalt\"",
    ] {
        assert!(structure.contains(wanted), "{wanted}: {structure}");
    }

    let text = poppler("pdftotext", &["-layout"], &pdf).replace('\u{a0}', " ");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for wanted in [
        "Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339.",
        "Projektet uppfyllde målet ekonomi, delvis effektmålen men inte tidplanen.",
        "Budget exklusive VA uppgick till 2 700 tkr. Utfallet per 2023-01-04 var 2 636 tkr med en avvikelse om 64 tkr exkl. VA.",
        "2 635 859",
        "Norrtälje · Dnr KS 2020-339",
        "Sida 1",
    ] {
        assert!(flat.contains(wanted), "{wanted:?} not in:\n{text}");
    }
}

#[tokio::test]
async fn hostile_text_renders_safely_in_every_format() {
    use crate::support::documents::poppler;
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let edit = format!("/projekt/{id}/slutredovisning/redigera");
    let form = secretary.get(&edit).await;
    let version = form.value("input[name=report_version]").unwrap();
    let long_word =
        "Digitaliseringsinvesteringsuppföljningsprojektledningsstödsystemsförvaltning".repeat(10);
    let analysis = format!(
        "<b>&amp;</b> \"citat\" 🙂 {long_word} {}",
        "lång text ".repeat(4_800)
    );
    let length = analysis.chars().count();
    assert!((48_000..=50_000).contains(&length), "{length}");
    assert!(
        form.filled_in(&edit, &[])
            .contains(&("report_version".to_owned(), version))
    );
    let saved = secretary
        .post_values(
            &edit,
            &form.filled_in(
                &edit,
                &[("analysis", &analysis), ("figures_as_of", "2023-01-04")],
            ),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let html = secretary
        .get(&format!("/projekt/{id}/slutredovisning"))
        .await;
    assert!(!html.body.contains("<b>&amp;</b>"));
    let pdf = secretary
        .get(&format!("/projekt/{id}/slutredovisning.pdf"))
        .await;
    assert_eq!(pdf.status, 200);
    let text = poppler("pdftotext", &[], &pdf.bytes);
    assert!(text.contains("<b>&amp;</b>"), "the text itself, not markup");
    let docx = secretary
        .get(&format!("/projekt/{id}/slutredovisning.docx"))
        .await;
    assert_eq!(docx.status, 200);
    let converted = crate::support::documents::libreoffice_convert(
        &docx.bytes,
        "fientlig.docx",
        "txt:Text",
        "txt",
    );
    assert!(String::from_utf8_lossy(&converted).contains("<b>&amp;</b> \"citat\" 🙂"));
}

#[tokio::test]
async fn two_versions_are_compared_field_by_field() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let controller = app.signed_in(CONTROLLER).await;
    let edit = format!("/projekt/{id}/slutredovisning/redigera");
    // Everything the form shows, one field changed: as a person saving in the browser.
    let changes = [("legal_requirements", "Kommunallagen 11 kap.")];
    let saved = controller.submit_form(&edit, &edit, &changes).await;
    assert_eq!(saved.status, 303);
    let page = controller
        .get(&format!(
            "/projekt/{id}/slutredovisning/versioner?fran=1&till=2"
        ))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("table.versions tbody th"), ["2", "1"]);
    assert_eq!(
        page.texts("table.compare tbody th"),
        ["Lagkrav"],
        "only the changed field"
    );
    assert_eq!(
        page.texts("table.compare tbody td"),
        ["Ej tillämpligt.", "Kommunallagen 11 kap."]
    );
}

#[tokio::test]
async fn an_incomplete_draft_cannot_be_decided() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    sqlx::query(
        "UPDATE effect_goal SET assessment = NULL WHERE project_id = $1::uuid AND position = 1",
    )
    .bind(&id)
    .execute(&app.db)
    .await
    .unwrap();
    let secretary = app.signed_in(SECRETARY).await;
    let page_url = format!("/projekt/{id}/slutredovisning");
    let action = format!("{page_url}/status");
    let ready = secretary
        .submit_form(
            &page_url,
            &action,
            &[("to", "ready"), ("meeting_date", "2023-03-13")],
        )
        .await;
    assert_eq!(
        ready.status, 303,
        "an incomplete draft may go to the meeting, marked"
    );
    let decided = secretary
        .submit_form(
            &page_url,
            &action,
            &[("to", "decided"), ("decision_paragraph", "§43")],
        )
        .await;
    assert_eq!(decided.status, 422);
    assert!(decided.body.contains("Slutredovisningen är ofullständig och kan inte beslutas: Effektmål 1 saknar slutlig bedömning."));
}

/// The status form offers the current status (chosen) and only the moves the workflow allows
/// this user; nothing chosen gets a plain message, and a decision cannot be dated in the future.
#[tokio::test]
async fn the_status_form_offers_what_the_workflow_allows() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let page_url = format!("/projekt/{id}/slutredovisning");
    let action = format!("{page_url}/status");
    let secretary = app.signed_in(SECRETARY).await;
    let it_center = app.signed_in(IT_CENTER).await;
    let page = it_center.get(&page_url).await;
    assert_eq!(
        page.texts("#to label"),
        ["Utkast (nuvarande)", "Klar för sammanträde"]
    );
    assert_eq!(page.value("#to input[checked]").as_deref(), Some("draft"));
    let version = page.value("input[name=report_version]").unwrap();
    for (to, message) in [
        ("", "Fel: Välj en ny status."),
        (
            "draft",
            "Fel: Slutredovisningen är redan ett utkast. Välj den status den ska få.",
        ),
    ] {
        let refused = it_center
            .post_from(
                &page_url,
                &action,
                &[("to", to), ("report_version", &version)],
            )
            .await;
        assert_eq!(refused.status, 422, "{to:?}");
        assert_eq!(refused.field_error("to").unwrap(), message);
    }
    let ready = it_center
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "ready"),
                ("meeting_date", "2023-03-13"),
                ("report_version", &version),
            ],
        )
        .await;
    assert_eq!(ready.status, 303);
    assert_eq!(
        it_center.get(&page_url).await.texts("#to label"),
        [
            "Klar för sammanträde (nuvarande; ändra datum)",
            "Tillbaka till utkast"
        ]
    );
    let page = secretary.get(&page_url).await;
    assert_eq!(
        page.texts("#to label"),
        [
            "Klar för sammanträde (nuvarande; ändra datum)",
            "Tillbaka till utkast",
            "Beslutad (registrera nämndens beslut)"
        ]
    );
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    let future = secretary
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "decided"),
                ("meeting_date", &tomorrow),
                ("decision_body", "Kommunstyrelsens arbetsutskott"),
                ("decision_paragraph", "§43"),
                ("decision_text", "Beslut"),
                (
                    "report_version",
                    &page.value("input[name=report_version]").unwrap(),
                ),
            ],
        )
        .await;
    assert_eq!(future.status, 422);
    assert_eq!(
        future.field_error("meeting_date").unwrap(),
        "Fel: Beslutet registreras efter sammanträdet: datumet ligger i framtiden."
    );
}

/// A refused decision keeps what was typed: a field the secretary emptied stays empty next to
/// its message, instead of being filled with the default again.
#[tokio::test]
async fn a_refused_decision_keeps_the_fields_as_typed() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let page_url = format!("/projekt/{id}/slutredovisning");
    let action = format!("{page_url}/status");
    let it_center = app.signed_in(IT_CENTER).await;
    let version = it_center
        .get(&page_url)
        .await
        .value("input[name=report_version]")
        .unwrap();
    it_center
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "ready"),
                ("meeting_date", "2023-03-13"),
                ("report_version", &version),
            ],
        )
        .await;
    let secretary = app.signed_in(SECRETARY).await;
    let page = secretary.get(&page_url).await;
    assert!(
        !page.value("#decision_body").unwrap_or_default().is_empty(),
        "a default to start from"
    );
    let refused = secretary
        .post_from(
            &page_url,
            &action,
            &[
                ("to", "decided"),
                ("meeting_date", "2023-03-13"),
                ("decision_body", ""),
                ("decision_paragraph", "§43"),
                ("decision_text", ""),
                (
                    "report_version",
                    &page.value("input[name=report_version]").unwrap(),
                ),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("decision_body").unwrap(),
        "Fel: Ange vilket organ som beslutade."
    );
    assert_eq!(refused.value("#decision_body").unwrap_or_default(), "");
    assert_eq!(refused.value("#decision_paragraph").as_deref(), Some("§43"));
}

/// A save must come from the form: a post of nothing but the token used to write a version with
/// every text empty. Missing fields, or a missing version, are a bad request that saves nothing.
#[tokio::test]
async fn a_save_without_the_forms_fields_is_refused_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let edit = format!("/projekt/{id}/slutredovisning/redigera");
    let versions = format!("SELECT count(*) FROM final_report_version WHERE project_id = '{id}'");
    let saves = "SELECT count(*) FROM audit_log WHERE action = 'final_report_saved'";
    let (versions_before, saves_before) = (app.count(&versions).await, app.count(saves).await);

    let empty = secretary.post_from(&edit, &edit, &[]).await;
    assert_eq!(empty.status, 400);
    assert_eq!(empty.text("h1"), "Felaktig begäran");
    assert!(empty.body.contains("Formuläret saknar fält"));
    let form = secretary.get(&edit).await;
    let without_version: Vec<(String, String)> = form
        .filled_in(&edit, &[])
        .into_iter()
        .filter(|(name, _)| name != "report_version")
        .collect();
    assert_eq!(
        secretary.post_values(&edit, &without_version).await.status,
        400
    );
    let without_summary: Vec<(String, String)> = form
        .filled_in(&edit, &[])
        .into_iter()
        .filter(|(name, _)| name != "summary")
        .collect();
    assert_eq!(
        secretary.post_values(&edit, &without_summary).await.status,
        400
    );
    assert_eq!(app.count(&versions).await, versions_before);
    assert_eq!(app.count(saves).await, saves_before);

    // The whole form, a field emptied on purpose, saves.
    let saved = secretary
        .submit_form(&edit, &edit, &[("governing_documents", "")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(app.count(&versions).await, versions_before + 1);
}
