//! A constraint that holds only if the rows already there obey it.
use crate::analysis::facts::{Change, ConstraintKind};
use crate::analysis::names::QualifiedName;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};
use pg_query::NodeEnum;

pub const RULE: Rule = Rule {
    code: "PF455",
    name: "data-dependent-change",
    group: Group::Destructive,
    severity: Severity::Warning,
    flags: "a unique index, UNIQUE or PRIMARY KEY constraint, CHECK or SET NOT NULL on a table that already has rows (it existed before the plan, or the plan inserted into it earlier)",
    why: "The statement fails if a single row breaks it, and whether one does depends on the data, not on the SQL: it runs on staging and fails in production. Check the rows first.",
    also_in: "Atlas MF101, MF103",
    fails: "create table plans (code text, price int);
insert into plans values ('free', 0);
alter table plans alter column price set not null;",
    passes: "create table plans (code text, price int);
alter table plans alter column price set not null;
insert into plans values ('free', 0);",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    for (table, what, query) in demands(statement) {
        let filled = statement.existed_before_plan(&table) || statement.rows_added_before(&table);
        if filled {
            out.push(statement.finding(
                format!("{what} fails if a row of {table} already breaks it"),
                format!("check the rows before running it: {query}"),
            ));
        }
    }
}

/// What the statement demands of a table's rows: (table, in words, a query
/// that finds the rows that break it).
fn demands(statement: &Statement) -> Vec<(QualifiedName, String, String)> {
    let mut found = Vec::new();
    if let NodeEnum::IndexStmt(index) = statement.node() {
        let columns = crate::analysis::statements::key_columns(index);
        if let (Some(relation), Some(columns)) = (&index.relation, columns) {
            let table = QualifiedName::relation(relation, statement.unit.schema());
            let list = columns.join(", ");
            let query = format!(
                "SELECT {list}, count(*) FROM {table} GROUP BY {list} HAVING count(*) > 1;"
            );
            found.push((table, format!("the unique index on ({list})"), query));
        }
    }
    for change in &statement.unit.facts.changes {
        match change {
            Change::NotNull {
                table,
                column,
                set: true,
            } => found.push((
                table.clone(),
                format!("SET NOT NULL on {column}"),
                format!("SELECT count(*) FROM {table} WHERE {column} IS NULL;"),
            )),
            Change::AddConstraint {
                table,
                name,
                kind,
                not_valid: false,
                ..
            } => {
                let what = match kind {
                    ConstraintKind::Unique | ConstraintKind::PrimaryKey => {
                        "duplicates or NULLs in its columns"
                    }
                    ConstraintKind::Check => "rows where its condition is false",
                    _ => continue,
                };
                found.push((
                    table.clone(),
                    format!("constraint {name}"),
                    format!("look for {what} first"),
                ));
            }
            _ => {}
        }
    }
    found
}
