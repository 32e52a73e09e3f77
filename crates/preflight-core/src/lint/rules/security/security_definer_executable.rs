//! A SECURITY DEFINER function the Data API lets anyone call.
use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use crate::analysis::facts::{Action, ObjectKind, ObjectRef};
use crate::analysis::kind::StatementKind;
use crate::analysis::names::{string_value, QualifiedName};
use crate::diagnostics::Severity;
use crate::lint::sql;
use crate::lint::{Ahead, Check, Finding, Group, Rule};

pub const RULE: Rule = Rule {
    code: "PF416",
    name: "security-definer-executable",
    group: Group::Security,
    severity: Severity::Warning,
    flags: "a SECURITY DEFINER function in an exposed schema that anon or authenticated may still EXECUTE at the end of the plan",
    why: "Functions in an exposed schema are callable through the Data API (/rest/v1/rpc/name). New functions can be executed by PUBLIC, and Supabase also grants EXECUTE to anon and authenticated, so a SECURITY DEFINER function runs with its owner's rights for anyone holding the anon key unless those grants are revoked. Helpers the plan's policies call are left alone: the policies need them.",
    also_in: "splinter 0028 anon_security_definer_function_executable, 0029 authenticated_security_definer_function_executable",
    fails: "create function public.delete_account(target uuid) returns void language sql security definer set search_path = ''
  as $$ delete from auth.users where id = target $$;",
    passes: "create function public.delete_account(target uuid) returns void language sql security definer set search_path = ''
  as $$ delete from auth.users where id = target $$;
revoke execute on function public.delete_account(uuid) from public, anon, authenticated;
create function public.touch() returns trigger language plpgsql security definer set search_path = ''
  as $$ begin new.updated_at = now(); return new; end $$;",
    supabase_only: true,
    fix: None,
    check: Check::Ahead(check),
};

fn check(statement: &Ahead, out: &mut Vec<Finding>) {
    let NodeEnum::CreateFunctionStmt(s) = statement.node() else {
        return;
    };
    let definer = sql::is_security_definer(s);
    // Trigger functions cannot be called through the API.
    let returns = (s.return_type.as_ref().and_then(|t| t.names.last())).and_then(string_value);
    let trigger = matches!(returns, Some("trigger" | "event_trigger"));
    let Some(name) = QualifiedName::from_list(&s.funcname) else {
        return;
    };
    let name = name.in_schema(statement.unit.schema());
    if !definer || trigger || !statement.settings.exposes(name.schema.as_deref()) {
        return;
    }
    // A helper that policies call must stay executable by their roles.
    let function = ObjectRef::new(ObjectKind::Function, name.clone());
    let in_policy = statement.plan().any(|unit| {
        matches!(
            unit.facts.kind,
            StatementKind::CreatePolicy | StatementKind::AlterPolicy
        ) && (unit.facts.facts.iter())
            .any(|fact| fact.action == Action::Reads && fact.object == function)
    });
    if in_policy {
        return;
    }
    let mut callers = vec!["anon", "authenticated"];
    for unit in statement.later_in_plan() {
        if let NodeEnum::GrantStmt(grant) = &unit.statement.node {
            let on_it = grant.objtype == ObjectType::ObjectFunction as i32
                && grant.objects.iter().any(|object| match &object.node {
                    Some(NodeEnum::ObjectWithArgs(function)) => {
                        QualifiedName::from_list(&function.objname)
                            .is_some_and(|named| named.in_schema(unit.schema()) == name)
                    }
                    _ => false,
                });
            if on_it && !grant.is_grant {
                let revoked = sql::role_names(&grant.grantees);
                callers.retain(|role| !revoked.contains(role));
            }
        }
    }
    if !callers.is_empty() {
        out.push(statement.finding(
            format!(
                "{} can call SECURITY DEFINER function {name}() through the Data API, and it runs with its owner's rights",
                callers.join(" and ")
            ),
            format!("if only the server should call it: REVOKE EXECUTE ON FUNCTION {name} FROM public, anon, authenticated; or move it to a schema the API does not expose"),
        ));
    }
}
