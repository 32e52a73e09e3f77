//! The `preflight` binary as a user runs it: formats, exit codes, messages.
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn preflight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("the binary runs")
}

/// Runs the binary with `input` on its standard input.
fn preflight_reading(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    (child.stdin.take().expect("piped"))
        .write_all(input.as_bytes())
        .expect("it reads its input");
    child.wait_with_output().expect("it finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp dir is writable");
    path.display().to_string()
}

#[test]
fn plan_moves_the_file_a_policy_needs_and_says_why() {
    let output = preflight(&["plan", "examples/team-notes"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("003_roles.sql moves before examples/team-notes/002_notes.sql: policy \"Admins can read all notes\" on public.notes (examples/team-notes/002_notes.sql:20) needs column public.user_profiles.role, which examples/team-notes/003_roles.sql:2 adds"),
        "{text}"
    );
}

#[test]
fn plan_json_follows_the_documented_contract() {
    let output = preflight(&["plan", "--format", "json", "examples/team-notes"]);
    assert_eq!(output.status.code(), Some(0));
    let plan: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let steps = plan["steps"].as_array().expect("steps");
    let titles: Vec<&str> = steps.iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "examples/team-notes/001_profiles.sql",
            "examples/team-notes/003_roles.sql",
            "examples/team-notes/002_notes.sql",
            "examples/team-notes/004_realtime.sql"
        ]
    );
    let notes = &steps[2];
    assert_eq!(notes["number"], 3);
    assert_eq!(notes["depends_on"], serde_json::json!([1, 2]));
    assert_eq!(notes["sources"][0]["start_line"], 2);
    assert_eq!(notes["sources"][0]["end_line"], 29);
    assert!(notes["sql"]
        .as_str()
        .unwrap()
        .starts_with("-- Notes, readable"));
    assert!(notes["reasons"][1]
        .as_str()
        .unwrap()
        .starts_with("after step 2: "));
    assert_eq!(plan["rollback_scripts"], serde_json::json!([]));
    let diagnostics = plan["diagnostics"].as_array().expect("diagnostics");
    let coded = |code: &str| {
        (diagnostics.iter())
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
    };
    let moved = coded("PF202");
    for key in [
        "severity", "code", "message", "file", "line", "column", "help",
    ] {
        assert!(!moved[key].is_null(), "diagnostic without {key}: {moved}");
    }
    assert!(moved.get("rule").is_none() && moved.get("fix").is_none());
    // A lint finding names its rule, and its fix edits the file.
    let lint = coded("PF403");
    assert_eq!(lint["rule"], "auth-rls-initplan");
    assert_eq!(lint["fix"]["applicability"], "safe");
    let edit = &lint["fix"]["edits"][0];
    assert_eq!(edit["replacement"], "(select ");
    let file = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join(edit["file"].as_str().unwrap()),
    )
    .unwrap();
    let at = edit["start"].as_u64().unwrap() as usize;
    assert_eq!(edit["end"].as_u64().unwrap() as usize, at);
    assert!(file[at..].starts_with("auth.uid()"), "{}", &file[at..]);
}

#[test]
fn a_missing_table_is_an_error_with_a_suggestion_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = write(
        dir.path(),
        "001_profiles.sql",
        "CREATE TABLE public.user_profiles (id uuid PRIMARY KEY);\n",
    );
    let usage = write(
        dir.path(),
        "002_usage.sql",
        "CREATE TABLE public.ai_usage (\n  id uuid PRIMARY KEY,\n  user_id uuid REFERENCES public.profiles(id)\n);\n",
    );
    let output = preflight(&["plan", &profiles, &usage]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(
            "002_usage.sql:1:1: error[PF100]: create table needs relation public.profiles"
        ),
        "{text}"
    );
    assert!(
        text.contains("did you mean relation public.user_profiles?"),
        "{text}"
    );
}

