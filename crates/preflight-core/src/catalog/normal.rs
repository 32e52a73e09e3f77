//! Canonical forms, so that the same schema written two ways compares
//! equal: type names by PostgreSQL's internal name, expressions as syntax
//! trees without positions and without what pg_dump adds or drops
//! (`'x'::text` casts of constants, qualifiers of columns, `IN (...)` written
//! as `= ANY (ARRAY[...])`, `pg_catalog.` prefixes, extra parentheses).
use std::fmt;

use pg_query::protobuf::{
    self, a_const::Val, AExprKind, BoolExprType, Node, ResTarget, SelectStmt, TypeName,
};
use pg_query::NodeEnum;
use serde::Serialize;

use crate::analysis::facts::ObjectKind;
use crate::analysis::names::{first_schema, quote_ident, string_value, strings, QualifiedName};
use crate::analysis::reads;

use super::model::Catalog;
use crate::analysis::compact::{self, Tree};

/// PostgreSQL's own functions that extensions define too: pg_catalog is
/// searched first, so the unqualified name is always PostgreSQL's.
const BUILTIN_FUNCTIONS: &[&str] = &["gen_random_uuid"];

/// Where unqualified names are looked up while one statement is replayed.
pub struct Context<'a> {
    pub model: &'a Catalog,
    pub search_path: &'a [String],
}

impl Context<'_> {
    /// The schema new objects go to.
    pub fn schema(&self) -> &str {
        first_schema(self.search_path)
    }

    /// A type or function name, qualified with the schema it resolves to;
    /// left unqualified when nothing in the search path has it (built in).
    fn qualify(&self, kind: ObjectKind, name: &str) -> Option<String> {
        self.model.resolve(kind, name, self.search_path)
    }

    /// A function name as a list, qualified where it resolves.
    pub fn function_name(&self, names: &[Node]) -> Vec<String> {
        let mut parts = strings(names);
        if parts.first().is_some_and(|p| p == "pg_catalog") {
            parts.remove(0);
        } else if let [name] = parts.as_slice() {
            let builtin = BUILTIN_FUNCTIONS.contains(&name.as_str());
            if let Some(schema) = self
                .qualify(ObjectKind::Function, name)
                .filter(|_| !builtin)
            {
                parts.insert(0, schema);
            }
        }
        parts
    }
}

/// A type by PostgreSQL's internal name (`int4`, `varchar`, `public.mood`),
/// its modifiers and array dimensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlType {
    pub names: Vec<String>,
    pub modifiers: Vec<String>,
    pub array: usize,
}

impl SqlType {
    /// The type, and for `serial` and friends the integer type they stand
    /// for (the caller adds the sequence and default).
    pub fn of(type_name: &TypeName, cx: &Context) -> (Self, bool) {
        let names = strings(&type_name.names);
        let modifiers = type_name.typmods.iter().filter_map(modifier).collect();
        Self::from_parts(names, modifiers, type_name.array_bounds.len(), cx)
    }

    fn from_parts(
        mut names: Vec<String>,
        modifiers: Vec<String>,
        array: usize,
        cx: &Context,
    ) -> (Self, bool) {
        if names.first().is_some_and(|n| n == "pg_catalog") {
            names.remove(0);
        }
        let mut serial = false;
        if let [name] = names.as_mut_slice() {
            let (internal, is_serial) = internal_name(name);
            *name = internal.to_string();
            serial = is_serial;
            let nodes = [Node {
                node: Some(NodeEnum::String(protobuf::String { sval: name.clone() })),
            }];
            // Not one of PostgreSQL's own types: a user's or an extension's.
            if reads::type_reference(&nodes, cx.schema()).is_some() {
                let schema = cx
                    .qualify(ObjectKind::Type, name)
                    .unwrap_or_else(|| cx.schema().to_string());
                names.insert(0, schema);
            }
        }
        let sql_type = Self {
            names,
            modifiers,
            array,
        };
        (sql_type, serial)
    }

