//! The ledger import against a raw `COPY` of the same rows, in one run on one database
//! (`benches/ledger_import.sh`). It writes a SIE 4 file of N `#TRANS` rows (two per voucher, a
//! project row and its balancing row, over 300 projects) and the same rows as COPY text, sets up
//! the 300 projects with a budget line each and their account mapping, then times
//!
//! 1. `COPY` of the COPY text into an unindexed (logged) table with the staged rows' columns
//!    (the baseline: the database's own speed for these rows),
//! 2. the reading, as the import's background task runs it (`imports::reading::read`): reading,
//!    decoding and checking every line, `COPY` into the staged rows (the preview is computed
//!    from them when its page is shown),
//! 3. the save, as the save button runs it (`imports::operations::save_import`): the rows
//!    classified again, one outcome entry per line, month and voucher, and one operating entry
//!    per activity, month and voucher (every row has responsibility centre 310, which the demo's
//!    activity 033 takes on accounts 3000–7999), the kept figures refreshed, the months set and
//!    the audit written, in one transaction,
//!
//! and prints the times, the ratio of the whole import to the raw COPY and the process's peak
//! resident memory (`VmHWM`).
//!
//! Usage: `DATABASE_URL=… ledger-bench [rows, default 1000000] [every, default 1]`: one
//! voucher in `every` has a project row, the others an operating cost of a cost centre.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Read, Write},
    time::{Duration, Instant},
};

use portfolj::{
    audit,
    imports::{operations, reading, sie_rows::Dimensions},
    operation::Actor,
    web::CurrentUser,
};
use sqlx::{PgPool, postgres::PgPoolOptions};
use uuid::Uuid;

/// The projects the rows are spread over, numbered L000 … L299 (their project objects).
const PROJECTS: u64 = 300;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let arg = |n: usize, default: u64| -> anyhow::Result<u64> {
        Ok(std::env::args()
            .nth(n)
            .map(|a| a.parse())
            .transpose()?
            .unwrap_or(default))
    };
    let rows = arg(1, 1_000_000)?;
    // One voucher in `every` has a project row; the others are operating costs of a cost
    // centre. 1 (the default) is the worst case for the save: every voucher books an entry.
    let every = arg(2, 1)?.max(1);
    let url = std::env::var("DATABASE_URL")?;
    let dir = tempdir()?;
    let sie_path = format!("{dir}/huvudbok.se");
    let copy_path = format!("{dir}/rader.copy");
    write_files((rows, every), &sie_path, &copy_path)?;
    let sie_bytes = std::fs::metadata(&sie_path)?.len();

    let db = PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await?;
    let user = set_up(&db).await?;
    let import_id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO ledger_import (id, municipality_id, file_name, sha256, format, status, \
         created_by) SELECT $1, (SELECT id FROM municipality WHERE name = 'Ludvika'), \
         'huvudbok.se', repeat('b', 64), 'sie4', 'reading', $2",
    )
    .bind(import_id)
    .bind(user.id)
    .execute(&db)
    .await?;

    let raw = raw_copy(&db, &copy_path).await?;

    // 2. The reading.
    let started = Instant::now();
    let dimensions = Dimensions {
        project: 6,
        cost_centre: 1,
    };
    let source = reading::Source::Sie(dimensions);
    reading::read(&db, import_id, File::open(&sie_path)?, source).await?;
    let read = started.elapsed();

    // 3. The save.
    let version: i32 = sqlx::query_scalar("SELECT version FROM ledger_import WHERE id = $1")
        .bind(import_id)
        .fetch_one(&db)
        .await?;
    let actor = Actor {
        trail: audit::Actor::cli("ledger-bench"),
        user,
    };
    let started = Instant::now();
    let saved = operations::save_import(&db, &actor, import_id, version)
        .await
        .map_err(|r| anyhow::anyhow!("the save was refused: {r:?}"))?;
    let save = started.elapsed();

    let staged: i64 = sqlx::query_scalar("SELECT rows_staged FROM ledger_import WHERE id = $1")
        .bind(import_id)
        .fetch_one(&db)
        .await?;
    anyhow::ensure!(staged == i64::try_from(rows)?, "rows differ: {staged}");
    anyhow::ensure!(
        saved.entries == i64::try_from((rows / 2).div_ceil(every))?,
        "entries: {}",
        saved.entries
    );
    std::fs::remove_dir_all(&dir)?;

    println!(
        "| the ledger import, {rows} #TRANS rows ({} MiB of SIE) | value |",
        sie_bytes >> 20
    );
    println!("|---|---|");
    println!(
        "| raw COPY of the same rows into an unindexed table | {} |",
        secs(raw)
    );
    println!("| reading: SIE file → staged rows | {} |", secs(read));
    println!(
        "| save: {} project entries ({} vouchers) and {} operating entries, in one transaction | {} |",
        saved.entries,
        saved.vouchers,
        saved.operating_entries,
        secs(save)
    );
    println!("| whole import (reading + save) | {} |", secs(read + save));
    println!("| reading / raw COPY | {} |", ratio(read, raw));
    println!("| whole import / raw COPY | {} |", ratio(read + save, raw));
    println!(
        "| peak resident memory of this process | {} MiB |",
        peak_rss_kib()? >> 10
    );
    Ok(())
}

fn secs(d: Duration) -> String {
    let ms = d.as_millis();
    format!("{}.{:02} s", ms / 1000, ms % 1000 / 10)
}

