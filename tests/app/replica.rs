//! A streaming replica for the read-only pages (`DATABASE_READ_URL`): a primary and a replica
//! made from it with `pg_basebackup -R` are started here. With the replica's replay paused,
//! another user's page shows what the replica has, while the user who made the change sees it
//! at once: their pages read from the primary for a while after a change.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use portfolj::{
    AppState, Config,
    db::{
        self,
        embedded::{EmbeddedOptions, EmbeddedPostgres},
    },
};
use sqlx::PgPool;

use crate::{
    embedded::fresh_dir,
    instances::serve,
    projects::SEED_000,
    support::{CONTROLLER, Client, IT_CENTER},
};

/// Debian's PostgreSQL programs, the newest version installed.
fn pg_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Debian's postgresql package")
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|p| p.join("pg_basebackup").exists())
        .collect();
    versions.sort();
    versions.pop().expect("PostgreSQL's programs")
}

/// A command run as the `postgres` user when we are root (PostgreSQL refuses root).
fn as_postgres(program: &Path) -> Command {
    let uid = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    if uid.is_ok_and(|uid| uid == 0) {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command) {
    let output = command.output().expect("run a PostgreSQL program");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A replica of `primary`, streaming from it, on its own socket directory.
struct Replica {
    data: PathBuf,
    url: String,
}

impl Replica {
    fn start(primary: &EmbeddedPostgres) -> Self {
        let dir = PathBuf::from(format!("/tmp/portfolj-replica-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        run(Command::new("chmod").arg("777").arg(&dir));
        let data = dir.join("data");
        let options = primary.connect_options("postgres");
        let socket = options.get_socket().expect("the primary's socket").clone();
        let bin = pg_bin();
        run(as_postgres(&bin.join("pg_basebackup"))
            .arg("-h")
            .arg(&socket)
            .args([
                "-p",
                "5432",
                "-U",
                "portfolj",
                "-X",
                "stream",
                "-R",
                "--checkpoint=fast",
                "-D",
            ])
            .arg(&data));
        // max_connections as the primary's: a standby may not have fewer.
        let server_options = format!(
            "-k {} -c listen_addresses='' -p 5433 -c max_connections=200",
            dir.display()
        );
        run(as_postgres(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .args(["-o", &server_options, "-l"])
            .arg(dir.join("log"))
            .args(["-w", "start"]));
        let url = format!(
            "postgresql://portfolj@localhost:5433/portfolj?host={}",
            dir.display()
        );
        Self { data, url }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = as_postgres(&pg_bin().join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "stop"])
            .output();
        if let Some(dir) = self.data.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

async fn name_on(client: &Client, path: &str) -> String {
    let page = client.get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.text("h1")
}

#[tokio::test]
async fn others_read_the_replica_and_a_user_always_sees_their_own_change() {
    crate::support::logs::install();
    let root = fresh_dir("replica");
    let primary = tokio::task::spawn_blocking({
        let dir = root.clone();
        move || {
            EmbeddedPostgres::start(&EmbeddedOptions {
                dir,
                ephemeral: true,
            })
        }
    })
    .await
    .unwrap()
    .expect("the primary");
    let admin = PgPool::connect_with(primary.connect_options("postgres"))
        .await
        .unwrap();
    sqlx::query("CREATE DATABASE portfolj")
        .execute(&admin)
        .await
        .unwrap();
    let replica = tokio::task::spawn_blocking(move || {
        let replica = Replica::start(&primary);
        (primary, replica)
    })
    .await
    .unwrap();
    let (primary, replica) = replica;

    let mut config = Config::from_lookup(|_| None).unwrap();
    config.database_url = Some(primary.url("portfolj"));
    config.database_read_url = Some(replica.url.clone());
    config.read_your_writes = Duration::from_secs(2);
    config.db_pool_size = 4;
    let database = db::open(&config).await.expect("primary and replica");
    db::demo::load_if_empty(&database.pool).await.unwrap();
    let replica_pool = database.replica.clone().expect("the replica's pool");
    let state = AppState::new(database.pool.clone(), config)
        .unwrap()
        .with_replica(database.replica.clone());
    let base = serve(state).await;

    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM project WHERE case_number = $1")
        .bind(SEED_000)
        .fetch_one(&database.pool)
        .await
        .unwrap();
    let page = format!("/projekt/{id}");
    // The replica has caught up with the demo data.
    for _ in 0..100 {
        let there: i64 = sqlx::query_scalar("SELECT count(*) FROM project WHERE id = $1")
            .bind(id)
            .fetch_one(&replica_pool)
            .await
            .unwrap_or(0);
        if there == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let writer = Client::new(&base);
    let reader = Client::new(&base);
    assert_eq!(writer.sign_in(IT_CENTER, "demo").await.status, 303);
    assert_eq!(reader.sign_in(CONTROLLER, "demo").await.status, 303);
    // Signing in was a change too: past its window, the reader reads the replica.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let before = name_on(&reader, &page).await;

    // Replication stops (a replica far behind); IT-center renames the project.
    sqlx::query("SELECT pg_wal_replay_pause()")
        .execute(&replica_pool)
        .await
        .unwrap();
    let form = format!("{page}/redigera");
    let saved = writer
        .submit_form(&form, &form, &[("name", "Namnet efter ändringen")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        name_on(&writer, &page)
            .await
            .contains("Namnet efter ändringen"),
        "the writer sees their change at once"
    );
    assert!(
        writer
            .get("/projekt")
            .await
            .body
            .contains("Namnet efter ändringen"),
        "also in the list"
    );
    assert_eq!(
        name_on(&reader, &page).await,
        before,
        "another user's page is read from the replica"
    );

    sqlx::query("SELECT pg_wal_replay_resume()")
        .execute(&replica_pool)
        .await
        .unwrap();
    let mut caught_up = false;
    for _ in 0..100 {
        if name_on(&reader, &page)
            .await
            .contains("Namnet efter ändringen")
        {
            caught_up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(caught_up, "the replica caught up");
    drop(replica);
}
