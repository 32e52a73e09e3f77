//! Reading SQL for the rules: constant truths, the calls and comparisons
//! in an expression, a statement's tokens, a policy's parts.
use crate::analysis::compact::Tree;
use crate::analysis::visit::{self, Visit};
use pg_query::protobuf::{self, Node, ScanToken, Token};
use pg_query::NodeEnum;
use serde::Serialize;

use crate::analysis::names::{string_value, QualifiedName};

/// Whether the expression is the constant `true` (`true`, `'t'::boolean`).
pub fn is_true(node: &Node) -> bool {
    match node.node.as_ref() {
        Some(NodeEnum::AConst(constant)) => matches!(
            &constant.val,
            Some(protobuf::a_const::Val::Boolval(b)) if b.boolval
        ),
        Some(NodeEnum::TypeCast(cast)) => {
            let boolean = (cast.type_name.as_ref())
                .and_then(|t| t.names.last())
                .and_then(string_value)
                .is_some_and(|name| name == "bool" || name == "boolean");
            let truthy = match cast.arg.as_deref().and_then(|arg| arg.node.as_ref()) {
                Some(NodeEnum::AConst(constant)) => match &constant.val {
                    Some(protobuf::a_const::Val::Sval(s)) => {
                        matches!(
                            s.sval.to_lowercase().as_str(),
                            "t" | "true" | "on" | "yes" | "1"
                        )
                    }
                    Some(protobuf::a_const::Val::Boolval(b)) => b.boolval,
                    _ => false,
                },
                _ => false,
            };
            boolean && truthy
        }
        _ => false,
    }
}

/// A function call found in an expression.
pub struct Call {
    /// `["auth", "uid"]`.
    pub name: Vec<String>,
    /// Byte offset of its name in the text the tree was parsed from.
    pub location: usize,
    /// Whether it sits in a subquery, so runs once per statement.
    pub in_subquery: bool,
}

/// Every call in the tree (a node with positions).
pub fn calls(tree: &Tree) -> Vec<Call> {
    let mut found = Vec::new();
    collect_calls(tree, false, &mut found);
    found
}

fn collect_calls(tree: &Tree, in_subquery: bool, found: &mut Vec<Call>) {
    match tree {
        // One pass over the fields: a node's kind is its only field.
        Tree::Fields(fields) => {
            for (key, field) in fields {
                if *key == "FuncCall" {
                    found.push(Call {
                        name: names(field.get("funcname")),
                        location: field.get("location").and_then(Tree::as_i64).unwrap_or(0)
                            as usize,
                        in_subquery,
                    });
                }
                collect_calls(field, in_subquery || *key == "SubLink", found);
            }
        }
        Tree::List(items) => items
            .iter()
            .for_each(|item| collect_calls(item, in_subquery, found)),
        _ => {}
    }
}

/// The strings of a name list (`funcname`, `fields`).
pub fn names(list: Option<&Tree>) -> Vec<String> {
    (list.and_then(Tree::as_list).into_iter().flatten())
        .filter_map(|part| part.at("/node/String/sval")?.as_str())
        .map(str::to_string)
        .collect()
}

/// Whether the call is one of Supabase's `auth.uid()`, `auth.jwt()`,
/// `auth.role()`, `auth.email()`, or `current_setting()`: the functions a
/// policy asks who is calling.
pub fn asks_who(call: &Call) -> bool {
    match call.name.as_slice() {
        [schema, name] if schema == "auth" => {
            matches!(name.as_str(), "uid" | "jwt" | "role" | "email")
        }
        [name] | [_, name] => name == "current_setting",
        _ => false,
    }
}

/// Both sides of every `=` comparison in the tree.
pub fn equalities(tree: &Tree) -> Vec<(&Tree, &Tree)> {
    let mut found = Vec::new();
    collect_equalities(tree, &mut found);
    found
}

fn collect_equalities<'v>(tree: &'v Tree, found: &mut Vec<(&'v Tree, &'v Tree)>) {
    if let Some(expression) = tree.get("AExpr") {
        let operator = names(expression.get("name"));
        if let ([equals], Some(left), Some(right)) = (
            operator.as_slice(),
            expression.get("lexpr"),
            expression.get("rexpr"),
        ) {
            if equals == "=" {
                found.push((left, right));
            }
        }
    }
    tree.children()
        .for_each(|child| collect_equalities(child, found));
}

/// Whether the expression is `auth.uid()`, or `(select auth.uid())`.
pub fn is_user_id(tree: &Tree) -> bool {
    let direct = tree
        .at("/node/FuncCall")
        .is_some_and(|call| names(call.get("funcname")) == ["auth", "uid"]);
    let selected = tree
        .at("/node/SubLink/subselect/node/SelectStmt/target_list/0/node/ResTarget/val")
        .is_some_and(is_user_id);
    direct || selected
}

/// The column an expression names, if it is a plain column reference.
pub fn column_name(tree: &Tree) -> Option<Vec<String>> {
    let column = tree.at("/node/ColumnRef")?;
    Some(names(column.get("fields"))).filter(|parts| !parts.is_empty())
}

/// The byte range of the first `token` outside parentheses.
pub fn top_level(tokens: &[ScanToken], token: Token) -> Option<(usize, usize)> {
    let mut depth = 0;
    for scanned in tokens {
        match Token::try_from(scanned.token) {
            Ok(Token::Ascii40) => depth += 1,
            Ok(Token::Ascii41) => depth -= 1,
            Ok(found) if found == token && depth == 0 => {
                return Some((scanned.start as usize, scanned.end as usize))
            }
            _ => {}
        }
    }
    None
}

