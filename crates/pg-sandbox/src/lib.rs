//! Throwaway PostgreSQL servers for integration tests.
//!
//! Preflight plans SQL; parsing it is not proof that PostgreSQL will run it.
//! This crate starts a real, disposable cluster so a test can apply the
//! planned SQL, see exactly which statement PostgreSQL rejected, and compare
//! the resulting schema with another database's. It is for tests only and
//! needs the PostgreSQL server binaries (`apt-get install postgresql`).

#![warn(missing_docs)]

mod dump;

pub use dump::{normalise_dump, schema_diff};

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Told to whoever runs the tests on a machine without the server, so the fix
/// is one copy-paste away.
const NOT_INSTALLED: &str = "PostgreSQL is not installed: apt-get install postgresql";

/// The server binaries every sandbox needs; checked up front so a partial
/// install fails with the install hint, not with a missing-file error later.
const REQUIRED_BINARIES: [&str; 5] = ["initdb", "pg_ctl", "postgres", "psql", "pg_dump"];

/// Why a sandbox could not be set up or inspected; each message names the
/// command and its output so a failing test explains itself.
#[derive(Debug)]
pub enum SandboxError {
    /// The PostgreSQL binaries are missing, which is a machine set-up
    /// problem rather than a test failure.
    NotInstalled,
    /// The machine cannot host a sandbox as it is (e.g. running as root with
    /// no `postgres` OS user to run the server as).
    Setup(String),
    /// A file-system or process operation failed; `context` says which.
    Io {
        /// What was being done, for the message.
        context: String,
        /// The underlying error.
        source: io::Error,
    },
    /// A PostgreSQL tool ran and failed.
    Command {
        /// The command line, as a shell would show it.
        command: String,
        /// How it exited.
        status: String,
        /// Its standard error (and for the server start, the server log).
        stderr: String,
    },
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::NotInstalled => f.write_str(NOT_INSTALLED),
            SandboxError::Setup(message) => f.write_str(message),
            SandboxError::Io { context, source } => write!(f, "{context}: {source}"),
            SandboxError::Command {
                command,
                status,
                stderr,
            } => write!(f, "`{command}` failed ({status}):\n{}", stderr.trim_end()),
        }
    }
}

impl std::error::Error for SandboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SandboxError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One error psql reported while running a script, so a test can say which
/// statement PostgreSQL rejected and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFailure {
    /// The script line psql was on when the statement failed: the line of
    /// the statement's closing `;`, not its first line. `None` when psql
    /// failed before running anything (e.g. it could not connect).
    pub line: Option<u32>,
    /// psql's text after the `psql:FILE:LINE: ` prefix, with any `LINE n:`,
    /// `DETAIL:` or `HINT:` lines that followed, e.g.
    /// `ERROR:  relation "t" does not exist`.
    pub message: String,
}

/// Why SQL did not run, with psql's own words so the failing line is visible
/// in the test output.
#[derive(Debug, Clone)]
pub struct ApplyError {
    /// The psql command line.
    pub command: String,
    /// psql's whole standard error, including its
    /// `psql:FILE:LINE: ERROR:  ...` line.
    pub stderr: String,
    /// The script line of the first failing statement, when psql named one.
    pub line: Option<u32>,
    /// The first error's message (see [`StatementFailure::message`]).
    pub message: Option<String>,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.message) {
            (Some(line), Some(message)) => write!(f, "SQL failed at line {line}: {message}")?,
            _ => f.write_str("SQL failed")?,
        }
        write!(
            f,
            "\ncommand: {}\npsql stderr:\n{}",
            self.command,
            self.stderr.trim_end()
        )
    }
}

impl std::error::Error for ApplyError {}

/// One throwaway PostgreSQL cluster, private to the test that started it so
/// tests can run in parallel without seeing each other's objects.
///
/// Dropping it (also while a failing test unwinds) stops the server with
/// `pg_ctl stop -m immediate` and deletes its directory, so nothing outlives
/// the test.
pub struct PgServer {
    bin_dir: PathBuf,
    port: u16,
    /// PostgreSQL refuses to run as root, so as root the server-side tools
    /// run as the `postgres` OS user.
    as_postgres: bool,
    /// Declared last: it is removed after `Drop::drop` stopped the server.
    dir: ScratchDir,
}

