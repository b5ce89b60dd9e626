//! The ledger import's staging against a raw `COPY` of the same rows, in one run on one database
//! (`benches/ledger_import.sh`). It writes a SIE 4 file of N `#TRANS` rows (two per voucher, a
//! project row and its balancing row) and the same rows as COPY text, then times
//!
//! 1. `COPY` of the COPY text into an unindexed table with the staged rows' columns (the
//!    baseline: the database's own speed for these rows), and
//! 2. `imports::staging::stage_sie` of the SIE file: reading, decoding and checking every line,
//!    and `COPY` into the indexed `ledger_import_row`,
//!
//! and prints both times, their ratio and the process's peak resident memory (`VmHWM`).
//!
//! Usage: `DATABASE_URL=… ledger-bench [rows, default 1000000]`.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Read, Write},
    time::Instant,
};

use portfolj::imports::staging::{Dimensions, stage_sie};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let rows: u64 = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let url = std::env::var("DATABASE_URL")?;
    let dir = tempdir()?;
    let sie_path = format!("{dir}/huvudbok.se");
    let copy_path = format!("{dir}/rader.copy");
    write_files(rows, &sie_path, &copy_path)?;
    let sie_bytes = std::fs::metadata(&sie_path)?.len();

    let mut conn = PgConnection::connect(&url).await?;
    let import_id = Uuid::now_v7();
    sqlx::query(
        "CREATE UNLOGGED TABLE IF NOT EXISTS bench_raw_row (import_id uuid, line bigint, \
         series text, number text, voucher_date date, account text, cost_centre text, \
         project text, amount numeric(14, 2), row_date date, text text)",
    )
    .execute(&mut conn)
    .await?;
    sqlx::query("TRUNCATE bench_raw_row")
        .execute(&mut conn)
        .await?;
    sqlx::query(
        "INSERT INTO ledger_import (id, municipality_id, file_name, sha256, format, status, \
         created_by) SELECT $1, (SELECT id FROM municipality ORDER BY name LIMIT 1), \
         'huvudbok.se', repeat('b', 64), 'sie4', 'reading', \
         (SELECT id FROM app_user ORDER BY email LIMIT 1)",
    )
    .bind(import_id)
    .execute(&mut conn)
    .await?;

    // 1. The baseline: raw COPY of the same rows.
    let started = Instant::now();
    let mut tx = conn.begin().await?;
    let mut copy = tx.copy_in_raw("COPY bench_raw_row FROM STDIN").await?;
    let mut input = BufReader::new(File::open(&copy_path)?);
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = input.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        copy.send(&buffer[..n]).await?;
    }
    let copied = copy.finish().await?;
    tx.commit().await?;
    let raw = started.elapsed();

    // 2. The import's staging of the SIE file.
    let started = Instant::now();
    let mut tx = conn.begin().await?;
    let staged = stage_sie(
        &mut tx,
        import_id,
        BufReader::new(File::open(&sie_path)?),
        Dimensions {
            project: 6,
            cost_centre: 1,
        },
    )
    .await?;
    tx.commit().await?;
    let staging = started.elapsed();

    anyhow::ensure!(copied == rows && staged.rows == rows, "rows differ");
    anyhow::ensure!(
        staged.errors.is_empty(),
        "errors: {:?}",
        &staged.errors[..1]
    );
    sqlx::query("DELETE FROM ledger_import WHERE id = $1")
        .bind(import_id)
        .execute(&mut conn)
        .await?;
    sqlx::query("DROP TABLE bench_raw_row")
        .execute(&mut conn)
        .await?;
    std::fs::remove_dir_all(&dir)?;

    println!(
        "| the ledger import, {rows} #TRANS rows ({} MiB of SIE) | value |",
        sie_bytes >> 20
    );
    println!("|---|---|");
    println!(
        "| raw COPY of the same rows into an unindexed table | {:.2} s |",
        raw.as_secs_f64()
    );
    println!(
        "| staging: reading the SIE file and COPY into the staged rows | {:.2} s |",
        staging.as_secs_f64()
    );
    // In hundredths, with integers (floating point is banned from the code base).
    let ratio = staging.as_millis() * 100 / raw.as_millis().max(1);
    println!(
        "| staging / raw COPY | {}.{:02} |",
        ratio / 100,
        ratio % 100
    );
    println!(
        "| peak resident memory of this process | {} MiB |",
        peak_rss_kib()? >> 10
    );
    Ok(())
}

/// The SIE file and the COPY text of the same rows, written as they are made.
fn write_files(rows: u64, sie_path: &str, copy_path: &str) -> std::io::Result<()> {
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
        let project = format!("{:04}", v % 300);
        let amount = format!("{}.{:02}", v % 100_000, v % 100);
        writeln!(sie, "#VER A {v} 20260131 \"Faktura {v}\"\r\n{{\r")?;
        writeln!(
            sie,
            "#TRANS 5460 {{1 \"310\" 6 \"{project}\"}} {amount} 20260130 \"Licenser\"\r"
        )?;
        writeln!(sie, "#TRANS 2440 {{}} -{amount}\r\n}}\r")?;
        writeln!(
            copy,
            "{nil}\t{}\tA\t{v}\t2026-01-31\t5460\t310\t{project}\t{amount}\t2026-01-30\tLicenser",
            line + 3
        )?;
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
