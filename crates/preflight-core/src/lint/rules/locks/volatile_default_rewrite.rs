//! A column added to a live table with a value PostgreSQL must compute
//! row by row: the table is rewritten under an exclusive lock.
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

use crate::analysis::compact;
use crate::analysis::names::QualifiedName;
use crate::diagnostics::Severity;
use crate::lint::{sql, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF426",
    name: "volatile-default-rewrite",
    group: Group::Locks,
    severity: Severity::Warning,
    flags: "ADD COLUMN on a table that existed before the plan with a volatile default (gen_random_uuid(), random(), clock_timestamp(), nextval()...), a serial type, an identity, or GENERATED ... STORED",
    why: "A constant or now() default is stored once, and the column appears instantly. A value that differs per row has to be written into every row: the whole table is rewritten while every read and write waits.",
    also_in: "squawk adding-field-with-default, eugene E3",
    fails: "alter table auth.users add column token uuid default gen_random_uuid();",
    passes: "alter table auth.users add column joined timestamptz default now();
create table notes (id int primary key);
alter table notes add column token uuid default gen_random_uuid();",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

/// Functions whose value differs per row or per call.
const VOLATILE: [&str; 8] = [
    "gen_random_uuid",
    "uuid_generate_v4",
    "uuid_generate_v1",
    "random",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
];

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let NodeEnum::AlterTableStmt(s) = statement.node() else {
        return;
    };
    let Some(table) = s
        .relation
        .as_ref()
        .map(|r| QualifiedName::relation(r, statement.unit.schema()))
    else {
        return;
    };
    if !statement.existed_before_plan(&table) {
        return;
    }
    for cmd in &s.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
            continue;
        };
        let Some(NodeEnum::ColumnDef(column)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
        else {
            continue;
        };
        if cmd.subtype != AlterTableType::AtAddColumn as i32 {
            continue;
        }
        if let Some(why) = per_row_value(column) {
            out.push(statement.finding(
                format!("adding {table}.{} with {why} rewrites every row of existing {table} while reads and writes wait", column.colname),
                "add the column without a default (or with a constant), fill it in batches, then set the default for new rows",
            ));
        }
    }
}

/// What makes the new column's value differ per row, if anything.
fn per_row_value(column: &pg_query::protobuf::ColumnDef) -> Option<String> {
    let type_name = column
        .type_name
        .as_ref()
        .and_then(|t| t.names.last())
        .and_then(crate::analysis::names::string_value);
    if let Some(serial) = type_name.filter(|t| t.contains("serial")) {
        return Some(format!("type {serial}"));
    }
    for constraint in &column.constraints {
        let Some(NodeEnum::Constraint(c)) = &constraint.node else {
            continue;
        };
        match ConstrType::try_from(c.contype) {
            Ok(ConstrType::ConstrIdentity) => return Some("an identity".into()),
            Ok(ConstrType::ConstrGenerated) => return Some("a stored generated value".into()),
            Ok(ConstrType::ConstrDefault) => {
                let expression = compact::with_positions(c.raw_expr.as_deref()?);
                let volatile = sql::calls(&expression).into_iter().find(|call| {
                    call.name
                        .last()
                        .is_some_and(|name| VOLATILE.contains(&name.as_str()))
                });
                if let Some(call) = volatile {
                    return Some(format!("the default {}()", call.name.join(".")));
                }
            }
            _ => {}
        }
    }
    None
}
