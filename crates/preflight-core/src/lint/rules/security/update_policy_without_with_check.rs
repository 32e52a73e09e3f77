//! An UPDATE policy that does not say what an updated row may become.
use crate::diagnostics::{Applicability, Severity};
use crate::lint::sql::Policy;
use crate::lint::{fix, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF417",
    name: "update-policy-without-with-check",
    group: Group::Security,
    severity: Severity::Info,
    flags: "a permissive UPDATE policy with USING and no WITH CHECK",
    why: "USING says which rows may be updated; WITH CHECK what they may become. Without it PostgreSQL checks the new row with USING too, which is right only when the two conditions should be the same: a policy that lets a team's editors update rows usually means to stop them moving a row to another team. Supabase's guide writes both.",
    also_in: "Supabase's row level security guide",
    fails: "create table notes (id int primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners update\" on notes for update to authenticated using ((select auth.uid()) = owner);",
    passes: "create table notes (id int primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners update\" on notes for update to authenticated
  using ((select auth.uid()) = owner) with check ((select auth.uid()) = owner);",
    supabase_only: false,
    fix: Some(Applicability::Safe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(policy) = Policy::created(statement.node(), statement.unit.schema()) else {
        return;
    };
    let (Some(using), None, true, "update") = (
        policy.using,
        policy.with_check,
        policy.permissive,
        policy.command,
    ) else {
        return;
    };
    // The same condition, written out: what PostgreSQL does without it.
    let condition = crate::catalog::normal::expression_sql(using);
    let end = statement.text().len();
    out.push(
        statement
            .finding(
                format!("policy \"{}\" on {} does not say what an updated row may become: PostgreSQL checks it with USING too", policy.name, policy.table),
                "add WITH CHECK (...) with the condition an updated row must meet",
            )
            .with_fix(Some(fix(
                "say WITH CHECK with the USING condition (what PostgreSQL does now)",
                Applicability::Safe,
                statement.edit(end, end, format!(" WITH CHECK ({condition})")),
            ))),
    );
}
