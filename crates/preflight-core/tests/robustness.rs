//! Fuzzing on the stable toolchain: generated SQL, and the fixtures mutated
//! at random, never break the parse guarantee (every byte in a statement, a
//! syntax error or between them) and never make anything downstream panic:
//! the plan in every format, the parse report, the schema audit, Markdown
//! extraction.
//!
//! `PREFLIGHT_FUZZ_CASES` sets the number of cases per target (the test
//! suite's short run uses the default); a failing case is saved under
//! `tests/robustness.proptest-regressions` and replayed first on every later run.
use std::path::Path;

use preflight_core::analysis::parse::{check_coverage, parse_text};
use preflight_core::analysis::source::Source;
use preflight_core::diff::diff;
use preflight_core::plan::plan;
use preflight_core::report::ParseReport;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use time::{Date, Month, PrimitiveDateTime, Time};

/// Pieces a person's SQL is made of, good and broken: statements, typos,
/// unclosed parentheses, quotes, comments and bodies, line endings,
/// Markdown fences, NUL bytes and other scripts.
const PIECES: &[&str] = &[
    "create table t (id uuid primary key, owner uuid references auth.users);",
    "alter table t add column role text not null default 'user';",
    "alter table t rename to u;",
    "alter table t enable row level security, force row level security;",
    "create policy p on t for insert to authenticated with check (true);",
    "create policy q on t using ((select auth.uid()) = owner);",
    "create index concurrently i on t (role);",
    "create type e as enum ('a'); alter type e add value 'b';",
    "create view v as select * from t;",
    "create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end;",
    "create function g() returns trigger language plpgsql security definer as $$ begin return new; end $$;",
    "create rule r as on insert to t do instead (insert into u values (1); select 1);",
    "insert into t (id) values (gen_random_uuid());",
    "alter publication supabase_realtime add table t;",
    "drop table if exists t cascade;",
    "grant select on t to anon;",
    "begin;",
    "commit;",
    "do $$ begin perform 1; end $$;",
    "SELEC 1;",
    "create table x (id int;",
    "select 'oops",
    "select \"oops",
    "/* open",
    "*/",
    "$$",
    "$body$",
    "begin atomic",
    "end",
    "(",
    ")",
    ";",
    "'",
    "E'\\'",
    "-- comment\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\0",
    "\u{feff}",
    "é",
    "日本語",
    "```sql\n",
    "```\n",
    "# Step 1\n",
];

fn sql_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[ -~]{0,16}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.join(" "))
}

/// Everything a user's text goes through.
fn survives(sources: &[Source]) {
    for source in sources {
        let sql = source.sql();
        if let Err(broken) = check_coverage(&sql, &parse_text(&sql)) {
            panic!("{broken}\nin {:?}: {sql:?}", source.name);
        }
    }
    let planned = plan(sources, &[]);
    let _ = planned.to_text();
    let _ = planned.to_sql();
    let _ = planned.to_markdown();
    let _ = planned.to_dot();
    let _ = planned.to_mermaid();
    let new_year = Date::from_calendar_date(2026, Month::January, 1).expect("a date");
    let _ = planned.to_supabase_zip(PrimitiveDateTime::new(new_year, Time::MIDNIGHT));
    serde_json::to_string(&planned).expect("plans serialize");
    let _ = ParseReport::new(sources).to_text();
    let _ = diff(sources, &[]).to_text();
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PREFLIGHT_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(1000);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/robustness.proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// The fixtures' SQL files: real migrations to mutate.
fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut texts = Vec::new();
    for folder in std::fs::read_dir(root).expect("fixtures") {
        for file in std::fs::read_dir(folder.expect("a fixture").path()).expect("a folder") {
            let path = file.expect("a file").path();
            if path.extension().is_some_and(|e| e == "sql") {
                texts.push(std::fs::read_to_string(path).expect("UTF-8 fixture"));
            }
        }
    }
    texts.sort();
    texts
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: f64, len: usize },
    Insert { at: f64, piece: &'static str },
    Duplicate { at: f64, len: usize },
    Truncate { at: f64 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (at.clone(), prop::sample::select(PIECES))
            .prop_map(|(at, piece)| Mutation::Insert { at, piece }),
        (at.clone(), 1..200usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The character boundary nearest below the fraction `at` of `text`.
fn boundary(text: &str, at: f64) -> usize {
    let mut offset = (text.len() as f64 * at) as usize;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn mutate(text: &mut String, mutation: &Mutation) {
    match *mutation {
        Mutation::Delete { at, len } | Mutation::Duplicate { at, len } => {
            let start = boundary(text, at);
            let end = boundary(
                text,
                ((start + len) as f64 / text.len().max(1) as f64).min(1.0),
            );
            let end = end.max(start);
            match mutation {
                Mutation::Delete { .. } => {
                    text.replace_range(start..end, "");
                }
                _ => {
                    let copy = text[start..end].to_string();
                    text.insert_str(end, &copy);
                }
            }
        }
        Mutation::Insert { at, piece } => {
            let at = boundary(text, at);
            text.insert_str(at, piece);
        }
        Mutation::Truncate { at } => {
            let at = boundary(text, at);
            text.truncate(at);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_sql_is_covered_and_planned_in_every_format(a in sql_text(), b in sql_text()) {
        survives(&[Source::new("1_a.sql", a.clone()), Source::new("2_b.sql", b.clone())]);
        // The same text as a Markdown runbook.
        survives(&[Source::new("runbook.md", format!("# Runbook\n```sql\n{a}\n```\n{b}"))]);
    }

    #[test]
    fn mutated_fixtures_are_covered_and_planned_in_every_format(
        picks in prop::collection::vec((any::<prop::sample::Index>(), prop::collection::vec(mutation(), 1..6)), 1..4)
    ) {
        let fixtures = fixtures();
        let sources: Vec<Source> = picks
            .iter()
            .enumerate()
            .map(|(n, (pick, mutations))| {
                let mut text = pick.get(&fixtures).clone();
                for mutation in mutations {
                    mutate(&mut text, mutation);
                }
                Source::new(format!("{n}_mutated.sql"), text)
            })
            .collect();
        survives(&sources);
    }
}
