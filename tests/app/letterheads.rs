//! A municipality's Word template as the administrator uploads it and as the readers of the
//! Word documents see it: the template's paper, heading styles, fonts and logo in the final
//! report, the period report and the protocol, opened by LibreOffice; a refused upload changes
//! nothing; replacing or removing a template from a stale page is a conflict; each change is
//! in the audit log.

use crate::{
    follow_up::second_period,
    projects::{SEED_000, project_id},
    support::{
        ADMIN, CONTROLLER, COORDINATION, Client, SECRETARY, TestApp,
        documents::{libreoffice_convert, poppler, zip_entry},
    },
};

const MUNICIPALITIES: &str = "/admin/kommuner";
const TEMPLATE: &[u8] = include_bytes!("../../fixtures/letterheads/brevmall.docx");

fn upload_path(municipality: &str) -> String {
    format!("/admin/kommuner/{municipality}/brevmall")
}

/// The value of `attribute` on the first `tag` element of `xml`.
fn attribute(xml: &str, tag: &str, attribute: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag} "))?;
    let element = &xml[start..start + xml[start..].find('>')?];
    let at = element.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
    Some(element[at..at + element[at..].find('"')?].to_owned())
}

fn part(docx: &[u8], name: &str) -> String {
    String::from_utf8(zip_entry(docx, name)).unwrap()
}

/// The page size of the document's first section, in twentieths of a point.
fn page_size(docx: &[u8]) -> (String, String) {
    let document = part(docx, "word/document.xml");
    (
        attribute(&document, "w:pgSz", "w:w").unwrap(),
        attribute(&document, "w:pgSz", "w:h").unwrap(),
    )
}

async fn upload(admin: &Client, municipality: &str, name: &str, bytes: &[u8]) -> u16 {
    admin
        .upload(
            MUNICIPALITIES,
            &upload_path(municipality),
            name,
            bytes.to_vec(),
        )
        .await
        .status
}

#[tokio::test]
async fn the_final_report_in_word_takes_the_municipalitys_paper_styles_fonts_and_logo() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let norrtalje = app.municipality_id("Norrtälje").await;
    assert_eq!(
        upload(&admin, &norrtalje, "brevmall.docx", TEMPLATE).await,
        303
    );

    // The page says what the template gives.
    let page = admin.get(MUNICIPALITIES).await;
    let section = page.text(&format!("section[aria-labelledby='kommun-{norrtalje}']"));
    for expected in [
        "brevmall.docx",
        "216 × 279 mm",
        "Georgia",
        "Arial",
        "logotyp",
    ] {
        assert!(section.contains(expected), "{expected}: {section}");
    }

    let id = project_id(&app, SEED_000).await;
    let secretary = app.signed_in(SECRETARY).await;
    let docx = secretary
        .get(&format!("/projekt/{id}/slutredovisning.docx"))
        .await;
    assert_eq!(docx.status, 200);
    let docx = docx.bytes;
    // US Letter, and the template's own heading styles (a Swedish Word's ids) for the headings.
    assert_eq!(page_size(&docx), ("12240".to_owned(), "15840".to_owned()));
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Rubrik1\""), "{styles}");
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("<w:pStyle w:val=\"Rubrik1\""));
    assert!(!document.contains("<w:pStyle w:val=\"Heading1\""));
    // The header: the template's logo, then the municipality and the case number.
    let header = part(&docx, "word/header1.xml");
    let logo = header.find("<w:drawing>").expect("the logo");
    assert!(
        logo < header
            .find("Norrtälje · Dnr KS 2020-339")
            .expect("the header line")
    );

    let pdf = tokio::task::spawn_blocking(move || {
        libreoffice_convert(&docx, "slutredovisning.docx", "pdf", "pdf")
    })
    .await
    .unwrap();
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    let images = poppler("pdfimages", &["-list"], &pdf);
    assert!(
        images
            .lines()
            .nth(2)
            .is_some_and(|l| l.contains(" 240    80 ")),
        "the logo, 240 × 80 pixels, on the first page: {images}"
    );
    // Headings in Arial (LibreOffice's Liberation Sans stands in for it).
    let fonts = poppler("pdffonts", &[], &pdf);
    assert!(fonts.contains("LiberationSans-Bold"), "{fonts}");
    let text = poppler("pdftotext", &["-layout"], &pdf);
    assert!(text.contains("Norrtälje · Dnr KS 2020-339"), "{text}");
    assert!(text.contains("Förslag till beslut"), "{text}");

    // Another municipality's reports keep the house style: A4, no logo.
    let sample = admin
        .get(&format!(
            "/admin/kommuner/{}/brevmall/prov.docx",
            app.municipality_id("Huddinge").await
        ))
        .await;
    assert_eq!(sample.status, 200);
    assert_eq!(
        page_size(&sample.bytes),
        ("11906".to_owned(), "16838".to_owned())
    );
    assert!(!part(&sample.bytes, "word/header1.xml").contains("<w:drawing>"));
}

