//! The period report's documents as their readers get them: the Word file opened by
//! LibreOffice, the Excel cells read by calamine, the PDF/A checked by poppler, the print view
//! parsed as HTML; the diarienummer set on the controller's form; and who may export.

use calamine::{Data, Reader, Xlsx};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::support::{
    AUDITOR, CONTROLLER, Client, SECRETARY, SECRETARY_GSN, TestApp,
    documents::{assert_accessible_pdf, convert_word, pdf_pages, poppler, zip_entry},
};

const DNR: &str = "GSN 2022-35";
const HEADER: &str = "Ludvika och Smedjebacken · Gemensamma servicenämnden · Dnr GSN 2022-35";
const PROPOSAL: [&str; 2] = [
    "1. Nämnden godkänner periodens rapportering, enligt bilaga 1 daterad 13 september 2022.",
    "2. Nämnden fastställer handlingsplan med åtgärder för att bidra till en ekonomi i balans 2022, enligt bilaga 2 daterad 13 september 2022.",
];

/// The demo report's path: Gemensamma servicenämnden at occasion 2 of 2022 (seed 002).
async fn demo_report(app: &TestApp) -> String {
    let (occasion, board): (String, String) = sqlx::query_as(
        "SELECT o.id::text, b.id::text FROM follow_up_occasion o, board b \
         WHERE o.year = 2022 AND o.number = 2 AND b.name = 'Gemensamma servicenämnden'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    format!("/uppfoljning/{occasion}/{board}")
}

/// The demo report is submitted to the board: the controller takes it back to change it.
async fn reopen(client: &Client, report: &str) {
    let page = client.get(report).await;
    let action = format!("{report}/aterta");
    if page.form_fields(&action).is_none() {
        return;
    }
    let back = client
        .post_values(&action, &page.form_values(&action))
        .await;
    assert_eq!(back.status, 303);
}

/// The controller registers the report's diarienummer on the forecast form.
async fn set_dnr(app: &TestApp, report: &str) {
    let edit = format!("{report}/prognos");
    let client = app.signed_in(CONTROLLER).await;
    reopen(&client, report).await;
    let saved = client
        .submit_form(&edit, &edit, &[("diary_number", DNR)])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

/// The export links of the report page's "Exportera" block, by their text.
async fn export_links(client: &Client, report: &str) -> Vec<(String, String)> {
    let page = client.get(report).await;
    assert_eq!(page.status, 200);
    let html = page.html();
    let link = scraper::Selector::parse("section.exports a").unwrap();
    html.select(&link)
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap().to_owned(),
            )
        })
        .collect()
}

fn href<'a>(links: &'a [(String, String)], text: &str) -> &'a str {
    &links
        .iter()
        .find(|(t, _)| t.starts_with(text))
        .unwrap_or_else(|| panic!("no {text} link in {links:?}"))
        .1
}

