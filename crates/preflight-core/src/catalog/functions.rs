//! Functions and procedures, by signature: arguments, result, language,
//! body, security, volatility, strictness, parallel safety and settings.
use pg_query::protobuf::{
    CreateFunctionStmt, FunctionParameterMode as Mode, Node, ObjectWithArgs, VariableSetKind,
};
use pg_query::NodeEnum;
use std::collections::BTreeMap;

use crate::analysis::compact::Tree;

use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::names::{quote_ident, string_value, QualifiedName};

use super::model::ObjectId;
use super::normal::{expression_sql, statement_sql, SqlType};
use super::replay::Replay;

pub fn create_function(r: &mut Replay, s: &CreateFunctionStmt) {
    let Some(name) = QualifiedName::from_list(&s.funcname) else {
        return;
    };
    let name = name.in_schema(r.schema());
    let cx = r.cx();
    let mut identity = Vec::new();
    let (mut shown, mut compare) = (Vec::new(), Vec::new());
    let (mut table_shown, mut table_compare) = (Vec::new(), Vec::new());
    for parameter in &s.parameters {
        let Some(NodeEnum::FunctionParameter(p)) = &parameter.node else {
            continue;
        };
        let Some(arg_type) = &p.arg_type else {
            continue;
        };
        let (sql_type, _) = SqlType::of(arg_type, &cx);
        let mode = Mode::try_from(p.mode).unwrap_or(Mode::FuncParamDefault);
        let named = if p.name.is_empty() {
            String::new()
        } else {
            format!("{} ", quote_ident(&p.name))
        };
        if mode == Mode::FuncParamTable {
            table_shown.push(format!("{named}{sql_type}"));
            table_compare.push(Tree::List(vec![p.name.as_str().into(), sql_type.to_tree()]));
            continue;
        }
        let mode_words = match mode {
            Mode::FuncParamOut => "OUT ",
            Mode::FuncParamInout => "INOUT ",
            Mode::FuncParamVariadic => "VARIADIC ",
            _ => "",
        };
        if mode != Mode::FuncParamOut {
            identity.push(sql_type.to_string());
        }
        let default = p.defexpr.as_deref();
        let default_shown =
            default.map_or(String::new(), |d| format!(" DEFAULT {}", expression_sql(d)));
        shown.push(format!("{mode_words}{named}{sql_type}{default_shown}"));
        compare.push(Tree::Fields(vec![
            ("mode", mode_words.into()),
            ("name", p.name.as_str().into()),
            ("type", sql_type.to_tree()),
            ("default", default.map_or(Tree::Null, |d| r.compared(d))),
        ]));
    }
    let returns = s.return_type.as_ref().map(|return_type| {
        if !table_shown.is_empty() {
            let shown = format!("TABLE({})", table_shown.join(", "));
            return (Tree::List(table_compare), shown);
        }
        let (sql_type, _) = SqlType::of(return_type, &cx);
        let setof = if return_type.setof { "SETOF " } else { "" };
        (
            Tree::List(vec![setof.into(), sql_type.to_tree()]),
            format!("{setof}{sql_type}"),
        )
    });
    let body = (s.sql_body.as_deref())
        .filter(|_| r.model.defines())
        .map(|body| (r.compared(body), r.statement.to_string()));

    let key = ObjectId {
        object: ObjectRef::new(ObjectKind::Function, name),
        arguments: Some(identity.join(", ")),
    };
    let arguments = r.property(Tree::List(compare), shown.join(", "));
    let returns = returns.map(|(compare, shown)| r.property(compare, shown));
    let body = body.map(|(compare, shown)| r.property(compare, shown));
    let defaults = [
        ("volatility", "VOLATILE"),
        ("security", "SECURITY INVOKER"),
        ("strict", "CALLED ON NULL INPUT"),
        ("parallel", "PARALLEL UNSAFE"),
    ]
    .map(|(name, shown)| (name, r.text(shown)));
    r.model.create(key.clone(), &r.at);
    r.model.set(&key, "arguments", arguments);
    for (name, property) in defaults {
        r.model.set(&key, name, property);
    }
    if let Some(returns) = returns {
        r.model.set(&key, "returns", returns);
    }
    if let Some(body) = body {
        r.model.set(&key, "body", body);
    }
    apply_options(r, &key, &s.options);
}

