//! Outcome from ledger tables: a CSV report in Swedish (Windows-1252, decimal commas, a month
//! for a date, its own column names, remembered for the next file) and an Excel workbook.

use crate::{
    ledger_import::{IMPORTS, import_file, import_with, save},
    support::{CONTROLLER, TestApp},
};

/// A ledger report as CSV from Excel in Swedish: semicolons, Windows-1252, decimal commas and
/// spaces, a month instead of a date, the columns named as the report names them. The columns
/// typed on the form are remembered for the municipality's next file.
#[tokio::test]
async fn a_csv_report_with_swedish_numbers_is_imported_with_its_columns_remembered() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let ludvika = app.municipality_id("Ludvika").await;
    let csv = "Period;Kto;Projekt;Belopp;Text\r\n\
               2026-03;5410;0005;1 234,50;Switchar till nätet\r\n\
               \r\n\
               2026-04-15;5410;0005;\u{2212}234,50;Kreditering\r\n\
               2026-04-16;2440;;-1 000,00;Leverantörsskuld\r\n";
    let bytes: Vec<u8> = csv
        .chars()
        .map(|c| match c {
            'ä' => 0xe4,
            'ö' => 0xf6,
            '\u{2212}' => b'-',
            c => u8::try_from(c).expect("ASCII"),
        })
        .collect();
    let missing = client
        .upload_with(
            IMPORTS,
            IMPORTS,
            &[("municipality", &ludvika)],
            ("rapport.csv", bytes.clone()),
        )
        .await;
    assert_eq!(missing.status, 422);
    let message = missing
        .field_error("col_date")
        .expect("the date column's error");
    assert!(
        message.contains("Kolumnerna är: Period, Kto, Projekt, Belopp, Text"),
        "{message}"
    );

    let typed = [
        ("col_date", "Period"),
        ("col_account", "Kto"),
        ("col_activity", "-"),
        ("col_voucher", "-"),
    ];
    let (path, _) = import_with(&app, &client, &typed, ("rapport.csv", bytes)).await;
    assert_eq!(save(&client, &path).await.status, 303);
    let booked = app
        .text_of(
            "SELECT string_agg(to_char(month, 'YYYY-MM') || ' ' || amount::text || ' ' || text, \
             ', ' ORDER BY month) FROM outcome_entry WHERE source = $1",
            "import",
        )
        .await;
    assert_eq!(
        booked,
        "2026-03 1234.50 Switchar till nätet, 2026-04 -234.50 Kreditering"
    );

    // Remembered: the next upload's form shows the columns as typed, and reads the next file
    // by them; a row that cannot be read is shown with its line in the file.
    let form = client.get(IMPORTS).await;
    assert_eq!(form.value("#col_date").as_deref(), Some("Period"));
    assert_eq!(form.value("#col_account").as_deref(), Some("Kto"));
    let broken = b"Period;Kto;Projekt;Belopp;Text\r\n\r\n2026-05;5410;0005;tolv;x\r\n".to_vec();
    let (_, page) = import_file(&app, &client, "maj.csv", broken).await;
    assert_eq!(
        page.texts("table:has(#fel-rubrik) tbody th"),
        ["3"],
        "{}",
        page.text("main")
    );
}

