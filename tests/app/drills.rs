//! Drills against the real binary on its private PostgreSQL: the binary alone in an empty
//! directory, the database killed under load, and no acknowledged write lost when the database
//! stops without warning. The counts are printed (`cargo test drills -- --nocapture`) and kept in
//! docs/OPERATIONS.md.

use std::{
    path::Path,
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use scraper::{Html, Selector};
use sqlx::{Connection, PgConnection, postgres::PgConnectOptions};
use tokio::sync::Mutex;

use crate::{
    embedded::{alive, fresh_dir, postmaster_pid, signal, start_binary, wait_until},
    support::Client,
};

/// The `href` and `src` of every stylesheet, script, font and icon a page references.
fn assets_of(body: &str) -> Vec<String> {
    let html = Html::parse_document(body);
    let selector = Selector::parse("link[href], script[src]").unwrap();
    html.select(&selector)
        .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
        // Files of the site; `data:` addresses (the empty icon) are inside the page itself.
        .filter(|url| url.starts_with('/'))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_binary_alone_in_an_empty_directory_serves_everything_its_pages_reference() {
    let root = fresh_dir("deploy");
    let bin_dir = root.join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let binary = bin_dir.join("portfolj");
    // The binary this build made: assets are embedded in every profile (rust-embed `debug-embed`).
    std::fs::copy(env!("CARGO_BIN_EXE_portfolj"), &binary).unwrap();
    let data = root.join("data");
    let mut server = tokio::task::spawn_blocking({
        let (binary, data) = (binary.clone(), data.clone());
        move || start_binary(&binary, &data, "text")
    })
    .await
    .unwrap();
    let client = Client::new(&server.url);
    assert_eq!(client.get("/readyz").await.body, "ready");
    let mut referenced = assets_of(&client.get("/logga-in").await.body);
    assert_eq!(
        client
            .sign_in("samordning@demo.portfolj.se", "demo")
            .await
            .status,
        303
    );
    let round: String = {
        let page = client.get("/omgangar").await;
        let html = Html::parse_document(&page.body);
        let link = Selector::parse("a[href^='/omgangar/']").unwrap();
        html.select(&link)
            .filter_map(|a| a.value().attr("href"))
            .find(|h| h.split('/').count() == 3)
            .expect("a round on the list")
            .to_owned()
    };
    for page in [
        "/",
        "/projekt",
        "/portfolj",
        &format!("{round}/rangordning"),
    ] {
        referenced.extend(assets_of(&client.get(page).await.body));
    }
    referenced.sort();
    referenced.dedup();
    assert!(
        referenced.iter().any(|a| a.ends_with(".css")),
        "{referenced:?}"
    );
    assert!(
        referenced.iter().any(|a| a.ends_with(".js")),
        "{referenced:?}"
    );
    for asset in &referenced {
        let response = client.get(asset).await;
        assert_eq!(response.status, 200, "{asset}");
        assert!(!response.bytes.is_empty(), "{asset}");
    }
    // The PDF fonts are inside the binary too: a final report comes out as a PDF with them.
    let secretary = Client::new(&server.url);
    secretary
        .sign_in("sekreterare@demo.portfolj.se", "demo")
        .await;
    let projects = secretary.get("/projekt?sok=KS+2020-339").await;
    let html = Html::parse_document(&projects.body);
    let link = Selector::parse("table a[href^='/projekt/']").unwrap();
    let project = html
        .select(&link)
        .find(|a| {
            a.text()
                .collect::<String>()
                .contains("Nytt beslut- och ledningsstödsystem")
        })
        .and_then(|a| a.value().attr("href"))
        .expect("the demo project")
        .to_owned();
    let pdf = secretary
        .get(&format!("{project}/slutredovisning.pdf"))
        .await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.bytes.starts_with(b"%PDF"));
    signal(server.child.id(), "-TERM");
    assert!(server.child.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(&root);
}

/// `pg_ctl` of the server the binary started, run as the user the server runs as.
fn pg_ctl(data_dir: &Path, args: &[&str]) {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin/pg_ctl")))
        .filter(|p| p.exists())
        .max()
        .expect("pg_ctl");
    let cluster = data_dir.join("postgres");
    let mut command = if nix_is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let status = command.arg("-D").arg(&cluster).args(args).status().unwrap();
    assert!(status.success(), "pg_ctl {args:?}");
}

fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .is_some_and(|uid| uid.split_whitespace().next() == Some("0"))
}

/// What the writers saw: the notes of the entries that got a success answer, and how many
/// attempts got something else.
#[derive(Default)]
struct Tally {
    acknowledged: Vec<String>,
    refused: usize,
}

/// One writer: a controller saving outcome entries on a budget line, one after the other, each
/// with a note of its own, until told to stop.
async fn write_until_stopped(
    client: Client,
    form_page: String,
    action: String,
    writer: usize,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
) {
    let token = client.get(&form_page).await.csrf_token();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let note = format!("övning {writer}-{n}");
        let page = client
            .post_raw(
                &action,
                &[
                    ("csrf_token", token.as_str()),
                    ("month", "2021-06"),
                    ("amount", "1"),
                    ("text", note.as_str()),
                ],
            )
            .await;
        let mut tally = tally.lock().await;
        if page.status == 303 {
            tally.acknowledged.push(note);
        } else {
            tally.refused += 1;
            drop(tally);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_write_is_lost_when_the_database_dies_under_load() {
    let dir = fresh_dir("drill");
    let mut server = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || start_binary(Path::new(env!("CARGO_BIN_EXE_portfolj")), &dir, "text")
    })
    .await
    .unwrap();
    let socket = portfolj::db::embedded::socket_dir(&dir).unwrap();
    let options = PgConnectOptions::new()
        .socket(&socket)
        .port(5432)
        .username(portfolj::db::embedded::SUPERUSER)
        .database(portfolj::db::DATABASE_NAME);
    let (project, line): (uuid::Uuid, uuid::Uuid) = {
        let mut conn = PgConnection::connect_with(&options).await.unwrap();
        sqlx::query_as(
            "SELECT p.id, l.id FROM project p JOIN budget_line l ON l.project_id = p.id \
             WHERE p.status <> 'final_report_approved' ORDER BY p.case_number, l.position LIMIT 1",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap()
    };
    let form_page = format!("/projekt/{project}/budget/rader/{line}");
    let action = format!("{form_page}/utfall");
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    // Signed in one after the other: fifty sign-ins of one account from one address at once
    // would look like guessing to the throttle.
    let mut clients = Vec::new();
    for _ in 0..50 {
        let client = Client::new(&server.url);
        assert_eq!(
            client
                .sign_in("controller@demo.portfolj.se", "demo")
                .await
                .status,
            303
        );
        clients.push(client);
    }
    let writers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(w, client)| {
            tokio::spawn(write_until_stopped(
                client,
                form_page.clone(),
                action.clone(),
                w,
                stop.clone(),
                tally.clone(),
            ))
        })
        .collect();
    let started = Instant::now();
    let acknowledged = || async { tally.lock().await.acknowledged.len() };
    while acknowledged().await < 200 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "writers are too slow"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // 1. PostgreSQL stopped without a checkpoint, as a power cut would.
    let before_stop = acknowledged().await;
    let stopped_at = Instant::now();
    tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || pg_ctl(&dir, &["stop", "-m", "immediate"])
    })
    .await
    .unwrap();
    let back_after_stop = wait_for_writes(&tally, before_stop + 100, stopped_at).await;

    // 2. The postmaster killed outright.
    let first = postmaster_pid(&dir);
    let before_kill = acknowledged().await;
    let killed_at = Instant::now();
    signal(first, "-KILL");
    let back_after_kill = wait_for_writes(&tally, before_kill + 100, killed_at).await;
    assert!(!alive(first));
    assert_ne!(postmaster_pid(&dir), first, "a new server runs");

    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    let tally = tally.lock().await;
    let mut conn = PgConnection::connect_with(&options).await.unwrap();
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT text FROM outcome_entry WHERE text LIKE 'övning %' AND budget_line_id = $1",
    )
    .bind(line)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT entity_id) FROM audit_log WHERE entity = 'outcome_entry' \
         AND entity_id IN (SELECT id::text FROM outcome_entry WHERE text LIKE 'övning %')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let stored_set: std::collections::HashSet<&String> = stored.iter().collect();
    let lost: Vec<&String> = tally
        .acknowledged
        .iter()
        .filter(|n| !stored_set.contains(n))
        .collect();
    println!(
        "drill: 50 writers; acknowledged {}, stored {}, lost {}, refused during outages {}, \
         audited {}; service back {} ms after `pg_ctl stop -m immediate`, {} ms after kill -9",
        tally.acknowledged.len(),
        stored.len(),
        lost.len(),
        tally.refused,
        audited,
        back_after_stop.as_millis(),
        back_after_kill.as_millis()
    );
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert_eq!(
        audited,
        i64::try_from(stored.len()).unwrap(),
        "every stored entry audited"
    );
    let restarts = server
        .output
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("the private PostgreSQL stopped unexpectedly"))
        .count();
    assert_eq!(restarts, 2, "each death is logged");
    let last = postmaster_pid(&dir);
    signal(server.child.id(), "-TERM");
    server.child.wait().unwrap();
    wait_until("postgres stopped at the end", || !alive(last));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Waits until `target` writes are acknowledged in all; returns how long that took from `since`.
