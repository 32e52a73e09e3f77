//! Routines and what they define beyond CREATE FUNCTION: CALL, aggregates,
//! operators, collations and base types (DefineStmt), casts, ranges,
//! domains and types altered, operator classes and families.
use pg_query::protobuf;

use super::{object_type_words, Analysis};
use crate::facts::ObjectKind as K;
use crate::reads::Scope;

use crate::facts::Action::*;

impl Analysis<'_> {
    pub(super) fn call(&mut self, s: &protobuf::CallStmt) -> String {
        if let Some(call) = &s.funccall {
            self.listed(Reads, K::Function, &call.funcname);
            self.reads_in(&call.args, Scope::default(), crate::facts::Strength::Hard);
        }
        "call".into()
    }

    /// CREATE AGGREGATE, OPERATOR, COLLATION, TYPE (base), TEXT SEARCH ...
    pub(super) fn define(&mut self, s: &protobuf::DefineStmt) -> String {
        self.out.tolerance.if_not_exists = s.if_not_exists;
        self.out.tolerance.or_replace = s.replace;
        self.listed(Creates, K::from_object_type(s.kind), &s.defnames);
        format!("create {}", object_type_words(s.kind))
    }

    pub(super) fn create_cast(&mut self, s: &protobuf::CreateCastStmt) -> String {
        for type_name in [&s.sourcetype, &s.targettype].into_iter().flatten() {
            self.type_read(&type_name.names);
        }
        if let Some(function) = &s.func {
            self.listed(Reads, K::Function, &function.objname);
        }
        "create cast".into()
    }

    pub(super) fn create_operator_class(&mut self, s: &protobuf::CreateOpClassStmt) -> String {
        self.listed(Creates, K::OperatorClass, &s.opclassname);
        if let Some(type_name) = &s.datatype {
            self.type_read(&type_name.names);
        }
        "create operator class".into()
    }
}