impl PgServer {
    /// Gives a test its own empty cluster: `initdb` into a fresh temporary
    /// directory and a server on a free port of 127.0.0.1 (unix socket inside
    /// that directory, durability off because the data is thrown away).
    pub fn start() -> Result<PgServer, SandboxError> {
        let bin_dir = postgres_bin_dir().ok_or(SandboxError::NotInstalled)?;
        if REQUIRED_BINARIES
            .iter()
            .any(|name| !bin_dir.join(name).is_file())
        {
            return Err(SandboxError::NotInstalled);
        }
        let owner = if effective_uid()? == 0 {
            Some(postgres_user_ids()?)
        } else {
            None
        };
        let dir = ScratchDir::create(owner)?;
        let socket_dir = dir.path.join("sock");
        make_private_dir(&socket_dir, owner)?;

        let mut server = PgServer {
            bin_dir,
            port: 0,
            as_postgres: owner.is_some(),
            dir,
        };
        server.run_server_tool(
            "initdb",
            [
                OsStr::new("-D"),
                server.data_dir().as_os_str(),
                OsStr::new("-A"),
                OsStr::new("trust"),
                OsStr::new("-U"),
                OsStr::new("postgres"),
                OsStr::new("--encoding=UTF8"),
                OsStr::new("--locale=C.UTF-8"),
                // No fsync: the cluster is thrown away; saves ~3 s per start.
                OsStr::new("--no-sync"),
            ],
        )?;

        // The port is free when chosen but may be taken before the server
        // binds it (another sandbox starting at once): then pick another.
        let attempts = 3;
        for attempt in 1..=attempts {
            server.port = free_port()?;
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
                server.port,
                shell_quote(socket_dir.as_os_str()),
            );
            let log = server.log_file();
            let result = server.run_server_tool(
                "pg_ctl",
                [
                    OsStr::new("-D"),
                    server.data_dir().as_os_str(),
                    OsStr::new("-l"),
                    log.as_os_str(),
                    OsStr::new("-w"),
                    OsStr::new("-t"),
                    OsStr::new("60"),
                    OsStr::new("-o"),
                    OsStr::new(&options),
                    OsStr::new("start"),
                ],
            );
            match result {
                Ok(_) => return Ok(server),
                Err(SandboxError::Command {
                    command,
                    status,
                    mut stderr,
                }) => {
                    let log = fs::read_to_string(&log).unwrap_or_default();
                    if attempt < attempts && log.contains("could not bind") {
                        continue;
                    }
                    stderr.push_str("\nserver log:\n");
                    stderr.push_str(&log);
                    return Err(SandboxError::Command {
                        command,
                        status,
                        stderr,
                    });
                }
                Err(other) => return Err(other),
            }
        }
        unreachable!("the last attempt returns")
    }

    /// The TCP port, for tests that connect with something other than psql.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The sandbox's directory (data, socket, log), so a test can check it
    /// is gone after the server is dropped.
    pub fn dir(&self) -> &Path {
        &self.dir.path
    }

    /// A libpq URL for `database`, for clients other than this crate's.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://postgres@127.0.0.1:{}/{}",
            self.port,
            percent_encode(database)
        )
    }

    /// Gives each test case its own empty database, built from `template0`
    /// so nothing added to `template1` leaks in.
    pub fn create_database(&self, name: &str) -> Result<(), SandboxError> {
        let sql = format!("CREATE DATABASE {} TEMPLATE template0;", quote_ident(name));
        self.psql("postgres", &sql, &["-v", "ON_ERROR_STOP=1"])
            .map_err(|e| SandboxError::Command {
                command: e.command,
                status: "psql reported an error".into(),
                stderr: e.stderr,
            })?;
        Ok(())
    }

    /// Proves SQL runs: executes it as psql would run a migration file
    /// (`psql -X -q -v ON_ERROR_STOP=1 -f FILE`, statement by statement with
    /// no wrapping transaction, so `CREATE INDEX CONCURRENTLY` works) and
    /// stops at the first error, whose line and message the error carries.
    pub fn apply(&self, database: &str, sql: &str) -> Result<(), ApplyError> {
        self.psql(database, sql, &["-v", "ON_ERROR_STOP=1"])
            .map(drop)
    }

    /// Runs every statement even after one fails (no `ON_ERROR_STOP`) and
    /// returns every error psql reported, so a test can count and locate all
    /// failing statements of a script at once. Empty means all succeeded.
    pub fn apply_each(&self, database: &str, sql: &str) -> Vec<StatementFailure> {
        let script = match self.write_script(sql) {
            Ok(script) => script,
            Err(e) => {
                return vec![StatementFailure {
                    line: None,
                    message: e.to_string(),
                }]
            }
        };
        let (command, result) = self.run_psql(database, &script.path, &[]);
        match result {
            Err(e) => vec![StatementFailure {
                line: None,
                message: format!("could not run `{command}`: {e}"),
            }],
            Ok(output) => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let mut failures = parse_failures(&stderr, &script.path);
                if failures.is_empty() && !output.status.success() {
                    failures.push(StatementFailure {
                        line: None,
                        message: format!("`{command}` failed ({}): {stderr}", output.status),
                    });
                }
                failures
            }
        }
    }

    /// Lets a test look at data or catalogs: runs SQL (stopping at the first
    /// error) and returns `psql -At` output, rows on lines and columns
    /// separated by `|`, without the final newline.
    pub fn query(&self, database: &str, sql: &str) -> Result<String, ApplyError> {
        let mut out = self.psql(database, sql, &["-v", "ON_ERROR_STOP=1", "-A", "-t"])?;
        if out.ends_with('\n') {
            out.pop();
        }
        Ok(out)
    }

    /// Captures a database's schema in a form that compares equal across
    /// build orders (see [`normalise_dump`]). Privileges are kept because a
    /// lost `GRANT` is a real migration bug; owners are dropped because
    /// everything here is owned by `postgres`.
    pub fn dump_schema(&self, database: &str) -> Result<String, SandboxError> {
        Ok(normalise_dump(&self.dump_schema_sql(database)?))
    }

    /// The database's `pg_dump --schema-only --no-owner` output as pg_dump
    /// writes it, in an order that runs, for tests that read it back as SQL.
    pub fn dump_schema_sql(&self, database: &str) -> Result<String, SandboxError> {
        let mut args = self.client_args(database);
        args.splice(0..0, ["--schema-only".into(), "--no-owner".into()]);
        let (command, result) = run(self.bin_dir.join("pg_dump"), &args, None);
        let output = result.map_err(|source| SandboxError::Io {
            context: format!("could not run `{command}`"),
            source,
        })?;
        if !output.status.success() {
            return Err(SandboxError::Command {
                command,
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path.join("server.log")
    }

    /// Runs SQL through psql from a file, so psql reports `FILE:LINE` for
    /// errors; returns stdout, or the first error psql reported.
    fn psql(&self, database: &str, sql: &str, extra: &[&str]) -> Result<String, ApplyError> {
        let script = self.write_script(sql).map_err(|e| ApplyError {
            command: "psql".into(),
            stderr: e.to_string(),
            line: None,
            message: None,
        })?;
        let (command, result) = self.run_psql(database, &script.path, extra);
        let output = result.map_err(|e| ApplyError {
            command: command.clone(),
            stderr: format!("could not run psql: {e}"),
            line: None,
            message: None,
        })?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            let first = parse_failures(&stderr, &script.path).into_iter().next();
            return Err(ApplyError {
                command,
                line: first.as_ref().and_then(|f| f.line),
                message: first.map(|f| f.message),
                stderr,
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn run_psql(
        &self,
        database: &str,
        script: &Path,
        extra: &[&str],
    ) -> (String, io::Result<Output>) {
        let mut args: Vec<OsString> = vec!["-X".into(), "-q".into()];
        args.extend(extra.iter().map(OsString::from));
        args.push("-f".into());
        args.push(script.into());
        args.extend(self.client_args(database));
        run(self.bin_dir.join("psql"), &args, None)
    }

    /// Connection arguments for psql and pg_dump, which connect over TCP as
    /// the `postgres` role (trust auth) and so can run as any OS user.
    fn client_args(&self, database: &str) -> Vec<OsString> {
        // A database name with `=` or a URL prefix would be read as a
        // connection string; spell it as one so any name is taken literally.
        let dbname = if database.contains('=')
            || database.starts_with("postgres://")
            || database.starts_with("postgresql://")
        {
            format!(
                "dbname='{}'",
                database.replace('\\', "\\\\").replace('\'', "\\'")
            )
        } else {
            database.to_owned()
        };
        [
            "-w",
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            "-d",
            &dbname,
        ]
        .into_iter()
        .map(OsString::from)
        .collect()
    }

    /// Each script gets its own file so concurrent calls on one server do
    /// not overwrite each other; it is deleted when the guard drops.
    fn write_script(&self, sql: &str) -> Result<ScratchFile, SandboxError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = self.dir.path.join(format!(
            "script-{}.sql",
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::write(&path, sql).map_err(|source| SandboxError::Io {
            context: format!("could not write {}", path.display()),
            source,
        })?;
        Ok(ScratchFile { path })
    }

    /// Runs initdb or pg_ctl, as the `postgres` OS user when we are root.
    fn run_server_tool<'a>(
        &self,
        tool: &str,
        args: impl IntoIterator<Item = &'a OsStr>,
    ) -> Result<Output, SandboxError> {
        let program = self.bin_dir.join(tool);
        let args: Vec<OsString> = args.into_iter().map(OsStr::to_owned).collect();
        let (command, result) = if self.as_postgres {
            let mut wrapped: Vec<OsString> = vec!["-u".into(), "postgres".into(), "--".into()];
            wrapped.push(program.into());
            wrapped.extend(args);
            run("runuser".into(), &wrapped, Some(&self.dir.path))
        } else {
            run(program, &args, Some(&self.dir.path))
        };
        let output = result.map_err(|source| SandboxError::Io {
            context: format!("could not run `{command}`"),
            source,
        })?;
        if output.status.success() {
            Ok(output)
        } else {
            let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            let stdout = String::from_utf8_lossy(&output.stdout);
            if !stdout.trim().is_empty() {
                stderr.push_str("\nstdout:\n");
                stderr.push_str(&stdout);
            }
            Err(SandboxError::Command {
                command,
                status: output.status.to_string(),
                stderr,
            })
        }
    }
}

impl Drop for PgServer {
    /// Stops the server even when a test panics, so no postmaster outlives
    /// it; the directory is then removed by `ScratchDir`.
    fn drop(&mut self) {
        let data_dir = self.data_dir();
        let pid_file = data_dir.join("postmaster.pid");
        let Ok(pid_file_text) = fs::read_to_string(&pid_file) else {
            return;
        };
        let pid = pid_file_text
            .lines()
            .next()
            .and_then(|pid| pid.trim().parse::<u32>().ok());
        let stopped = self.run_server_tool(
            "pg_ctl",
            [
                OsStr::new("-D"),
                data_dir.as_os_str(),
                OsStr::new("-m"),
                OsStr::new("immediate"),
                OsStr::new("-w"),
                OsStr::new("-t"),
                OsStr::new("30"),
                OsStr::new("stop"),
            ],
        );
        if let Err(e) = stopped {
            eprintln!("pg-sandbox: could not stop the server cleanly: {e}");
            // Last resort: kill the postmaster named in its pid file.
            if let Some(pid) = pid {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
        }
        // pg_ctl returns once the pid file is gone, a moment before the
        // postmaster has exited; wait for that so the port and shared memory
        // are really free when the drop returns.
        if let Some(pid) = pid {
            let deadline = Instant::now() + Duration::from_secs(5);
            while process_alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// Whether `pid` is still running (a zombie waiting to be reaped by init has
/// already released everything, so it counts as gone).
fn process_alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// Finds the server binaries without relying on PATH, which on Debian holds
/// only wrapper scripts; the newest major wins because its pg_dump can dump
/// any older server too.
pub fn postgres_bin_dir() -> Option<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    fs::read_dir(root)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .max_by_key(|(major, _)| *major)
        .map(|(_, bin)| bin)
}

/// Picks up every `psql:FILE:LINE: ERROR: ...` (or psql's own
/// `... error: ...`) in psql's stderr, with the lines that continue it.
fn parse_failures(stderr: &str, script: &Path) -> Vec<StatementFailure> {
    let prefix = format!("psql:{}:", script.display());
    let mut failures: Vec<StatementFailure> = Vec::new();
    let mut in_failure = false;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix(&prefix) {
            in_failure = false;
            let Some((number, text)) = rest.split_once(": ") else {
                continue;
            };
            let Ok(number) = number.parse() else {
                continue;
            };
            let is_failure = ["ERROR:", "FATAL:", "PANIC:", "error:", "fatal:"]
                .iter()
                .any(|severity| text.starts_with(severity));
            if is_failure {
                failures.push(StatementFailure {
                    line: Some(number),
                    message: text.to_owned(),
                });
                in_failure = true;
            }
        } else if line.starts_with("psql:") {
            in_failure = false;
        } else if in_failure {
            let last = failures.last_mut().expect("in_failure implies one");
            last.message.push('\n');
            last.message.push_str(line);
        }
    }
    failures
}

/// Runs a command with a clean PostgreSQL environment (no PG* variables from
/// the developer's shell, English messages, UTF-8 client encoding) and
/// returns its printable command line with the result.
fn run(program: PathBuf, args: &[OsString], cwd: Option<&Path>) -> (String, io::Result<Output>) {
    let mut command_line = shell_quote(program.as_os_str());
    for arg in args {
        command_line.push(' ');
        command_line.push_str(&shell_quote(arg));
    }
    let mut command = Command::new(&program);
    command.args(args);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PG") {
            command.env_remove(key);
        }
    }
    command
        .env("LC_ALL", "C.UTF-8")
        .env("PGCLIENTENCODING", "UTF8")
        .env("PGCONNECT_TIMEOUT", "10")
        .stdin(Stdio::null());
    if let Some(cwd) = cwd {
        // The postgres OS user may not be able to enter the caller's cwd.
        command.current_dir(cwd);
    }
    (command_line, command.output())
}

/// The effective uid, read from /proc because std has no `geteuid`.
fn effective_uid() -> Result<u32, SandboxError> {
    let status = fs::read_to_string("/proc/self/status").map_err(|source| SandboxError::Io {
        context: "could not read /proc/self/status to learn the effective uid".into(),
        source,
    })?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .and_then(|euid| euid.parse().ok())
        .ok_or_else(|| SandboxError::Setup("no Uid line in /proc/self/status".into()))
}

/// The `postgres` OS user's uid and gid, to own the sandbox when we are root.
fn postgres_user_ids() -> Result<(u32, u32), SandboxError> {
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            if fields.next()? != "postgres" {
                return None;
            }
            let uid = fields.nth(1)?.parse().ok()?;
            let gid = fields.next()?.parse().ok()?;
            Some((uid, gid))
        })
        .ok_or_else(|| {
            SandboxError::Setup(
                "running as root, and PostgreSQL refuses to run as root, but there is no \
                 `postgres` OS user to run it as (apt-get install postgresql creates one)"
                    .into(),
            )
        })
}

fn free_port() -> Result<u16, SandboxError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|source| SandboxError::Io {
            context: "could not find a free port on 127.0.0.1".into(),
            source,
        })
}

fn make_private_dir(path: &Path, owner: Option<(u32, u32)>) -> Result<(), SandboxError> {
    let io_error = |source| SandboxError::Io {
        context: format!("could not create {}", path.display()),
        source,
    };
    fs::create_dir(path).map_err(io_error)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o700)).map_err(io_error)?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(io_error)?;
    }
    Ok(())
}

