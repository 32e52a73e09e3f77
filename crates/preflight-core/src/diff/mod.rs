//! The schema audit behind `preflight diff A B`: what two sets of SQL
//! leave behind, compared object by object.
//!
//! Each side is the end state of running its sources in the given order
//! (parsed as for planning): tables, views and materialized views, their
//! columns (type, NOT NULL, default, identity, generated), constraints
//! (under PostgreSQL's default names when unnamed), indexes, policies,
//! triggers, functions by signature, types (enum values, domains,
//! composites), sequences, schemas, extensions, row level security and
//! publication membership. Later ALTERs, renames, drops and CREATE OR
//! REPLACE are applied. Definitions are compared in a canonical form, so a
//! pg_dump of a schema equals the hand-written file it came from (see
//! `normal.rs`). Not compared: data (DML), grants and default privileges,
//! comments, owners, roles, settings of the session (SET).
mod compare;
mod text;

use serde::{Deserialize, Serialize};

use crate::analysis::source::Source;
use crate::catalog;
use crate::diagnostics::{Diagnostic, Severity};
use crate::environment::Environment;
use crate::plan::load::{load_into, Loaded};

pub use crate::catalog::{ObjectId, Place};

/// The audit: the JSON contract of `preflight diff --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDiff {
    pub only_in_a: Vec<Presence>,
    pub only_in_b: Vec<Presence>,
    /// Objects on both sides, defined differently.
    pub changed: Vec<Changed>,
    /// Syntax errors on either side: those statements are not compared.
    pub diagnostics: Vec<Diagnostic>,
}

/// An object one side has, and where it is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    #[serde(flatten)]
    pub object: ObjectId,
    pub at: Place,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    #[serde(flatten)]
    pub object: ObjectId,
    pub differences: Vec<Difference>,
}

/// One property (`type`, `default`, `using`, `body`...) on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub property: String,
    pub a: Definition,
    pub b: Definition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// As written (deparsed); `None` when the side has none (no default...).
    pub definition: Option<String>,
    /// Where the side sets it (or creates the object, when it has none).
    pub at: Place,
}

/// Compares what `a`'s statements leave behind with what `b`'s do.
pub fn diff(a: &[Source], b: &[Source]) -> SchemaDiff {
    let load = |sources: &[Source]| {
        let sources: Vec<Source> = sources.iter().map(without_psql_commands).collect();
        let mut loaded = Loaded::empty(Environment::Supabase);
        load_into(&mut loaded, &sources);
        loaded
    };
    let (a, b) = (load(a), load(b));
    let mut diff = compare::compare(&catalog::replay(&a), &catalog::replay(&b));
    diff.diagnostics = a.diagnostics.into_iter().chain(b.diagnostics).collect();
    diff
}

/// pg_dump writes psql meta-commands (`\restrict KEY`) on lines of their
/// own; they are not SQL. Blanked, so every line keeps its number.
fn without_psql_commands(source: &Source) -> Source {
    let text = source
        .text
        .split_inclusive('\n')
        .map(|line| match line.starts_with('\\') {
            true => &line[line.trim_end_matches(['\n', '\r']).len()..],
            false => line,
        })
        .collect::<String>();
    Source::new(source.name.clone(), text)
}

impl SchemaDiff {
    /// Whether the two sides define the same schema.
    pub fn is_empty(&self) -> bool {
        self.only_in_a.is_empty() && self.only_in_b.is_empty() && self.changed.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Keeps only objects in these schemas (e.g. `public`, leaving out what
    /// Supabase manages in a full dump).
    pub fn retain_schemas(&mut self, schemas: &[String]) {
        let keep = |object: &ObjectId| {
            object
                .schema()
                .is_some_and(|schema| schemas.iter().any(|s| s == schema))
        };
        self.only_in_a.retain(|p| keep(&p.object));
        self.only_in_b.retain(|p| keep(&p.object));
        self.changed.retain(|c| keep(&c.object));
    }
}

#[cfg(test)]
mod tests;
