//! Importing portfolio items from CSV and Excel: a preview with the errors next to each line,
//! nothing saved while any line is wrong, and everything saved in one go when all are right.

use rust_xlsxwriter::Workbook;

use crate::support::{IT_CENTER, TestApp};

const HEADER: &str = "Titel;Plan;Kommuner;Typ;Komplexitet;Motivering komplexitet;Timmar;Investering;Drift per år;Nytta invånare;Effektivitet;Beroenden";

#[tokio::test]
async fn a_file_with_errors_shows_them_per_line_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let before = app.count("SELECT count(*) FROM portfolio_item").await;
    let csv = format!(
        "{HEADER}\n\
         Digital post till invånare;Digitaliseringsplan;Ludvika, Smedjebacken;Nytt behov;Medel;;160;120 000;30 000;4;3;\n\
         Ny intranätplattform;Tjänstekatalog;Ludvik;Nytt behov;Medel;;tolv;;;;;\n\
         Automatisk gallring;Verksamhetssystem;;Tvingande;Hög;;80;;;;9;P-999\n\
         E-tjänst för ansökan om bygglov;Digitaliseringsplan;Ludvika;Nytt behov;Låg;;10;;;;;\n"
    );
    let page = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.text(".error-summary h2"), "3 av 4 rader har fel");
    assert_eq!(page.texts("#rad-2 .line-errors li"), Vec::<String>::new());
    assert_eq!(
        page.texts("#rad-3 .line-errors li"),
        [
            "Kommuner: okänd kommun ”Ludvik”.",
            "Timmar: ”tolv” är inget antal timmar. Skriv ett heltal, till exempel 120."
        ]
    );
    assert_eq!(
        page.texts("#rad-4 .line-errors li"),
        [
            "Motivering komplexitet: Motivera varför komplexiteten är hög.",
            "Effektivitet: Effektivitet och tidsbesparing: ”9” är ingen poäng. Ange ett heltal 0–5."
        ]
    );
    assert_eq!(
        page.texts("#rad-5 .line-errors li"),
        ["Titel: ”E-tjänst för ansökan om bygglov” finns redan i Digitaliseringsplan."]
    );
    assert!(
        page.form_fields("/portfolj/import/spara").is_none(),
        "no import while lines are wrong"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before
    );
}

#[tokio::test]
async fn a_correct_csv_is_previewed_then_imported_in_one_go_and_audited() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let before = app.count("SELECT count(*) FROM portfolio_item").await;
    let csv = format!(
        "\u{feff}{HEADER}\n\
         Digital post till invånare;Digitaliseringsplan;Ludvika, Smedjebacken;Nytt behov;Medel;;160;120 000;30 000;4;3;\n\
         Automatisk gallring;Verksamhetssystem;;Tvingande;Hög;Många system;80;;;;2;P-011\n"
    );
    let preview = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(
        preview.texts(".import-preview tbody td:last-child"),
        ["Rätt", "Rätt"]
    );
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before,
        "a preview saves nothing"
    );

    let token = preview.csrf_token();
    let rows = preview.value("input[name=rows]").unwrap();
    let saved = client
        .post_raw(
            "/portfolj/import/spara",
            &[("csrf_token", &token), ("rows", &rows)],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before + 2
    );
    let (municipalities, dependency): (i64, i32) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM portfolio_item_municipality m WHERE m.item_id = i.id), \
                (SELECT d.number FROM portfolio_item_dependency dep JOIN portfolio_item d ON d.id = dep.depends_on_id \
                 WHERE dep.item_id = (SELECT id FROM portfolio_item WHERE title = 'Automatisk gallring')) \
         FROM portfolio_item i WHERE i.title = 'Digital post till invånare'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((municipalities, dependency), (2, 11));
    assert_eq!(
        app.count("SELECT count(DISTINCT entity_id) FROM audit_log WHERE action = 'portfolio_item_imported'").await,
        2
    );
    let list = client.get(saved.location().unwrap()).await;
    assert_eq!(list.text(".flash"), "2 objekt har importerats.");

    // The same lines again would be duplicates: checked anew on confirmation, nothing saved.
    let again = client
        .post_raw(
            "/portfolj/import/spara",
            &[("csrf_token", &token), ("rows", &rows)],
        )
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before + 2
    );
}

#[tokio::test]
async fn an_excel_sheet_with_numbers_and_dates_is_read_like_typed_text() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, title) in (0u16..).zip([
        "Titel",
        "Plan",
        "Timmar",
        "Investering",
        "Tidigast start",
        "Typ",
        "Komplexitet",
    ]) {
        sheet.write_string(0, col, title).unwrap();
    }
    sheet.write_string(1, 0, "Nätverkslarm").unwrap();
    sheet
        .write_string(1, 1, "IT-infrastruktur och IT-säkerhet")
        .unwrap();
    sheet.write_number(1, 2, 40).unwrap();
    sheet.write_number(1, 3, 125_000.5).unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 2, 1).unwrap();
    sheet
        .write_datetime_with_format(
            1,
            4,
            &date,
            &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
        )
        .unwrap();
    sheet.write_string(1, 5, "Förvaltning").unwrap();
    sheet.write_string(1, 6, "låg").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let preview = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.xlsx",
            bytes,
        )
        .await;
    assert_eq!(
        preview.status,
        200,
        "{:?}",
        preview.texts(".line-errors li, .error-summary li")
    );
    let token = preview.csrf_token();
    let rows = preview.value("input[name=rows]").unwrap();
    let saved = client
        .post_raw(
            "/portfolj/import/spara",
            &[("csrf_token", &token), ("rows", &rows)],
        )
        .await;
    assert_eq!(saved.status, 303);
    let (hours, investment, start, plan): (i32, rust_decimal::Decimal, chrono::NaiveDate, String) = sqlx::query_as(
        "SELECT effort_hours, investment, earliest_start, plan FROM portfolio_item WHERE title = 'Nätverkslarm'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(hours, 40);
    assert_eq!(investment, rust_decimal::Decimal::new(12_500_050, 2));
    assert_eq!(start, chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    assert_eq!(plan, "infrastructure");
}

#[tokio::test]
async fn a_file_that_is_not_a_sheet_is_refused_with_what_to_do() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let page = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.csv",
            vec![0xff, 0xfe, 0x00, 0x41],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.text(".error-summary li").contains("CSV UTF-8"));
    let page = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.csv",
            "Titel;Plan;Färg\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(
        page.texts(".error-summary li"),
        [
            "Okänd kolumn ”Färg”.",
            "Kolumnen ”Typ” saknas.",
            "Kolumnen ”Komplexitet” saknas.",
            "Kolumnen ”Timmar” saknas."
        ]
    );
}

