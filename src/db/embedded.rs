//! A private PostgreSQL server for when no `DATABASE_URL` is given: the Debian binaries, a data
//! directory of our own, a Unix socket only, run as a child that cannot outlive this process.
//!
//! The server is started under a tiny `sh` watchdog whose stdin is a pipe from us. When this
//! process ends for any reason, even `kill -9`, the kernel closes the pipe, `read` returns and the
//! watchdog asks PostgreSQL for a fast shutdown. This needs no `unsafe` (no `prctl`) and no
//! cooperation from our own shutdown path.

use std::{
    fs,
    io::{self, Read},
    os::unix::{fs::MetadataExt, fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    time::{Duration, Instant},
};

use sqlx::postgres::PgConnectOptions;

/// The watchdog: runs the server and stops it when our end of the stdin pipe closes (or on a
/// signal). It also ends when the server ends by itself, so that the supervisor sees a crash
/// (`db::supervisor`). The pipe is read beside the server, through fd 3: an asynchronous list
/// gets /dev/null as its stdin.
const WATCHDOG: &str = r#"
exec 3<&0
"$@" </dev/null 3<&- &
pg=$!
trap 'kill -INT "$pg" 2>/dev/null' TERM INT HUP
{ read -r _ignored <&3 || true; kill -INT "$pg" 2>/dev/null; } &
reader=$!
exec 3<&-
wait "$pg"
while kill -0 "$pg" 2>/dev/null; do wait "$pg"; done
kill "$reader" 2>/dev/null
exit 0
"#;

/// The database role and database the application uses inside the private server.
pub const SUPERUSER: &str = "portfolj";
const PORT: u16 = 5432;

/// Why the private server could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL hittades inte under /usr/lib/postgresql/*/bin. Installera paketet: \
         `apt-get install postgresql` (eller ange DATABASE_URL).\n\
         PostgreSQL binaries not found under /usr/lib/postgresql/*/bin. Install the package: \
         `apt-get install postgresql` (or set DATABASE_URL)."
    )]
    BinariesMissing,
    #[error(
        "PostgreSQL kan inte köras som root och användaren `postgres` saknas. Skapa den eller \
         starta som vanlig användare.\nPostgreSQL refuses to run as root and there is no \
         `postgres` user; create it or run as an ordinary user."
    )]
    NoUnprivilegedUser,
    #[error("{step} failed: {detail}")]
    Step { step: &'static str, detail: String },
    #[error("{0}: {1}")]
    Io(String, #[source] io::Error),
}

/// Options for the private server.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// Parent directory: the cluster lives in `<dir>/postgres`, its log in `<dir>/postgres.log`.
    pub dir: PathBuf,
    /// Turn off fsync and friends: for throw-away test clusters only.
    pub ephemeral: bool,
}

/// A running private server. Dropping it stops the server; so does the end of this process.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    watchdog: Child,
    stdin: Option<ChildStdin>,
    socket_dir: PathBuf,
    data_dir: PathBuf,
}

impl EmbeddedPostgres {
    /// Initialises the cluster if needed, clears what a killed earlier run left, starts the
    /// server and waits until it accepts connections.
    pub fn start(options: &EmbeddedOptions) -> Result<Self, EmbeddedError> {
        let bin = find_binaries()?;
        let runner = Runner::current()?;
        fs::create_dir_all(&options.dir).map_err(io_err("create data directory"))?;
        let dir = runner.reachable_dir(
            fs::canonicalize(&options.dir).map_err(io_err("resolve data directory"))?,
        )?;
        let data_dir = dir.join("postgres");
        if !data_dir.join("PG_VERSION").exists() {
            init_cluster(&bin, &runner, &data_dir)?;
        }
        let socket_dir = socket_dir_for(&dir);
        runner.make_private_dir(&socket_dir)?;
        stop_leftover_server(&bin, &runner, &data_dir)?;

        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("postgres.log"))
            .map_err(io_err("open postgres.log"))?;
        let log_err = log.try_clone().map_err(io_err("open postgres.log"))?;
        let mut command = runner.command("/bin/sh");
        command
            .args(["-c", WATCHDOG, "portfolj-pg-watchdog"])
            .arg(bin.join("postgres"))
            .arg("-D")
            .arg(&data_dir)
            .arg("-k")
            .arg(&socket_dir)
            .args(["-c", "listen_addresses=", "-p", &PORT.to_string()])
            .args([
                "-c",
                "unix_socket_permissions=0700",
                "-c",
                "max_connections=200",
            ]);
        if options.ephemeral {
            command.args(["-c", "fsync=off", "-c", "synchronous_commit=off"]);
            command.args(["-c", "full_page_writes=off"]);
        }
        // Its own process group: a Ctrl-C in the terminal reaches us, and we stop the server
        // after the last request is answered, not before.
        command
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log_err);
        let mut watchdog = command.spawn().map_err(io_err("start postgres"))?;
        let stdin = watchdog.stdin.take();
        let mut server = Self {
            watchdog,
            stdin,
            socket_dir,
            data_dir,
        };
        server.wait_until_ready(&dir.join("postgres.log"))?;
        Ok(server)
    }

    /// Connection options for a database in this server.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// A URL other tools (psql, pgbench) understand.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@localhost:{PORT}/{database}?host={}",
            self.socket_dir.display()
        )
    }

    /// The server's process id, from its lock file.
    pub fn server_pid(&self) -> Option<u32> {
        read_pid(&self.data_dir)
    }

    /// Whether the server has ended by itself, and how: a crash or a kill from outside.
    pub fn exited(&mut self) -> Option<String> {
        match self.watchdog.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(e) => Some(e.to_string()),
        }
    }

    /// Asks for a fast shutdown and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // Closing the pipe is the signal the watchdog waits for.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            match self.watchdog.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        tracing::warn!("private PostgreSQL did not stop within 20 s");
    }

    fn wait_until_ready(&mut self, log: &Path) -> Result<(), EmbeddedError> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let socket = self.socket_dir.join(format!(".s.PGSQL.{PORT}"));
        loop {
            if let Ok(Some(status)) = self.watchdog.try_wait() {
                return Err(step_err(
                    "postgres",
                    format!("exited with {status}\n{}", tail(log)),
                ));
            }
            // The socket appears before recovery ends; pid file line 8 says "ready" when it is.
            if socket.exists() && server_status(&self.data_dir).as_deref() == Some("ready") {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(step_err(
                    "postgres",
                    format!("not ready after 60 s\n{}", tail(log)),
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding a server, or `PORTFOLJ_PG_BIN`.
fn find_binaries() -> Result<PathBuf, EmbeddedError> {
    if let Some(dir) = std::env::var_os("PORTFOLJ_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let versions =
        fs::read_dir("/usr/lib/postgresql").map_err(|_| EmbeddedError::BinariesMissing)?;
    versions
        .filter_map(Result::ok)
        .filter_map(|e| {
            Some((
                e.file_name().to_str()?.parse::<u32>().ok()?,
                e.path().join("bin"),
            ))
        })
        .filter(|(_, bin)| bin.join("postgres").exists() && bin.join("initdb").exists())
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
        .ok_or(EmbeddedError::BinariesMissing)
}

/// The user the server runs as: ourselves, or `postgres` when we are root (PostgreSQL refuses
/// to run as root).
struct Runner {
    uid: u32,
    gid: u32,
    switch: bool,
}

impl Runner {
    fn current() -> Result<Self, EmbeddedError> {
        let me = fs::metadata("/proc/self").map_err(io_err("read /proc/self"))?;
        if me.uid() != 0 {
            return Ok(Self {
                uid: me.uid(),
                gid: me.gid(),
                switch: false,
            });
        }
        let passwd = fs::read_to_string("/etc/passwd").map_err(io_err("read /etc/passwd"))?;
        passwd
            .lines()
            .map(|line| line.split(':').collect::<Vec<_>>())
            .find(|f| f.first() == Some(&"postgres") && f.len() > 3)
            .and_then(|f| {
                Some(Self {
                    uid: f[2].parse().ok()?,
                    gid: f[3].parse().ok()?,
                    switch: true,
                })
            })
            .ok_or(EmbeddedError::NoUnprivilegedUser)
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        if self.switch {
            command.uid(self.uid).gid(self.gid).env("HOME", "/tmp");
        }
        command.env_remove("PGDATA").env("LC_MESSAGES", "C");
        command
    }

    /// A directory only the server's user can enter.
    fn make_private_dir(&self, dir: &Path) -> Result<(), EmbeddedError> {
        fs::create_dir_all(dir).map_err(io_err("create directory"))?;
        if self.switch {
            std::os::unix::fs::chown(dir, Some(self.uid), Some(self.gid))
                .map_err(io_err("chown directory"))?;
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(io_err("chmod directory"))
    }

    /// `dir`, or when PostgreSQL (running as another user) cannot enter it or walk down to it, e.g. a
    /// checkout under `/root`, a directory of its own under `/var/lib/portfolj` instead: changing
    /// the permissions of the user's home would be worse.
    fn reachable_dir(&self, dir: PathBuf) -> Result<PathBuf, EmbeddedError> {
        let can_enter = |path: &Path| {
            fs::metadata(path).is_ok_and(|meta| {
                let mode = meta.mode();
                mode & 0o001 != 0
                    || (meta.uid() == self.uid && mode & 0o100 != 0)
                    || (meta.gid() == self.gid && mode & 0o010 != 0)
            })
        };
        if !self.switch || dir.ancestors().all(can_enter) {
            return Ok(dir);
        }
        let elsewhere = Path::new("/var/lib/portfolj").join(short_name(&dir));
        tracing::warn!(
            requested = %dir.display(),
            used = %elsewhere.display(),
            "the postgres user cannot reach the data directory; using another"
        );
        fs::create_dir_all(&elsewhere).map_err(io_err("create data directory"))?;
        Ok(elsewhere)
    }
}

fn init_cluster(bin: &Path, runner: &Runner, data_dir: &Path) -> Result<(), EmbeddedError> {
    runner.make_private_dir(data_dir)?;
    let base = |runner: &Runner| {
        let mut c = runner.command(bin.join("initdb"));
        c.arg("-D")
            .arg(data_dir)
            .args(["-E", "UTF8", "-U", SUPERUSER, "--auth=trust"]);
        c
    };
    // Swedish collation (Å, Ä, Ö after Z) through ICU when the server has it.
    let with_icu = base(runner)
        .args([
            "--locale-provider=icu",
            "--icu-locale=sv-SE",
            "--locale=C.UTF-8",
        ])
        .output()
        .map_err(io_err("run initdb"))?;
    if with_icu.status.success() {
        return Ok(());
    }
    tracing::warn!("initdb with ICU sv-SE failed, falling back to C.UTF-8");
    clear_dir(data_dir)?;
    let plain = base(runner)
        .arg("--locale=C.UTF-8")
        .output()
        .map_err(io_err("run initdb"))?;
    if plain.status.success() {
        Ok(())
    } else {
        Err(step_err(
            "initdb",
            String::from_utf8_lossy(&plain.stderr).into_owned(),
        ))
    }
}

fn clear_dir(dir: &Path) -> Result<(), EmbeddedError> {
    for entry in fs::read_dir(dir).map_err(io_err("read data directory"))? {
        let path = entry.map_err(io_err("read data directory"))?.path();
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(io_err("clear data directory"))?;
    }
    Ok(())
}

/// A server left running by a run that was killed (watchdog included) is stopped; a lock file
/// whose process is gone is removed so the new server does not mistake a reused pid for it.
fn stop_leftover_server(bin: &Path, runner: &Runner, data_dir: &Path) -> Result<(), EmbeddedError> {
    let Some(pid) = read_pid(data_dir) else {
        return Ok(());
    };
    if is_postgres(pid) {
        tracing::info!(pid, "stopping a PostgreSQL left running by an earlier run");
        let output = runner
            .command(bin.join("pg_ctl"))
            .arg("-D")
            .arg(data_dir)
            .args(["stop", "-m", "fast", "-w", "-t", "30"])
            .output()
            .map_err(io_err("run pg_ctl stop"))?;
        if !output.status.success() && is_postgres(pid) {
            return Err(step_err(
                "pg_ctl stop",
                String::from_utf8_lossy(&output.stderr).into_owned(),
            ));
        }
    } else {
        let _ = fs::remove_file(data_dir.join("postmaster.pid"));
    }
    Ok(())
}

fn read_pid(data_dir: &Path) -> Option<u32> {
    let text = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

fn server_status(data_dir: &Path) -> Option<String> {
    let text = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    text.lines().nth(7).map(|s| s.trim().to_owned())
}

fn is_postgres(pid: u32) -> bool {
    let mut name = String::new();
    fs::File::open(format!("/proc/{pid}/comm"))
        .and_then(|mut f| f.read_to_string(&mut name))
        .is_ok_and(|_| name.trim() == "postgres")
}

/// A short socket directory: Unix socket paths must stay under 108 bytes, data paths may not.
/// The socket directory of the private server kept under `dir`, for tools and tests that
/// connect beside the application (it must run where the application ran it).
pub fn socket_dir(dir: &Path) -> io::Result<PathBuf> {
    Ok(socket_dir_for(&fs::canonicalize(dir)?))
}

fn socket_dir_for(dir: &Path) -> PathBuf {
    PathBuf::from(format!("/tmp/portfolj-{}", short_name(dir)))
}

/// A short name that stays the same for the same directory, across runs and Rust versions
/// (FNV-1a, unlike `DefaultHasher`).
fn short_name(dir: &Path) -> String {
    let bytes = dir.as_os_str().as_encoded_bytes();
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:012x}", hash & 0xffff_ffff_ffff)
}

fn tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

fn io_err(what: &'static str) -> impl Fn(io::Error) -> EmbeddedError {
    move |e| EmbeddedError::Io(what.to_owned(), e)
}

fn step_err(step: &'static str, detail: String) -> EmbeddedError {
    EmbeddedError::Step { step, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_dir_is_short_and_stable() {
        let long = PathBuf::from("/").join("a".repeat(300));
        let dir = socket_dir_for(&long);
        assert_eq!(dir, socket_dir_for(&long));
        assert!(dir.join(".s.PGSQL.5432.lock").as_os_str().len() < 107);
        assert_ne!(dir, socket_dir_for(Path::new("/other")));
    }
}