/// Text with its whitespace (line breaks between table cells too) made single spaces, and the
/// minus sign written as a hyphen.
fn flat(text: &str) -> String {
    text.replace('\u{2212}', "-")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_diary_number_is_checked_saved_and_audited() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    let edit = format!("{report}/prognos");
    let client = app.signed_in(CONTROLLER).await;
    reopen(&client, &report).await;
    let refused = client
        .submit_form(&edit, &edit, &[("diary_number", "2022/35")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("diary_number")
            .unwrap()
            .contains("”2022/35” är inget diarienummer"),
        "{}",
        refused.body
    );
    assert_eq!(refused.value("#diary_number").as_deref(), Some("2022/35"));
    assert_eq!(
        app.count("SELECT count(*) FROM follow_up WHERE diary_number IS NOT NULL")
            .await,
        0
    );

    set_dnr(&app, &report).await;
    let form = client.get(&edit).await;
    assert_eq!(form.value("#diary_number").as_deref(), Some(DNR));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'follow_up_saved' \
             AND field = 'diary_number' AND old_value IS NULL AND new_value = '{DNR}'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn the_word_document_is_the_seeds_report_with_the_dnr_on_every_page() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    set_dnr(&app, &report).await;
    let client = app.signed_in(AUDITOR).await;
    let links = export_links(&client, &report).await;
    let docx = client.get(href(&links, "Word")).await;
    assert_eq!(docx.status, 200);
    assert_eq!(
        docx.header("content-disposition"),
        Some(
            "attachment; filename=\"Rapportering-T2-2022-Gemensamma-servicenamnden.docx\"; \
             filename*=UTF-8''Rapportering-T2-2022-Gemensamma-servicenamnden.docx"
        )
    );
    let text = convert_word(docx.bytes.clone(), "txt:Text", "txt").await;
    let text = flat(&String::from_utf8(text).unwrap());
    for wanted in [
        "Rapportering tillfälle 2 år 2022",
        "Förvaltningens förslag till beslut",
        PROPOSAL[0],
        PROPOSAL[1],
        "Driftkostnader. Under perioden var nettokostnaderna för den löpande verksamheten totalt 4,1 mnkr lägre än periodens budgeterade nivå (positiv avvikelse).",
        "Av det totala investeringsanslaget för året på 12,6 mnkr (4,9 årsbudget 2022 plus 7,7 överfört från 2021) har 3,4 mnkr upparbetats under perioden.",
        "Prognosen för helåret är att 8,6 mnkr av anslaget (68 procent) kommer upparbetas och bokföras.",
        "0003-0365 Digital arbetsplats",
        "Ludvika 1 470 000",
        "Smedjebacken 630 000",
        "Intäkter 43,0 50,4 7,3 64,5 63,5 -1,0",
        "Kostnader 43,0 46,2 -3,2 64,5 61,4 3,1",
        "Netto 0,0 -4,2 4,1 0,0 -2,1 2,1",
        "Totalt 4,9 7,7 12,6 3,4 -9,2 8,6 -4,0",
        "Beloppen visas i miljoner kronor avrundade till en decimal.",
        "1.1 IT-center Inga åtgärder",
        "TOTALT 0,00 0,00 0,00",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
    }
    assert!(!text.contains("UTKAST"), "the demo report is complete");

    // Printed by LibreOffice: the header on every page, portrait and landscape alike.
    let pages = pdf_pages(&convert_word(docx.bytes.clone(), "pdf", "pdf").await);
    assert!(pages.len() >= 3, "{pages:#?}");
    for (n, page) in pages.iter().enumerate() {
        assert!(flat(page).contains(HEADER), "page {}: {page}", n + 1);
    }
    let last = pages.last().unwrap();
    let widest = last.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(last.contains("Bilaga 2") || pages.iter().any(|p| p.contains("Bilaga 2")));
    assert!(widest > 120, "bilaga 2 is printed in landscape:\n{last}");
}

#[tokio::test]
async fn an_incomplete_report_is_marked_utkast_on_every_page_of_word_and_pdf() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    sqlx::query(
        "DELETE FROM activity_forecast WHERE activity_id IN \
         (SELECT id FROM activity WHERE code = '031')",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.signed_in(CONTROLLER).await;
    let docx = client.get(&format!("{report}/rapport.docx")).await;
    let pdf = client.get(&format!("{report}/rapport.pdf")).await;
    assert_eq!((docx.status, pdf.status), (200, 200));
    let word = pdf_pages(&convert_word(docx.bytes, "pdf", "pdf").await);
    for (format, pages) in [("Word", word), ("PDF", pdf_pages(&pdf.bytes))] {
        assert!(
            flat(&pages[0]).contains("UTKAST – ofullständigt"),
            "{format}: {}",
            pages[0]
        );
        assert!(flat(&pages[0]).contains("Saknas: Helårsprognos för verksamhet 031"));
        for (n, page) in pages.iter().enumerate() {
            let header = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            assert!(
                header.contains("UTKAST") && header.contains("Gemensamma servicenämnden"),
                "{format}, page {}: {header:?}",
                n + 1
            );
        }
    }
}

/// A figure in mnkr with one decimal, rounded half away from zero, from kronor.
fn mnkr(cell: &Data) -> Decimal {
    match cell {
        Data::Float(f) => (Decimal::try_from(*f).unwrap() / Decimal::from(1_000_000))
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero),
        other => panic!("not a number: {other:?}"),
    }
}

fn kronor(cell: &Data) -> Decimal {
    match cell {
        Data::Float(f) => Decimal::try_from(*f).unwrap(),
        other => panic!("not a number: {other:?}"),
    }
}

