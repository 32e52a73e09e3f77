//! The parse report: every statement of every source with its kind, the
//! objects it names and its place, plus every syntax error. The CLI prints
//! it and the web app shows it; both read the same structure.
use std::fmt::Write;

use serde::Serialize;

use crate::environment::default_search_path;
use crate::facts::{Action, Fact, ObjectKind};
use crate::parse::parse_source;
use crate::source::Source;
use crate::targets::analyze;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseReport {
    pub files: Vec<FileReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub file: String,
    pub statements: Vec<StatementReport>,
    pub errors: Vec<ErrorReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementReport {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub kind: String,
    pub objects: Vec<Fact>,
    pub sql: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// Byte offset in the source, for editors that highlight the place.
    pub offset: usize,
    pub help: String,
}

const SYNTAX_HELP: &str = "fix the SQL at this place; the other statements were still read";

impl ParseReport {
    pub fn new(sources: &[Source]) -> Self {
        let files = sources.iter().map(FileReport::new).collect();
        Self { files }
    }

    pub fn error_count(&self) -> usize {
        self.files.iter().map(|file| file.errors.len()).sum()
    }

    pub fn statement_count(&self) -> usize {
        self.files.iter().map(|file| file.statements.len()).sum()
    }

    /// One line per statement and per error, `file:line:column` first, the
    /// way compilers print so editors and terminals can jump to the place.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            for statement in &file.statements {
                let _ = write!(
                    out,
                    "{}:{}:{}: {}",
                    file.file, statement.line, statement.column, statement.kind
                );
                for (at, fact) in statement.objects.iter().enumerate() {
                    let separator = if at == 0 { ": " } else { ", " };
                    let _ = write!(out, "{separator}{} {}", fact.action, fact.object);
                }
                out.push('\n');
            }
            for error in &file.errors {
                let _ = writeln!(
                    out,
                    "{}:{}:{}: error: {}\n  help: {}",
                    file.file, error.line, error.column, error.message, error.help
                );
            }
        }
        let _ = writeln!(
            out,
            "{} statements, {} syntax errors",
            self.statement_count(),
            self.error_count()
        );
        out
    }
}

impl FileReport {
    fn new(source: &Source) -> Self {
        let parsed = parse_source(source);
        let search_path = default_search_path();
        let statements = parsed
            .statements
            .iter()
            .map(|statement| {
                let facts = analyze(&statement.node, &search_path);
                StatementReport {
                    line: statement.start.line,
                    column: statement.start.column,
                    end_line: statement.end.line,
                    kind: facts.kind,
                    // Schemas read are implied by the qualified names shown.
                    objects: facts
                        .facts
                        .into_iter()
                        .filter(|fact| {
                            !(fact.action == Action::Reads
                                && fact.object.kind == ObjectKind::Schema)
                        })
                        .collect(),
                    sql: statement.text.clone(),
                }
            })
            .collect();
        let errors = parsed
            .errors
            .into_iter()
            .map(|error| ErrorReport {
                message: error.message,
                line: error.position.line,
                column: error.position.column,
                offset: error.offset,
                help: SYNTAX_HELP.to_string(),
            })
            .collect();
        Self {
            file: source.name.clone(),
            statements,
            errors,
        }
    }
}
