//! The relations, columns, functions and types a piece of a statement reads
//! anywhere in its syntax tree (subqueries, defaults, policy expressions...).
//!
//! PostgreSQL's tree has hundreds of node types; rather than a hand-written
//! visitor for each, this walks the tree in place ([`visit`]), where every
//! relation reference is a `RangeVar`, every call a `FuncCall`, every
//! column a `ColumnRef` and every type a `TypeName`. Columns are resolved
//! against the relations in scope (FROM clauses, the policy's table). A
//! query's FROM and WITH lists come after its select list in the tree, so
//! what is found is resolved once the walk is over.
use pg_query::protobuf::{Node, RangeVar};

use crate::analysis::facts::{ObjectKind, ObjectRef};
use crate::analysis::names::QualifiedName;
use crate::analysis::visit::{self, Visit};

/// The relations column references may mean in one query: each under the
/// name references use for it; `None` for a subquery or function.
type Frame = Vec<(String, Option<QualifiedName>)>;

/// The relations a column reference can belong to, innermost query last.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    frames: Vec<Frame>,
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
        let mut walker = Walker::new(Scope::default(), schema);
        walker.queries[0].from_list = Some(0);
        visit::walk(from, &mut walker);
        frame.append(&mut walker.queries[0].frame);
        Self {
            frames: vec![frame],
        }
    }

    /// The tables a column reference may belong to, most likely first, and
    /// the column's name. An unqualified column may belong to any table in
    /// scope, inner queries first; none when a subquery or function in scope
    /// could be its source.
    fn resolve(&self, parts: &[String]) -> Option<(Vec<QualifiedName>, String)> {
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
    let mut walker = Walker::new(scope.clone(), schema);
    visit::walk(node, &mut walker);
    walker.reads()
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

/// A dotted name (`schema.name`) as its parts: the last is the name.
fn name_of(parts: &[String]) -> Option<QualifiedName> {
    match parts {
        [name] => Some(QualifiedName::new(None, name)),
        [.., schema, name] => Some(QualifiedName::new(Some(schema), name)),
        [] => None,
    }
}

/// What the walk found, resolved when it is over.
enum Found {
    /// A relation named in a query (`query`: the innermost one).
    Relation {
        schema: Option<String>,
        name: String,
        query: usize,
    },
    Column {
        parts: Vec<String>,
        query: usize,
    },
    Function(Vec<String>),
    Type(Vec<String>),
}

/// One query (SELECT) the walk is in or has left; the first stands for the
/// scope the reader gave.
#[derive(Default)]
struct Query {
    outer: Option<usize>,
    frame: Frame,
    /// Names of its WITH queries, which shadow relations.
    ctes: Vec<String>,
    /// The depth of the walk (see `Walker::path`) of its FROM list while
    /// it is walked.
    from_list: Option<usize>,
}

/// What the walk is inside, innermost last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// A node of this kind (`SelectStmt`...).
    Node(&'static str),
    Struct(&'static str),
    Field(&'static str),
}

/// A name being read: the dotted parts of a column, a function, a type,
/// or a relation's schema, name and alias.
struct Reading {
    /// The depth of the walk (see `Walker::path`) of its struct.
    depth: usize,
    what: Named,
    parts: Vec<String>,
    /// Its place among what was found: where it begins, not where it ends
    /// (a call before its arguments).
    slot: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    Column,
    Function,
    Type,
    /// A relation; `from`: an item of its query's FROM list.
    Relation {
        from: bool,
    },
    /// An item of a FROM list other than a relation (a subquery, a function,
    /// a join): its alias, if it has one.
    FromItem,
}

struct Walker<'a> {
    scope: Scope,
    schema: &'a str,
    path: Vec<Step>,
    queries: Vec<Query>,
    /// The queries the walk is in, innermost last.
    open: Vec<usize>,
    /// The names being read, innermost last.
    readings: Vec<Reading>,
    /// In the order they begin; `None` for what turned out to name nothing.
    found: Vec<Option<Found>>,
    /// The node that just began, and whether it is an item of a FROM list:
    /// its struct comes next.
    entered: Option<(&'static str, bool)>,
}

impl<'a> Walker<'a> {
    fn new(scope: Scope, schema: &'a str) -> Self {
        Walker {
            scope,
            schema,
            path: Vec::new(),
            queries: vec![Query::default()],
            open: vec![0],
            readings: Vec::new(),
            found: Vec::new(),
            entered: None,
        }
    }

    fn query(&self) -> usize {
        *self.open.last().expect("the reader's scope stays open")
    }

    /// Whether a node beginning now is an item of the open query's FROM
    /// list (or a side of a join that is).
    fn is_from_item(&self) -> bool {
        let Some(depth) = self.queries[self.query()].from_list else {
            return false;
        };
        let beyond = self.path[depth.min(self.path.len())..].iter();
        let mut inside =
            beyond.filter(|step| !matches!(step, Step::Field("node") | Step::Struct("Node")));
        // Directly in the list, or in joins' sides all the way down.
        loop {
            match inside.next() {
                None => return true,
                Some(Step::Node("JoinExpr")) => {}
                Some(_) => return false,
            }
            match (inside.next(), inside.next()) {
                (Some(Step::Struct("JoinExpr")), Some(Step::Field("larg" | "rarg"))) => {}
                _ => return false,
            }
        }
    }

    fn begin_reading(&mut self, what: Named) {
        self.found.push(None);
        self.readings.push(Reading {
            depth: self.path.len(),
            what,
            parts: Vec::new(),
            slot: self.found.len() - 1,
        });
    }

    /// Every read found, resolved against the queries' FROM and WITH
    /// lists, each once.
    fn reads(mut self) -> Vec<Read> {
        let mut reads: Vec<Read> = Vec::new();
        let mut push = |read: Read| {
            if !reads.contains(&read) {
                reads.push(read);
            }
        };
        let found = std::mem::take(&mut self.found);
        let scopes: Vec<Scope> = (0..self.queries.len()).map(|q| self.scope_of(q)).collect();
        for found in found.into_iter().flatten() {
            match found {
                Found::Relation {
                    schema,
                    name,
                    query,
                } => {
                    if schema.is_none() && self.is_cte(query, &name) {
                        continue;
                    }
                    let name = QualifiedName::new(schema.as_deref().or(Some(self.schema)), &name);
                    push(plain(ObjectRef::new(ObjectKind::Relation, name)));
                }
                Found::Function(parts) => {
                    if let Some(name) = name_of(&parts) {
                        push(plain(ObjectRef::new(ObjectKind::Function, name)));
                    }
                }
                Found::Type(parts) => {
                    let object = name_of(&parts).and_then(|name| type_named(name, self.schema));
                    if let Some(object) = object {
                        push(plain(object));
                    }
                }
                Found::Column { parts, query } => {
                    let Some((tables, column)) = scopes[query].resolve(&parts) else {
                        continue;
                    };
                    if let [table] = tables.as_slice() {
                        push(plain(ObjectRef::new(ObjectKind::Relation, table.clone())));
                    }
                    let mut columns =
                        (tables.into_iter()).map(|table| ObjectRef::column(table, &column));
                    let object = columns.next().expect("at least one table");
                    push(Read {
                        object,
                        alternatives: columns.collect(),
                    });
                }
            }
        }
        reads
    }

    /// Whether `name` is a WITH query in force in `query`.
    fn is_cte(&self, query: usize, name: &str) -> bool {
        let mut at = Some(query);
        while let Some(query) = at {
            if self.queries[query].ctes.iter().any(|cte| cte == name) {
                return true;
            }
            at = self.queries[query].outer;
        }
        false
    }

    /// The reader's scope, then each query from the outermost to `query`;
    /// a WITH query in FROM is not a table: its columns are its own.
    fn scope_of(&self, query: usize) -> Scope {
        let mut chain = Vec::new();
        let mut at = Some(query);
        while let Some(query) = at.filter(|&q| q != 0) {
            chain.push(query);
            at = self.queries[query].outer;
        }
        let mut scope = self.scope.clone();
        for &query in chain.iter().rev() {
            let mut frame = self.queries[query].frame.clone();
            for (_, table) in &mut frame {
                if table.as_ref().is_some_and(|t| self.is_cte(query, &t.name)) {
                    *table = None;
                }
            }
            scope.frames.push(frame);
        }
        scope
    }
}

fn plain(object: ObjectRef) -> Read {
    Read {
        object,
        alternatives: Vec::new(),
    }
}

impl Visit for Walker<'_> {
    fn enter(&mut self, kind: &'static str) -> bool {
        let from_item = self.is_from_item();
        if kind == "SelectStmt" {
            let outer = Some(self.query());
            self.queries.push(Query {
                outer,
                ..Query::default()
            });
            self.open.push(self.queries.len() - 1);
        }
        self.entered = Some((kind, from_item));
        self.path.push(Step::Node(kind));
        true
    }

    fn leave(&mut self, kind: &'static str) {
        self.path.pop();
        if kind == "SelectStmt" {
            self.open.pop();
        }
    }

    fn structure(&mut self, name: &'static str) {
        // A struct a field holds by its type (an INSERT's `relation`) has
        // no node around it, and is never an item of a FROM list.
        let from_item = match self.entered.take() {
            Some((kind, from_item)) => kind == name && from_item,
            None => false,
        };
        match name {
            "RangeVar" => self.begin_reading(Named::Relation { from: from_item }),
            "TypeName" => self.begin_reading(Named::Type),
            "ColumnRef" => self.begin_reading(Named::Column),
            "FuncCall" => self.begin_reading(Named::Function),
            "JoinExpr" => {}
            _ if from_item => self.begin_reading(Named::FromItem),
            _ => {}
        }
        self.path.push(Step::Struct(name));
    }

    fn structure_end(&mut self, _: &'static str) {
        self.path.pop();
        let depth = self.path.len();
        if self.readings.last().is_none_or(|r| r.depth != depth) {
            return;
        }
        let reading = self.readings.pop().expect("just seen");
        let query = self.query();
        let found = match reading.what {
            Named::Column => Some(Found::Column {
                parts: reading.parts,
                query,
            }),
            Named::Function => Some(Found::Function(reading.parts)),
            Named::Type => (!reading.parts.is_empty()).then_some(Found::Type(reading.parts)),
            Named::Relation { from } => {
                let [schema, name, alias] =
                    <[String; 3]>::try_from(reading.parts).unwrap_or_default();
                let schema = (!schema.is_empty()).then_some(schema);
                if from && !name.is_empty() {
                    let alias = if alias.is_empty() {
                        name.clone()
                    } else {
                        alias
                    };
                    let table = QualifiedName::new(schema.as_deref().or(Some(self.schema)), &name);
                    self.queries[query].frame.push((alias, Some(table)));
                }
                (!name.is_empty()).then_some(Found::Relation {
                    schema,
                    name,
                    query,
                })
            }
            Named::FromItem => {
                if let Some(alias) = reading.parts.into_iter().next() {
                    self.queries[query].frame.push((alias, None));
                }
                None
            }
        };
        self.found[reading.slot] = found;
    }

    fn field(&mut self, name: &'static str) {
        self.entered = None;
        // Only a query's own FROM list: a UNION's sides are walked as part
        // of the query around them.
        let own_from_list = name == "from_clause"
            && self
                .path
                .ends_with(&[Step::Node("SelectStmt"), Step::Struct("SelectStmt")]);
        if own_from_list {
            let query = self.query();
            self.queries[query].from_list = Some(self.path.len() + 1);
        }
        self.path.push(Step::Field(name));
    }

    fn field_end(&mut self, name: &'static str) {
        self.path.pop();
        let query = self.query();
        if name == "from_clause" && self.queries[query].from_list == Some(self.path.len() + 1) {
            self.queries[query].from_list = None;
        }
    }

    fn string(&mut self, field: &'static str, value: &str) {
        if field == "ctename" {
            // A WITH query of the open query.
            let query = self.query();
            self.queries[query].ctes.push(value.to_string());
            return;
        }
        let depth = self.path.len();
        let Some(reading) = self.readings.last_mut() else {
            return;
        };
        // Where in the struct being read the string is.
        let list = self.path.get(reading.depth + 1);
        let own = match (reading.what, field) {
            (Named::Column, "sval") => true,
            // The name's own parts, not the strings of arguments or
            // modifiers: `Node`, `node`, `String`, `String`, `sval` deeper.
            (Named::Function, "sval") => {
                list == Some(&Step::Field("funcname")) && depth == reading.depth + 7
            }
            (Named::Type, "sval") => {
                list == Some(&Step::Field("names")) && depth == reading.depth + 7
            }
            (Named::Relation { .. }, "schemaname" | "relname") => depth == reading.depth + 2,
            // `alias`, `Alias`, `aliasname`: not its column names.
            (Named::Relation { .. } | Named::FromItem, "aliasname") => depth == reading.depth + 4,
            _ => false,
        };
        if !own {
            return;
        }
        match (reading.what, field) {
            (Named::Relation { .. }, _) => {
                reading.parts.resize(3, String::new());
                let at = match field {
                    "schemaname" => 0,
                    "relname" => 1,
                    _ => 2,
                };
                reading.parts[at] = value.to_string();
            }
            _ => reading.parts.push(value.to_string()),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::normal::parse_expression;

    fn reads_of(query: &str, scope: Scope) -> Vec<String> {
        let parsed = pg_query::parse(query, 0).expect("parses");
        let statement = parsed.protobuf.stmts[0]
            .stmt
            .as_deref()
            .expect("a statement");
        (collect(statement, &scope, "public").into_iter())
            .map(|read| {
                let alternatives: Vec<String> =
                    read.alternatives.iter().map(ToString::to_string).collect();
                match alternatives.is_empty() {
                    true => read.object.to_string(),
                    false => format!("{} or {}", read.object, alternatives.join(" or ")),
                }
            })
            .collect()
    }

    #[test]
    fn columns_resolve_against_from_lists_that_come_after_them_in_the_tree() {
        let reads = reads_of(
            "with recent as (select id from app.orders)
             select r.id, c.name, x.v, total
             from recent r join customers c on c.id = r.id, lateral (select 1 as v) x
             where exists (select 1 from notes n where n.owner = c.id)",
            Scope::default(),
        );
        assert_eq!(
            reads,
            [
                "relation public.customers",
                "column public.customers.name",
                "column public.customers.id",
                "relation public.notes",
                "column public.notes.owner",
                "relation app.orders",
            ],
            "a WITH query is no table, a subquery's columns are its own, and an \
             unqualified column that a WITH query or subquery in scope may hold \
             is not guessed"
        );
    }

    #[test]
    fn a_policy_expression_reads_its_table_calls_and_types() {
        let expression = parse_expression(
            "owner = auth.uid() and kind = any (array['a', 'b']::app.kind[]) \
             and t.team in (select team from members m where m.user_id = auth.uid())",
        )
        .expect("an expression");
        let table = QualifiedName::new(Some("public"), "docs");
        let mut walker = Walker::new(Scope::of_table(Some(table)), "public");
        visit::walk(&expression, &mut walker);
        let reads: Vec<String> = (walker.reads().into_iter())
            .map(|read| match read.alternatives.as_slice() {
                [] => read.object.to_string(),
                [other] => format!("{} or {other}", read.object),
                _ => panic!("two tables in scope"),
            })
            .collect();
        assert_eq!(
            reads,
            [
                "relation public.docs",
                "column public.docs.owner",
                "function auth.uid()",
                "column public.docs.kind",
                "type app.kind",
                "column public.members.team or column public.docs.team",
                "relation public.members",
                "column public.members.user_id",
            ],
            "an unqualified column in a subquery may be the policy table's"
        );
    }

    #[test]
    fn the_target_of_an_update_and_its_from_list_are_in_scope() {
        let parsed = pg_query::parse("select 1 from profiles p join teams using (id), f() g", 0)
            .expect("parses");
        let Some(pg_query::NodeEnum::SelectStmt(select)) = parsed.protobuf.stmts[0]
            .stmt
            .as_deref()
            .and_then(|s| s.node.as_ref())
        else {
            panic!("a select");
        };
        let range = RangeVar {
            relname: "notes".into(),
            alias: Some(pg_query::protobuf::Alias {
                aliasname: "n".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let notes = QualifiedName::new(Some("public"), "notes");
        let scope = Scope::of_statement(Some(notes), Some(&range), &select.from_clause, "public");
        let frame: Vec<String> = (scope.frames[0].iter())
            .map(|(alias, table)| format!("{alias}: {table:?}"))
            .collect();
        assert_eq!(frame.len(), 4, "{frame:?}");
        assert!(frame[0].starts_with("n: Some") && frame[0].contains("notes"));
        assert!(frame[1].starts_with("p: Some") && frame[1].contains("profiles"));
        assert!(frame[2].starts_with("teams: Some"));
        assert_eq!(frame[3], "g: None");
    }
}
