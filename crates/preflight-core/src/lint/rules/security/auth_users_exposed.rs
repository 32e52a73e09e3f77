//! A view the Data API serves that shows auth.users.
use crate::analysis::facts::Action;
use crate::analysis::names::QualifiedName;
use crate::diagnostics::Severity;
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF413",
    name: "auth-users-exposed",
    group: Group::Security,
    severity: Severity::Error,
    flags: "a view or materialized view in an exposed schema that reads auth.users",
    why: "auth.users holds every user's email, phone and sign-in data. A view of it in an exposed schema hands that to the Data API; a view runs with its owner's rights, so row level security does not stop it.",
    also_in: "splinter 0002 auth_users_exposed",
    fails: "create view public.members as select id, email from auth.users;",
    passes: "create table public.profiles (id uuid primary key references auth.users (id), display_name text);
create view public.members with (security_invoker = true) as select id, display_name from public.profiles;",
    supabase_only: true,
    fix: None,
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(view) = statement.exposed_view_created() else {
        return;
    };
    let users = QualifiedName::new(Some("auth"), "users");
    let reads_users = (statement.unit.facts.facts.iter()).any(|fact| {
        fact.action == Action::Reads && fact.object.kind.is_relation() && fact.object.name == users
    });
    if reads_users {
        out.push(statement.finding(
            format!("view {view} shows auth.users (emails, phones, sign-in data) to the Data API"),
            "keep what the app needs in a table of your own (e.g. public.profiles) and expose that, or move the view to a schema the API does not serve",
        ));
    }
}
