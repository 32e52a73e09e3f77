//! An index built on a live table without CONCURRENTLY.
use pg_query::protobuf::Token;
use pg_query::NodeEnum;

use crate::analysis::names::QualifiedName;
use crate::diagnostics::{Applicability, Severity};
use crate::lint::sql;
use crate::lint::{fix, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF420",
    name: "require-concurrent-index",
    group: Group::Locks,
    severity: Severity::Warning,
    flags: "CREATE INDEX without CONCURRENTLY on a table that existed before the plan",
    why: "A plain CREATE INDEX holds a SHARE lock for the whole build: every insert, update and delete of the table waits, and on a big table the app stalls for minutes. CONCURRENTLY builds it without blocking writes (but cannot run inside a transaction block, so run it as its own step). A table the plan creates holds no rows yet: its indexes are not flagged.",
    also_in: "squawk require-concurrent-index-creation, eugene E6",
    fails: "create index notes_owner_idx on auth.users (email);",
    passes: "create index concurrently users_email_idx on auth.users (email);
create table notes (id bigint primary key, owner uuid);
create index notes_owner_idx on notes (owner);",
    supabase_only: false,
    fix: Some(Applicability::Unsafe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let NodeEnum::IndexStmt(index) = statement.node() else {
        return;
    };
    let Some(relation) = &index.relation else {
        return;
    };
    let table = QualifiedName::relation(relation, statement.unit.schema());
    if statement.unit.facts.concurrently || !statement.existed_before_plan(&table) {
        return;
    }
    let tokens = statement.tokens();
    let fix = sql::top_level(tokens, Token::Index).map(|(_, end)| {
        fix(
            "build it CONCURRENTLY (as a step of its own, outside a transaction)",
            Applicability::Unsafe,
            statement.edit(end, end, " CONCURRENTLY"),
        )
    });
    out.push(
        statement
            .finding(
                format!("this index on existing {table} blocks every write to it while it builds"),
                "use CREATE INDEX CONCURRENTLY, in a step of its own (it cannot run in a transaction block)",
            )
            .with_fix(fix),
    );
}
