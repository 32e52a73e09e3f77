//! Routines and what they define beyond CREATE FUNCTION: CALL, aggregates,
//! operators, collations and base types (DefineStmt), casts, ranges,
//! domains and types altered, operator classes and families.
use pg_query::protobuf;
use pg_query::NodeEnum;

use super::{analyze, object_type_words, or_replace, Analysis};
use crate::analysis::bodies;
use crate::analysis::facts::{ObjectKind as K, Strength};
use crate::analysis::reads::Scope;

use crate::analysis::facts::Action::*;

impl Analysis<'_> {
    pub(super) fn call(&mut self, s: &protobuf::CallStmt) -> String {
        if let Some(call) = &s.funccall {
            self.listed(Reads, K::Function, &call.funcname);
            self.reads_in(
                &call.args,
                Scope::default(),
                crate::analysis::facts::Strength::Hard,
            );
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

impl Analysis<'_> {
    pub(super) fn create_function(&mut self, s: &protobuf::CreateFunctionStmt) -> String {
        self.out.tolerance.or_replace = s.replace;
        self.listed(Creates, K::Function, &s.funcname);
        for parameter in &s.parameters {
            if let Some(NodeEnum::FunctionParameter(parameter)) = &parameter.node {
                if let Some(type_name) = &parameter.arg_type {
                    self.type_read(&type_name.names);
                }
            }
        }
        if let Some(type_name) = &s.return_type {
            self.type_read(&type_name.names);
        }
        let body = bodies::function_body_facts(s, self.schema);
        for (object, strength) in body.reads {
            self.needs_schema(&object, strength);
            self.out.push(Reads, object, strength);
        }
        self.out.body_inserts = body.inserts;
        or_replace(
            s.replace,
            if s.is_procedure {
                "procedure"
            } else {
                "function"
            },
        )
    }

    /// A DO block runs when it is given: what its plain statements create or
    /// change counts (guarded, so never "created twice"); everything it
    /// reads, there or in conditions and dynamic SQL, is soft.
    pub(super) fn do_block(&mut self, s: &protobuf::DoStmt) {
        for node in bodies::do_block_statements(s) {
            let inner = analyze(&node, &[self.schema.to_string()]);
            for fact in inner.facts {
                let strength = if fact.action.needs_existing() {
                    Strength::Soft
                } else {
                    fact.strength
                };
                self.out.push_with_alternatives(
                    fact.action,
                    fact.object,
                    strength,
                    fact.alternatives,
                );
            }
            self.out.foreign_keys.extend(inner.foreign_keys);
            self.out.tolerance.if_not_exists = true;
        }
        for object in bodies::do_block_reads(s, self.schema) {
            self.needs_schema(&object, Strength::Soft);
            self.out.push(Reads, object, Strength::Soft);
        }
    }
}
