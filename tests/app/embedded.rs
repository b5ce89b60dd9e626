//! The private PostgreSQL behind `cargo run`: first start, restart with data kept, and no
//! server left behind when the app is killed.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::support::Client;

pub struct Server {
    pub child: Child,
    pub url: String,
    /// Everything printed after the address line.
    pub output: Arc<Mutex<Vec<String>>>,
}

/// Starts the real binary on its own data directory and waits for the URL it prints.
fn start(data_dir: &Path, log_format: &str) -> Server {
    start_binary(
        Path::new(env!("CARGO_BIN_EXE_portfolj")),
        data_dir,
        log_format,
    )
}

/// Starts `binary` on its own data directory, from that directory, and waits for its URL.
pub fn start_binary(binary: &Path, data_dir: &Path, log_format: &str) -> Server {
    std::fs::create_dir_all(data_dir).unwrap();
    let mut child = Command::new(binary)
        .current_dir(data_dir)
        .env("PORTFOLJ_DATA_DIR", data_dir)
        .env("LOG_FORMAT", log_format)
        .env("PORTFOLJ_ADDR", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .env_remove("PORTFOLJ_DEMO")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start portfolj");
    let mut lines = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok);
    let url = lines
        .find_map(|line| {
            line.strip_prefix("Portfolj kör på ")
                .map(|u| u.trim_end_matches('/').to_owned())
        })
        .expect("the server prints its address");
    // Keep reading, so the server's later output never meets a closed pipe.
    let output = Arc::new(Mutex::new(Vec::new()));
    let collected = output.clone();
    std::thread::spawn(move || lines.for_each(|line| collected.lock().unwrap().push(line)));
    Server { child, url, output }
}

pub fn postmaster_pid(data_dir: &Path) -> u32 {
    let text =
        std::fs::read_to_string(data_dir.join("postgres/postmaster.pid")).expect("postmaster.pid");
    text.lines().next().unwrap().trim().parse().unwrap()
}

pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}

fn parent_of(pid: u32) -> u32 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    stat.rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

fn children_of(parent: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| parent_of_checked(*pid) == Some(parent))
        .collect()
}

fn parent_of_checked(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')')
        .next()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("embedded-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn the_private_database_survives_a_restart_and_dies_with_the_app() {
    let dir = fresh_dir("lifecycle");
    // First start on an empty directory: initdb, migrations, demo data.
    let mut server = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || start(&dir, "text")
    })
    .await
    .unwrap();
    let admin = Client::new(&server.url);
    assert_eq!(
        admin.sign_in("admin@demo.portfolj.se", "demo").await.status,
        303
    );
    let created = admin
        .post_from(
            "/admin/anvandare/ny",
            "/admin/anvandare/ny",
            &[
                ("email", "kvar@x.se"),
                ("display_name", "Kvar Efter Omstart"),
                ("password", "ett långt lösenord"),
                ("roles", "auditor"),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let first_pg = postmaster_pid(&dir);

    // SIGTERM: graceful stop, the database stops with it.
    signal(server.child.id(), "-TERM");
    assert!(server.child.wait().unwrap().success());
    wait_until("postgres stopped after SIGTERM", || !alive(first_pg));

    // Restart: the data is still there. This time with JSON logs.
    let mut server = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || start(&dir, "json")
    })
    .await
    .unwrap();
    let signed_in = Client::new(&server.url)
        .sign_in("kvar@x.se", "ett långt lösenord")
        .await;
    assert_eq!(signed_in.status, 303);
    let request_id = signed_in.header("x-request-id").unwrap().to_owned();
    wait_until("the sign-in is logged as JSON with its request id", || {
        server.output.lock().unwrap().iter().any(|line| {
            serde_json::from_str::<serde_json::Value>(line)
                .is_ok_and(|json| json["span"]["request_id"] == request_id.as_str())
        })
    });

    // kill -9 of the app: the watchdog stops the database on its own.
    let second_pg = postmaster_pid(&dir);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    wait_until("postgres stopped after the app was killed", || {
        !alive(second_pg)
    });

    // The worst case: app and watchdog both killed, postgres orphaned and still running.
    let mut server = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || start(&dir, "text")
    })
    .await
    .unwrap();
    let orphan = postmaster_pid(&dir);
    let watchdog = parent_of(orphan);
    // The watchdog and its pipe reader both: the reader alone would still stop the server.
    for pid in children_of(watchdog).into_iter().filter(|p| *p != orphan) {
        signal(pid, "-KILL");
    }
    signal(watchdog, "-KILL");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        alive(orphan),
        "the orphan is still running before the next start"
    );

    // The next start finds the orphan, stops it, and starts a server of its own.
    let mut server = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || start(&dir, "text")
    })
    .await
    .unwrap();
    assert!(!alive(orphan), "the orphaned server was stopped");
    assert_ne!(postmaster_pid(&dir), orphan);
    assert_eq!(
        Client::new(&server.url)
            .sign_in("kvar@x.se", "ett långt lösenord")
            .await
            .status,
        303
    );
    let last = postmaster_pid(&dir);
    signal(server.child.id(), "-TERM");
    server.child.wait().unwrap();
    wait_until("postgres stopped at the end", || !alive(last));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A data directory only its owner may enter (`mktemp -d` makes one) still works when the app
/// runs as root and PostgreSQL as `postgres`: the cluster goes where that user can reach it.
#[tokio::test]
async fn a_private_data_directory_still_starts() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh_dir("private");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut server = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || start(&dir, "text")
    })
    .await
    .unwrap();
    let ready = Client::new(&server.url).get("/readyz").await;
    assert_eq!(ready.status, 200);
    signal(server.child.id(), "-TERM");
    let status = server.child.wait().unwrap();
    assert!(
        status.success(),
        "a graceful stop, not {status}; the server said:\n{}",
        server.output.lock().unwrap().join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
