//! An extension installed into the public schema.
use pg_query::NodeEnum;

use crate::analysis::names::string_value;
use crate::diagnostics::{Applicability, Severity};
use crate::environment::extension_contents;
use crate::lint::{fix, Check, Finding, Group, Rule, Statement};

pub const RULE: Rule = Rule {
    code: "PF411",
    name: "extension-in-public",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "CREATE EXTENSION that lands in the public schema",
    why: "The public schema is exposed by the Data API: an extension's functions there become callable endpoints for anon and authenticated, and its objects clutter the API. Supabase installs extensions into the extensions schema.",
    also_in: "splinter 0014 extension_in_public",
    fails: "create extension if not exists pg_trgm;",
    passes: "create extension if not exists pg_trgm with schema extensions;",
    supabase_only: true,
    fix: Some(Applicability::Unsafe),
    check: Check::Statement(check),
};

fn check(statement: &Statement, out: &mut Vec<Finding>) {
    let NodeEnum::CreateExtensionStmt(s) = statement.node() else {
        return;
    };
    if extension_contents(&s.extname).own_schema.is_some() {
        return;
    }
    let given = s.options.iter().find_map(|option| match &option.node {
        Some(NodeEnum::DefElem(def)) if def.defname == "schema" => {
            def.arg.as_deref().and_then(string_value)
        }
        _ => None,
    });
    let schema = given.unwrap_or(statement.unit.schema());
    if schema != "public" {
        return;
    }
    let end = statement.text().len();
    let fix = given.is_none().then(|| {
        fix(
            "install it WITH SCHEMA extensions",
            Applicability::Unsafe,
            statement.edit(end, end, " WITH SCHEMA extensions"),
        )
    });
    out.push(
        statement
            .finding(
                format!(
                    "extension {} goes into the public schema, which the Data API exposes",
                    s.extname
                ),
                "install it WITH SCHEMA extensions",
            )
            .with_fix(fix),
    );
}
