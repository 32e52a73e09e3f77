//! A syntax tree without what no reader of it needs: positions in the
//! text, `ONLY` (pg_dump writes `ALTER TABLE ONLY`), and fields left at
//! their default (empty, zero, false, absent). A parse tree node has dozens
//! of fields and sets a few, so the tree is several times smaller than the
//! node's serde form: cheaper to build, walk, compare and free. Field names
//! are the syntax tree's own (`&'static str`), so a node costs one
//! allocation for its fields, none per name. Readers treat a missing field
//! as its default; what needs positions (a fix's edits) keeps them
//! ([`with_positions`]).
use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// A compact syntax tree, or a value built like one (a type's canonical
/// form, a function's arguments).
#[derive(Clone, Default)]
pub enum Tree {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<Tree>),
    /// A struct's fields, or a node's kind wrapping its fields
    /// (`[("ColumnRef", ...)]`), in the order written.
    Fields(Vec<(&'static str, Tree)>),
}

impl Tree {
    /// The field `key` of a struct.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Fields(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Tree> {
        match self {
            Tree::Fields(fields) => fields.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets a struct's field, replacing its value if it has one.
    pub fn set(&mut self, key: &'static str, value: Tree) {
        if let Tree::Fields(fields) = self {
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some((_, old)) => *old = value,
                None => fields.push((key, value)),
            }
        }
    }

    /// Takes a struct's field out.
    pub fn remove(&mut self, key: &str) -> Option<Tree> {
        let Tree::Fields(fields) = self else {
            return None;
        };
        let at = fields.iter().position(|(k, _)| *k == key)?;
        Some(fields.remove(at).1)
    }

    /// A path of field names and list positions, as a JSON pointer names
    /// them: `/node/String/sval`, `/target_list/0`.
    pub fn at(&self, path: &str) -> Option<&Tree> {
        if path.is_empty() {
            return Some(self);
        }
        let mut steps = path.strip_prefix('/')?.split('/');
        steps.try_fold(self, |tree, step| match tree {
            Tree::List(items) => items.get(step.parse::<usize>().ok()?),
            _ => tree.get(step),
        })
    }

    pub fn at_mut(&mut self, path: &str) -> Option<&mut Tree> {
        let mut steps = path.strip_prefix('/')?.split('/');
        steps.try_fold(self, |tree, step| match tree {
            Tree::List(items) => items.get_mut(step.parse::<usize>().ok()?),
            _ => tree.get_mut(step),
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Tree::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Tree::Int(number) => Some(*number),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&Vec<Tree>> {
        match self {
            Tree::List(items) => Some(items),
            _ => None,
        }
    }

    /// The trees directly inside this one: a list's items, a struct's
    /// fields' values.
    pub fn children(&self) -> impl Iterator<Item = &Tree> {
        let (items, fields) = match self {
            Tree::List(items) => (&items[..], &[][..]),
            Tree::Fields(fields) => (&[][..], &fields[..]),
            _ => (&[][..], &[][..]),
        };
        items.iter().chain(fields.iter().map(|(_, value)| value))
    }

    pub fn children_mut(&mut self) -> impl Iterator<Item = &mut Tree> {
        let (items, fields): (&mut [Tree], &mut [(&'static str, Tree)]) = match self {
            Tree::List(items) => (items, &mut []),
            Tree::Fields(fields) => (&mut [], fields),
            _ => (&mut [], &mut []),
        };
        (items.iter_mut()).chain(fields.iter_mut().map(|(_, value)| value))
    }

    fn is_default(&self) -> bool {
        match self {
            Tree::Null => true,
            Tree::Bool(b) => !b,
            Tree::Int(n) => *n == 0,
            Tree::Text(text) => text.is_empty(),
            Tree::List(items) => items.is_empty(),
            Tree::Fields(fields) => fields.is_empty(),
        }
    }
}

/// Equal when the same fields hold equal values, in whatever order a
/// rewrite left them.
impl PartialEq for Tree {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Tree::Null, Tree::Null) => true,
            (Tree::Bool(a), Tree::Bool(b)) => a == b,
            (Tree::Int(a), Tree::Int(b)) => a == b,
            (Tree::Text(a), Tree::Text(b)) => a == b,
            (Tree::List(a), Tree::List(b)) => a == b,
            (Tree::Fields(a), Tree::Fields(b)) => {
                a.len() == b.len() && a.iter().all(|(key, value)| other.get(key) == Some(value))
            }
            _ => false,
        }
    }
}

impl Eq for Tree {}

impl From<&str> for Tree {
    fn from(text: &str) -> Self {
        Tree::Text(text.to_string())
    }
}

impl From<String> for Tree {
    fn from(text: String) -> Self {
        Tree::Text(text)
    }
}

impl From<bool> for Tree {
    fn from(value: bool) -> Self {
        Tree::Bool(value)
    }
}

impl<T: Into<Tree>> From<Vec<T>> for Tree {
    fn from(items: Vec<T>) -> Self {
        Tree::List(items.into_iter().map(Into::into).collect())
    }
}

/// As JSON, for reading in test failures.
impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tree::Null => f.write_str("null"),
            Tree::Bool(b) => write!(f, "{b}"),
            Tree::Int(n) => write!(f, "{n}"),
            Tree::Text(text) => write!(f, "{text:?}"),
            Tree::List(items) => f.debug_list().entries(items).finish(),
            Tree::Fields(fields) => f
                .debug_map()
                .entries(fields.iter().map(|(k, v)| (k, v)))
                .finish(),
        }
    }
}

