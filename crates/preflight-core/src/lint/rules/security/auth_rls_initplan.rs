//! `auth.uid()` in a policy, called once per row instead of once per query.
use crate::diagnostics::{Applicability, Fix, Severity};
use crate::lint::sql::{self, Policy};
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF403",
    name: "auth-rls-initplan",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "auth.uid(), auth.jwt(), auth.role(), auth.email() or current_setting() in a policy, not wrapped in (select ...)",
    why: "A bare call is evaluated for every row the query scans; wrapped in (select ...) PostgreSQL runs it once per query (an initPlan). On large tables the bare form makes every request slow.",
    also_in: "splinter 0003 auth_rls_initplan",
    fails: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners read\" on notes for select to authenticated using (auth.uid() = owner);",
    passes: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners read\" on notes for select to authenticated using ((select auth.uid()) = owner);",
    supabase_only: true,
    fix: Some(Applicability::Safe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let calls = bare_calls(statement.policy_expressions());
    let Some(first) = calls.first() else {
        return;
    };
    let Some(policy) = Policy::created(statement.node(), statement.unit.schema()) else {
        return;
    };
    let tokens = statement.tokens();
    let mut edits = Vec::new();
    for call in &calls {
        let Some(start) = statement.offset_of(call.location) else {
            return;
        };
        let Some(end) = sql::call_end(tokens, start) else {
            return;
        };
        edits.push(statement.edit(start, start, "(select "));
        edits.push(statement.edit(end, end, ")"));
    }
    out.push(
        statement
            .finding(
                format!(
                    "policy \"{}\" on {} calls {}() for every row it checks",
                    policy.name,
                    policy.table,
                    first.name.join(".")
                ),
                "wrap the call in (select ...): PostgreSQL then runs it once per query",
            )
            .with_fix(Some(Fix {
                title: "wrap each call in (select ...)".into(),
                applicability: Applicability::Safe,
                edits,
            })),
    );
}

/// The calls asking who the user is that run once per row.
fn bare_calls(expressions: &[crate::analysis::compact::Tree]) -> Vec<sql::Call> {
    (expressions.iter())
        .flat_map(sql::calls)
        .filter(|call| sql::asks_who(call) && !call.in_subquery)
        .collect()
}