/// `a / b` in hundredths, with integers (floating point is banned from the code base).
fn ratio(a: Duration, b: Duration) -> String {
    let r = a.as_millis() * 100 / b.as_millis().max(1);
    format!("{}.{:02}", r / 100, r % 100)
}

/// The 300 projects of Ludvika's first board with one budget line each and account 5460
/// mapped to it; the user who imports.
async fn set_up(db: &PgPool) -> anyhow::Result<CurrentUser> {
    sqlx::query(
        "INSERT INTO project (id, name, case_number, project_number, board_id, plan, status) \
         SELECT gen_random_uuid(), 'Bänkprojekt ' || n, 'LEDGER 2026-' || n, \
                'L' || lpad(n::text, 3, '0'), \
                (SELECT b.id FROM board b JOIN municipality m ON m.id = b.municipality_id \
                 WHERE m.name = 'Ludvika' ORDER BY b.name LIMIT 1), \
                'infrastructure', 'in_progress' \
         FROM generate_series(0, $1 - 1) AS n",
    )
    .bind(i64::try_from(PROJECTS)?)
    .execute(db)
    .await?;
    sqlx::query(
        "INSERT INTO budget_line (id, project_id, position, category, budget) \
         SELECT gen_random_uuid(), id, 1, 'Licenser', 1000000 FROM project \
         WHERE case_number LIKE 'LEDGER 2026-%'",
    )
    .execute(db)
    .await?;
    sqlx::query(
        "INSERT INTO ledger_account_mapping (project_id, account, budget_line_id) \
         SELECT l.project_id, '5460', l.id FROM budget_line l JOIN project p ON p.id = l.project_id \
         WHERE p.case_number LIKE 'LEDGER 2026-%'",
    )
    .execute(db)
    .await?;
    let (id, email, display_name): (Uuid, String, String) = sqlx::query_as(
        "SELECT id, email, display_name FROM app_user WHERE email LIKE 'controller@%' LIMIT 1",
    )
    .fetch_one(db)
    .await?;
    Ok(CurrentUser {
        id,
        email,
        display_name,
        grants: Vec::new(),
        sessions_valid_after: 0,
    })
}

/// The baseline (1.): raw COPY of the same rows into an unindexed table, logged like the
/// outcome the import writes.
async fn raw_copy(db: &PgPool, copy_path: &str) -> anyhow::Result<Duration> {
    let mut conn = db.acquire().await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_raw_row (import_id uuid, line bigint, \
         series text, number text, voucher_date date, account text, cost_centre text, \
         project text, amount numeric(14, 2), row_date date, text text)",
    )
    .execute(&mut *conn)
    .await?;
    let started = Instant::now();
    let mut copy = conn.copy_in_raw("COPY bench_raw_row FROM STDIN").await?;
    let mut input = BufReader::new(File::open(copy_path)?);
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = input.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        copy.send(&buffer[..n]).await?;
    }
    copy.finish().await?;
    let raw = started.elapsed();
    sqlx::query("DROP TABLE bench_raw_row")
        .execute(&mut *conn)
        .await?;
    Ok(raw)
}

/// The SIE file and the COPY text of the same rows, written as they are made.
fn write_files((rows, every): (u64, u64), sie_path: &str, copy_path: &str) -> std::io::Result<()> {
    let mut sie = BufWriter::new(File::create(sie_path)?);
    let mut copy = BufWriter::new(File::create(copy_path)?);
    writeln!(
        sie,
        "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Bench\" 1"
    )?;
    let nil = Uuid::nil();
    // The header's four lines; each voucher takes five (#VER, {, two rows, }).
    let mut line = 4;
    for v in 0..rows / 2 {
        let amount = format!("{}.{:02}", v % 100_000 + 1, v % 100);
        writeln!(sie, "#VER A {v} 20260131 \"Faktura {v}\"\r\n{{\r")?;
        if v % every == 0 {
            let project = format!("L{:03}", v % PROJECTS);
            writeln!(
                sie,
                "#TRANS 5460 {{1 \"310\" 6 \"{project}\"}} {amount} 20260130 \"Licenser\"\r"
            )?;
            writeln!(
                copy,
                "{nil}\t{}\tA\t{v}\t2026-01-31\t5460\t310\t{project}\t{amount}\t2026-01-30\tLicenser",
                line + 3
            )?;
        } else {
            writeln!(
                sie,
                "#TRANS 6110 {{1 \"310\"}} {amount} 20260130 \"Kontor\"\r"
            )?;
            writeln!(
                copy,
                "{nil}\t{}\tA\t{v}\t2026-01-31\t6110\t310\t\\N\t{amount}\t2026-01-30\tKontor",
                line + 3
            )?;
        }
        writeln!(sie, "#TRANS 2440 {{}} -{amount}\r\n}}\r")?;
        writeln!(
            copy,
            "{nil}\t{}\tA\t{v}\t2026-01-31\t2440\t\\N\t\\N\t-{amount}\t2026-01-31\t",
            line + 4
        )?;
        line += 5;
    }
    sie.flush()?;
    copy.flush()
}

fn tempdir() -> std::io::Result<String> {
    let dir = std::env::temp_dir().join(format!("ledger-bench-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir.to_string_lossy().into_owned())
}

/// The peak resident set size of this process, in KiB.
fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or_else(|| anyhow::anyhow!("no VmHWM"))?;
    Ok(line.split_whitespace().nth(1).unwrap_or("0").parse()?)
}