#[tokio::test]
async fn the_protocol_and_the_period_report_are_written_in_the_chosen_template() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let smedjebacken = app.municipality_id("Smedjebacken").await;
    assert_eq!(
        upload(&admin, &smedjebacken, "Smedjebacken.docx", TEMPLATE).await,
        303
    );

    // The period report of a Smedjebacken board: the letter on Letter paper, bilaga 2 turned.
    let second = second_period(&app.db, false).await;
    let report = app
        .signed_in(CONTROLLER)
        .await
        .get(&format!(
            "/uppfoljning/{}/{}/rapport.docx",
            second.occasion, second.board
        ))
        .await;
    assert_eq!(report.status, 200);
    let document = part(&report.bytes, "word/document.xml");
    assert!(document.contains("<w:pgSz w:w=\"12240\" w:h=\"15840\""));
    assert!(document.contains("<w:pgSz w:w=\"15840\" w:h=\"12240\""));
    assert!(part(&report.bytes, "word/header1.xml").contains("<w:drawing>"));

    // The protocol is the coordination group's: each municipality may take it in its own
    // template, offered on the round's page; without a choice, the house style.
    let coordination = app.signed_in(COORDINATION).await;
    let q4 = crate::protocol::decided_q4(&app).await;
    let round = coordination.get(&format!("/omgangar/{q4}")).await;
    assert_eq!(
        round.value(&format!("#protokoll-mall option[value='{smedjebacken}']")),
        Some(smedjebacken.clone())
    );
    let chosen = coordination
        .get(&format!(
            "/omgangar/{q4}/protokoll.docx?mall={smedjebacken}"
        ))
        .await;
    assert_eq!(chosen.status, 200);
    assert_eq!(
        page_size(&chosen.bytes),
        ("15840".to_owned(), "12240".to_owned())
    );
    assert!(part(&chosen.bytes, "word/header1.xml").contains("<w:drawing>"));
    let house = coordination
        .get(&format!("/omgangar/{q4}/protokoll.docx?mall="))
        .await;
    assert_eq!(
        page_size(&house.bytes),
        ("16838".to_owned(), "11906".to_owned())
    );
    let forged = coordination
        .get(&format!(
            "/omgangar/{q4}/protokoll.docx?mall=inte-en-kommun"
        ))
        .await;
    assert_eq!(forged.status, 400);
}

