//! Parses every source and works out each statement's facts, following
//! `SET search_path` through each file.
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::environment::Environment;
use std::collections::{HashMap, HashSet};

use crate::analysis::facts::{Action, ObjectRef, StatementFacts};
use crate::analysis::names::QualifiedName;
use crate::analysis::parse::{parse_source, Statement, SyntaxError};
use crate::analysis::source::Source;
use crate::analysis::statements::analyze;

/// One statement ready for planning.
#[derive(Debug, Clone)]
pub struct Unit {
    pub file: usize,
    pub statement: Statement,
    pub facts: StatementFacts,
    pub search_path: Vec<String>,
}

/// One source's statements, by index into the unit list.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    pub source: Source,
    pub units: Vec<usize>,
    /// What the parser could not read, in the order found.
    pub syntax_errors: Vec<SyntaxError>,
    /// Whether the planner rewrote statements of the file (see
    /// `foreign_keys.rs`), so its text no longer runs as written.
    pub rewritten: bool,
}

#[derive(Clone)]
pub struct Loaded {
    pub files: Vec<File>,
    pub units: Vec<Unit>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each file's unqualified names are looked up until it says
    /// `SET search_path`.
    pub search_path: Vec<String>,
}

impl Unit {
    /// The schema its unqualified new objects go to.
    pub fn schema(&self) -> &str {
        crate::analysis::names::first_schema(&self.search_path)
    }
}

/// Parses `sources` into files and units (appending to `loaded`).
pub fn load_into(loaded: &mut Loaded, sources: &[Source]) {
    for source in sources {
        let file = loaded.files.len();
        let parsed = parse_source(source);
        for error in &parsed.errors {
            loaded.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code: codes::SYNTAX_ERROR.into(),
                message: error.message.clone(),
                file: source.name.clone(),
                line: error.position.line,
                column: error.position.column,
                help: "fix the SQL at this place and plan again; until then the statement is not run (its step holds it commented out)".into(),
                related: Vec::new(),
            rule: None,
fix: None,
});
        }
        let mut search_path = loaded.search_path.clone();
        let mut units = Vec::new();
        for statement in parsed.statements {
            let facts = analyze(&statement.node, &search_path);
            if let Some(path) = &facts.search_path {
                let path: Vec<String> = path.iter().filter(|s| *s != "$user").cloned().collect();
                if !path.is_empty() {
                    search_path = path;
                }
            }
            units.push(loaded.units.len());
            loaded.units.push(Unit {
                file,
                statement,
                facts,
                search_path: search_path.clone(),
            });
        }
        loaded.files.push(File {
            name: source.name.clone(),
            source: source.clone(),
            units,
            syntax_errors: parsed.errors,
            rewritten: false,
        });
    }
}

impl Loaded {
    /// Nothing loaded yet, names looked up as in `environment`.
    pub fn empty(environment: Environment) -> Self {
        Self {
            files: Vec::new(),
            units: Vec::new(),
            diagnostics: Vec::new(),
            search_path: environment.search_path(),
        }
    }

    /// The files that create each object (by identity).
    pub fn creating_files(&self) -> HashMap<ObjectRef, HashSet<usize>> {
        let mut files: HashMap<ObjectRef, HashSet<usize>> = HashMap::new();
        for unit in &self.units {
            for fact in unit
                .facts
                .facts
                .iter()
                .filter(|f| f.action == Action::Creates)
            {
                files
                    .entry(fact.object.identity())
                    .or_default()
                    .insert(unit.file);
            }
        }
        files
    }

    /// The tables each table's foreign keys reference.
    pub fn references(&self) -> HashMap<QualifiedName, Vec<QualifiedName>> {
        let mut references: HashMap<QualifiedName, Vec<QualifiedName>> = HashMap::new();
        for key in self.units.iter().flat_map(|unit| &unit.facts.foreign_keys) {
            references
                .entry(key.table.clone())
                .or_default()
                .push(key.references.clone());
        }
        references
    }

    pub fn position_of(&self, unit: usize) -> (String, u32, u32) {
        let unit = &self.units[unit];
        (
            self.files[unit.file].name.clone(),
            unit.statement.start.line,
            unit.statement.start.column,
        )
    }
}
