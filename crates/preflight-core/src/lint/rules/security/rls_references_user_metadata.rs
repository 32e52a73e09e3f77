//! A policy that trusts `user_metadata`, which users can edit.
use crate::diagnostics::Severity;
use crate::lint::sql::{self, Policy};
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF404",
    name: "rls-references-user-metadata",
    group: Group::Security,
    severity: Severity::Error,
    flags: "a policy that reads user_metadata from auth.jwt()",
    why: "user_metadata (raw_user_meta_data) is written by the user through supabase.auth.updateUser(): a policy that trusts it lets anyone grant themselves what it checks, e.g. a role. Roles belong in app_metadata, which only the service role can change, or in a table of your own.",
    also_in: "splinter 0015 rls_references_user_metadata",
    fails: "create table reports (id bigint primary key);
alter table reports enable row level security;
create policy \"admins read\" on reports for select to authenticated
  using ((select auth.jwt()) -> 'user_metadata' ->> 'role' = 'admin');",
    passes: "create table reports (id bigint primary key);
alter table reports enable row level security;
create policy \"admins read\" on reports for select to authenticated
  using ((select auth.jwt()) -> 'app_metadata' ->> 'role' = 'admin');",
    supabase_only: true,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(policy) = Policy::created(statement.node(), statement.unit.schema()) else {
        return;
    };
    let trees = policy.using.into_iter().chain(policy.with_check);
    let reads_metadata =
        (statement.policy_expressions().iter().zip(trees)).any(|(expression, tree)| {
            let jwt = (sql::calls(expression).iter()).any(|call| call.name == ["auth", "jwt"]);
            jwt && sql::mentions(tree, "user_metadata")
        });
    if reads_metadata {
        out.push(statement.finding(
            format!(
                "policy \"{}\" on {} trusts user_metadata, which every user can change for themselves",
                policy.name, policy.table
            ),
            "read the claim from app_metadata (set only with the service role) or from a table of your own",
        ));
    }
}