    /// The canonical form: the three parts, always all present.
    pub fn to_tree(&self) -> Tree {
        Tree::Fields(vec![
            ("names", self.names.clone().into()),
            ("modifiers", self.modifiers.clone().into()),
            ("array", Tree::Int(self.array as i64)),
        ])
    }

    /// The type whose canonical form is `tree` ([`SqlType::to_tree`]).
    pub fn from_tree(tree: &Tree) -> Self {
        let texts = |key| strings_in(tree.get(key));
        Self {
            names: texts("names"),
            modifiers: texts("modifiers"),
            array: tree.get("array").and_then(Tree::as_i64).unwrap_or(0) as usize,
        }
    }
}

/// The texts of a list of texts.
fn strings_in(list: Option<&Tree>) -> Vec<String> {
    (list.and_then(Tree::as_list).into_iter().flatten())
        .filter_map(Tree::as_str)
        .map(str::to_string)
        .collect()
}

/// As pg_dump writes it: `integer`, `character varying(20)`,
/// `timestamp with time zone`, `public.mood[]`.
impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let modifiers = if self.modifiers.is_empty() {
            String::new()
        } else {
            format!("({})", self.modifiers.join(","))
        };
        match self.names.as_slice() {
            [name] => {
                let (words, zone) = match name.as_str() {
                    "int2" => ("smallint", ""),
                    "int4" => ("integer", ""),
                    "int8" => ("bigint", ""),
                    "bool" => ("boolean", ""),
                    "float4" => ("real", ""),
                    "float8" => ("double precision", ""),
                    "varchar" => ("character varying", ""),
                    "bpchar" => ("character", ""),
                    "varbit" => ("bit varying", ""),
                    "timestamptz" => ("timestamp", " with time zone"),
                    "timestamp" => ("timestamp", " without time zone"),
                    "timetz" => ("time", " with time zone"),
                    "time" => ("time", " without time zone"),
                    other => (other, ""),
                };
                write!(f, "{words}{modifiers}{zone}")?;
            }
            [schema, name] => {
                write!(f, "{}{modifiers}", QualifiedName::new(Some(schema), name))?;
            }
            names => {
                let quoted: Vec<_> = names.iter().map(|n| quote_ident(n)).collect();
                write!(f, "{}{modifiers}", quoted.join("."))?;
            }
        }
        for _ in 0..self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// The internal name of a type alias the parser leaves as written, and
/// whether it is a serial type.
fn internal_name(name: &str) -> (&str, bool) {
    match name {
        "int" | "integer" => ("int4", false),
        "smallint" => ("int2", false),
        "bigint" => ("int8", false),
        "boolean" => ("bool", false),
        "real" => ("float4", false),
        "decimal" => ("numeric", false),
        "serial" | "serial4" => ("int4", true),
        "bigserial" | "serial8" => ("int8", true),
        "smallserial" | "serial2" => ("int2", true),
        other => (other, false),
    }
}

fn modifier(node: &Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::AConst(constant) => match constant.val.as_ref()? {
            Val::Ival(i) => Some(i.ival.to_string()),
            Val::Sval(s) => Some(s.sval.clone()),
            Val::Fval(f) => Some(f.fval.clone()),
            _ => None,
        },
        NodeEnum::ColumnRef(column) => column
            .fields
            .last()
            .and_then(string_value)
            .map(str::to_string),
        _ => None,
    }
}

/// The canonical form of any piece of a syntax tree.
pub fn canonical<T: Serialize + ?Sized>(node: &T, cx: &Context) -> Tree {
    let mut tree = compact::to_tree(node);
    normalise(&mut tree, cx);
    tree
}

fn normalise(tree: &mut Tree, cx: &Context) {
    match tree {
        Tree::List(items) => items.iter_mut().for_each(|item| normalise(item, cx)),
        Tree::Fields(_) => {
            tree.children_mut().for_each(|field| normalise(field, cx));
            rewrite(tree, cx);
            if is_stripped_cast(tree) {
                let arg = tree.at_mut("/node/TypeCast/arg").map(std::mem::take);
                *tree = arg.unwrap_or_default();
            }
        }
        _ => {}
    }
}