#[tokio::test]
async fn the_excel_workbook_has_one_sheet_per_attachment_with_numbers_in_kronor() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    let client = app.signed_in(CONTROLLER).await;
    let links = export_links(&client, &report).await;
    let response = client.get(href(&links, "Excel")).await;
    assert_eq!(response.status, 200);
    assert!(
        response
            .header("content-disposition")
            .unwrap()
            .contains("Rapportering-T2-2022-Gemensamma-servicenamnden.xlsx")
    );
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(response.bytes.clone())).unwrap();
    assert_eq!(workbook.sheet_names(), ["Bilaga 1", "Bilaga 2"]);
    let first = workbook.worksheet_range("Bilaga 1").unwrap();
    let rows: Vec<&[Data]> = first.rows().collect();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        _ => String::new(),
    };
    assert!(
        rows.iter()
            .any(|r| text(&r[0]).contains("lagrade i kronor och visas i miljoner kronor")),
        "the unit note"
    );
    let row = |label: &str| -> &[Data] {
        rows.iter()
            .find(|r| text(&r[0]) == label)
            .copied()
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let expected = [
        ("Intäkter", ["43.0", "50.4", "7.3", "64.5", "63.5", "-1.0"]),
        ("Kostnader", ["43.0", "46.2", "-3.2", "64.5", "61.4", "3.1"]),
        ("Netto", ["0.0", "-4.2", "4.1", "0.0", "-2.1", "2.1"]),
    ];
    for (label, figures) in expected {
        let r = row(label);
        let got: Vec<Decimal> = r[1..7].iter().map(mnkr).collect();
        let want: Vec<Decimal> = figures.iter().map(|f| f.parse().unwrap()).collect();
        assert_eq!(got, want, "{label}");
    }
    // Exact kronor: the deviations are the differences of the stored figures.
    let revenue = row("Intäkter");
    assert_eq!(
        kronor(&revenue[3]),
        kronor(&revenue[2]) - kronor(&revenue[1])
    );
    let costs = row("Kostnader");
    assert_eq!(kronor(&costs[3]), kronor(&costs[1]) - kronor(&costs[2]));
    let total = row("Totalt");
    let got: Vec<Decimal> = total[1..8].iter().map(mnkr).collect();
    let want: Vec<Decimal> = ["4.9", "7.7", "12.6", "3.4", "-9.2", "8.6", "-4.0"]
        .iter()
        .map(|f| f.parse().unwrap())
        .collect();
    assert_eq!(got, want);
    assert_eq!(kronor(&total[3]), kronor(&total[1]) + kronor(&total[2]));

    let second = workbook.worksheet_range("Bilaga 2").unwrap();
    let plan: Vec<&[Data]> = second.rows().collect();
    let measure = plan.iter().find(|r| text(&r[0]) == "1.1").unwrap();
    assert_eq!(text(&measure[2]), "Inga åtgärder");
    let totalt = plan.iter().find(|r| text(&r[0]) == "TOTALT").unwrap();
    assert_eq!(totalt[8], Data::Float(0.0));
    assert_eq!(totalt[11], Data::Float(0.0));

    // Shown in mnkr: kronor divided by a million by the number format, one decimal.
    let styles = String::from_utf8(zip_entry(&response.bytes, "xl/styles.xml")).unwrap();
    assert!(styles.contains("formatCode=\"#,##0.0,,\""), "{styles}");
    assert!(styles.contains("formatCode=\"#,##0.00,,\""), "{styles}");
}

#[tokio::test]
async fn the_pdf_is_pdf_a_with_embedded_fonts_the_figures_and_the_header() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    set_dnr(&app, &report).await;
    let client = app.signed_in(AUDITOR).await;
    let links = export_links(&client, &report).await;
    let response = client.get(href(&links, "PDF")).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/pdf"));
    let pdf = response.bytes.clone();
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(
        info.contains(
            "Title:           Gemensamma servicenämnden – Rapportering tillfälle 2 år 2022"
        ),
        "{info}"
    );
    assert_accessible_pdf(&pdf);
    // The tables' column groups and the rows that span a table say how many columns they
    // cover, so a screen reader pairs each figure with its headings.
    let structure = poppler("pdfinfo", &["-struct-text"], &pdf);
    let structure = structure.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        structure.contains("TH: /Scope /Column /ColSpan 3"),
        "a column group of three: {structure}"
    );
    assert!(
        structure.contains("TD: /ColSpan"),
        "a spanning row: {structure}"
    );
    let pages = pdf_pages(&pdf);
    for (n, page) in pages.iter().enumerate() {
        assert!(flat(page).contains(HEADER), "page {}: {page}", n + 1);
    }
    let text = flat(&pages.join("\n"));
    for wanted in [
        PROPOSAL[0],
        "Intäkter 43,0 50,4 7,3 64,5 63,5 -1,0",
        "Netto 0,0 -4,2 4,1 0,0 -2,1 2,1",
        "Totalt 4,9 7,7 12,6 3,4 -9,2 8,6 -4,0",
        "1.1 IT-center Inga åtgärder",
        "Sida 1",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
    }
}