#[tokio::test]
async fn a_refused_template_is_named_next_to_its_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let huddinge = app.municipality_id("Huddinge").await;
    let entries = "SELECT count(*) FROM audit_log WHERE action LIKE 'municipality_letterhead%'";

    // A zip that is not a Word document, and a file that is not a zip at all.
    let mut not_word = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    not_word
        .start_file("hej.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    let not_word = not_word.finish().unwrap().into_inner();
    for (name, bytes, message) in [
        (
            "mall.docx",
            b"inte ett dokument".to_vec(),
            "inte ett Word-dokument",
        ),
        ("mall.docx", not_word, "inte ett Word-dokument"),
        ("mall.pdf", TEMPLATE.to_vec(), "Välj ett Word-dokument"),
    ] {
        let page = admin
            .upload(MUNICIPALITIES, &upload_path(&huddinge), name, bytes)
            .await;
        assert_eq!(page.status, 422, "{name}");
        let field = format!("#letterhead-{huddinge}-error");
        assert!(
            page.text(&field).contains(message),
            "{name}: {}",
            page.text(&field)
        );
        let summary = page.texts(".error-summary a");
        assert!(
            summary.iter().any(|s| s.starts_with("Word-mall:")),
            "{summary:?}"
        );
        let link = page.html();
        let selector = scraper::Selector::parse(".error-summary a").unwrap();
        let href = link.select(&selector).next().unwrap().value().attr("href");
        assert_eq!(href, Some(format!("#letterhead-{huddinge}").as_str()));
    }
    assert_eq!(
        app.count("SELECT count(*) FROM municipality_letterhead")
            .await,
        0
    );
    assert_eq!(app.count(entries).await, 0);
}

#[tokio::test]
async fn a_template_changed_from_a_stale_page_is_a_conflict_and_each_change_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let ludvika = app.municipality_id("Ludvika").await;
    let stale = admin.get(MUNICIPALITIES).await;
    assert_eq!(upload(&admin, &ludvika, "första.docx", TEMPLATE).await, 303);

    // A second administrator's page, read before the first upload, is based on no template.
    let based_on = stale.value(&format!(
        "form[action='{}'] input[name=based_on]",
        upload_path(&ludvika)
    ));
    assert_eq!(based_on.as_deref(), Some(""));
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", stale.csrf_token())
        .text("based_on", "")
        .part(
            "file",
            reqwest::multipart::Part::bytes(TEMPLATE.to_vec()).file_name("andra.docx"),
        );
    let refused = admin.post_multipart(&upload_path(&ludvika), form).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.text(".conflict").contains("första.docx"),
        "{}",
        refused.text(".conflict")
    );
    assert_eq!(
        app.text_of(
            "SELECT file_name FROM municipality_letterhead l JOIN municipality m \
             ON m.id = l.municipality_id WHERE m.name = $1",
            "Ludvika"
        )
        .await,
        "första.docx"
    );

    // The refused page is based on what is saved now: removing from it works.
    let removal = format!("/admin/kommuner/{ludvika}/brevmall/ta-bort");
    let removed = admin.submit_form(MUNICIPALITIES, &removal, &[]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(
        app.count("SELECT count(*) FROM municipality_letterhead")
            .await,
        0
    );

    let log = app
        .text_of(
            "SELECT string_agg(action || ': ' || coalesce(old_value, '') || ' → ' \
             || coalesce(new_value, ''), ' | ' \
             ORDER BY id) FROM audit_log WHERE entity_id = $1 AND field = 'letterhead'",
            &ludvika,
        )
        .await;
    let sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(TEMPLATE)
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(
        log,
        format!(
            "municipality_letterhead_uploaded:  → första.docx (sha256 {sha}) | \
             municipality_letterhead_removed: första.docx (sha256 {sha}) → "
        )
    );
}

/// The test template with each part `edit` returns changed (the part's name and text in, the
/// new text out, or none to keep it).
fn variant(edit: impl Fn(&str, &str) -> Option<String>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(TEMPLATE)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let changed = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| edit(&name, t));
        out.start_file(&name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(changed.map_or(bytes, String::into_bytes).as_slice())
            .unwrap();
    }
    out.finish().unwrap().into_inner()
}

const HEADER_RELS: &str = "word/_rels/header1.xml.rels";

/// A change to a template's part, as `variant` takes it.
type Edit = dyn Fn(&str, &str) -> Option<String>;

