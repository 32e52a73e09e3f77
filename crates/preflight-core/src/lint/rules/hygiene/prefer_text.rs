//! varchar(n) where text would do.
use crate::diagnostics::Severity;
use crate::lint::sql;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF466",
    name: "prefer-text",
    group: Group::Hygiene,
    severity: Severity::Info,
    flags: "a column of type varchar(n)",
    why: "In PostgreSQL varchar(n) is text with a length check, stored the same way. Raising the limit later is a schema change, and shortening it rewrites the table; a CHECK (length(col) <= n) says the same and is changed in a moment.",
    also_in: "squawk prefer-text-field",
    fails: "create table notes (id int primary key, title varchar(100));",
    passes: "create table notes (id int primary key, title text check (length(title) <= 100));",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for (table, column, type_name) in sql::column_types(statement.node(), statement.unit.schema()) {
        if type_name == "varchar" {
            out.push(statement.finding(
                format!("{table}.{column} is a varchar"),
                "use text, with a CHECK on its length if it needs one",
            ));
        }
    }
}