#[tokio::test]
async fn the_print_view_has_the_report_without_navigation() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    set_dnr(&app, &report).await;
    let client = app.signed_in(CONTROLLER).await;
    let links = export_links(&client, &report).await;
    let page = client.get(href(&links, "Utskrift")).await;
    assert_eq!(page.status, 200);
    assert!(page.texts("nav").is_empty(), "no navigation");
    assert_eq!(page.text("h1"), "Rapportering tillfälle 2 år 2022");
    assert_eq!(flat(&page.text(".print-header")), HEADER);
    let html = page.html();
    let table = scraper::Selector::parse("table").unwrap();
    let row = scraper::Selector::parse("tbody tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    let caption = scraper::Selector::parse("caption").unwrap();
    let first = html
        .select(&table)
        .find(|t| {
            t.select(&caption).any(|c| {
                c.text().collect::<String>() == "Intäkter och kostnader mnkr, tillfälle 2 år 2022"
            })
        })
        .expect("the operating table");
    let cells: Vec<Vec<String>> = first
        .select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| flat(&c.text().collect::<String>()))
                .collect()
        })
        .collect();
    assert_eq!(
        cells[0],
        ["Intäkter", "43,0", "50,4", "7,3", "64,5", "63,5", "-1,0"]
    );
    assert!(page.body.contains("print-part--landscape"));
    // The action plan's sums are labelled across its eight text columns, as in the seed.
    let total = scraper::Selector::parse("tr.total th[colspan=\"8\"]").unwrap();
    assert_eq!(
        html.select(&total)
            .map(|th| th.text().collect::<String>())
            .collect::<Vec<_>>(),
        ["TOTALT"]
    );
}

#[tokio::test]
async fn another_boards_secretary_gets_403_and_an_unknown_board_404() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    let secretary = app.signed_in(SECRETARY).await;
    let reader = app.signed_in(AUDITOR).await;
    let (occasion, _) = report
        .trim_start_matches("/uppfoljning/")
        .split_once('/')
        .unwrap();
    let unknown = format!("/uppfoljning/{occasion}/{}", uuid::Uuid::now_v7());
    for document in ["rapport.docx", "rapport.xlsx", "rapport.pdf", "utskrift"] {
        let other = secretary.get(&format!("{report}/{document}")).await;
        assert_eq!(other.status, 403, "{document}");
        let missing = reader.get(&format!("{unknown}/{document}")).await;
        assert_eq!(missing.status, 404, "{document}");
    }
}

#[tokio::test]
async fn a_decided_reports_documents_state_the_decision_and_its_corrections() {
    let app = TestApp::spawn().await;
    let report = demo_report(&app).await;
    // The demo report is submitted: GSN's secretary records the board's decision.
    let secretary = app.signed_in(SECRETARY_GSN).await;
    let decide = format!("{report}/beslut");
    let decided = secretary
        .submit_form(
            &decide,
            &decide,
            &[("decided_on", "2022-09-20"), ("decision_paragraph", "§ 45")],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let controller = app.signed_in(CONTROLLER).await;
    let correct = format!("{report}/rattelse");
    let corrected = controller
        .submit_form(
            &correct,
            &correct,
            &[
                ("summary_text", "Rättad sammanfattning."),
                ("reason", "Fel månad i sammanfattningen."),
            ],
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);

    let decision = "Beslut. Beslutad av Gemensamma servicenämnden 2022-09-20, § 45.";
    let docx = controller.get(&format!("{report}/rapport.docx")).await;
    let pdf = controller.get(&format!("{report}/rapport.pdf")).await;
    let word = pdf_pages(&convert_word(docx.bytes, "pdf", "pdf").await);
    for (format, pages) in [("Word", word), ("PDF", pdf_pages(&pdf.bytes))] {
        let first = flat(&pages[0]);
        assert!(first.contains(decision), "{format}: {first}");
        assert!(
            first.contains("Rättelser av texten efter beslutet")
                && first.contains("Fel månad i sammanfattningen."),
            "{format}: {first}"
        );
        let all = flat(&pages.join(" "));
        assert!(
            all.contains("Texten har rättats en gång efter beslutet."),
            "{format}: the attachments say it too"
        );
    }
    let print = controller.get(&format!("{report}/utskrift")).await;
    assert!(flat(&print.text("main")).contains(decision));
    let xlsx = controller.get(&format!("{report}/rapport.xlsx")).await;
    let strings = String::from_utf8(zip_entry(&xlsx.bytes, "xl/sharedStrings.xml")).unwrap();
    assert!(
        strings.contains("Beslutad av Gemensamma servicenämnden 2022-09-20, § 45."),
        "{strings}"
    );
}
