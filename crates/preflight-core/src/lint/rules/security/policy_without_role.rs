//! A policy without `TO`: it applies to every role, anon included.
use crate::diagnostics::{Applicability, Severity};
use crate::lint::sql::{self, Policy};
use crate::lint::{fix, Check, Finding, Group, Rule, Statement};
use pg_query::protobuf::Token;

pub const RULE: Rule = Rule {
    code: "PF402",
    name: "policy-without-role",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "a policy with no TO clause",
    why: "Without TO a policy applies to PUBLIC: the anon key (signed-out visitors) as well as signed-in users. Policies meant for users should say TO authenticated; it also spares the database from evaluating them for anon.",
    also_in: "Supabase's row level security guide",
    fails: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners read\" on notes for select using ((select auth.uid()) = owner);",
    passes: "create table notes (id bigint primary key, owner uuid);
alter table notes enable row level security;
create policy \"owners read\" on notes for select to authenticated using ((select auth.uid()) = owner);",
    supabase_only: true,
    fix: Some(Applicability::Unsafe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let Some(policy) = Policy::created(statement.node(), statement.unit.schema()) else {
        return;
    };
    // The parser reads a missing TO as `TO public`: only the words tell.
    let tokens = statement.tokens();
    if sql::top_level(tokens, Token::To).is_some() {
        return;
    }
    // `TO authenticated` goes before USING / WITH CHECK, or at the end.
    let at = [Token::Using, Token::With]
        .into_iter()
        .filter_map(|token| sql::top_level(tokens, token))
        .map(|(start, _)| start)
        .min();
    let edit = match at {
        Some(at) => statement.edit(at, at, "TO authenticated "),
        None => {
            let end = statement.text().len();
            statement.edit(end, end, " TO authenticated")
        }
    };
    out.push(
        statement
            .finding(
                format!(
                    "policy \"{}\" on {} has no TO clause, so it applies to every role, anon (signed-out requests) included",
                    policy.name, policy.table
                ),
                "add TO authenticated (or TO anon, authenticated if signed-out visitors are meant)",
            )
            .with_fix(Some(fix("apply it to authenticated only", Applicability::Unsafe, edit))),
    );
}
