//! The protocol of a decided round, opened by real readers (LibreOffice for Word, calamine
//! for Excel), and the comparison of a round with the one before it.

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;

use crate::{
    portfolio::round_id,
    support::{COORDINATION, STRATEGY_LUDVIKA, TestApp},
};

/// Decides 2026-Q4 as the board proposes, at a meeting on 2026-11-30 (a decision is recorded
/// after its meeting, so the date is typed rather than the round's planned, perhaps future, one).
pub async fn decided_q4(app: &TestApp) -> String {
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(app, "2026-Q4").await;
    let decision = format!("/omgangar/{q4}/beslut");
    assert_eq!(
        client
            .submit_form(
                &decision,
                &decision,
                &[("confirm", "ja"), ("meeting_date", "2026-11-30")]
            )
            .await
            .status,
        303
    );
    q4
}

#[tokio::test]
async fn the_protocol_is_a_word_document_with_the_decisions_per_plan() {
    let app = TestApp::spawn().await;
    let q4 = decided_q4(&app).await;
    // Anyone may read a decided protocol, strategy groups included.
    let client = app.signed_in(STRATEGY_LUDVIKA).await;
    let response = client.get(&format!("/omgangar/{q4}/protokoll.docx")).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-disposition"),
        Some(
            "attachment; filename=\"protokoll-prioritering-2026-Q4.docx\"; \
             filename*=UTF-8''protokoll-prioritering-2026-Q4.docx"
        )
    );
    let text = String::from_utf8(crate::support::documents::libreoffice_convert(
        &response.bytes,
        "protokoll.docx",
        "txt:Text",
        "txt",
    ))
    .unwrap();
    assert!(
        text.contains("Protokoll: prioritering av digitaliseringsportföljen 2026-Q4"),
        "{text}"
    );
    assert!(
        text.contains(
            "Samordningsgruppen beslutade vid prioriteringsmötet 2026-11-30 om 41 objekt."
        )
    );
    for plan in [
        "Digitaliseringsplan",
        "Förvaltningsplan – Verksamhetssystem",
        "Förvaltningsplan – IT-centers tjänstekatalog",
        "Förvaltningsplan – IT-infrastruktur och IT-säkerhet",
    ] {
        assert!(text.contains(plan), "{plan}");
    }
    assert!(text.contains("Multifaktorautentisering för alla anställda"));
    assert!(text.contains("Prioriteras 2026-Q4"));
    assert!(text.contains("Ryms inte inom omgångens ramar."));
    let prioritised = app
        .count(
            "SELECT count(*) FROM round_item ri JOIN round r ON r.id = ri.round_id \
                WHERE r.quarter = '2026-Q4' AND ri.decision = 'prioritised'",
        )
        .await;
    assert!(
        text.contains(&format!("Prioriterade: {prioritised} objekt")),
        "{text}"
    );
}

#[tokio::test]
async fn the_protocol_word_file_has_title_author_and_date_in_its_properties() {
    use crate::support::documents::{xml_text, zip_entry};
    use chrono::Datelike;
    let app = TestApp::spawn().await;
    let q4 = decided_q4(&app).await;
    let response = app
        .signed_in(STRATEGY_LUDVIKA)
        .await
        .get(&format!("/omgangar/{q4}/protokoll.docx"))
        .await;
    assert_eq!(response.status, 200);
    let core = String::from_utf8(zip_entry(&response.bytes, "docProps/core.xml")).unwrap();
    let get = |tag| xml_text(&core, tag).unwrap_or_else(|| panic!("no {tag} in {core}"));
    assert_eq!(
        get("dc:title"),
        "Protokoll: prioritering av digitaliseringsportföljen 2026-Q4"
    );
    // The coordination group's member who registered the decision prepared the protocol.
    let registered_by: String =
        sqlx::query_scalar("SELECT display_name FROM app_user WHERE email = $1")
            .bind(COORDINATION)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(get("dc:creator"), registered_by);
    let year = chrono::Utc::now().year().to_string();
    assert!(get("dcterms:created").starts_with(&year), "{core}");
    assert!(get("dcterms:modified").starts_with(&year), "{core}");
}

