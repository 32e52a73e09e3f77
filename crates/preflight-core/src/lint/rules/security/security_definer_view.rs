//! A view the Data API serves that reads past row level security.
use pg_query::protobuf::Token;
use pg_query::NodeEnum;

use crate::analysis::facts::{Action, Change};
use crate::analysis::names::QualifiedName;
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{fix, sql, Ahead, Check, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF412",
    name: "security-definer-view",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "a view in an exposed schema without security_invoker = true",
    why: "A view runs with its owner's rights (on Supabase usually postgres), so it reads its tables past their row level security: anyone who may select from the view sees every row. Since PostgreSQL 15, WITH (security_invoker = true) makes it check the caller's policies.",
    also_in: "splinter 0010 security_definer_view",
    fails: "create table notes (id int primary key, owner uuid);
alter table notes enable row level security;
create view public.my_notes as select id from notes;",
    passes: "create table notes (id int primary key, owner uuid);
alter table notes enable row level security;
create view public.my_notes with (security_invoker = true) as select id from notes;
create view public.note_ids as select id from notes;
alter view public.note_ids set (security_invoker = true);",
    supabase_only: true,
    fix: Some(Applicability::Unsafe),
    check: Check::Ahead(check),
};

fn check(statement: &Ahead, out: &mut Vec<Finding>) {
    // `security_invoker` came with PostgreSQL 15: before, every view is so.
    let NodeEnum::ViewStmt(s) = statement.node() else {
        return;
    };
    if statement.settings.postgres < 15 {
        return;
    }
    let invoker = s.options.iter().any(|option| match &option.node {
        Some(NodeEnum::DefElem(def)) => def.defname == "security_invoker" && sql::is_on(def),
        _ => false,
    });
    let Some(view) = statement.exposed_view_created() else {
        return;
    };
    if invoked_in_the_end(statement, &view, invoker) {
        return;
    }
    // `WITH (security_invoker = true)` goes before AS, when there is no WITH yet.
    let tokens = statement.tokens();
    let fix = (s.options.is_empty())
        .then(|| sql::top_level(tokens, Token::As))
        .flatten()
        .map(|(start, _)| {
            fix(
                "make it check the caller's policies",
                Applicability::Unsafe,
                statement.edit(start, start, "WITH (security_invoker = true) "),
            )
        });
    out.push(
        statement
            .finding(
                format!("view {view} reads its tables with its owner's rights, past their row level security"),
                "create it WITH (security_invoker = true), so the caller's policies apply",
            )
            .with_fix(fix),
    );
}

/// Whether the view checks its caller's policies once the later statements
/// have run: an ALTER VIEW ... SET (security_invoker) may turn it on or off,
/// until the view is created again (that statement is judged on its own).
fn invoked_in_the_end(statement: &Ahead, view: &QualifiedName, mut invoker: bool) -> bool {
    for unit in statement.later_in_plan() {
        let recreated = (unit.facts.facts.iter()).any(|fact| {
            fact.action == Action::Creates
                && fact.object.kind.is_relation()
                && fact.object.name == *view
        });
        if recreated {
            break;
        }
        for change in &unit.facts.changes {
            if let Change::RelationOption { table, name, value } = change {
                if table == view && name == "security_invoker" {
                    invoker = value
                        .as_deref()
                        .is_some_and(|v| matches!(v, "true" | "on" | "1" | "yes"));
                }
            }
        }
    }
    invoker
}