fn rewrite(fields: &mut Tree, cx: &Context) {
    if let Some(constant) = fields.get_mut("AConst") {
        // `5` and `'5'::integer` are the same default.
        let text = constant
            .get("val")
            .and_then(|val| (val.get("Ival").map(integer)).or_else(|| text_at(val, "/Fval/fval")));
        if let Some(text) = text {
            let sval = Tree::Fields(vec![("sval", text.into())]);
            constant.set("val", Tree::Fields(vec![("Sval", sval)]));
        }
    } else if let Some(column) = fields.get_mut("ColumnRef") {
        // pg_dump qualifies columns with their table.
        if let Some(Tree::List(parts)) = column.get_mut("fields") {
            let last = parts.pop();
            parts.clear();
            parts.extend(last);
        }
    } else if let Some(call) = fields.get_mut("FuncCall") {
        if let Some(Tree::List(names)) = call.get_mut("funcname") {
            let nodes: Vec<Node> = (names.iter())
                .filter_map(|name| text_at(name, "/node/String/sval"))
                .map(|part| string_node(&part))
                .collect();
            *names = (cx.function_name(&nodes).iter())
                .map(|part| string_tree(part))
                .collect();
        }
    } else if let Some(expr) = fields.get_mut("AExpr") {
        in_list_as_any(expr);
    } else if let Some(expr) = fields.get_mut("BoolExpr") {
        flatten(expr);
    } else if fields.get("relname").is_some() && fields.get("relpersistence").is_some() {
        if fields.get("schemaname").is_none() {
            fields.set("schemaname", cx.schema().into());
        }
    } else if fields.get("typemod").is_some() && fields.get("names").is_some() {
        let names = strings_of(fields.get("names"));
        let modifiers = (fields.get("typmods").and_then(Tree::as_list))
            .map(|mods| mods.iter().filter_map(modifier_value).collect())
            .unwrap_or_default();
        let array = (fields.get("array_bounds").and_then(Tree::as_list)).map_or(0, Vec::len);
        let (sql_type, _) = SqlType::from_parts(names, modifiers, array, cx);
        for key in ["names", "typmods", "array_bounds", "typemod"] {
            fields.remove(key);
        }
        if let Tree::Fields(canonical) = sql_type.to_tree() {
            canonical
                .into_iter()
                .for_each(|(key, value)| fields.set(key, value));
        }
    }
}

/// `x IN (a, b)` is stored, and dumped, as `x = ANY (ARRAY[a, b])`.
fn in_list_as_any(expr: &mut Tree) {
    if expr.get("kind").and_then(Tree::as_i64) != Some(AExprKind::AexprIn as i64) {
        return;
    }
    let negated = strings_of(expr.get("name")).iter().any(|op| op == "<>");
    let kind = if negated {
        AExprKind::AexprOpAll
    } else {
        AExprKind::AexprOpAny
    };
    expr.set("kind", Tree::Int(kind as i64));
    if let Some(items) = expr.at_mut("/rexpr/node/List/items") {
        let elements = std::mem::take(items);
        let array = Tree::Fields(vec![(
            "AArrayExpr",
            Tree::Fields(vec![("elements", elements)]),
        )]);
        expr.set("rexpr", Tree::Fields(vec![("node", array)]));
    }
}

/// `a AND (b AND c)` is `a AND b AND c`.
fn flatten(expr: &mut Tree) {
    let op = expr.get("boolop").cloned();
    if op == Some(Tree::Int(BoolExprType::NotExpr as i64)) {
        return;
    }
    let Some(Tree::List(args)) = expr.get_mut("args") else {
        return;
    };
    let mut flat = Vec::with_capacity(args.len());
    for mut arg in args.drain(..) {
        let same_op = arg
            .at("/node/BoolExpr/boolop")
            .is_some_and(|inner| Some(inner) == op.as_ref());
        match arg.at_mut("/node/BoolExpr/args") {
            Some(Tree::List(inner_args)) if same_op => flat.append(inner_args),
            _ => flat.push(arg),
        }
    }
    *args = flat;
}

