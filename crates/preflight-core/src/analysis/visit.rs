//! Walks a syntax tree through its serde form without building anything:
//! every node kind of PostgreSQL's grammar is reached (as [`compact`]
//! reaches it), but a reader that only looks for a few kinds of node pays
//! for no JSON tree, no map and no string it does not keep.
//!
//! [`compact`]: super::compact
use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;

/// What a walk tells its reader, in the order of the tree.
pub trait Visit {
    /// A node of `kind` (`ColumnRef`, `RangeVar`...) begins; `false`
    /// skips what is inside it.
    fn enter(&mut self, kind: &'static str) -> bool;
    /// The node of `kind` that [`Visit::enter`] began ends.
    fn leave(&mut self, kind: &'static str);
    /// A string field of the node being walked (`sval`, `relname`...).
    fn string(&mut self, field: &'static str, value: &str);
    /// A struct begins: a node's own (`RangeVar` after [`Visit::enter`])
    /// or one a field holds by its type (an `INSERT`'s `relation`).
    fn structure(&mut self, _name: &'static str) {}
    fn structure_end(&mut self, _name: &'static str) {}
    /// A struct's field begins (`from_clause`, `alias`...).
    fn field(&mut self, _name: &'static str) {}
    fn field_end(&mut self, _name: &'static str) {}
}

/// Walks `node`, telling `visitor` what it meets.
pub fn walk<T: Serialize + ?Sized>(node: &T, visitor: &mut impl Visit) {
    // Syntax trees have no maps or struct variants: nothing fails.
    let _ = node.serialize(Walk {
        visitor,
        field: "",
        structure: "",
    });
}

struct Walk<'a, V> {
    visitor: &'a mut V,
    /// The struct field being walked, for the strings in it.
    field: &'static str,
    /// The struct being walked, told to the visitor when it ends.
    structure: &'static str,
}

impl<V> Walk<'_, V> {
    fn reborrow(&mut self) -> Walk<'_, V> {
        Walk {
            visitor: self.visitor,
            field: self.field,
            structure: self.structure,
        }
    }
}

/// Scalars other than strings say nothing a reader looks for.
macro_rules! ignored {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, _: $type) -> Result<(), Error> {
            Ok(())
        })*
    };
}

impl<'a, V: Visit> ser::Serializer for Walk<'a, V> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    ignored!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_bytes: &[u8], serialize_unit_struct: &'static str
    );

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.visitor.string(self.field, value);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    /// A node: `Node { node: Some(NodeEnum::<kind>(...)) }`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        kind: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.visitor.enter(kind) {
            value.serialize(self.reborrow())?;
        }
        self.visitor.leave(kind);
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        Ok(self)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
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

    fn serialize_struct(mut self, name: &'static str, _: usize) -> Result<Self, Error> {
        self.visitor.structure(name);
        self.structure = name;
        Ok(self)
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

/// Sequences, tuples and tuple structs: each element in turn.
macro_rules! sequences {
    ($($kind:ident::$add:ident),*) => {$(
        impl<V: Visit> ser::$kind for Walk<'_, V> {
            type Ok = ();
            type Error = Error;
            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(self.reborrow())
            }
            fn end(self) -> Result<(), Error> {
                Ok(())
            }
        }
    )*};
}

sequences!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl<V: Visit> ser::SerializeStruct for Walk<'_, V> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.visitor.field(key);
        value.serialize(Walk {
            visitor: &mut *self.visitor,
            field: key,
            structure: self.structure,
        })?;
        self.visitor.field_end(key);
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        self.visitor.structure_end(self.structure);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::normal::parse_expression;

    /// Records the walk: kinds entered, and strings with their fields.
    #[derive(Default)]
    struct Trace(Vec<String>);

    impl Visit for Trace {
        fn enter(&mut self, kind: &'static str) -> bool {
            self.0.push(format!("<{kind}"));
            kind != "TypeCast"
        }
        fn leave(&mut self, kind: &'static str) {
            self.0.push(format!("{kind}>"));
        }
        fn string(&mut self, field: &'static str, value: &str) {
            self.0.push(format!("{field}={value}"));
        }
    }

    #[test]
    fn a_walk_meets_kinds_and_strings_in_order_and_skips_what_it_is_told() {
        let node = parse_expression("t.a = lower(b) and c::text <> ''").expect("an expression");
        let mut trace = Trace::default();
        walk(&node, &mut trace);
        assert_eq!(
            trace.0.join(" "),
            "<BoolExpr <AExpr <String sval== String> <ColumnRef <String sval=t String> \
             <String sval=a String> ColumnRef> <FuncCall <String sval=lower String> \
             <ColumnRef <String sval=b String> ColumnRef> FuncCall> AExpr> <AExpr \
             <String sval=<> String> <TypeCast TypeCast> <AConst <Sval sval= Sval> \
             AConst> AExpr> BoolExpr>"
        );
    }
}
