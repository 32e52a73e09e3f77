//! Renaming a column clients use.
use crate::analysis::facts::ObjectKind;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF453",
    name: "rename-column",
    group: Group::Destructive,
    severity: Severity::Warning,
    flags: "renaming a column that existed before the plan",
    why: "Clients that select, filter on or write the old name fail from the moment the step runs; function bodies that name it fail when they next run.",
    also_in: "squawk renaming-column, Atlas BC102",
    fails: "alter table auth.users rename column phone to mobile;",
    passes: "create table notes (id int primary key, txt text);
alter table notes rename column txt to body;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for object in statement.renamed_existing(|kind| kind == ObjectKind::Column) {
        out.push(statement.finding(
            format!("renaming existing {object} breaks every client and function body that still uses the old name"),
            "add the new column alongside (kept in step by a trigger or a generated column), move the clients, then drop the old one",
        ));
    }
}
