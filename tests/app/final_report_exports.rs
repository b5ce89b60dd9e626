//! The final report's Word and PDF files as a reader sees them: the draft mark in the page
//! header, the signature block, the file properties, and the case number exactly as registered,
//! in the single exports and in the meeting's ZIP.

use chrono::Datelike;

use crate::{
    projects::{SEED_000, project_id},
    support::{
        Client, SECRETARY, TestApp,
        documents::{libreoffice_convert, pdf_pages, poppler, xml_text, zip_entry},
    },
};

/// The seed's proposal, with the case number as the registry has it.
const PROPOSAL: &str = "Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339.";
const HEADER: &str = "Norrtälje · Dnr KS 2020-339";

/// The pages of the Word file (as LibreOffice prints it) and of the PDF export of a report.
async fn exported_pages(client: &Client, report: &str) -> [Vec<String>; 2] {
    let docx = client.get(&format!("{report}.docx")).await;
    assert_eq!(docx.status, 200);
    let pdf = client.get(&format!("{report}.pdf")).await;
    assert_eq!(pdf.status, 200);
    let word = tokio::task::spawn_blocking(move || {
        pdf_pages(&libreoffice_convert(
            &docx.bytes,
            "rapport.docx",
            "pdf",
            "pdf",
        ))
    })
    .await
    .unwrap();
    [word, pdf_pages(&pdf.bytes)]
}

/// The first line of a page's text: its header.
fn header_line(page: &str) -> &str {
    page.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
}

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

/// docProps/core.xml of a Word file: (title, creator, year created, year modified).
fn core_properties(docx: &[u8]) -> (String, String, String, String) {
    let xml = String::from_utf8(zip_entry(docx, "docProps/core.xml")).unwrap();
    let get = |tag| xml_text(&xml, tag).unwrap_or_else(|| panic!("no {tag} in {xml}"));
    let year = |tag| get(tag).chars().take(4).collect::<String>();
    (
        get("dc:title"),
        get("dc:creator"),
        year("dcterms:created"),
        year("dcterms:modified"),
    )
}

#[tokio::test]
async fn a_draft_says_utkast_in_every_page_header_until_it_is_ready() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let report = format!("/projekt/{id}/slutredovisning");

    for (format, pages) in ["Word", "PDF"]
        .into_iter()
        .zip(exported_pages(&secretary, &report).await)
    {
        assert!(pages.len() > 1, "{format}: {pages:#?}");
        for (n, page) in pages.iter().enumerate() {
            let header = header_line(page);
            assert!(
                header.contains("UTKAST") && header.contains(HEADER),
                "{format}, page {}: header {header:?}",
                n + 1
            );
        }
    }

    make_ready(&secretary, &report).await;
    for (format, pages) in ["Word", "PDF"]
        .into_iter()
        .zip(exported_pages(&secretary, &report).await)
    {
        for (n, page) in pages.iter().enumerate() {
            assert!(header_line(page).contains(HEADER), "{format}: {page}");
            assert!(!page.contains("UTKAST"), "{format}, page {}: {page}", n + 1);
        }
    }
}

#[tokio::test]
async fn word_files_carry_title_author_date_and_spaced_paragraphs() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let docx = app
        .signed_in(SECRETARY)
        .await
        .get(&format!("/projekt/{id}/slutredovisning.docx"))
        .await;
    assert_eq!(docx.status, 200);
    let year = chrono::Utc::now().year().to_string();
    assert_eq!(
        core_properties(&docx.bytes),
        (
            "Slutredovisning – Nytt beslut- och ledningsstöd".to_owned(),
            // The officer who prepared the seed's report.
            "Christian Hedborg".to_owned(),
            year.clone(),
            year
        )
    );

    // LibreOffice reads body paragraphs (Word's "Normal", its "Standard") with space after.
    let flat = String::from_utf8(
        tokio::task::spawn_blocking(move || {
            libreoffice_convert(&docx.bytes, "rapport.docx", "fodt", "fodt")
        })
        .await
        .unwrap(),
    )
    .unwrap();
    let body = flat
        .split("<style:style style:name=\"Standard\" style:family=\"paragraph\"")
        .nth(1)
        .and_then(|rest| rest.split("</style:style>").next())
        .unwrap_or_else(|| panic!("no body text style in:\n{flat}"));
    // At least about 5.5 pt, in whichever unit LibreOffice writes.
    let enough = xml_attribute(body, "fo:margin-bottom").is_some_and(|v| {
        let (number, minimum) = match v.strip_suffix("in") {
            Some(inches) => (inches, 0.075),
            None => (v.strip_suffix("cm").unwrap_or("0"), 0.19),
        };
        number.parse::<f64>().is_ok_and(|n| n >= minimum)
    });
    assert!(enough, "{body}");
}

/// The value of `name="…"` in `xml`.
fn xml_attribute<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("{name}=\""))? + name.len() + 2;
    xml[start..].split('"').next()
}

#[tokio::test]
async fn the_meeting_zip_has_the_registered_case_number_and_word_properties() {
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

    let (title, creator, created, _) = core_properties(&docx);
    assert_eq!(title, "Slutredovisning – Nytt beslut- och ledningsstöd");
    assert_eq!(creator, "Christian Hedborg");
    assert_eq!(created, chrono::Utc::now().year().to_string());

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
        assert!(!flat.contains("UTKAST"), "ready for the meeting: {text}");
    }
}

/// Short paragraphs of analysis that bring the first signature to the foot of a page, where
/// its three lines do not all fit.
const FILLER_PARAGRAPHS: usize = 40;

#[tokio::test]
async fn signature_lines_print_as_lines_and_stay_together_on_one_page() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let report = format!("/projekt/{id}/slutredovisning");
    let signature = ["Anette Madsen", "Kommundirektör", "Kommunstyrelsekontoret"];

    let pdf = secretary.get(&format!("{report}.pdf")).await;
    let text = poppler("pdftotext", &[], &pdf.bytes);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let at = lines
        .iter()
        .position(|l| *l == signature[0])
        .unwrap_or_else(|| panic!("the name alone on its line:\n{text}"));
    assert_eq!(lines[at..at + 3], signature, "{text}");
    assert!(!text.contains("Madsen?"), "{text}");

    let filler: Vec<String> = (1..=FILLER_PARAGRAPHS)
        .map(|n| format!("Stycke {n}."))
        .collect();
    let edit = format!("{report}/redigera");
    let saved = secretary
        .submit_form(&edit, &edit, &[("analysis", &filler.join("\n\n"))])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let pdf = secretary.get(&format!("{report}.pdf")).await;
    let pages = pdf_pages(&pdf.bytes);
    let on = |line: &str| -> Vec<usize> {
        pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.lines().any(|l| l.trim() == line))
            .map(|(n, _)| n)
            .collect()
    };
    let page = on(signature[0]);
    assert_eq!(page.len(), 1, "{pages:#?}");
    for line in signature {
        assert_eq!(on(line), page, "{line:?} apart from the name: {pages:#?}");
    }
    // The block was moved whole: it opens its page, right after the last paragraph before it.
    let body: Vec<&str> = pages[page[0]]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .skip(1)
        .collect();
    assert_eq!(body.first(), Some(&signature[0]), "{pages:#?}");
    let last = format!("Stycke {FILLER_PARAGRAPHS}.");
    assert_eq!(on(&last), [page[0] - 1], "{pages:#?}");
}