/// The end of the call whose name starts at `location`: after its `)`.
pub fn call_end(tokens: &[ScanToken], location: usize) -> Option<usize> {
    let first = tokens.iter().position(|t| t.start as usize == location)?;
    let mut depth = 0;
    for scanned in &tokens[first..] {
        match Token::try_from(scanned.token) {
            Ok(Token::Ascii40) => depth += 1,
            Ok(Token::Ascii41) => {
                depth -= 1;
                if depth == 0 {
                    return Some(scanned.end as usize);
                }
            }
            _ => {}
        }
    }
    None
}

/// A CREATE or ALTER POLICY statement's parts.
pub struct Policy<'a> {
    pub name: &'a str,
    pub table: QualifiedName,
    /// `all`, `select`, `insert`, `update` or `delete`.
    pub command: &'a str,
    pub permissive: bool,
    /// The roles of its `TO` clause (`public` when it has none).
    pub roles: Vec<&'a str>,
    pub using: Option<&'a Node>,
    pub with_check: Option<&'a Node>,
}

impl<'a> Policy<'a> {
    /// The policy a CREATE POLICY statement makes.
    pub fn created(node: &'a NodeEnum, schema: &str) -> Option<Self> {
        let NodeEnum::CreatePolicyStmt(s) = node else {
            return None;
        };
        let roles = role_names(&s.roles);
        Some(Self {
            name: &s.policy_name,
            table: QualifiedName::relation(s.table.as_ref()?, schema),
            command: &s.cmd_name,
            permissive: s.permissive,
            roles,
            using: s.qual.as_deref(),
            with_check: s.with_check.as_deref(),
        })
    }
}

/// The columns a statement defines, with their type's last name
/// (`timestamp`, `bigserial`): CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE.
pub fn column_types(node: &NodeEnum, schema: &str) -> Vec<(QualifiedName, String, String)> {
    // The table, and (name, definition) of each column the statement types.
    let (relation, columns): (_, Vec<(&str, &protobuf::ColumnDef)>) = match node {
        NodeEnum::CreateStmt(s) => (
            s.relation.as_ref(),
            (s.table_elts.iter())
                .filter_map(|element| match &element.node {
                    Some(NodeEnum::ColumnDef(def)) => Some((def.colname.as_str(), def.as_ref())),
                    _ => None,
                })
                .collect(),
        ),
        NodeEnum::AlterTableStmt(s) => (
            s.relation.as_ref(),
            (s.cmds.iter())
                .filter_map(|cmd| match &cmd.node {
                    Some(NodeEnum::AlterTableCmd(cmd)) => {
                        match cmd.def.as_deref()?.node.as_ref()? {
                            NodeEnum::ColumnDef(def) if def.colname.is_empty() => {
                                Some((cmd.name.as_str(), def.as_ref()))
                            }
                            NodeEnum::ColumnDef(def) => Some((def.colname.as_str(), def.as_ref())),
                            _ => None,
                        }
                    }
                    _ => None,
                })
                .collect(),
        ),
        _ => return Vec::new(),
    };
    let Some(table) = relation.map(|r| QualifiedName::relation(r, schema)) else {
        return Vec::new();
    };
    (columns.into_iter())
        .filter_map(|(column, def)| {
            let type_name = def
                .type_name
                .as_ref()?
                .names
                .last()
                .and_then(string_value)?;
            Some((table.clone(), column.to_string(), type_name.to_string()))
        })
        .collect()
}

/// Whether a boolean option is on: `name`, `name = true`, `'on'`, `1`.
pub fn is_on(option: &protobuf::DefElem) -> bool {
    match option.arg.as_deref().and_then(|arg| arg.node.as_ref()) {
        None => true,
        Some(NodeEnum::Boolean(b)) => b.boolval,
        Some(NodeEnum::Integer(i)) => i.ival != 0,
        Some(NodeEnum::String(s)) => matches!(
            s.sval.to_lowercase().as_str(),
            "true" | "on" | "yes" | "1" | "t"
        ),
        Some(_) => false,
    }
}

/// The roles a TO, FROM or grantee list names; PUBLIC as `public`.
pub fn role_names(roles: &[Node]) -> Vec<&str> {
    (roles.iter())
        .filter_map(|role| match &role.node {
            Some(NodeEnum::RoleSpec(spec)) => Some(match spec.roletype {
                r if r == protobuf::RoleSpecType::RolespecPublic as i32 => "public",
                _ => spec.rolename.as_str(),
            }),
            _ => None,
        })
        .collect()
}

/// Whether a string constant or name in a syntax tree is `word`.
pub fn mentions<T: Serialize + ?Sized>(tree: &T, word: &str) -> bool {
    struct Mentions<'w> {
        word: &'w str,
        found: bool,
    }
    impl Visit for Mentions<'_> {
        fn enter(&mut self, _: &'static str) -> bool {
            !self.found
        }
        fn leave(&mut self, _: &'static str) {}
        fn string(&mut self, field: &'static str, value: &str) {
            self.found |= field == "sval" && value == self.word;
        }
    }
    let mut mentions = Mentions { word, found: false };
    visit::walk(tree, &mut mentions);
    mentions.found
}

/// Whether CREATE FUNCTION makes a SECURITY DEFINER function.
pub fn is_security_definer(function: &protobuf::CreateFunctionStmt) -> bool {
    function.options.iter().any(|option| {
        matches!(&option.node, Some(NodeEnum::DefElem(def)) if def.defname == "security" && is_on(def))
    })
}
