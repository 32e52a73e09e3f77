//! Policies written for a table whose row level security is off.
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF408",
    name: "policy-exists-rls-disabled",
    group: Group::Security,
    severity: Severity::Error,
    flags: "a table with policies that ends the plan with row level security off",
    why: "Policies only apply once row level security is enabled. Until then they give a false sense of safety: every role with a grant on the table sees and changes every row.",
    also_in: "splinter 0007 policy_exists_rls_disabled",
    fails: "create table notes (id bigint primary key, owner uuid);
create policy \"owners read\" on notes for select to authenticated using ((select auth.uid()) = owner);",
    passes: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners read\" on notes for select to authenticated using ((select auth.uid()) = owner);",
    supabase_only: false,
    fix: Some(Applicability::Unsafe),
    check: Check::End(check),
};

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        let policies: Vec<&str> = (end.catalog.policies(table))
            .map(|key| key.object.name.name.as_str())
            .collect();
        if policies.is_empty() || end.catalog.row_security(table) {
            continue;
        }
        let Some(unit) = end.creator(table) else {
            continue;
        };
        let (enable, fix) = end.enabling_row_security(unit, table);
        out.push(
            Finding::new(
                unit,
                format!(
                    "{table} has policies ({}) but row level security stays off, so they change nothing",
                    policies.join(", ")
                ),
                format!("add `{enable}`"),
            )
            .with_fix(Some(fix)),
        );
    }
}
