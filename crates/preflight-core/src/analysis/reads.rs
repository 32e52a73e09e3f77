//! The relations, columns, functions and types a piece of a statement reads
//! anywhere in its syntax tree (subqueries, defaults, policy expressions...).
//!
//! PostgreSQL's tree has hundreds of node types; rather than a hand-written
//! visitor for each, this walks the tree's serde form, where every relation
//! reference has the shape of a `RangeVar`, every call is a `FuncCall`, every
//! column a `ColumnRef` and every type a `TypeName`. Columns are resolved
//! against the relations in scope (FROM clauses, the policy's table).
use crate::analysis::compact::At;
use pg_query::protobuf::{Node, RangeVar};
use serde_json::{Map, Value};

use crate::analysis::compact;
use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::names::QualifiedName;

/// The relations a column reference can belong to, innermost query last.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    frames: Vec<Vec<(String, Option<QualifiedName>)>>,
}

impl Scope {
    /// One table whose columns unqualified names refer to (a policy's, a
    /// constraint's).
    pub fn of_table(table: Option<QualifiedName>) -> Self {
        let mut scope = Self::default();
        if let Some(table) = table {
            scope
                .frames
                .push(vec![(table.name.to_string(), Some(table))]);
        }
        scope
    }

    /// The target of UPDATE/DELETE (under its alias) and its FROM/USING list.
    pub fn of_statement(
        table: Option<QualifiedName>,
        range: Option<&RangeVar>,
        from: &[Node],
        schema: &str,
    ) -> Self {
        let mut frame = Vec::new();
        if let (Some(table), Some(range)) = (table, range) {
            let alias = range
                .alias
                .as_ref()
                .map_or(table.name.to_string(), |a| a.aliasname.clone());
            frame.push((alias, Some(table)));
        }
        for item in from {
            from_item(&compact::to_value(item), schema, &mut frame);
        }
        Self {
            frames: vec![frame],
        }
    }

    /// The tables a column reference may belong to, most likely first, and
    /// the column's name. An unqualified column may belong to any table in
    /// scope, inner queries first; none when a subquery or function in scope
    /// could be its source.
    fn resolve(&self, parts: &[&str]) -> Option<(Vec<QualifiedName>, String)> {
        match parts {
            [column] => {
                let mut tables = Vec::new();
                for frame in self.frames.iter().rev() {
                    for (_, table) in frame {
                        tables.push(table.clone()?);
                    }
                }
                (!tables.is_empty()).then(|| (tables, column.to_string()))
            }
            [qualifier, column] => self.frames.iter().rev().find_map(|frame| {
                frame.iter().find_map(|(alias, table)| {
                    (alias == qualifier)
                        .then(|| Some((vec![table.clone()?], column.to_string())))?
                })
            }),
            [schema, table, column] => Some((
                vec![QualifiedName::new(Some(schema), table)],
                column.to_string(),
            )),
            _ => None,
        }
    }
}

/// A reference, and what else it may mean (see `Fact::alternatives`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub object: ObjectRef,
    pub alternatives: Vec<ObjectRef>,
}

/// Every relation, column, function and type `node` refers to, in order of
/// appearance, each once. Unqualified relations and types are placed in
/// `schema`; unqualified functions stay unqualified (they may be built in).
pub fn collect(node: &Node, scope: &Scope, schema: &str) -> Vec<Read> {
    let mut walker = Walker {
        scope: scope.clone(),
        ctes: Vec::new(),
        schema,
        reads: Vec::new(),
    };
    walker.walk(&compact::to_value(node));
    walker.reads
}

/// A type reference, unless it is one of PostgreSQL's built-in types.
pub fn type_reference(names: &[Node], schema: &str) -> Option<ObjectRef> {
    type_named(QualifiedName::from_list(names)?, schema)
}

fn type_named(name: QualifiedName, schema: &str) -> Option<ObjectRef> {
    if name.schema.as_deref() == Some("pg_catalog")
        || name.schema.is_none() && is_builtin_type(&name.name)
    {
        return None;
    }
    Some(ObjectRef::new(ObjectKind::Type, name.in_schema(schema)))
}

