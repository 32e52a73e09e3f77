//! Dropping a table that holds data.
use crate::analysis::facts::Action;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF450",
    name: "drop-table",
    group: Group::Destructive,
    severity: Severity::Warning,
    flags: "DROP TABLE of a table that existed before the plan",
    why: "Its rows are gone for good (only a backup brings them back), and every client, view, function and policy that uses it breaks. A table the plan itself created holds nothing yet and is not flagged.",
    also_in: "squawk ban-drop-table, Atlas DS102",
    fails: "drop table auth.audit_log_entries;",
    passes: "create table scratch (id int primary key);
drop table scratch;",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for fact in &statement.unit.facts.facts {
        if fact.action == Action::Drops
            && fact.object.kind.is_relation()
            && statement.existed_before_plan(&fact.object.name)
        {
            let table = &fact.object.name;
            out.push(statement.finding(
                format!("dropping existing {table} deletes its rows for good and breaks what still uses it"),
                "make sure a backup exists and nothing reads it any more (rename it first and wait a release, then drop it)",
            ));
        }
    }
}
