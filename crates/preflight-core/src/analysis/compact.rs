//! A syntax tree as JSON without what no reader of it needs: positions in
//! the text, `ONLY` (pg_dump writes `ALTER TABLE ONLY`), and fields left at
//! their default (empty, zero, false, absent). A parse tree node has dozens
//! of fields and sets a few, so the tree is several times smaller than
//! `serde_json::to_value` makes it: cheaper to build, walk, compare and
//! free. Readers treat a missing field as its default; what needs positions
//! (a fix's edits) keeps them ([`with_positions`]).
use serde::ser::{self, Impossible, Serialize};
use serde_json::{Error, Map, Value};

/// `node` as compact JSON.
pub fn to_value<T: Serialize + ?Sized>(node: &T) -> Value {
    node.serialize(Compact { positions: false })
        .unwrap_or_default()
}

/// `node` as compact JSON that keeps positions (and `ONLY`).
pub fn with_positions<T: Serialize + ?Sized>(node: &T) -> Value {
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

fn is_default(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
    }
}

#[derive(Clone, Copy)]
struct Compact {
    positions: bool,
}

/// Scalars are written as serde_json writes them.
macro_rules! scalars {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, v: $type) -> Result<Value, Error> {
            serde_json::value::Serializer.$method(v)
        })*
    };
}

impl ser::Serializer for Compact {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    // Syntax trees have no maps, and their enums (a node's kind, a
    // constant's type) wrap one value each.
    type SerializeTupleVariant = Impossible<Value, Error>;
    type SerializeMap = Impossible<Value, Error>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Value, Error>;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8]
    );

    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(variant.into()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
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
    ) -> Result<Value, Error> {
        let mut wrapped = Map::new();
        wrapped.insert(variant.into(), value.serialize(self)?);
        Ok(Value::Object(wrapped))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Error> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0)), self))
    }

    fn serialize_tuple(self, len: usize) -> Result<Items, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("not a syntax tree"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(ser::Error::custom("not a syntax tree"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields, Error> {
        Ok(Fields(Map::new(), self))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("not a syntax tree"))
    }
}

struct Items(Vec<Value>, Compact);

/// Sequences, tuples and tuple structs are all arrays.
macro_rules! arrays {
    ($($kind:ident::$add:ident),*) => {$(
        impl ser::$kind for Items {
            type Ok = Value;
            type Error = Error;
            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.0.push(value.serialize(self.1)?);
                Ok(())
            }
            fn end(self) -> Result<Value, Error> {
                Ok(Value::Array(self.0))
            }
        }
    )*};
}

arrays!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

struct Fields(Map<String, Value>, Compact);

impl ser::SerializeStruct for Fields {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if !self.1.positions && is_position(key) {
            return Ok(());
        }
        let value = value.serialize(self.1)?;
        if !is_default(&value) {
            self.0.insert(key.into(), value);
        }
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.0))
    }
}

/// `Value::pointer` without unescaping `~0` and `~1`, which the trees'
/// keys never hold: the standard one allocates at every step, and the
/// walkers read paths like `/node/String/sval` for every name.
pub trait At {
    fn at(&self, path: &str) -> Option<&Value>;
}

impl At for Value {
    fn at(&self, path: &str) -> Option<&Value> {
        if path.is_empty() {
            return Some(self);
        }
        let mut steps = path.strip_prefix('/')?.split('/');
        steps.try_fold(self, |value, step| match value {
            Value::Object(fields) => fields.get(step),
            Value::Array(items) => items.get(step.parse::<usize>().ok()?),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::normal::parse_expression;

    #[test]
    fn positions_and_defaults_are_left_out_kinds_are_kept() {
        let node = parse_expression("a = 0").expect("an expression");
        let full = serde_json::to_value(&node).expect("serializes");
        assert!(full.to_string().contains("location"));
        let compact = to_value(&node);
        assert_eq!(
            compact,
            serde_json::json!({"node": {"AExpr": {
                "kind": 1,
                "name": [{"node": {"String": {"sval": "="}}}],
                "lexpr": {"node": {"ColumnRef": {"fields": [{"node": {"String": {"sval": "a"}}}]}}},
                "rexpr": {"node": {"AConst": {"val": {"Ival": {}}}}},
            }}})
        );
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
            let tree = to_value(statement.stmt.as_ref().expect("a statement"));
            assert!(tree.is_object(), "{tree}");
            assert!(!tree.to_string().contains("location"), "{tree}");
        }
    }

    #[test]
    fn paths_read_as_json_pointers_do() {
        let tree = serde_json::json!({"node": {"list": [{"sval": "a"}, {"sval": "b"}]}});
        for path in [
            "/node/list/1/sval",
            "/node/list/0",
            "/node/none",
            "/node/list/x",
            "",
        ] {
            assert_eq!(tree.at(path), tree.pointer(path), "{path}");
        }
    }
}
