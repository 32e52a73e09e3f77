//! A permissive policy that lets every row through a write.
use crate::diagnostics::Severity;
use crate::lint::sql::{is_true, Policy};
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF401",
    name: "policy-always-true",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "a permissive INSERT, UPDATE, DELETE or ALL policy for anon, authenticated or PUBLIC whose USING or WITH CHECK is always true",
    why: "Policies are how Supabase keeps the anon and authenticated keys out of other people's rows. A write policy that is always true lets anyone it applies to insert, change or delete any row, as if row level security were off.",
    also_in: "splinter 0024 rls_policy_always_true",
    fails: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"anyone can add\" on notes for insert to authenticated with check (true);",
    passes: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners add\" on notes for insert to authenticated with check ((select auth.uid()) = owner);
create policy \"anyone reads\" on notes for select using (true);
create policy \"the server writes\" on notes for all to service_role using (true) with check (true);",
    supabase_only: false,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(policy) = Policy::created(statement.node(), statement.unit.schema()) else {
        return;
    };
    // Roles that bypass row level security (service_role, postgres) gain
    // nothing from a policy: only the API's roles matter.
    let api_role = |role: &&str| matches!(*role, "public" | "anon" | "authenticated");
    if !policy.permissive || policy.command == "select" || !policy.roles.iter().any(api_role) {
        return;
    }
    let clause = match (policy.using, policy.with_check) {
        (Some(using), _) if is_true(using) => "USING (true)",
        (_, Some(check)) if is_true(check) => "WITH CHECK (true)",
        _ => return,
    };
    let command = policy.command.to_uppercase();
    let who = match policy.roles.as_slice() {
        [] | ["public"] => "every role (anon included)".to_string(),
        roles => roles.join(", "),
    };
    out.push(statement.finding(
        format!(
            "policy \"{}\" on {} lets {who} {command} any row: its {clause} is always true",
            policy.name, policy.table
        ),
        "say who may write which rows, e.g. WITH CHECK ((select auth.uid()) = user_id); if the table really is open to writes, say so with an ignore comment and a reason",
    ));
}