async fn wait_for_writes(tally: &Arc<Mutex<Tally>>, target: usize, since: Instant) -> Duration {
    loop {
        if tally.lock().await.acknowledged.len() >= target {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < Duration::from_secs(90),
            "service did not return"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Demo accounts share the password "demo": on a network address the server refuses to start
/// with them, unless told that this is intended.
#[tokio::test]
async fn the_server_refuses_a_network_address_while_demo_accounts_exist() {
    let dir = fresh_dir("demo-network");
    std::fs::create_dir_all(&dir).unwrap();
    let output = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || {
            Command::new(env!("CARGO_BIN_EXE_portfolj"))
                .current_dir(&dir)
                .env("PORTFOLJ_DATA_DIR", &dir)
                .env("PORTFOLJ_ADDR", "0.0.0.0:0")
                .env_remove("DATABASE_URL")
                .env_remove("PORTFOLJ_DEMO")
                .env_remove("PORTFOLJ_ALLOW_DEMO_ON_NETWORK")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(!output.status.success(), "it must not start");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("Vägrar starta på 0.0.0.0:0"), "{said}");
    assert!(said.contains("PORTFOLJ_ALLOW_DEMO_ON_NETWORK=1"), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The backup and point-in-time-recovery drill (`scripts/restore-drill`, docs/OPERATIONS.md):
/// a base backup and the WAL archive restore the application's tables to a named point, with
/// exactly the rows written before it.
#[test]
fn a_base_backup_and_the_wal_archive_restore_exactly_to_the_point_chosen() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/restore-drill");
    let output = Command::new(&script)
        .output()
        .expect("run scripts/restore-drill");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("after restore 200, B excluded: ok"),
        "{stdout}"
    );
}