#[tokio::test]
async fn a_template_saved_with_a_byte_order_mark_and_one_logo_shown_twice_gives_a_sound_package() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let norrtalje = app.municipality_id("Norrtälje").await;
    // Some editors write a byte-order mark first; the logo is shown twice in the header.
    let template = variant(|name, text| {
        match name {
        "word/styles.xml" | "word/header1.xml" => Some(format!("\u{feff}{text}")),
        HEADER_RELS => Some(text.replace(
            "</Relationships>",
            "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/></Relationships>",
        )),
        _ => None,
    }
    });
    assert_eq!(upload(&admin, &norrtalje, "bom.docx", &template).await, 303);
    assert_eq!(admin.get(MUNICIPALITIES).await.status, 200);

    let id = project_id(&app, SEED_000).await;
    let docx = app
        .signed_in(SECRETARY)
        .await
        .get(&format!("/projekt/{id}/slutredovisning.docx"))
        .await
        .bytes;
    // One content type per extension (a second breaks the package for .NET and Word), one
    // copy of the logo.
    let types = part(&docx, "[Content_Types].xml");
    assert_eq!(types.matches("Extension=\"png\"").count(), 1, "{types}");
    let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(docx.clone()))
        .unwrap()
        .file_names()
        .filter(|n| n.starts_with("word/media/"))
        .map(str::to_owned)
        .collect();
    assert_eq!(names, ["word/media/brevmall-0.png"]);
    // Every part the template gave is well-formed, with the styles cut where they begin.
    for name in ["word/styles.xml", "word/header1.xml", HEADER_RELS] {
        let text = part(&docx, name);
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
        assert!(!text.contains("</w:sty<"), "{name}: {text}");
    }
    let text = tokio::task::spawn_blocking(move || {
        poppler(
            "pdftotext",
            &[],
            &libreoffice_convert(&docx, "bom.docx", "pdf", "pdf"),
        )
    })
    .await
    .unwrap();
    assert!(text.contains("Förslag till beslut"), "{text}");
}

#[tokio::test]
async fn templates_that_fetch_from_outside_or_cannot_be_written_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let ludvika = app.municipality_id("Ludvika").await;
    let external = "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"file://angripare.example/logo.png\" TargetMode=\"External\"/></Relationships>";
    let cases: [(&str, Box<Edit>, &str); 5] = [
        (
            "margins that overflow",
            Box::new(|name, text| {
                (name == "word/document.xml")
                    .then(|| text.replace("w:top=\"2040\"", "w:top=\"4294967295\""))
            }),
            "marginaler",
        ),
        (
            "a logo fetched from another server",
            Box::new(move |name, text| {
                (name == HEADER_RELS).then(|| text.replace("</Relationships>", external))
            }),
            "utifrån",
        ),
        (
            "a document type declaration",
            Box::new(|name, text| {
                (name == "word/styles.xml").then(|| {
                    text.replacen(
                        "<w:styles",
                        "<!DOCTYPE w:styles [<!ENTITY a \"a\">]><w:styles",
                        1,
                    )
                })
            }),
            "går inte att läsa",
        ),
        (
            "a header that is the styles",
            Box::new(|name, text| {
                (name == "word/_rels/document.xml.rels")
                    .then(|| text.replace("Target=\"header1.xml\"", "Target=\"styles.xml\""))
            }),
            "sidhuvud",
        ),
        (
            "styles under another prefix",
            Box::new(|name, text| {
                (name == "word/styles.xml")
                    .then(|| text.replace("w:", "ns0:").replace("xmlns:w=", "xmlns:ns0="))
            }),
            "format som inte stöds",
        ),
    ];
    for (case, edit, message) in cases {
        let page = admin
            .upload(
                MUNICIPALITIES,
                &upload_path(&ludvika),
                "mall.docx",
                variant(edit),
            )
            .await;
        assert_eq!(page.status, 422, "{case}");
        let error = page.text(&format!("#letterhead-{ludvika}-error"));
        assert!(error.contains(message), "{case}: {error}");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM municipality_letterhead")
            .await,
        0
    );
    assert_eq!(admin.get(MUNICIPALITIES).await.status, 200);
}
