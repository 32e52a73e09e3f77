//! A foreign key whose columns no index leads with.
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{fix, Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF464",
    name: "unindexed-foreign-key",
    group: Group::Hygiene,
    severity: Severity::Info,
    flags: "a foreign key whose columns are not the first columns of any index or key of its table",
    why: "Joins and policies that follow the foreign key scan the whole table, and every delete or key update of the referenced row scans it too, under lock. PostgreSQL indexes the referenced key, never the referencing columns.",
    also_in: "splinter 0001 unindexed_foreign_keys",
    fails: "create table notes (id int primary key, owner uuid references auth.users (id));",
    passes: "create table notes (id int primary key, owner uuid references auth.users (id));
create index notes_owner_idx on notes (owner);",
    supabase_only: false,
    fix: Some(Applicability::Safe),
    check: Check::End(check),
};

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        let indexed = end.catalog.indexed_columns(table);
        for key in end.catalog.foreign_keys(table) {
            let covered = indexed
                .iter()
                .any(|columns| columns.starts_with(&key.columns));
            let Some(unit) = end
                .creator(table)
                .filter(|_| !covered && !key.columns.is_empty())
            else {
                continue;
            };
            let name = format!("{}_{}_idx", table.name, key.columns.join("_"));
            let index = format!(
                "CREATE INDEX {name} ON {table} ({});",
                key.columns.join(", ")
            );
            out.push(
                Finding::new(
                    unit,
                    format!(
                        "the foreign key {table} ({}) → {} has no index: lookups along it scan the table",
                        key.columns.join(", "),
                        key.references
                    ),
                    format!("add `{index}`"),
                )
                .with_fix(Some(fix("index the foreign key's columns", Applicability::Safe, end.insert_after(unit, &index)))),
            );
        }
    }
}