/// A directory that is deleted when dropped, so a sandbox leaves nothing
/// behind even when start-up fails half way.
struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    fn create(owner: Option<(u32, u32)>) -> Result<ScratchDir, SandboxError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        loop {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!(
                "pg-sandbox-{}-{}-{nanos:x}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            match make_private_dir(&path, owner) {
                Err(SandboxError::Io { source, .. })
                    if source.kind() == io::ErrorKind::AlreadyExists =>
                {
                    continue
                }
                Err(e) => {
                    let _ = fs::remove_dir_all(&path);
                    return Err(e);
                }
                Ok(()) => return Ok(ScratchDir { path }),
            }
        }
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A script file deleted once psql has read it.
struct ScratchFile {
    path: PathBuf,
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes for the command lines shown in errors, and for the `-o` options
/// pg_ctl hands to a shell.
fn shell_quote(arg: &OsStr) -> String {
    let arg = arg.to_string_lossy();
    let safe = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@%+".contains(&b));
    if safe {
        arg.into_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_psql_error_with_its_continuation_lines() {
        let script = Path::new("/tmp/pg-sandbox-1/script-0.sql");
        let stderr = "\
psql:/tmp/pg-sandbox-1/script-0.sql:2: ERROR:  relation \"a\" already exists
psql:/tmp/pg-sandbox-1/script-0.sql:4: ERROR:  relation \"nope\" does not exist
LINE 2:  from nope;
              ^
psql:/tmp/pg-sandbox-1/script-0.sql:5: error: invalid command \\foo
psql:/tmp/pg-sandbox-1/script-0.sql:9: WARNING:  there is no transaction in progress
";
        let failures = parse_failures(stderr, script);
        assert_eq!(
            failures,
            [
                StatementFailure {
                    line: Some(2),
                    message: "ERROR:  relation \"a\" already exists".into()
                },
                StatementFailure {
                    line: Some(4),
                    message: "ERROR:  relation \"nope\" does not exist\nLINE 2:  from nope;\n              ^".into()
                },
                StatementFailure {
                    line: Some(5),
                    message: "error: invalid command \\foo".into()
                },
            ]
        );
    }

    #[test]
    fn quotes_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote(OsStr::new("/usr/bin/psql")), "/usr/bin/psql");
        assert_eq!(shell_quote(OsStr::new("a b")), "'a b'");
        assert_eq!(shell_quote(OsStr::new("it's")), "'it'\\''s'");
    }

    #[test]
    fn a_missing_install_says_how_to_fix_it() {
        assert_eq!(
            SandboxError::NotInstalled.to_string(),
            "PostgreSQL is not installed: apt-get install postgresql"
        );
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("my\"db"), "\"my\"\"db\"");
    }
}
