//! These start real PostgreSQL servers (a second or so each).

use pg_sandbox::{postgres_bin_dir, PgServer};
use std::path::Path;
use std::time::Instant;

fn start() -> PgServer {
    let started = Instant::now();
    let server = PgServer::start().unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "pg-sandbox: server on port {} started in {:?}",
        server.port(),
        started.elapsed()
    );
    server
}

#[test]
fn finds_the_installed_server() {
    let bin = postgres_bin_dir().expect("PostgreSQL is not installed: apt-get install postgresql");
    assert!(bin.join("initdb").is_file());
    assert!(bin.starts_with("/usr/lib/postgresql"));
}

#[test]
fn same_schema_built_in_a_different_order_dumps_equal() {
    let server = start();
    server.create_database("first").unwrap();
    server.create_database("second").unwrap();

    let users = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";
    let posts = "CREATE TABLE posts (id bigint PRIMARY KEY, title text);\n";
    let index = "CREATE INDEX users_email_idx ON users (email);\n";
    let grant = "GRANT SELECT ON posts TO PUBLIC;\n";
    server
        .apply("first", &[users, index, posts, grant].concat())
        .unwrap_or_else(|e| panic!("{e}"));
    server
        .apply("second", &[posts, grant, users, index].concat())
        .unwrap_or_else(|e| panic!("{e}"));

    let first = server.dump_schema("first").unwrap();
    let second = server.dump_schema("second").unwrap();
    assert!(
        first.contains(
            "CREATE TABLE public.users (\n    id bigint NOT NULL,\n    email text NOT NULL\n);"
        ),
        "{first}"
    );
    assert!(first.contains("CREATE INDEX users_email_idx ON public.users USING btree (email);"));
    assert!(first.contains("GRANT SELECT ON TABLE public.posts TO PUBLIC;"));
    assert!(!first.contains("\\restrict"), "{first}");
    assert!(!first.contains("SET "), "{first}");
    assert_eq!(first, second);
    assert!(pg_sandbox::schema_diff(&first, &second).is_empty());
}

#[test]
fn schema_diff_names_what_differs() {
    let server = start();
    server.create_database("old").unwrap();
    server.create_database("new").unwrap();
    server
        .apply(
            "old",
            "CREATE TABLE t (id integer, name text);\nGRANT SELECT ON t TO PUBLIC;\n",
        )
        .unwrap();
    server
        .apply(
            "new",
            "CREATE TABLE t (id bigint, name text);\nCREATE INDEX t_name_idx ON t (name);\n",
        )
        .unwrap();

    let old = server.dump_schema("old").unwrap();
    let new = server.dump_schema("new").unwrap();
    assert_eq!(
        pg_sandbox::schema_diff(&old, &new),
        [
            "+ CREATE INDEX t_name_idx ON public.t USING btree (name);",
            "+ CREATE TABLE public.t (\n    id bigint,\n    name text\n);",
            "- CREATE TABLE public.t (\n    id integer,\n    name text\n);",
            "- GRANT SELECT ON TABLE public.t TO PUBLIC;",
        ]
    );
}

#[test]
fn failing_sql_names_the_line_and_message_and_stops() {
    let server = start();
    server.create_database("app").unwrap();
    let sql =
        "CREATE TABLE a (id int);\n\nSELECT *\n  FROM missing_table;\nCREATE TABLE b (id int);\n";
    let error = server.apply("app", sql).unwrap_err();

    // psql numbers the line holding the statement's `;`, not its first line.
    assert_eq!(error.line, Some(4), "{error}");
    assert_eq!(
        error.message.as_deref().map(|m| m.lines().next().unwrap()),
        Some("ERROR:  relation \"missing_table\" does not exist")
    );
    assert!(error
        .stderr
        .contains(":4: ERROR:  relation \"missing_table\" does not exist"));
    let shown = error.to_string();
    assert!(
        shown.starts_with("SQL failed at line 4: ERROR:  relation \"missing_table\""),
        "{shown}"
    );
    assert!(shown.contains("ON_ERROR_STOP=1"), "{shown}");

    // ON_ERROR_STOP: what came before ran, what came after did not.
    let tables = server
        .query(
            "app",
            "SELECT to_regclass('a') IS NOT NULL, to_regclass('b') IS NOT NULL;",
        )
        .unwrap();
    assert_eq!(tables, "t|f");
}

#[test]
fn apply_each_reports_every_failing_statement() {
    let server = start();
    server.create_database("app").unwrap();
    let sql = "\
CREATE TABLE a (id int);
CREATE TABLE a (id int);
CREATE TABLE b (id int REFERENCES nowhere);
CREATE TABLE c (id int);
";
    let failures = server.apply_each("app", sql);
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert_eq!(failures[0].line, Some(2));
    assert_eq!(failures[0].message, "ERROR:  relation \"a\" already exists");
    assert_eq!(failures[1].line, Some(3));
    assert_eq!(
        failures[1].message,
        "ERROR:  relation \"nowhere\" does not exist"
    );
    // Statements after a failure still ran.
    assert_eq!(
        server
            .query("app", "SELECT to_regclass('c') IS NOT NULL")
            .unwrap(),
        "t"
    );

    assert!(server.apply_each("app", "SELECT 1;").is_empty());
    let no_database = server.apply_each("missing", "SELECT 1;");
    assert_eq!(no_database.len(), 1);
    assert_eq!(no_database[0].line, None);
    assert!(
        no_database[0]
            .message
            .contains("database \"missing\" does not exist"),
        "{no_database:?}"
    );
}

#[test]
fn query_returns_unaligned_tuples_only() {
    let server = start();
    server.create_database("odd name-with=signs").unwrap();
    let out = server
        .query(
            "odd name-with=signs",
            "SELECT 1, 'x' UNION ALL SELECT 2, 'y' ORDER BY 1;",
        )
        .unwrap();
    assert_eq!(out, "1|x\n2|y");
    let error = server
        .create_database("odd name-with=signs")
        .unwrap_err()
        .to_string();
    assert!(error.contains("already exists"), "{error}");
}

#[test]
fn two_servers_run_at_once() {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(start);
        let b = s.spawn(start);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_ne!(a.port(), b.port());
    assert_ne!(a.dir(), b.dir());
    a.create_database("only_in_a").unwrap();
    let names =
        "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE NOT datistemplate";
    assert_eq!(a.query("postgres", names).unwrap(), "only_in_a,postgres");
    assert_eq!(b.query("postgres", names).unwrap(), "postgres");
}

#[test]
fn a_panicking_test_still_stops_its_server() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        let server = start();
        let pid = server
            .query("postgres", "SELECT pg_postmaster_start_time() IS NOT NULL")
            .map(|_| std::fs::read_to_string(server.dir().join("data/postmaster.pid")).unwrap())
            .unwrap();
        let pid = pid.lines().next().unwrap().to_owned();
        sender.send((server.dir().to_owned(), pid)).unwrap();
        panic!("a test failing while its server runs");
    })
    .join();
    assert!(outcome.is_err());
    let (dir, pid) = receiver.recv().unwrap();
    assert!(!dir.exists(), "{} was left behind", dir.display());
    // Gone, or a zombie that init has yet to reap.
    let stat =
        std::fs::read_to_string(Path::new("/proc").join(&pid).join("stat")).unwrap_or_default();
    let state = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.trim_start().chars().next());
    assert!(
        matches!(state, None | Some(Some('Z' | 'X'))),
        "postmaster {pid} is still running: {stat}"
    );
}
