//! A SIE file read into the staged rows of its import with COPY: every counted row with its
//! voucher, objects and dates, Swedish letters from code page 437, the lines that could not be
//! read and the labels read past recorded on the import, and a file of many chunks streamed
//! whole.

use std::io::Cursor;

use portfolj::imports::{
    sie::encode_pc8,
    sie_rows::{Dimensions, stage_sie},
};
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::TestApp;

/// A staged row: line, series, number, voucher date, account, cost centre, project, amount,
/// row date and text.
type StagedRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

/// `text` in code page 437 (every character the tests write is in it).
fn pc8(text: &str) -> Vec<u8> {
    encode_pc8(text).expect("characters of code page 437")
}

/// A new import of the demo's first municipality, by the first user.
async fn new_import(db: &PgPool) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO ledger_import (id, municipality_id, file_name, sha256, format, status, \
         created_by) \
         SELECT $1, (SELECT id FROM municipality ORDER BY name LIMIT 1), 'huvudbok.se', \
                repeat('a', 64), 'sie4', 'reading', (SELECT id FROM app_user ORDER BY email LIMIT 1)",
    )
    .bind(id)
    .execute(db)
    .await
    .unwrap();
    id
}

async fn stage(db: &PgPool, import: Uuid, bytes: Vec<u8>) -> portfolj::imports::staging::Staged {
    let mut tx = db.begin().await.unwrap();
    let staged = stage_sie(
        &mut tx,
        import,
        Cursor::new(bytes),
        Dimensions {
            project: 6,
            cost_centre: 1,
        },
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    staged
}

#[tokio::test]
async fn a_sie_file_is_staged_row_by_row_with_its_errors_recorded() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let import = new_import(db).await;
    let file = "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Visma Förvaltning\" 5.1\r\n\
        #FNAMN \"Smedjebackens kommun\"\r\n\
        #VER A 412 20260315 \"Faktura\"\r\n{\r\n\
        #TRANS 5460 {1 \"310\" 6 \"0412\"} 1234.50 20260314 \"Licenser för skolan, åäö\"\r\n\
        #RTRANS 5460 {6 \"0412\"} 100.00\r\n#TRANS 5460 {6 \"0412\"} 100.00\r\n\
        #TRANS 2440 {} -1334.50\r\n}\r\n\
        #VER B 7 20260401 \"\"\r\n{\r\n#TRANS 5460 {} 12,50\r\n}\r\n";
    let staged = stage(db, import, pc8(file)).await;
    assert_eq!((staged.lines, staged.rows), (16, 3));
    assert_eq!(staged.program, "Visma Förvaltning 5.1");

    let rows: Vec<StagedRow> = sqlx::query_as(
        "SELECT line, series, number, voucher_date::text, account, cost_centre, project, \
             amount::text, row_date::text, text FROM ledger_import_row WHERE import_id = $1 \
             ORDER BY line",
    )
    .bind(import)
    .fetch_all(db)
    .await
    .unwrap();
    let row = |line: i64,
               cost_centre: Option<&str>,
               project: Option<&str>,
               amount: &str,
               date: &str,
               text: &str| {
        (
            line,
            "A".to_owned(),
            "412".to_owned(),
            "2026-03-15".to_owned(),
            if line == 11 { "2440" } else { "5460" }.to_owned(),
            cost_centre.map(str::to_owned),
            project.map(str::to_owned),
            amount.to_owned(),
            date.to_owned(),
            text.to_owned(),
        )
    };
    assert_eq!(
        rows,
        vec![
            row(
                8,
                Some("310"),
                Some("0412"),
                "1234.50",
                "2026-03-14",
                "Licenser för skolan, åäö"
            ),
            row(9, None, Some("0412"), "100.00", "2026-03-15", ""),
            row(11, None, None, "-1334.50", "2026-03-15", ""),
        ]
    );

    let (status, lines, staged_rows, errors, skipped): (String, i64, i64, String, String) =
        sqlx::query_as(
            "SELECT status, lines_read, rows_staged, line_errors::text, skipped::text \
             FROM ledger_import WHERE id = $1",
        )
        .bind(import)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!((status.as_str(), lines, staged_rows), ("read", 16, 3));
    assert!(errors.contains("\"line\": 15"), "{errors}");
    assert!(errors.contains("”12,50” är inget belopp"), "{errors}");
    assert!(skipped.contains("\"label\": \"#FLAGGA\""), "{skipped}");
}

#[tokio::test]
async fn a_file_of_many_chunks_is_streamed_whole() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let import = new_import(db).await;
    let mut file = String::from("#FORMAT PC8\n#SIETYP 4\n");
    let vouchers = 5_000;
    for v in 1..=vouchers {
        file += &format!(
            "#VER A {v} 20260131 \"Ver {v}\"\n{{\n#TRANS 5460 {{6 \"{:04}\"}} {v}.25 \"\" \"Rad med text\"\n\
             #TRANS 2440 {{}} -{v}.25\n}}\n",
            v % 300
        );
    }
    let staged = stage(db, import, file.into_bytes()).await;
    assert_eq!(staged.errors, vec![]);
    assert_eq!(staged.rows, 2 * vouchers);
    let (count, sum): (i64, String) = sqlx::query_as(
        "SELECT count(*), sum(amount)::text FROM ledger_import_row WHERE import_id = $1",
    )
    .bind(import)
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!((count, sum.as_str()), (10_000, "0.00"));
}

/// An import deleted takes its staged rows with it (and no other import's).
#[tokio::test]
async fn a_deleted_import_takes_its_staged_rows_with_it() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let file = b"#VER A 1 20260101\n{\n#TRANS 5460 {} 1.00\n#TRANS 2440 {} -1.00\n}\n".to_vec();
    let (gone, kept) = (new_import(db).await, new_import(db).await);
    stage(db, gone, file.clone()).await;
    stage(db, kept, file).await;
    sqlx::query("DELETE FROM ledger_import WHERE id = $1")
        .bind(gone)
        .execute(db)
        .await
        .unwrap();
    let left: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT import_id, count(*) FROM ledger_import_row GROUP BY import_id")
            .fetch_all(db)
            .await
            .unwrap();
    assert_eq!(left, vec![(kept, 2)]);
}