#[tokio::test]
async fn the_protocol_in_excel_has_numbers_that_add_up_to_its_summary() {
    let app = TestApp::spawn().await;
    let q4 = decided_q4(&app).await;
    let client = app.signed_in(COORDINATION).await;
    let response = client.get(&format!("/omgangar/{q4}/protokoll.xlsx")).await;
    assert_eq!(response.status, 200);
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(response.bytes.clone())).unwrap();
    assert_eq!(workbook.sheet_names(), ["Sammanställning", "Beslut"]);
    let decisions = workbook.worksheet_range("Beslut").unwrap();
    let rows: Vec<&[Data]> = decisions.rows().collect();
    assert_eq!(rows[0][3], Data::String("Objekt".into()));
    assert_eq!(rows.len(), 42);
    // Figures are numbers, not text: the group can sum and filter them.
    let mfa = rows
        .iter()
        .find(|r| r[2] == Data::String("P-031".into()))
        .unwrap();
    assert_eq!(mfa[5], Data::Float(240.0));
    assert_eq!(mfa[8], Data::Float(230_000.0));
    assert_eq!(mfa[10], Data::String("Prioriteras".into()));
    let number = |d: &Data| match d {
        Data::Float(f) => Decimal::try_from(*f).unwrap(),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("not a number: {other:?}"),
    };
    let prioritised: Vec<&&[Data]> = rows
        .iter()
        .skip(1)
        .filter(|r| r[10] == Data::String("Prioriteras".into()))
        .collect();
    let cost: Decimal = prioritised.iter().map(|r| number(&r[8])).sum();
    let hours: Decimal = prioritised.iter().map(|r| number(&r[5])).sum();
    let summary = workbook.worksheet_range("Sammanställning").unwrap();
    let total = summary
        .rows()
        .find(|r| r[0] == Data::String("Totalt".into()))
        .unwrap();
    assert_eq!(number(&total[1]), Decimal::from(prioritised.len()));
    assert_eq!(number(&total[2]), hours);
    assert_eq!(number(&total[3]), cost);
    // And the decided round stays within its budget frame.
    assert!(cost <= Decimal::from(4_500_000));
}

#[tokio::test]
async fn an_open_round_has_no_protocol_yet() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let client = app.signed_in(COORDINATION).await;
    assert_eq!(
        client
            .get(&format!("/omgangar/{q4}/protokoll.docx"))
            .await
            .status,
        409
    );
}

#[tokio::test]
async fn the_comparison_tells_what_entered_left_and_moved_and_why() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let client = app.signed_in(COORDINATION).await;
    let page = client.get(&format!("/omgangar/{q4}/jamforelse")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("h1"), "Omgång 2026-Q4 jämförd med 2026-Q3");
    assert_eq!(
        page.text("h1 + p"),
        "37 objekt har tillkommit, 3 objekt har lämnat dagordningen, inget objekt har flyttats \
         upp och 4 objekt ned; inget objekt har kvar sin plats."
    );
    let left = page.texts("table[aria-labelledby=lamnat] tbody th");
    assert_eq!(
        left,
        [
            "P-041 Windows 11 på alla klienter",
            "P-042 E-tjänst för skolskjuts",
            "P-044 Ny telefonväxel"
        ]
    );
    assert_eq!(
        page.texts("table[aria-labelledby=tillkommit] tbody tr")
            .len(),
        37
    );
    let cells = page.texts("table[aria-labelledby=ned] tbody tr > *");
    let down: Vec<&[String]> = cells.chunks(6).collect();
    assert_eq!(
        down,
        [
            // Prioritised in 2026-Q3 but not ordered: back on the agenda, not ranked yet.
            [
                "P-043 Trådlöst nät i Smedjebackens bibliotek",
                "plats 3",
                "ej rangordnad",
                "–",
                "Prioriteras",
                "Inte beslutad ännu"
            ],
            [
                "P-003 Chattbot för kontaktcenter",
                "plats 6",
                "ej rangordnad",
                "–",
                "Skjuts upp: Ryms inte inom omgångens ramar.",
                "Inte beslutad ännu"
            ],
            [
                "P-030 Flytt till nytt datacenter",
                "plats 5",
                "plats 22",
                "17",
                "Skjuts upp: Ryms inte inom omgångens ramar.",
                "Inte beslutad ännu"
            ],
            [
                "P-012 Byte av verksamhetssystem för socialtjänsten",
                "plats 4",
                "plats 11",
                "7",
                "Skjuts upp: Förstudien blir klar först under hösten; tas upp igen i 2026-Q4.",
                "Inte beslutad ännu"
            ],
        ]
    );
    assert!(page.texts("table[aria-labelledby=upp] tbody tr").is_empty());
}
