//! What the statements beyond tables, functions and policies do: each one's
//! facts, and an order they decide.
use preflight_core::analysis::parse::parse_text;
use preflight_core::analysis::source::Source;
use preflight_core::analysis::statements::analyze;
use preflight_core::plan::plan;

/// `action kind name` for every fact of the one statement in `sql`.
fn facts(sql: &str) -> Vec<String> {
    let parsed = parse_text(sql);
    assert!(parsed.errors.is_empty(), "{sql}: {:?}", parsed.errors);
    let facts = analyze(&parsed.statements[0].node, &["public".to_string()]);
    facts
        .facts
        .iter()
        .map(|fact| format!("{} {}", fact.action, fact.object))
        .collect()
}

fn has(sql: &str, expected: &[&str]) {
    let found = facts(sql);
    for fact in expected {
        assert!(
            found.iter().any(|f| f == fact),
            "{sql}: {fact} not in {found:#?}"
        );
    }
}

#[test]
fn data_statements_write_and_read_their_tables() {
    has(
        "copy notes (body) from stdin",
        &[
            "alters table public.notes",
            "reads column public.notes.body",
            "alters rows of public.notes",
        ],
    );
    has("copy notes to stdout", &["reads relation public.notes"]);
    has(
        "merge into notes n using drafts d on n.id = d.id when matched then update set body = d.body",
        &["alters table public.notes", "reads relation public.drafts", "reads column public.drafts.body"],
    );
    has(
        "lock table notes in exclusive mode",
        &["reads relation public.notes"],
    );
    has("reindex table notes", &["reads relation public.notes"]);
    // EXPLAIN plans the query: what it names must exist; nothing is written.
    let explained = facts("explain insert into notes (body) values ('x')");
    assert!(
        explained.contains(&"reads table public.notes".to_string()),
        "{explained:?}"
    );
    assert!(
        !explained
            .iter()
            .any(|f| f.starts_with("alters") || f.starts_with("creates")),
        "{explained:?}"
    );
}

#[test]
fn a_rule_belongs_to_its_table_and_needs_the_tables_its_actions_write() {
    let found = facts("create rule log_notes as on insert to notes do also insert into audit (note) values (new.id)");
    assert!(
        found.contains(&"creates rule log_notes on public.notes".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"reads relation public.audit".to_string()),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|f| f.ends_with(".new") || f.ends_with(" new")),
        "{found:?}"
    );
}

#[test]
fn roles_privileges_and_labels() {
    has(
        "alter default privileges for role owner in schema app grant select on tables to reader",
        &["reads schema app", "reads role owner", "reads role reader"],
    );
    has("drop role if exists reader", &["drops role reader"]);
    has(
        "alter role reader set statement_timeout = '5s'",
        &["alters role reader"],
    );
    has(
        "security label for selinux on table notes is 'x'",
        &["alters relation public.notes"],
    );
    has(
        "create user mapping for reader server remote",
        &["reads foreign server remote", "reads role reader"],
    );
}

#[test]
fn routines_and_what_they_define() {
    has("call app.archive(1)", &["reads function app.archive()"]);
    has(
        "create aggregate total (int) (sfunc = int4pl, stype = int)",
        &["creates function public.total()"],
    );
    has(
        "create type span as range (subtype = int)",
        &["creates type public.span"],
    );
    has(
        "alter domain email set not null",
        &["alters type public.email"],
    );
    has(
        "create cast (text as email) with function to_email(text)",
        &[
            "reads type public.email",
            "reads function public.to_email()",
        ],
    );
}

#[test]
fn a_call_runs_after_the_procedure_it_calls_is_created() {
    let plan = plan(
        &[
            Source::new("1_backfill.sql", "call backfill_notes();\n"),
            Source::new(
                "2_procedure.sql",
                "create procedure backfill_notes() language sql as $$ select 1 $$;\n",
            ),
        ],
        &[],
    );
    let titles: Vec<&str> = plan.steps.iter().map(|step| step.title.as_str()).collect();
    assert_eq!(titles, ["2_procedure.sql", "1_backfill.sql"]);
}