/// An Excel workbook: numbers and dates as cells, the first sheet read.
#[tokio::test]
async fn an_excel_workbook_is_imported() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in [
        "Datum",
        "Konto",
        "Projekt",
        "Belopp",
        "Text",
        "Verifikation",
    ]
    .iter()
    .enumerate()
    {
        sheet
            .write_string(0, u16::try_from(c).unwrap(), *h)
            .unwrap();
    }
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 5, 20).unwrap();
    sheet.write_datetime_with_format(1, 0, &day, &date).unwrap();
    sheet.write_string(1, 1, "5410").unwrap();
    sheet.write_string(1, 2, "0005").unwrap();
    sheet.write_number(1, 3, 2500.75).unwrap();
    sheet.write_string(1, 4, "Fiberskarvning").unwrap();
    sheet.write_string(1, 5, "B 17").unwrap();
    // Excel keeps a project number typed as a number without its leading zeros: 5 is 0005.
    sheet.write_datetime_with_format(2, 0, &day, &date).unwrap();
    sheet.write_number(2, 1, 5410).unwrap();
    sheet.write_number(2, 2, 5).unwrap();
    sheet.write_number(2, 3, 100).unwrap();
    sheet.write_string(2, 4, "Skarvkassett").unwrap();
    sheet.write_string(2, 5, "B 18").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let typed = [("col_activity", "-")];
    let (path, page) = import_with(&app, &client, &typed, ("utfall.xlsx", bytes)).await;
    assert_eq!(
        page.texts("table:has(#koppling-rubrik) tbody th"),
        ["Fiberstam kärnnätverk (0005)"],
        "one project, one account to map, whatever the file's way of writing the number"
    );
    assert_eq!(save(&client, &path).await.status, 303);
    let booked = app
        .text_of(
            "SELECT string_agg(to_char(month, 'YYYY-MM') || ' ' || amount::text || ' ' || voucher, \
             ', ' ORDER BY voucher) FROM outcome_entry WHERE source = $1",
            "import",
        )
        .await;
    assert_eq!(
        booked,
        "2026-05 2500.75 Excel B 17, 2026-05 100.00 Excel B 18"
    );
}

/// A project object matches its number exactly first, and else without leading zeros; numbers
/// that differ only by leading zeros leave a row without an exact match ambiguous.
#[tokio::test]
async fn an_exact_project_number_wins_over_one_without_leading_zeros() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let mut owner = app.owner().await;
    for (number, case) in [("05", "KS 2026-05"), ("005", "KS 2026-005")] {
        sqlx::query(
            "INSERT INTO project (id, name, case_number, project_number, board_id, plan, status) \
             SELECT gen_random_uuid(), 'Nummer ' || $1, $2, $1, board_id, plan, status \
             FROM project WHERE project_number = '0005'",
        )
        .bind(number)
        .bind(case)
        .execute(&mut owner)
        .await
        .unwrap();
    }
    let vouchers = "#VER A 1 20260310 \"Ett\"\r\n{\r\n#TRANS 5410 {6 \"005\"} 100.00\r\n\
                    #TRANS 5410 {6 \"5\"} 200.00\r\n#TRANS 2440 {} -300.00\r\n}\r\n";
    let (_, page) = crate::ledger_import::import_file(
        &app,
        &client,
        "nollor.se",
        crate::ledger_import::sie(vouchers),
    )
    .await;
    let mapped = page.texts("table:has(#koppling-rubrik) tbody th");
    assert_eq!(mapped, ["Nummer 005 (005)"], "005 is its own number");
    let unmatched = page.texts("table:has(#okanda-rubrik) tbody tr");
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(
        unmatched[0].contains('5') && unmatched[0].contains("flera"),
        "5 could be 0005, 05 or 005: {unmatched:?}"
    );
}

/// A table's responsibility-centre column feeds the activities' keys as SIE's dimension 1 does:
/// the demo's activity 033 takes centre 310.
#[tokio::test]
async fn a_tables_responsibility_centre_books_operating_outcome() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(CONTROLLER).await;
    let csv = "Datum;Konto;Ansvar;Belopp;Text;Verifikation\r\n\
               2026-06-05;5410;310;1 000,00;Skrivare;V 1\r\n\
               2026-06-05;1930;;-1 000,00;Bank;V 1\r\n\
               2026-06-20;3510;310;-400,50;Intern debitering;V 2\r\n\
               2026-06-20;1930;;400,50;Bank;V 2\r\n";
    let typed = [("col_project", "-")];
    let (path, page) = import_with(&app, &client, &typed, ("juni.csv", csv.into())).await;
    let rows = page.texts("table:has(#drift-rubrik) tbody td");
    assert_eq!(
        rows.iter()
            .map(|c| c.replace('\u{a0}', " "))
            .collect::<Vec<_>>()[..3],
        ["2026-06", "400,50", "1 000"],
        "{}",
        page.text("main")
    );
    assert_eq!(save(&client, &path).await.status, 303);
    let month = app
        .text_of(
            "SELECT o.revenue || ' ' || o.costs FROM operating_outcome o \
             JOIN activity a ON a.id = o.activity_id WHERE a.code = $1 AND o.month = '2026-06-01'",
            "033",
        )
        .await;
    assert_eq!(month, "400.50 1000.00");
}