/// `node` as a compact tree.
pub fn to_tree<T: Serialize + ?Sized>(node: &T) -> Tree {
    node.serialize(Compact { positions: false })
        .unwrap_or_default()
}

/// `node` as a compact tree that keeps positions (and `ONLY`).
pub fn with_positions<T: Serialize + ?Sized>(node: &T) -> Tree {
    node.serialize(Compact { positions: true })
        .unwrap_or_default()
}

/// Positions, and `ONLY`.
pub fn is_position(key: &str) -> bool {
    key.ends_with("location")
        || matches!(
            key,
            "rexpr_list_start" | "rexpr_list_end" | "list_start" | "list_end" | "inh"
        )
}

/// Never fails: syntax trees have no maps and no enum variants holding
/// more than one value, and those are the only things not converted.
#[derive(Debug)]
struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a syntax tree")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

#[derive(Clone, Copy)]
struct Compact {
    positions: bool,
}

macro_rules! integers {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, v: $type) -> Result<Tree, Unsupported> {
            Ok(Tree::Int(v as i64))
        })*
    };
}

macro_rules! texts {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, v: $type) -> Result<Tree, Unsupported> {
            Ok(Tree::Text(v.to_string()))
        })*
    };
}

impl ser::Serializer for Compact {
    type Ok = Tree;
    type Error = Unsupported;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Impossible<Tree, Unsupported>;
    type SerializeMap = Impossible<Tree, Unsupported>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Tree, Unsupported>;

    integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64
    );
    texts!(serialize_f32: f32, serialize_f64: f64, serialize_char: char, serialize_str: &str);

    fn serialize_bool(self, v: bool) -> Result<Tree, Unsupported> {
        Ok(Tree::Bool(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Tree, Unsupported> {
        Ok(Tree::List(v.iter().map(|&b| Tree::Int(b.into())).collect()))
    }

    fn serialize_none(self) -> Result<Tree, Unsupported> {
        Ok(Tree::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Tree, Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Tree, Unsupported> {
        Ok(Tree::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Tree, Unsupported> {
        Ok(Tree::Null)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Tree, Unsupported> {
        Ok(Tree::Text(variant.into()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Tree, Unsupported> {
        value.serialize(self)
    }

    /// A node's kind is kept even when all its fields are defaults
    /// (`{"AConst": {}}` is the constant 0).
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Tree, Unsupported> {
        Ok(Tree::Fields(vec![(variant, value.serialize(self)?)]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Unsupported> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0)), self))
    }

    fn serialize_tuple(self, len: usize) -> Result<Items, Unsupported> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items, Unsupported> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields, Unsupported> {
        Ok(Fields(Vec::new(), self))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

struct Items(Vec<Tree>, Compact);

/// Sequences, tuples and tuple structs are all lists.
macro_rules! lists {
    ($($kind:ident::$add:ident),*) => {$(
        impl ser::$kind for Items {
            type Ok = Tree;
            type Error = Unsupported;
            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
                self.0.push(value.serialize(self.1)?);
                Ok(())
            }
            fn end(self) -> Result<Tree, Unsupported> {
                Ok(Tree::List(self.0))
            }
        }
    )*};
}

lists!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

struct Fields(Vec<(&'static str, Tree)>, Compact);

impl ser::SerializeStruct for Fields {
    type Ok = Tree;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if !self.1.positions && is_position(key) {
            return Ok(());
        }
        let value = value.serialize(self.1)?;
        if !value.is_default() {
            self.0.push((key, value));
        }
        Ok(())
    }
    fn end(self) -> Result<Tree, Unsupported> {
        Ok(Tree::Fields(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::normal::parse_expression;

    #[test]
    fn positions_and_defaults_are_left_out_kinds_are_kept() {
        let node = parse_expression("a = 0").expect("an expression");
        assert_eq!(
            format!("{:?}", to_tree(&node)),
            r#"{"node": {"AExpr": {"kind": 1, "name": [{"node": {"String": {"sval": "="}}}], "#
                .to_string()
                + r#""lexpr": {"node": {"ColumnRef": {"fields": [{"node": {"String": {"sval": "a"}}}]}}}, "#
                + r#""rexpr": {"node": {"AConst": {"val": {"Ival": {}}}}}}}}"#
        );
        let kept = format!("{:?}", with_positions(&node));
        assert!(kept.contains(r#""location": 7"#), "{kept}");
    }

    /// Every kind of node converts: a tree that did not would compare as
    /// nothing at all.
    #[test]
    fn whole_statements_convert() {
        let sql = "create table t (id int primary key, p int references p on delete cascade,
                   c text check (c in ('a', 'b')) default 'a', x int generated always as (id * 2) stored,
                   exclude using gist (c with =));
            with r as (select * from t join u using (id) where id = any(array[1, 2]))
              select count(*) over (partition by c), (select 1) from r order by 1;
            create function f(a int default 0) returns setof t language sql stable
              set search_path = '' as $$ select * from t $$;
            create policy p on t for update to authenticated using (auth.uid() = owner)
              with check (true);
            alter table t alter column c type varchar(10) using c::varchar, add column n numeric(10, 0);";
        let parsed = pg_query::parse(sql, 0).expect("parses");
        for statement in &parsed.protobuf.stmts {
            let tree = to_tree(statement.stmt.as_ref().expect("a statement"));
            assert!(matches!(tree, Tree::Fields(_)), "{tree:?}");
            assert!(!format!("{tree:?}").contains("location"), "{tree:?}");
        }
    }

    #[test]
    fn paths_name_fields_and_list_positions() {
        let tree = to_tree(&parse_expression("f(a, b)").expect("an expression"));
        let second = "/node/FuncCall/args/1/node/ColumnRef/fields/0/node/String/sval";
        assert_eq!(tree.at(second).and_then(Tree::as_str), Some("b"));
        assert_eq!(tree.at(""), Some(&tree));
        for missing in [
            "/node/none",
            "/node/FuncCall/args/x",
            "/node/FuncCall/args/2",
        ] {
            assert_eq!(tree.at(missing), None, "{missing}");
        }
    }

    #[test]
    fn fields_compare_in_any_order() {
        let written = Tree::Fields(vec![("relname", "t".into()), ("schemaname", "s".into())]);
        let mut filled_in = Tree::Fields(vec![("relname", "t".into())]);
        assert_ne!(written, filled_in);
        filled_in.set("schemaname", "s".into());
        let reversed = Tree::Fields(vec![("schemaname", "s".into()), ("relname", "t".into())]);
        assert_eq!(written, filled_in);
        assert_eq!(written, reversed);
        filled_in.set("schemaname", "other".into());
        assert_ne!(written, filled_in);
    }
}