#[test]
fn a_baseline_provides_what_is_already_applied() {
    let dir = tempfile::tempdir().unwrap();
    let dump = write(
        dir.path(),
        "database-schema.sql",
        "CREATE TABLE public.accounts (id uuid PRIMARY KEY);\n",
    );
    let migration = write(
        dir.path(),
        "001_add_email.sql",
        "ALTER TABLE public.accounts ADD COLUMN email text;\n",
    );
    assert_eq!(preflight(&["plan", &migration]).status.code(), Some(1));
    let output = preflight(&["plan", "--baseline", &dump, "--format", "sql", &migration]);
    assert_eq!(output.status.code(), Some(0));
    let sql = stdout(&output);
    assert!(
        sql.contains("ALTER TABLE public.accounts ADD COLUMN email text;"),
        "{sql}"
    );
    assert!(
        !sql.contains("CREATE TABLE public.accounts"),
        "the baseline is not planned: {sql}"
    );
}

#[test]
fn markdown_runbooks_are_planned_with_their_real_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = write(
        dir.path(),
        "RUNBOOK.md",
        "# Setup\n\nRun this:\n\n```sql\nCREATE TABLE public.todos (id int PRIMARY KEY);\n```\n\nThen:\n\n```bash\necho not sql\n```\n\n```postgres\nALTER TABLE public.todos ADD COLUMN done boolean\n```\n",
    );
    let output = preflight(&["plan", "--env", "postgres", "--format", "json", &runbook]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Each block is a step of its own, named after its heading.
    assert_eq!(plan["steps"][0]["title"], "Setup (block 1 of 2)");
    assert_eq!(plan["steps"][0]["sources"][0]["start_line"], 6);
    assert_eq!(plan["steps"][1]["sources"][0]["start_line"], 16);
    assert_eq!(
        plan["steps"][0]["sql"],
        "CREATE TABLE public.todos (id int PRIMARY KEY);\n"
    );
    assert_eq!(
        plan["steps"][1]["sql"],
        "ALTER TABLE public.todos ADD COLUMN done boolean;\n"
    );
    let roles: Vec<&str> = (plan["blocks"].as_array().unwrap().iter())
        .map(|block| block["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["migration", "migration"]);
}

#[test]
fn a_runbook_kept_as_text_is_planned_as_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write(
        dir.path(),
        "deploy-notes.txt",
        "# Deploy\n\nFirst the table:\n\n```sql\nCREATE TABLE public.todos (id int PRIMARY KEY);\n```\n\nThen check it:\n\n```bash\npsql -c 'select 1'\n```\n",
    );
    let output = preflight(&["plan", "--env", "postgres", "--format", "json", &notes]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["steps"].as_array().unwrap().len(), 1);
    assert_eq!(plan["steps"][0]["title"], "Deploy");
    assert_eq!(plan["steps"][0]["sources"][0]["start_line"], 6);
}

#[test]
fn a_folder_without_sql_files_is_an_error_that_names_its_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = write(
        dir.path(),
        "RUNBOOK.md",
        "# Setup\n\n```sql\nCREATE TABLE public.todos (id int);\n```\n",
    );
    write(dir.path(), "README.md", "# Notes\n\nNo SQL here.\n");
    let folder = dir.path().display().to_string();
    let output = preflight(&["plan", &folder]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        message.trim(),
        format!("preflight: cannot read {folder}: it holds no .sql file; to plan its Markdown runbook, name it: preflight plan {runbook}")
    );

    // Beside SQL files, the runbook is left out with a line saying so.
    write(
        dir.path(),
        "001_init.sql",
        "CREATE TABLE public.lists (id int);",
    );
    let output = preflight(&["plan", "--env", "postgres", &folder]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        message.trim(),
        format!("{runbook}: a Markdown runbook in a folder is left out; name it to plan it")
    );
    assert!(stdout(&output).starts_with("Step 1"), "{}", stdout(&output));

    // Named beside its folder, it is planned and nothing is said.
    let output = preflight(&["plan", "--env", "postgres", &folder, &runbook]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(
        stdout(&output).contains("\n2 steps, 0 errors"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_dash_reads_standard_input_and_fix_writes_it_back_to_standard_output() {
    let sql = "create table public.t (id int primary key);\nselect * from public.nope;\n";
    let output = preflight_reading(&["check", "--env", "postgres", "-"], sql);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).starts_with("<stdin>:2:1: error[PF100]: select needs relation public.nope"),
        "{}",
        stdout(&output)
    );

    // A runbook is known by its SQL block, whatever comes in.
    let runbook = "# Setup\n\n```sql\ncreate table public.t (id int);\n```\n";
    let output = preflight_reading(
        &["plan", "--env", "postgres", "--format", "json", "-"],
        runbook,
    );
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["steps"][0]["title"], "Setup");

    let output = preflight_reading(&["fix", "--in-place", "--env", "postgres", "-"], sql);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "create table IF NOT EXISTS public.t (id int primary key);\nselect * from public.nope;\n"
    );
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(report.contains("1 fix applied in 1 file"), "{report}");

    let output = preflight_reading(&["plan", "-", "-"], sql);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("standard input is read once"));
}

