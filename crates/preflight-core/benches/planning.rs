//! Planning time against bare parsing time (and against parsing with the
//! facts read, which every plan starts with), for each corpus history (read
//! from ../shared/corpus when present) and for a generated 10,000-statement
//! schema; and the page's analysis (plan and parse report) after an edit
//! to the last file, and to the first (the other files reused). Run with `cargo bench -p preflight-core`.
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use preflight_core::analysis::parse::parse_source;
use preflight_core::analysis::source::Source;
use preflight_core::plan::{analyse_reusing, plan, Options, Reuse};
use preflight_core::report::ParseReport;

// The tests' helper that reads a folder of SQL files.
#[path = "../tests/support/mod.rs"]
mod support;
use support::read_folder;

/// 2,000 tables, each with a foreign key to an earlier one, an index, RLS
/// and a policy: 10,000 statements in 100 files, given in reverse order.
fn generated_schema() -> Vec<Source> {
    let mut files = Vec::new();
    for file in 0..100 {
        let mut sql = String::new();
        for table in file * 20..(file + 1) * 20 {
            let parent = if table == 0 {
                String::new()
            } else {
                format!(
                    ",\n    parent_id bigint REFERENCES public.t{} (id)",
                    table - 1
                )
            };
            sql.push_str(&format!(
                "CREATE TABLE public.t{table} (\n    id bigint PRIMARY KEY,\n    owner uuid NOT NULL,\n    body text{parent}\n);\n\
                 CREATE INDEX t{table}_owner ON public.t{table} (owner);\n\
                 ALTER TABLE public.t{table} ENABLE ROW LEVEL SECURITY;\n\
                 CREATE POLICY \"own rows\" ON public.t{table} FOR SELECT USING (owner = auth.uid());\n\
                 COMMENT ON COLUMN public.t{table}.body IS 'text';\n"
            ));
        }
        files.push(Source::new(format!("{:03}_part.sql", 99 - file), sql));
    }
    files
}

/// The example the web app opens with.
fn example() -> Vec<Source> {
    read_folder(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/team-notes"))
}

fn corpus() -> Vec<(String, Vec<Source>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(projects) = std::fs::read_dir(&dir) else {
        eprintln!(
            "corpus benchmarks SKIPPED: {} is not present",
            dir.display()
        );
        return Vec::new();
    };
    let mut found = Vec::new();
    for project in projects.flatten().filter(|entry| entry.path().is_dir()) {
        let name = project.file_name().to_string_lossy().into_owned();
        found.push((name, read_folder(&project.path())));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn bench(c: &mut Criterion) {
    let mut sets = corpus();
    sets.push(("team-notes example".into(), example()));
    sets.push(("generated-10k".into(), generated_schema()));
    for (name, sources) in &sets {
        let statements: usize = sources
            .iter()
            .map(|s| parse_source(s).statements.len())
            .sum();
        let mut group = c.benchmark_group(format!("{name} ({statements} statements)"));
        group.sample_size(10);
        group.bench_function("parse", |b| {
            b.iter(|| {
                sources
                    .iter()
                    .map(|s| parse_source(s).statements.len())
                    .sum::<usize>()
            })
        });
        // What every plan reads before it orders anything: each statement
        // parsed and its facts found (the parse report).
        group.bench_function("parse and facts", |b| {
            b.iter(|| ParseReport::new(sources).statement_count())
        });
        group.bench_function("plan", |b| b.iter(|| plan(sources, &[]).steps.len()));
        // As the page's worker plans after each pause in typing: one file
        // edited, the others as parsed for the previous plan; with the parse
        // report, as the page asks. People mostly edit the newest file,
        // whose steps come last: the replay resumes before them. An edit of
        // the first file replays everything.
        for (which, file) in [("last", sources.len() - 1), ("first", 0)] {
            let mut reuse = Reuse::default();
            let mut edited = sources.clone();
            analyse_reusing(&edited, &[], Options::default(), &mut reuse);
            let original = edited[file].text.clone();
            let with_comment = format!("{original}\n-- edited\n");
            let mut edits = 0;
            group.bench_function(format!("analysis after an edit of the {which} file"), |b| {
                b.iter(|| {
                    // Each text differs from the last one planned.
                    edits += 1;
                    edited[file].text.clone_from(match edits % 2 {
                        1 => &with_comment,
                        _ => &original,
                    });
                    analyse_reusing(&edited, &[], Options::default(), &mut reuse)
                        .plan
                        .steps
                        .len()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
