//! A new enum value used before the transaction that added it commits.
use crate::analysis::facts::Change;
use crate::analysis::kind::StatementKind;
use crate::diagnostics::Severity;
use crate::lint::{sql, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF431",
    name: "enum-value-used-in-transaction",
    group: Group::Transactions,
    severity: Severity::Error,
    flags: "a value added by ALTER TYPE ... ADD VALUE used later in the same file with no COMMIT between",
    why: "PostgreSQL refuses to use a new enum value before the transaction that added it commits (\"unsafe use of new value\"). The Supabase CLI runs each migration file in one transaction, and the SQL editor runs a pasted script as one: the statement fails and the file rolls back.",
    also_in: "",
    fails: "create type mood as enum ('happy', 'sad');
create table notes (id int primary key, mood mood);
alter type mood add value 'calm';
update notes set mood = 'calm' where mood = 'sad';",
    passes: "create type mood as enum ('happy', 'sad');
create table notes (id int primary key, mood mood);
begin;
alter type mood add value 'calm';
commit;
update notes set mood = 'calm' where mood = 'sad';",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    // The values added since the file's last COMMIT or ROLLBACK.
    let mut added = Vec::new();
    for unit in statement.earlier_in_file() {
        match unit.facts.kind {
            StatementKind::Commit | StatementKind::Rollback => added.clear(),
            _ => added.extend(unit.facts.changes.iter().filter_map(|change| match change {
                Change::EnumValue { type_name, value } => {
                    Some((type_name, value, unit.statement.start.line))
                }
                _ => None,
            })),
        }
    }
    if added.is_empty() {
        return;
    }
    let Ok(tree) = serde_json::to_value(statement.node()) else {
        return;
    };
    for (type_name, value, line) in added {
        if sql::mentions(&tree, value) {
            out.push(statement.finding(
                format!("uses '{value}', which line {line} adds to {type_name} in the same transaction: PostgreSQL refuses it until that commits"),
                "add the value in an earlier migration (or COMMIT after the ALTER TYPE), then use it",
            ));
        }
    }
}
