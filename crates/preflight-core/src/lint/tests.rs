//! Every rule's examples are its tests: the failing one makes it speak,
//! the passing one keeps it quiet.
use super::RULES;
use crate::analysis::source::Source;
use crate::plan::plan;

fn findings(rule: &str, sql: &str) -> Vec<String> {
    let plan = plan(&[Source::new("example.sql", sql)], &[]);
    (plan.diagnostics.iter())
        .filter(|d| d.rule.as_deref() == Some(rule))
        .map(|d| d.to_text())
        .collect()
}

#[test]
fn every_rule_flags_its_failing_example_and_not_its_passing_one() {
    for rule in RULES {
        let failing = findings(rule.name, rule.fails);
        assert!(
            !failing.is_empty(),
            "{}: nothing found in\n{}",
            rule.name,
            rule.fails
        );
        let passing = findings(rule.name, rule.passes);
        assert!(passing.is_empty(), "{}: {passing:#?}", rule.name);
    }
}

/// A fix that edits the wrong bytes leaves SQL that fails to parse, or a
/// finding that stays: every fix, applied to its rule's failing example
/// with a statement in front (so offsets are not the file's start), must
/// silence the rule and add no error; also after a syntax error, when each
/// statement is parsed on its own.
#[test]
fn every_fix_silences_its_rule() {
    let errors = |diagnostics: &[crate::diagnostics::Diagnostic]| -> Vec<String> {
        (diagnostics.iter())
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| d.message.clone())
            .collect()
    };
    let fixable = RULES.iter().filter(|rule| rule.fix.is_some());
    let prefixes = [
        "create schema if not exists elsewhere;\n",
        "select from from;\n",
    ];
    for (rule, prefix) in fixable.flat_map(|rule| prefixes.map(|prefix| (rule, prefix))) {
        let sql = format!("{prefix}{}", rule.fails);
        let sources = [Source::new("example.sql", sql)];
        let found = plan(&sources, &[]).diagnostics;
        let own: Vec<_> = (found.iter())
            .filter(|d| d.rule.as_deref() == Some(rule.name))
            .cloned()
            .collect();
        let fixed = super::fix::apply(&sources, &own, true);
        assert!(!fixed.applied.is_empty(), "{}: no fix offered", rule.name);
        let again = plan(&fixed.changed, &[]).diagnostics;
        let text = &fixed.changed[0].text;
        assert!(
            again.iter().all(|d| d.rule.as_deref() != Some(rule.name)),
            "{}: still flagged after its fix:\n{text}",
            rule.name
        );
        let before = errors(&found);
        let added: Vec<String> = (errors(&again).into_iter())
            .filter(|error| !before.contains(error))
            .collect();
        assert!(
            added.is_empty(),
            "{}: the fix broke\n{text}\n{added:#?}",
            rule.name
        );
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    for (at, rule) in RULES.iter().enumerate() {
        assert!(
            rule.code.starts_with("PF4") && rule.code.len() == 5,
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            rule.name
        );
        for other in &RULES[at + 1..] {
            assert_ne!(rule.code, other.code);
            assert_ne!(rule.name, other.name);
        }
    }
}

fn diagnostics(sql: &str) -> Vec<(String, Option<String>, u32, String)> {
    let plan = plan(&[Source::new("example.sql", sql)], &[]);
    (plan.diagnostics.into_iter())
        .filter(|d| d.rule.is_some() || d.code == crate::diagnostics::codes::IGNORE_COMMENT)
        .filter(|d| d.rule.as_deref() != Some("not-rerunnable"))
        .map(|d| (d.code, d.rule, d.line, d.message))
        .collect()
}

#[test]
fn an_ignore_comment_silences_the_rules_it_names_where_it_stands() {
    let sql = "-- preflight-ignore rls-disabled-in-public -- reference data, read-only by grants
create table public.countries (code text primary key);
create table public.notes (id int primary key); -- preflight-ignore rls-disabled-in-public
create table public.secrets (id int primary key);
";
    let found = diagnostics(sql);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].1.as_deref(), Some("rls-disabled-in-public"));
    assert_eq!(found[0].2, 4, "only the table no comment names: {found:#?}");
}

#[test]
fn an_ignore_comment_that_names_no_rule_or_silences_nothing_is_reported() {
    let sql = "-- preflight-ignore-file rls-disabled-in-public
create table public.a (id int primary key);
-- preflight-ignore policy-always-true
create table public.b (id int primary key);
-- preflight-ignore no-such-rule
create table public.c (id int primary key);
-- preflight-ignore
create table public.d (id int primary key);
";
    let found = diagnostics(sql);
    let messages: Vec<(u32, &str)> = found.iter().map(|d| (d.2, d.3.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                3,
                "this ignore comment silences nothing: no policy-always-true finding here"
            ),
            (5, "no rule is named no-such-rule"),
            (
                7,
                "this ignore comment names no rule, and nothing is ignored wholesale"
            ),
        ],
        "{found:#?}"
    );
}

#[test]
fn a_fix_preview_shows_the_lines_it_changes_before_and_after() {
    use crate::diagnostics::Edit;
    let text =
        "create table a (id int);\ncreate policy p on a\n  using (auth.uid() = id);\nselect 1;\n";
    let at = text.find("auth.uid()").unwrap();
    let edit = |start: usize, end: usize, replacement: &str| Edit {
        file: "f.sql".into(),
        start,
        end,
        replacement: replacement.into(),
    };
    let edits = [edit(at, at, "(select "), edit(at + 10, at + 10, ")")];
    let refs: Vec<&Edit> = edits.iter().collect();
    let preview = super::fix::preview(text, &refs).unwrap();
    assert_eq!(preview.line, 3);
    assert_eq!(preview.before, ["  using (auth.uid() = id);"]);
    assert_eq!(preview.after, ["  using ((select auth.uid()) = id);"]);
    // A fix that adds a line shows it among the lines after.
    let drop = [edit(25, 25, "drop policy if exists p on a;\n")];
    let preview = super::fix::preview(text, &drop.iter().collect::<Vec<_>>()).unwrap();
    assert_eq!(preview.before, ["create policy p on a"]);
    assert_eq!(
        preview.after,
        ["drop policy if exists p on a;", "create policy p on a"]
    );
}