#[test]
fn keep_prose_gives_the_runbook_back_in_the_planned_order() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = write(
        dir.path(),
        "RUNBOOK.md",
        "# Rollout\n\n## Index the notes\n\n```sql\nCREATE INDEX notes_owner_idx ON public.notes (owner);\n```\n\n## Create the notes\n\n```sql\nCREATE TABLE public.notes (id int PRIMARY KEY, owner uuid);\n```\n",
    );
    let output = preflight(&[
        "plan",
        "--env",
        "postgres",
        "--format",
        "markdown",
        "--keep-prose",
        &runbook,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    let create = text.find("## Create the notes").expect("kept");
    let index = text.find("## Index the notes").expect("kept");
    assert!(create < index, "{text}");
    assert!(text.starts_with("# Rollout\n"), "{text}");
    let output = preflight(&["plan", "--keep-prose", &runbook]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--keep-prose needs --format markdown")
    );
}

#[test]
fn output_goes_to_a_file_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plan.sql");
    let output = preflight(&[
        "plan",
        "--format",
        "sql",
        "-o",
        target.to_str().unwrap(),
        "examples/team-notes",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let sql = std::fs::read_to_string(target).unwrap();
    assert!(sql.starts_with("-- Planned by Preflight."), "{sql}");
    assert!(
        sql.contains("-- Step 2: examples/team-notes/003_roles.sql"),
        "{sql}"
    );
}

#[test]
fn unreadable_input_exits_2_and_says_which_file() {
    let output = preflight(&["plan", "no/such/file.sql"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("cannot read no/such/file.sql"),
        "{message}"
    );
}

#[test]
fn parse_reports_syntax_errors_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "broken.sql",
        "SELECT 1;\nCREATE TABLE t (a int,, b int);\n",
    );
    let output = preflight(&["parse", &file]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("broken.sql:2:23: error: syntax error at or near \",\""),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_statement_that_does_not_parse_is_reported_and_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            dir.path(),
            "1_typo.sql",
            "create table a (id int);\nSELEC 1;\ncreate table b (id int);\n",
        ),
        write(
            dir.path(),
            "2_quote.sql",
            "create table c (id int);\nselect 'oops;\ncreate table d (id int);\n",
        ),
        write(dir.path(), "3_paren.sql", "create table x (id int;\n"),
    ];
    let args = |command: &[&'static str]| -> Vec<String> {
        command
            .iter()
            .map(|s| s.to_string())
            .chain(files.iter().cloned())
            .collect()
    };
    let run = |command: &[&'static str]| {
        let args = args(command);
        preflight(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let parsed = run(&["parse"]);
    assert_eq!(parsed.status.code(), Some(1));
    let text = stdout(&parsed);
    assert!(
        text.contains("1_typo.sql:2:1: error: syntax error at or near \"SELEC\""),
        "{text}"
    );
    assert!(
        text.contains("3_paren.sql:1:23: error: syntax error at or near \";\""),
        "{text}"
    );
    // The good statements around the unterminated string are all read.
    assert!(
        text.contains("2_quote.sql:1:1: create table")
            && text.contains("2_quote.sql:3:1: create table"),
        "{text}"
    );
    assert!(text.ends_with("4 statements, 3 syntax errors\n"), "{text}");

    // On plain PostgreSQL, so that the tables raise no Supabase lint.
    let checked = run(&["check", "--env", "postgres"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        stdout(&checked).contains("3 errors"),
        "{}",
        stdout(&checked)
    );

    let planned = run(&["plan", "--format", "sql"]);
    assert_eq!(planned.status.code(), Some(1));
    let sql = stdout(&planned);
    assert!(
        sql.contains("-- NOT READY: 3 statements do not parse"),
        "{sql}"
    );
    assert!(
        sql.contains(&format!("-- - {}:1:23: syntax error", files[2])),
        "{sql}"
    );
    assert!(
        sql.contains("create table a (id int);\n-- NOT RUN: this statement does not parse (line 2, column 1: syntax error at or near \"SELEC\"); fix it and plan again:\n-- SELEC 1\ncreate table b"),
        "{sql}"
    );
    assert!(
        !sql.lines()
            .any(|line| line.starts_with("SELEC") || line.starts_with("select 'oops")),
        "{sql}"
    );
    assert!(String::from_utf8_lossy(&planned.stderr).contains("error[PF001]"));
}

#[test]
fn a_file_that_is_not_utf8_or_not_text_is_named_and_the_others_are_planned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("1_bom.sql"),
        b"\xef\xbb\xbfcreate table a (id int);\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("2_latin.sql"),
        b"-- caf\xe9\ncreate table b (id int);\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("3_image.sql"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let folder = dir.path().display().to_string();
    let output = preflight(&["plan", "--env", "postgres", &folder]);
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains(
            "2_latin.sql: byte 7 (line 1): not UTF-8 (Windows-1252?): read 0xE9 as \"é\""
        ),
        "{errors}"
    );
    assert!(
        errors.contains("3_image.sql: not text: a PNG image; left out"),
        "{errors}"
    );
    let text = stdout(&output);
    assert!(
        text.contains("1_bom.sql") && text.contains("2_latin.sql"),
        "{text}"
    );
    assert!(
        text.contains("2 steps, 0 errors"),
        "the BOM is not a syntax error: {text}"
    );
}

#[test]
fn env_postgres_plans_on_a_plain_database_where_supabase_objects_are_missing() {
    let supabase = preflight(&["check", "examples/team-notes"]);
    assert_eq!(supabase.status.code(), Some(0));
    let postgres = preflight(&["check", "--env", "postgres", "examples/team-notes"]);
    assert_eq!(postgres.status.code(), Some(1));
    let text = stdout(&postgres);
    // Worded for the database it starts from, with its own dump command.
    assert!(
        text.contains("need relation auth.users, which no file creates and a new PostgreSQL database does not provide: it will fail"),
        "{text}"
    );
    assert!(
        text.contains("(`pg_dump --schema-only` to a file"),
        "{text}"
    );
    assert!(!text.contains("Supabase"), "{text}");
    let runbook = preflight(&[
        "plan",
        "--env",
        "postgres",
        "--format",
        "markdown",
        "examples/team-notes",
    ]);
    assert!(stdout(&runbook).contains("Connect to the right database"));
    let unknown = preflight(&["plan", "--env", "mysql", "examples/team-notes"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("supabase or postgres"));
}

#[test]
fn check_reports_problems_only_and_fails_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(
        dir.path(),
        "001_usage.sql",
        "CREATE TABLE public.ai_usage (\n  id uuid PRIMARY KEY,\n  user_id uuid REFERENCES public.profiles(id)\n);\n",
    );
    let output = preflight(&["check", "--env", "postgres", "--format", "github", &broken]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!(
            "::error file={broken},line=1,col=1,title=PF100 error::create table needs relation public.profiles"
        )),
        "{text}"
    );
    assert!(!text.contains("Step 1"), "check prints no plan: {text}");

    let output = preflight(&["check", "--format", "json", "examples/team-notes"]);
    assert_eq!(output.status.code(), Some(0));
    let diagnostics: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(diagnostics
        .as_array()
        .expect("a list")
        .iter()
        .all(|d| d["severity"] != "error"));
}

