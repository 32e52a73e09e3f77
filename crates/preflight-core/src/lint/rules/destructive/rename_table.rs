//! Renaming a table or view clients use.
use crate::analysis::facts::ObjectKind;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF452",
    name: "rename-table",
    group: Group::Destructive,
    severity: Severity::Warning,
    flags: "renaming a table or view that existed before the plan",
    why: "Every client, Data API call, function body and policy text that names the old name fails from the moment the step runs (PostgreSQL follows views and foreign keys, not code).",
    also_in: "squawk renaming-table, Atlas BC101",
    fails: "alter table auth.users rename to accounts;",
    passes: "create table draft (id int primary key);
alter table draft rename to notes;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for object in statement.renamed_existing(ObjectKind::is_relation) {
        out.push(statement.finding(
            format!("renaming existing {object} breaks every client and function body that still uses the old name"),
            "create the new name as a view of the old one, move the clients, then swap them",
        ));
    }
}