/// Whether the tree is a cast pg_dump adds or drops: of constants
/// (`'a'::text`), of arrays of constants, of columns to text.
fn is_stripped_cast(tree: &Tree) -> bool {
    let Some(cast) = tree.at("/node/TypeCast") else {
        return false;
    };
    let Some(inner) = cast.at("/arg/node") else {
        return false;
    };
    let is_constant = |node: &Tree| node.get("AConst").is_some();
    is_constant(inner)
        || inner
            .at("/AArrayExpr/elements")
            .and_then(Tree::as_list)
            .is_some_and(|elements| {
                (elements.iter()).all(|e| e.get("node").is_some_and(is_constant))
            })
        || inner.get("ColumnRef").is_some()
            && matches!(
                strings_in(cast.at("/type_name/names")).as_slice(),
                [name] if name == "text" || name == "varchar"
            )
}

fn text_at(tree: &Tree, path: &str) -> Option<String> {
    tree.at(path).and_then(Tree::as_str).map(str::to_string)
}

fn modifier_value(node: &Tree) -> Option<String> {
    let val = node.at("/node/AConst/val")?;
    (val.get("Ival").map(integer))
        .or_else(|| text_at(val, "/Sval/sval"))
        .or_else(|| text_at(val, "/Fval/fval"))
}

/// An `Ival`'s number: compact trees leave out 0.
fn integer(ival: &Tree) -> String {
    ival.get("ival")
        .and_then(Tree::as_i64)
        .unwrap_or(0)
        .to_string()
}

/// A `String` node's canonical form.
fn string_tree(text: &str) -> Tree {
    let sval = Tree::Fields(vec![("sval", text.into())]);
    Tree::Fields(vec![("node", Tree::Fields(vec![("String", sval)]))])
}

pub fn string_node(text: &str) -> Node {
    Node {
        node: Some(NodeEnum::String(protobuf::String {
            sval: text.to_string(),
        })),
    }
}

/// Strings of a list of `String` nodes in a canonical tree (constraint
/// keys).
pub fn strings_of(list: Option<&Tree>) -> Vec<String> {
    (list.and_then(Tree::as_list).into_iter().flatten())
        .filter_map(|item| text_at(item, "/node/String/sval"))
        .collect()
}

/// An expression as SQL, e.g. `auth.uid() = user_id`.
pub fn expression_sql(node: &Node) -> String {
    let select = NodeEnum::SelectStmt(Box::new(SelectStmt {
        target_list: vec![Node {
            node: Some(NodeEnum::ResTarget(Box::new(ResTarget {
                val: Some(Box::new(node.clone())),
                ..Default::default()
            }))),
        }],
        op: protobuf::SetOperation::SetopNone as i32,
        limit_option: protobuf::LimitOption::Default as i32,
        ..Default::default()
    }));
    let sql = statement_sql(&select);
    sql.strip_prefix("SELECT ").unwrap_or(&sql).to_string()
}

/// A statement as SQL (what the deparser makes of its tree).
pub fn statement_sql(node: &NodeEnum) -> String {
    node.deparse(Default::default())
        .unwrap_or_else(|_| "(cannot be shown)".into())
}

/// The expression of `SELECT <text>`, for defaults PostgreSQL makes up.
pub fn parse_expression(text: &str) -> Option<Node> {
    let parsed = pg_query::parse(&format!("SELECT {text}"), 0).ok()?;
    let statement = parsed
        .protobuf
        .stmts
        .first()?
        .stmt
        .as_ref()?
        .node
        .as_ref()?;
    match statement {
        NodeEnum::SelectStmt(select) => match select.target_list.first()?.node.as_ref()? {
            NodeEnum::ResTarget(target) => target.val.as_deref().cloned(),
            _ => None,
        },
        _ => None,
    }
}
