//! A table the API serves, left without row level security.
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF407",
    name: "rls-disabled-in-public",
    group: Group::Security,
    severity: Severity::Error,
    flags: "a table in an exposed schema (public unless configured) that ends the plan without row level security",
    why: "Supabase's Data API serves the exposed schemas to anyone holding the anon key, which ships in every client. New tables there are granted to anon and authenticated by default, so without row level security anyone can read, change and delete every row.",
    also_in: "splinter 0013 rls_disabled_in_public",
    fails: "create table public.notes (id bigint primary key, body text);",
    passes: "create table public.notes (id bigint primary key, body text);
alter table public.notes enable row level security;
create policy \"anyone reads\" on public.notes for select to anon, authenticated using (true);
create table private.ledger (id bigint primary key);",
    supabase_only: true,
    fix: Some(Applicability::Unsafe),
    check: Check::End(check),
};

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        let exposed = end.settings.exposes(table.schema.as_deref());
        // With policies, policy-exists-rls-disabled says it more precisely.
        if !exposed
            || end.catalog.row_security(table)
            || end.catalog.policies(table).next().is_some()
        {
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
                    "{table} ends the plan without row level security: anyone with the anon key can read and change all of its rows through the API"
                ),
                format!("add `{enable}` and policies for who may do what (with none, only the service role gets in)"),
            )
            .with_fix(Some(fix)),
        );
    }
}
