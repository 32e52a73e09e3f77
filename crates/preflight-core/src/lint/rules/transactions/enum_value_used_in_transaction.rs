//! A new enum value used before the transaction that added it commits.
use crate::analysis::facts::Change;
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
    let added = statement.enum_additions_in_transaction().flat_map(|unit| {
        (unit.facts.changes.iter()).filter_map(|change| match change {
            Change::EnumValue { type_name, value } => {
                Some((type_name, value, unit.statement.start.line))
            }
            _ => None,
        })
    });
    for (type_name, value, line) in added {
        // Only a statement whose text has the value can use it.
        if statement.text().contains(value.as_str()) && sql::mentions(statement.node(), value) {
            out.push(statement.finding(
                format!("uses '{value}', which line {line} adds to {type_name} in the same transaction: PostgreSQL refuses it until that commits"),
                "add the value in an earlier migration (or COMMIT after the ALTER TYPE), then use it",
            ));
        }
    }
}