/// ALTER FUNCTION ... SECURITY DEFINER, SET ..., and so on.
pub fn alter_function(r: &mut Replay, function: &ObjectWithArgs, actions: &[Node]) {
    for key in overloads(r, function) {
        apply_options(r, &key, actions);
    }
}

/// The functions a DROP, ALTER or RENAME names: one signature, or every
/// overload when no argument list is given.
pub fn overloads(r: &Replay, function: &ObjectWithArgs) -> Vec<ObjectId> {
    let Some(name) = QualifiedName::from_list(&function.objname) else {
        return Vec::new();
    };
    let object = ObjectRef::new(ObjectKind::Function, name.in_schema(r.schema()));
    let cx = r.cx();
    let arguments = (!function.args_unspecified).then(|| {
        function
            .objargs
            .iter()
            .filter_map(|arg| match &arg.node {
                Some(NodeEnum::TypeName(type_name)) => {
                    Some(SqlType::of(type_name, &cx).0.to_string())
                }
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    r.model
        .matching(&object)
        .into_iter()
        .filter(|key| arguments.is_none() || key.arguments == arguments)
        .collect()
}

fn apply_options(r: &mut Replay, key: &ObjectId, options: &[Node]) {
    for option in options {
        let Some(NodeEnum::DefElem(def)) = &option.node else {
            continue;
        };
        let arg = def.arg.as_deref().and_then(|arg| arg.node.as_ref());
        let word = match arg {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        };
        let flag = matches!(arg, Some(NodeEnum::Boolean(b)) if b.boolval);
        let (name, shown) = match def.defname.as_str() {
            "language" => ("language", word.map(str::to_lowercase)),
            "volatility" => ("volatility", word.map(str::to_uppercase)),
            "parallel" => (
                "parallel",
                word.map(|w| format!("PARALLEL {}", w.to_uppercase())),
            ),
            "security" => (
                "security",
                Some(
                    if flag {
                        "SECURITY DEFINER"
                    } else {
                        "SECURITY INVOKER"
                    }
                    .into(),
                ),
            ),
            "strict" => (
                "strict",
                Some(
                    if flag {
                        "STRICT"
                    } else {
                        "CALLED ON NULL INPUT"
                    }
                    .into(),
                ),
            ),
            "as" => ("body", body(arg)),
            "set" => {
                if let Some(NodeEnum::VariableSetStmt(set)) = arg {
                    apply_setting(r, key, set);
                }
                continue;
            }
            _ => continue,
        };
        if let Some(shown) = shown {
            let property = r.text(&shown);
            r.model.set(key, name, property);
        }
    }
}

/// The body as PostgreSQL keeps it (and pg_dump writes it), without the
/// blank space around it.
fn body(arg: Option<&NodeEnum>) -> Option<String> {
    let Some(NodeEnum::List(list)) = arg else {
        return None;
    };
    let parts: Vec<&str> = list.items.iter().filter_map(string_value).collect();
    Some(parts.join(", ").trim().to_string())
}

/// `SET name = value` of a function: one setting per name, kept as a list
/// of `[name, SET statement]` pairs in the order of their names.
fn apply_setting(r: &mut Replay, key: &ObjectId, set: &pg_query::protobuf::VariableSetStmt) {
    let pairs = r
        .model
        .property(key, "settings")
        .and_then(|p| p.compare.as_list());
    let mut settings: BTreeMap<String, String> = (pairs.into_iter().flatten())
        .filter_map(|pair| match pair.as_list()?.as_slice() {
            [name, sql] => Some((name.as_str()?.to_string(), sql.as_str()?.to_string())),
            _ => None,
        })
        .collect();
    match VariableSetKind::try_from(set.kind) {
        Ok(VariableSetKind::VarReset) => {
            settings.remove(&set.name);
        }
        Ok(VariableSetKind::VarResetAll) => settings.clear(),
        _ => {
            let mut set = set.clone();
            set.is_local = false;
            let name = set.name.clone();
            settings.insert(name, statement_sql(&NodeEnum::VariableSetStmt(set)));
        }
    }
    if settings.is_empty() {
        r.model.unset(key, "settings");
        return;
    }
    let shown: Vec<&str> = settings.values().map(String::as_str).collect();
    let shown = shown.join("; ");
    let pairs = (settings.into_iter()).map(|(name, sql)| Tree::from(vec![name, sql]));
    let property = r.property(Tree::List(pairs.collect()), shown);
    r.model.set(key, "settings", property);
}
