//! Row level security on, and no policy: the API returns nothing.
use crate::diagnostics::Severity;
use crate::lint::{Check, End, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF409",
    name: "rls-enabled-no-policy",
    group: Group::Security,
    severity: Severity::Info,
    flags: "a table in an exposed schema with row level security on and no policy",
    why: "With row level security on and no policy, anon and authenticated see no rows and cannot write any: only the service role gets in. That is safe, and right for tables only the server uses; for tables the app reads it is a bug that looks like an empty table.",
    also_in: "splinter 0008 rls_enabled_no_policy",
    fails: "create table public.notes (id bigint primary key);
alter table public.notes enable row level security;",
    passes: "create table public.notes (id bigint primary key);
alter table public.notes enable row level security;
create policy \"anyone reads\" on public.notes for select to anon, authenticated using (true);",
    supabase_only: true,
    fix: None,
    check: Check::End(check),
};

fn check(end: &End, out: &mut Vec<Finding>) {
    for table in end.tables() {
        let exposed = end.settings.exposes(table.schema.as_deref());
        if !exposed
            || !end.catalog.row_security(table)
            || end.catalog.policies(table).next().is_some()
        {
            continue;
        }
        if let Some(unit) = end.creator(table) {
            out.push(Finding::new(
                unit,
                format!("{table} has row level security on and no policy: through the API only the service role reaches its rows"),
                "add policies for the roles that should read or write it, or leave it so if only the server uses it",
            ));
        }
    }
}