/// A tiny workbook with one cell in A1 and one in XFD1048576 claims ten billion cells; read
/// naively it takes the server down. It is refused in Swedish, and the server goes on serving.
#[tokio::test]
async fn a_sheet_claiming_billions_of_cells_is_refused_and_the_server_keeps_serving() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Titel").unwrap();
    sheet.write_string(1_048_575, 16_383, "långt bort").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    assert!(bytes.len() < 20_000, "the file itself is small");
    let page = client
        .upload("/portfolj/import", "/portfolj/import", "bomb.xlsx", bytes)
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.text(".error-summary")
            .contains("Filen är för stor: ett blad får ha högst 20")
            && page
                .text(".error-summary")
                .contains("000 rader och 200 kolumner"),
        "{}",
        page.text(".error-summary")
    );
    assert_eq!(client.get("/portfolj/import").await.status, 200);
    assert_eq!(app.client().get("/healthz").await.status, 200);
}

/// A workbook whose XML would unpack to hundreds of megabytes is refused before it is read.
#[tokio::test]
async fn a_workbook_that_unpacks_to_too_much_is_refused() {
    use std::io::Write;
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..200 {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 2_000_000,
        "fits the upload limit: {}",
        bytes.len()
    );
    let page = client
        .upload("/portfolj/import", "/portfolj/import", "stor.xlsx", bytes)
        .await;
    assert_eq!(page.status, 422);
    assert!(page.text(".error-summary").contains("Filen är för stor"));
}

/// A workbook written by rust_xlsxwriter with the text of its first sheet changed by `edit`:
/// a way to make the malformed files a crafted upload would be.
fn doctored_workbook(edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut workbook = Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "Titel")
        .unwrap();
    let original = workbook.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            text = edit(String::from_utf8(text).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Broken and crafted files get one Swedish message, never a parser's English words or a 500.
#[tokio::test]
async fn broken_excel_files_are_refused_in_swedish() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let refused = |name: &'static str, bytes: Vec<u8>| {
        let client = &client;
        async move {
            let page = client
                .upload("/portfolj/import", "/portfolj/import", name, bytes)
                .await;
            assert_eq!(page.status, 422, "{name}");
            page.text(".error-summary")
        }
    };
    assert!(refused("tom.xlsx", vec![]).await.contains("Filen är tom."));
    let garbage = refused("skräp.xlsx", b"inte en arbetsbok".to_vec()).await;
    assert!(
        garbage.contains("Filen kunde inte läsas som Excel-arbetsbok"),
        "{garbage}"
    );
    assert!(
        !garbage.contains("EOCD") && !garbage.contains("Zip"),
        "{garbage}"
    );
    let overflow = doctored_workbook(|xml| xml.replace("r=\"A1\"", "r=\"ZZZZZZ99999999999\""));
    let page = refused("spill.xlsx", overflow).await;
    assert!(page.contains("Filen"), "{page}");
    assert_eq!(client.get("/portfolj/import").await.status, 200);
}

/// A line with more fields than the header row (or a value under an empty heading) is wrong: its
/// extra values would be dropped without a word.
#[tokio::test]
async fn a_line_with_more_fields_than_headings_is_an_error_on_that_line() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let before = app.count("SELECT count(*) FROM portfolio_item").await;
    let csv = "Titel;Plan;Typ;Komplexitet;Timmar\n\
               Digital post till invånare;Digitaliseringsplan;Nytt behov;Medel;160;\n\
               Ny intranätplattform;Tjänstekatalog;Nytt behov;Medel;40;120 000;Ludvika\n";
    let page = client
        .upload(
            "/portfolj/import",
            "/portfolj/import",
            "portfölj.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(page.status, 422);
    // A trailing separator adds an empty field, which is no value.
    assert_eq!(page.texts("#rad-2 .line-errors li"), Vec::<String>::new());
    assert_eq!(
        page.texts("#rad-3 .line-errors li"),
        [
            "Raden har värden utan kolumnrubrik (”120 000”, ”Ludvika”), fler fält än rubrikraden: \
          de skulle inte importeras. Ge kolumnen en rubrik eller ta bort värdena."
        ]
    );
    assert!(page.form_fields("/portfolj/import/spara").is_none());
    assert_eq!(
        app.count("SELECT count(*) FROM portfolio_item").await,
        before
    );
}
