//! A table without a primary key.
use crate::diagnostics::Severity;
use crate::lint::{Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF463",
    name: "no-primary-key",
    group: Group::Hygiene,
    severity: Severity::Info,
    flags: "a table the plan creates that ends it without a primary key",
    why: "Without a primary key rows cannot be told apart: the Supabase dashboard cannot edit them, Realtime and logical replication cannot send their updates and deletes, and duplicates creep in.",
    also_in: "splinter 0004 no_primary_key",
    fails: "create table events (at timestamptz, what text);",
    passes: "create table events (id bigint generated always as identity primary key, at timestamptz, what text);",
    supabase_only: false,
    fix: None,
    check: Check::End(check),
};

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        if end.catalog.primary_key(table).is_some() {
            continue;
        }
        if let Some(unit) = end.creator(table) {
            out.push(Finding::new(
                unit,
                format!("{table} has no primary key"),
                "add one: a bigint GENERATED ALWAYS AS IDENTITY or uuid column, or the columns that identify a row",
            ));
        }
    }
}
