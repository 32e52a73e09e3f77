//! `auth.uid()` compared with a column that holds another table's id.
use crate::analysis::names::QualifiedName;
use crate::catalog::Catalog;
use crate::diagnostics::Severity;
use crate::lint::sql::{self, Policy};
use crate::lint::{Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF405",
    name: "identity-mismatch",
    group: Group::Security,
    severity: Severity::Error,
    flags: "a policy comparing auth.uid() with a column whose foreign key points at another table's id, where that table has its own column referencing auth.users",
    why: "auth.uid() is the id of the user in auth.users. A column such as provider_id that references providers.id holds a provider's id, not a user's: the comparison never matches, so the policy lets nobody in (or, in a NOT ..., everybody). The link to the user is the other table's column that references auth.users.",
    also_in: "",
    fails: "create table providers (id uuid primary key default gen_random_uuid(),
  auth_user_id uuid not null references auth.users (id));
create table sessions (id bigint primary key, provider_id uuid not null references providers (id));
alter table sessions enable row level security;
create policy \"providers read their sessions\" on sessions for select to authenticated
  using (provider_id = (select auth.uid()));",
    passes: "create table providers (id uuid primary key default gen_random_uuid(),
  auth_user_id uuid not null references auth.users (id));
create table sessions (id bigint primary key, provider_id uuid not null references providers (id));
alter table sessions enable row level security;
create policy \"providers read their sessions\" on sessions for select to authenticated
  using (provider_id in (select id from providers where auth_user_id = (select auth.uid())));",
    supabase_only: true,
    fix: None,
    check: Check::Statement(check),
};

fn auth_users() -> QualifiedName {
    QualifiedName::new(Some("auth"), "users")
}

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(policy) = Policy::created(statement.node(), statement.unit.schema()) else {
        return;
    };
    for expression in statement.policy_expressions() {
        for (left, right) in sql::equalities(expression) {
            let column = match (sql::is_user_id(left), sql::is_user_id(right)) {
                (true, false) => sql::column_name(right),
                (false, true) => sql::column_name(left),
                _ => None,
            };
            let Some(column) = column.filter(|parts| names_table(parts, &policy.table)) else {
                continue;
            };
            let column = column.last().expect("not empty");
            if let Some(finding) = mismatch(statement, &policy, column) {
                out.push(finding);
            }
        }
    }
}

/// `col`, `table.col` or `schema.table.col` of the policy's table.
fn names_table(parts: &[String], table: &QualifiedName) -> bool {
    match parts {
        [_] => true,
        [name, _] => *name == table.name,
        [schema, name, _] => {
            table.schema.as_deref() == Some(schema.as_str()) && *name == table.name
        }
        _ => false,
    }
}

fn mismatch(statement: &Statement, policy: &Policy, column: &str) -> Option<Finding> {
    let catalog = statement.before;
    let key =
        (catalog.foreign_keys(&policy.table).into_iter()).find(|key| key.columns == [column])?;
    let referenced = key.referenced.first()?;
    if key.references == auth_users() || links_to_user(catalog, &key.references, referenced) {
        return None;
    }
    let user_column = (catalog.foreign_keys(&key.references).into_iter())
        .find(|other| other.references == auth_users() && other.columns.len() == 1)?
        .columns
        .remove(0);
    let other = &key.references;
    Some(statement.finding(
        format!(
            "policy \"{}\" on {} compares auth.uid() with {column}, which holds an id of {other} ({other}.{referenced}), not a user's: it never matches",
            policy.name, policy.table
        ),
        format!(
            "the user is {other}.{user_column}: use {column} IN (SELECT {referenced} FROM {other} WHERE {user_column} = (select auth.uid()))"
        ),
    ))
}

/// Whether the referenced column itself references auth.users (a profile
/// keyed by the user's id).
fn links_to_user(catalog: &Catalog, table: &QualifiedName, column: &str) -> bool {
    (catalog.foreign_keys(table).iter())
        .any(|key| key.references == auth_users() && key.columns == [column])
}
