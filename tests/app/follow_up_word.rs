//! The period report's Word file laid out as its reader sees it: the UTKAST header at the right
//! margin of each page, portrait and landscape, in the file's parts and in LibreOffice's print,
//! and the action plan's columns wide enough for their words.

use rust_decimal::Decimal;

use crate::{
    follow_up::{Second, second_period},
    support::{
        CONTROLLER, TestApp,
        documents::{convert_word, poppler, zip_entry},
    },
};

/// The value of `attribute` in the first `<tag …>` of `xml`.
fn attribute(xml: &str, tag: &str, attribute: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag} "))?;
    let element = &xml[start..start + xml[start..].find('>')?];
    let at = element.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
    Some(element[at..at + element[at..].find('"')?].to_owned())
}

fn number(xml: &str, tag: &str, name: &str) -> usize {
    attribute(xml, tag, name)
        .unwrap_or_else(|| panic!("no {tag} {name} in {xml}"))
        .parse()
        .unwrap()
}

/// Each section of the document: its page width, its text width (between the margins) and the
/// right tab stop of its default header.
fn sections(docx: &[u8]) -> Vec<(usize, usize, usize)> {
    let document = String::from_utf8(zip_entry(docx, "word/document.xml")).unwrap();
    let rels = String::from_utf8(zip_entry(docx, "word/_rels/document.xml.rels")).unwrap();
    document
        .split("<w:sectPr")
        .skip(1)
        .map(|section| {
            let section = &section[..section.find("</w:sectPr>").unwrap()];
            let page = number(section, "w:pgSz", "w:w");
            let text =
                page - number(section, "w:pgMar", "w:left") - number(section, "w:pgMar", "w:right");
            let id = attribute(section, "w:headerReference", "r:id").unwrap();
            let rel = &rels[rels.find(&format!("Id=\"{id}\"")).unwrap()..];
            let target = attribute(&format!("<R {rel}"), "R", "Target").unwrap();
            let header = String::from_utf8(zip_entry(docx, &format!("word/{target}"))).unwrap();
            assert!(header.contains("UTKAST"), "{header}");
            (page, text, number(&header, "w:tab", "w:pos"))
        })
        .collect()
}

/// For each page LibreOffice prints: its width and where the header's line ends, in points.
fn header_ends(pdf: &[u8]) -> Vec<(Decimal, Decimal)> {
    let html = scraper::Html::parse_document(&poppler("pdftotext", &["-bbox"], pdf));
    let pages = scraper::Selector::parse("page").unwrap();
    let words = scraper::Selector::parse("word").unwrap();
    let at = |e: scraper::ElementRef, name| -> Decimal {
        e.value().attr(name).unwrap().parse().unwrap()
    };
    html.select(&pages)
        .map(|page| {
            let words: Vec<_> = page.select(&words).collect();
            let top = words.iter().map(|w| at(*w, "ymin")).min().unwrap();
            let end = words
                .iter()
                .filter(|w| at(**w, "ymin") - top < Decimal::ONE)
                .map(|w| at(*w, "xmax"))
                .max()
                .unwrap();
            (at(page, "width"), end)
        })
        .collect()
}

/// The report's Word file as the controller exports it.
async fn word_file(app: &TestApp, second: &Second) -> Vec<u8> {
    let client = app.signed_in(CONTROLLER).await;
    let docx = client
        .get(&format!(
            "/uppfoljning/{}/{}/rapport.docx",
            second.occasion, second.board
        ))
        .await;
    assert_eq!(docx.status, 200);
    docx.bytes
}

#[tokio::test]
async fn the_utkast_header_ends_at_the_right_margin_of_portrait_and_landscape_pages() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, false).await;
    let docx = word_file(&app, &second).await;

    // Portrait pages (the letter, bilaga 1), then landscape ones (bilaga 2): each header's
    // right tab stop at its own section's text width.
    let sections = sections(&docx);
    assert_eq!(
        sections,
        [(11_906, 8_504, 8_504), (16_838, 13_436, 13_436)],
        "(page width, text width, header tab stop) per section"
    );

    // As printed: the header's right end 85 pt (the margin) from each page's right edge.
    let pdf = convert_word(docx, "pdf", "pdf").await;
    let ends = header_ends(&pdf);
    assert!(ends.len() >= 3, "{ends:?}");
    assert!(ends.iter().any(|(width, _)| *width > Decimal::from(800)));
    for (n, (width, end)) in ends.iter().enumerate() {
        let margin = width - end;
        assert!(
            margin > Decimal::from(80) && margin < Decimal::from(90),
            "page {}: {width} wide, the header ends at {end}",
            n + 1
        );
    }
}

/// The words of each page LibreOffice prints, as poppler reads them.
fn page_words(pdf: &[u8]) -> Vec<Vec<String>> {
    let html = scraper::Html::parse_document(&poppler("pdftotext", &["-bbox"], pdf));
    let pages = scraper::Selector::parse("page").unwrap();
    let words = scraper::Selector::parse("word").unwrap();
    html.select(&pages)
        .map(|page| page.select(&words).map(|w| w.text().collect()).collect())
        .collect()
}

#[tokio::test]
async fn the_action_plans_columns_fit_their_headings_and_goals_on_a_landscape_page() {
    let app = TestApp::spawn().await;
    let second = second_period(&app.db, true).await;
    sqlx::query(
        "UPDATE action_measure SET goal = 'Effektivare lokalanvändning', \
         decided_by = 'administration', decided_on = '2025-04-28', stage = 'planned', \
         go_live = '2025-06-15'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let docx = word_file(&app, &second).await;
    let pdf = convert_word(docx, "pdf", "pdf").await;
    let pages = page_words(&pdf);
    let plan = pages
        .iter()
        .find(|words| words.iter().any(|w| w == "Handlingsplan,"))
        .unwrap_or_else(|| panic!("no action plan in {pages:?}"));
    // Every word of the headings and of the cells whole on the page: none broken inside
    // a column too narrow for it.
    for word in [
        "Löpnr",
        "Verksamhet",
        "Beskrivning",
        "Ev.",
        "mål",
        "förvaltning",
        "påbörjad",
        "Driftsättning,",
        "helårsprognos?",
        "Effektivare",
        "lokalanvändning",
        "Förvaltning",
        "2025-04-28",
        "2025-06-15",
        "Fritidsgårdar",
        "Samlokalisering",
        "Planerad",
    ] {
        assert!(
            plan.iter().any(|w| w == word),
            "{word:?} is not whole in bilaga 2: {plan:?}"
        );
    }
}
