//! A SECURITY DEFINER function whose search_path the caller controls.
use pg_query::NodeEnum;

use crate::analysis::names::string_value;
use crate::diagnostics::{Applicability, Severity};
use crate::lint::{fix, sql, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF406",
    name: "function-search-path-mutable",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "a SECURITY DEFINER function without SET search_path",
    why: "A SECURITY DEFINER function runs with its owner's rights (on Supabase usually postgres) but resolves unqualified names through the caller's search_path: a caller who can create objects in a schema on that path can make it run their own function or table instead. Fixing the search_path (e.g. to '') closes that.",
    also_in: "splinter 0011 function_search_path_mutable (which also flags SECURITY INVOKER functions)",
    fails: "create function public.is_admin() returns boolean language sql security definer
  as $$ select exists (select 1 from admins where user_id = auth.uid()) $$;",
    passes: "create function public.is_admin() returns boolean language sql security definer
  set search_path = ''
  as $$ select exists (select 1 from public.admins where user_id = auth.uid()) $$;",
    supabase_only: false,
    fix: Some(Applicability::Unsafe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let NodeEnum::CreateFunctionStmt(s) = statement.node() else {
        return;
    };
    let definer = sql::is_security_definer(s);
    // A function may have several SET options.
    let sets_path = s.options.iter().any(|option| match &option.node {
        Some(NodeEnum::DefElem(def)) if def.defname == "set" => matches!(
            def.arg.as_deref().and_then(|a| a.node.as_ref()),
            Some(NodeEnum::VariableSetStmt(set)) if set.name == "search_path"
        ),
        _ => false,
    });
    if !definer || sets_path {
        return;
    }
    let name: Vec<&str> = s.funcname.iter().filter_map(string_value).collect();
    // Options may follow the body, except a SQL-standard BEGIN ATOMIC body.
    let fix = s.sql_body.is_none().then(|| {
        let end = statement.text().len();
        fix(
            "set search_path = '' (qualify every name in the body)",
            Applicability::Unsafe,
            statement.edit(end, end, "\n  SET search_path = ''"),
        )
    });
    out.push(
        statement
            .finding(
                format!(
                    "SECURITY DEFINER function {}() runs with its owner's rights but looks names up on the caller's search_path",
                    name.join(".")
                ),
                "add SET search_path = '' and qualify the names in its body (public.admins, not admins)",
            )
            .with_fix(fix),
    );
}