struct Walker<'a> {
    scope: Scope,
    /// Names of WITH queries in force, which shadow relations.
    ctes: Vec<String>,
    schema: &'a str,
    reads: Vec<Read>,
}

impl Walker<'_> {
    fn push(&mut self, object: ObjectRef) {
        self.push_read(Read {
            object,
            alternatives: Vec::new(),
        });
    }

    fn push_read(&mut self, read: Read) {
        if !self.reads.contains(&read) {
            self.reads.push(read);
        }
    }

    fn walk(&mut self, value: &Value) {
        match value {
            Value::Array(items) => items.iter().for_each(|item| self.walk(item)),
            Value::Object(fields) => {
                if let Some(select) = fields.get("SelectStmt") {
                    return self.select(select);
                }
                self.node(fields);
                fields.values().for_each(|field| self.walk(field));
            }
            _ => {}
        }
    }

    /// A query opens a scope: its FROM list names the relations its column
    /// references mean, its WITH list names queries that are not relations.
    fn select(&mut self, select: &Value) {
        let ctes_before = self.ctes.len();
        if let Some(ctes) = select.at("/with_clause/ctes").and_then(Value::as_array) {
            for cte in ctes {
                let name = cte.at("/node/CommonTableExpr/ctename");
                if let Some(name) = name.and_then(Value::as_str) {
                    self.ctes.push(name.to_string());
                }
            }
        }
        let mut frame = Vec::new();
        if let Some(from) = select.get("from_clause") {
            from_item(from, self.schema, &mut frame);
        }
        // A WITH query in FROM is not a table: its columns are its own.
        for (_, table) in &mut frame {
            let is_cte = table
                .as_ref()
                .is_some_and(|t| self.ctes.iter().any(|cte| *cte == t.name));
            if is_cte {
                *table = None;
            }
        }
        self.scope.frames.push(frame);
        if let Value::Object(fields) = select {
            fields.values().for_each(|field| self.walk(field));
        }
        self.scope.frames.pop();
        self.ctes.truncate(ctes_before);
    }

    fn node(&mut self, fields: &Map<String, Value>) {
        if let Some(range) = range_var(fields) {
            if range.0.is_none() && self.ctes.contains(&range.1) {
                return;
            }
            let name = QualifiedName::new(range.0.as_deref().or(Some(self.schema)), &range.1);
            self.push(ObjectRef::new(ObjectKind::Relation, name));
        } else if let Some(call) = fields.get("FuncCall") {
            if let Some(name) = name_list(call.get("funcname")) {
                self.push(ObjectRef::new(ObjectKind::Function, name));
            }
        } else if let Some(column) = fields.get("ColumnRef") {
            let parts: Vec<&str> = column
                .get("fields")
                .and_then(Value::as_array)
                .map(|fields| {
                    fields
                        .iter()
                        .filter_map(|f| f.at("/node/String/sval")?.as_str())
                        .collect()
                })
                .unwrap_or_default();
            if let Some((tables, column)) = self.scope.resolve(&parts) {
                if let [table] = tables.as_slice() {
                    self.push(ObjectRef::new(ObjectKind::Relation, table.clone()));
                }
                let mut columns = tables
                    .into_iter()
                    .map(|table| ObjectRef::column(table, &column));
                let object = columns.next().expect("at least one table");
                self.push_read(Read {
                    object,
                    alternatives: columns.collect(),
                });
            }
        } else if fields.contains_key("typemod") && fields.contains_key("names") {
            let name = name_list(fields.get("names"));
            if let Some(object) = name.and_then(|name| type_named(name, self.schema)) {
                self.push(object);
            }
        }
    }
}