#[test]
fn zip_export_is_a_supabase_migrations_folder_in_planned_order() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("migrations.zip");
    let output = preflight(&[
        "plan",
        "--format",
        "zip",
        "--timestamp",
        "20250101000000",
        "-o",
        zip.to_str().expect("UTF-8 path"),
        "examples/team-notes",
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let bytes = std::fs::read(&zip).expect("written");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    let listing = String::from_utf8_lossy(&bytes);
    for name in [
        "supabase/migrations/20250101000000_profiles.sql",
        "supabase/migrations/20250101000001_roles.sql",
        "supabase/migrations/20250101000002_notes.sql",
        "supabase/migrations/20250101000003_realtime.sql",
    ] {
        assert!(listing.contains(name), "{name} in the archive");
    }

    let output = preflight(&[
        "plan",
        "--format",
        "zip",
        "--timestamp",
        "2025",
        "examples/team-notes",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a timestamp like"));
}

#[test]
fn diff_exits_0_for_the_same_schema_written_two_ways() {
    let dir = tempfile::tempdir().expect("temp dir");
    let schema = write(
        dir.path(),
        "schema.sql",
        "create table todos (id uuid primary key default gen_random_uuid(), done boolean);",
    );
    let dump = write(
        dir.path(),
        "dump.sql",
        "CREATE TABLE public.todos (id uuid DEFAULT gen_random_uuid() NOT NULL, done boolean);\n\
         ALTER TABLE ONLY public.todos ADD CONSTRAINT todos_pkey PRIMARY KEY (id);\n",
    );
    let output = preflight(&["diff", &schema, &dump]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "The schemas are the same.\n");
}

#[test]
fn diff_exits_1_and_reports_each_difference_in_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let baseline = write(
        dir.path(),
        "baseline.sql",
        "create table todos (id int, done boolean);",
    );
    let migration = write(
        dir.path(),
        "002_done.sql",
        "alter table todos alter column done type text;\ncreate table auth_log (id int);",
    );
    let live = write(
        dir.path(),
        "live.sql",
        "create table public.todos (id int, done boolean);\ncreate table auth.users (id uuid);",
    );
    let output = preflight(&[
        "diff", &baseline, &live, "--a", &migration, "--schema", "public", "--format", "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let audit: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(audit["only_in_a"][0]["name"]["name"], "auth_log");
    assert_eq!(
        audit["only_in_b"],
        serde_json::json!([]),
        "auth is not compared"
    );
    let change = &audit["changed"][0];
    assert_eq!(change["kind"], "column");
    assert_eq!(change["on"]["name"], "todos");
    let difference = &change["differences"][0];
    assert_eq!(difference["property"], "type");
    assert_eq!(difference["a"]["definition"], "text");
    assert_eq!(difference["a"]["at"]["file"], migration);
    assert_eq!(difference["a"]["at"]["line"], 1);
    assert_eq!(difference["b"]["definition"], "boolean");
    assert_eq!(difference["b"]["at"]["file"], live);
}

#[test]
fn diff_exits_2_for_unreadable_or_unparsable_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.sql", "create table t (id int);");
    let output = preflight(&["diff", &good, "no/such/file.sql"]);
    assert_eq!(output.status.code(), Some(2));
    let bad = write(dir.path(), "bad.sql", "create tabel t (id int);");
    let output = preflight(&["diff", &good, &bad]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("syntax errors"),
        "{output:?}"
    );
    assert!(
        stdout(&output).contains("bad.sql:1:8: error"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn rules_lists_every_rule_and_explains_one() {
    let list = stdout(&preflight(&["rules"]));
    assert!(
        list.lines()
            .any(|line| line.starts_with("PF401 policy-always-true")),
        "{list}"
    );
    let one = preflight(&["rules", "identity-mismatch"]);
    assert_eq!(one.status.code(), Some(0));
    let docs = stdout(&one);
    assert!(
        docs.starts_with("PF405 identity-mismatch (security, error by default"),
        "{docs}"
    );
    assert!(
        docs.contains("Flagged:\n    create table providers"),
        "{docs}"
    );
    let json: Value =
        serde_json::from_slice(&preflight(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(json[0]["name"], "policy-always-true");
    assert_eq!(json[0]["group"], "security");
    let unknown = preflight(&["rules", "no-such-rule"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn fix_writes_the_fixed_files_and_says_what_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "001_notes.sql",
        "create table public.notes (id int primary key);\nalter table public.notes enable row level security;\ncreate policy \"read\" on public.notes for select using (auth.uid() is not null);\n",
    );
    let out = dir.path().join("fixed");
    let output = preflight(&["fix", "-o", out.to_str().unwrap(), &script]);
    assert_eq!(output.status.code(), Some(0));
    let report = stdout(&output);
    assert!(
        report.contains("001_notes.sql:1: add IF NOT EXISTS"),
        "{report}"
    );
    assert!(
        report.contains("left ") && report.contains("(unsafe: --unsafe applies it)"),
        "{report}"
    );
    let fixed = std::fs::read_to_string(out.join("001_notes.sql")).unwrap();
    assert!(
        fixed.starts_with("create table IF NOT EXISTS public.notes"),
        "{fixed}"
    );
    assert!(
        fixed.contains("using ((select auth.uid()) is not null)"),
        "{fixed}"
    );
    assert!(
        !fixed.contains("TO authenticated"),
        "unsafe fixes wait for --unsafe: {fixed}"
    );

    let in_place = preflight(&["fix", "--unsafe", "--in-place", &script]);
    assert_eq!(in_place.status.code(), Some(0));
    let rewritten = std::fs::read_to_string(&script).unwrap();
    assert!(
        rewritten.contains("for select TO authenticated using"),
        "{rewritten}"
    );
    let neither = preflight(&["fix", &script]);
    assert_eq!(
        neither.status.code(),
        Some(2),
        "-o or --in-place is required"
    );
}

#[test]
fn check_writes_sarif_for_code_scanning() {
    let output = preflight(&["check", "--format", "sarif", "examples/team-notes"]);
    assert_eq!(output.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|rule| rule["id"] == "PF405" && rule["name"] == "identity-mismatch"));
    let results = run["results"].as_array().unwrap();
    let initplan = (results.iter())
        .find(|result| result["ruleId"] == "PF403")
        .expect("an auth-rls-initplan finding");
    assert_eq!(initplan["level"], "warning");
    let place = &initplan["locations"][0]["physicalLocation"];
    assert!(place["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("examples/team-notes/"));
    assert!(place["region"]["startLine"].as_u64().unwrap() >= 1);
    let replacement = &initplan["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "(select ");
    assert_eq!(replacement["deletedRegion"]["byteLength"], 0);
    let moved = results
        .iter()
        .find(|r| r["ruleId"] == "PF202")
        .expect("the move");
    assert_eq!(moved["level"], "note");
}

#[test]
fn preflight_toml_sets_exposed_schemas_and_how_loud_each_rule_is() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("supabase/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    write(
        &migrations,
        "001_tables.sql",
        "create schema api;\ncreate table api.orders (id int primary key);\ncreate table public.notes (id int primary key);\n",
    );
    let folder = migrations.display().to_string();
    let codes = |output: &Output| -> Vec<String> {
        let found: Value = serde_json::from_slice(&output.stdout).unwrap();
        (found.as_array().unwrap().iter())
            .filter(|d| d["rule"] == "rls-disabled-in-public")
            .map(|d| {
                format!(
                    "{} {}",
                    d["severity"].as_str().unwrap(),
                    d["message"].as_str().unwrap().split(' ').next().unwrap()
                )
            })
            .collect()
    };
    let before = preflight(&["check", "--format", "json", &folder]);
    assert_eq!(codes(&before), ["error public.notes"]);

    // Found in a folder above the migrations.
    write(
        dir.path(),
        "preflight.toml",
        "exposed_schemas = [\"public\", \"api\"]\n\n[rules]\nrls-disabled-in-public = \"warning\"\nnot-rerunnable = \"off\"\n",
    );
    let after = preflight(&["check", "--format", "json", &folder]);
    assert_eq!(after.status.code(), Some(0), "warnings only");
    assert_eq!(
        codes(&after),
        ["warning api.orders", "warning public.notes"]
    );
    assert!(!stdout(&after).contains("not-rerunnable"));
    assert!(String::from_utf8_lossy(&after.stderr).contains("lint settings from"));

    let wrong = write(
        dir.path(),
        "wrong.toml",
        "[rules]\nno-such-rule = \"off\"\n",
    );
    let refused = preflight(&["check", "--config", &wrong, &folder]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no rule is named no-such-rule"));
}
