//! Several permissive policies for one role and command: each runs.
use std::collections::BTreeMap;

use crate::diagnostics::Severity;
use crate::lint::{Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF410",
    name: "multiple-permissive-policies",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "a table with more than one permissive policy for the same role and command",
    why: "Permissive policies are ORed: PostgreSQL evaluates every one of them for every row, so two policies cost twice one. Worse, a second policy added to widen access for one case also widens it for every row the first did not allow. One policy with the conditions ORed says the same, faster and in one place.",
    also_in: "splinter 0006 multiple_permissive_policies",
    fails: "create table notes (id int primary key, owner uuid, public boolean);
alter table notes enable row level security;
create policy \"owners read\" on notes for select to authenticated using ((select auth.uid()) = owner);
create policy \"anyone reads public notes\" on notes for select to authenticated using (public);",
    passes: "create table notes (id int primary key, owner uuid, public boolean);
alter table notes enable row level security;
create policy \"read own or public notes\" on notes for select to authenticated
  using ((select auth.uid()) = owner or public);
create policy \"owners write\" on notes for update to authenticated using ((select auth.uid()) = owner);",
    supabase_only: false,
    fix: None,
    check: Check::End(check),
};

const COMMANDS: [&str; 4] = ["SELECT", "INSERT", "UPDATE", "DELETE"];

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        // (role, command) → the permissive policies that apply.
        let mut applying: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for key in end.catalog.policies(table) {
            let Some(policy) = end.catalog.policy(key).filter(|p| p.permissive) else {
                continue;
            };
            for command in COMMANDS
                .iter()
                .filter(|c| policy.command == "ALL" || policy.command == **c)
            {
                for role in &policy.roles {
                    applying
                        .entry((role, command))
                        .or_default()
                        .push(policy.name);
                }
            }
        }
        let Some(unit) = end.creator(table) else {
            continue;
        };
        // One finding per set of policies, naming every role and command.
        let mut overlaps: BTreeMap<Vec<&str>, Vec<String>> = BTreeMap::new();
        for ((role, command), policies) in applying.into_iter().filter(|(_, p)| p.len() > 1) {
            overlaps
                .entry(policies)
                .or_default()
                .push(format!("{role} {command}"));
        }
        for (policies, cases) in overlaps {
            out.push(Finding::new(
                unit,
                format!(
                    "{table} has {} permissive policies for {} ({}): PostgreSQL runs each of them on every row",
                    policies.len(),
                    cases.join(", "),
                    policies.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ")
                ),
                "merge them into one policy whose condition ORs theirs",
            ));
        }
    }
}