/// `(schema, name)` of a `RangeVar`, tagged or not (fields typed as
/// `RangeVar` carry no tag).
fn range_var(fields: &Map<String, Value>) -> Option<(Option<String>, String)> {
    let fields = match fields.get("RangeVar") {
        Some(Value::Object(inner)) => inner,
        _ => fields,
    };
    let relname = fields.get("relname")?.as_str()?;
    fields.get("relpersistence")?;
    let schema = fields
        .get("schemaname")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Some((schema, relname.to_string()))
}

fn name_list(list: Option<&Value>) -> Option<QualifiedName> {
    let parts: Vec<&str> = list?
        .as_array()?
        .iter()
        .filter_map(|part| part.at("/node/String/sval").and_then(Value::as_str))
        .collect();
    match parts.as_slice() {
        [name] => Some(QualifiedName::new(None, name)),
        [.., schema, name] => Some(QualifiedName::new(Some(schema), name)),
        [] => None,
    }
}

/// Adds the relations of a FROM list (tables, joins, subqueries) to `frame`
/// under the names column references use for them.
fn from_item(value: &Value, schema: &str, frame: &mut Vec<(String, Option<QualifiedName>)>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| from_item(item, schema, frame)),
        Value::Object(fields) => {
            if let Some(node) = fields.get("node") {
                return from_item(node, schema, frame);
            }
            if let Some((given_schema, name)) = range_var(fields) {
                let inner = fields.get("RangeVar").unwrap_or(value);
                let alias = inner
                    .at("/alias/aliasname")
                    .and_then(Value::as_str)
                    .unwrap_or(&name)
                    .to_string();
                let table = QualifiedName::new(given_schema.as_deref().or(Some(schema)), &name);
                frame.push((alias, Some(table)));
            } else if let Some(join) = fields.get("JoinExpr") {
                for side in ["larg", "rarg"] {
                    if let Some(side) = join.get(side) {
                        from_item(side, schema, frame);
                    }
                }
            } else if let Some(alias) = fields
                .values()
                .find_map(|inner| inner.at("/alias/aliasname").and_then(Value::as_str))
            {
                // A subquery or function in FROM: its columns are not a table's.
                frame.push((alias.to_string(), None));
            }
        }
        _ => {}
    }
}

fn is_builtin_type(name: &str) -> bool {
    const BUILTIN: &[&str] = &[
        "text",
        "varchar",
        "char",
        "bpchar",
        "name",
        "int2",
        "int4",
        "int8",
        "smallint",
        "integer",
        "bigint",
        "int",
        "float4",
        "float8",
        "real",
        "numeric",
        "decimal",
        "bool",
        "boolean",
        "date",
        "time",
        "timetz",
        "timestamp",
        "timestamptz",
        "interval",
        "uuid",
        "json",
        "jsonb",
        "bytea",
        "inet",
        "cidr",
        "macaddr",
        "macaddr8",
        "money",
        "oid",
        "regclass",
        "regproc",
        "regprocedure",
        "regtype",
        "regrole",
        "regnamespace",
        "xml",
        "tsvector",
        "tsquery",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "bit",
        "varbit",
        "serial",
        "bigserial",
        "smallserial",
        "serial2",
        "serial4",
        "serial8",
        "record",
        "void",
        "trigger",
        "event_trigger",
        "anyelement",
        "anyarray",
        "anynonarray",
        "anyenum",
        "anyrange",
        "anycompatible",
        "anycompatiblearray",
        "internal",
        "cstring",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
        "int4multirange",
        "int8multirange",
        "nummultirange",
        "tsmultirange",
        "tstzmultirange",
        "datemultirange",
        "jsonpath",
        "txid_snapshot",
        "pg_snapshot",
        "pg_lsn",
        "regconfig",
        "regdictionary",
        "unknown",
        "character",
        "double precision",
        "setof",
        "refcursor",
        "xid",
        "xid8",
        "cid",
        "tid",
        "aclitem",
        "gtsvector",
        "language_handler",
        "fdw_handler",
        "table_am_handler",
        "index_am_handler",
        "tsm_handler",
    ];
    BUILTIN.contains(&name)
}
