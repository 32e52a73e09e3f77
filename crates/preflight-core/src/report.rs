//! The parse report: every statement of every source with its kind, the
//! objects it names and its place, plus every syntax error. The CLI prints
//! it and the web app shows it; both read the same structure.
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::analysis::facts::{Action, Fact, ObjectKind};
use crate::analysis::source::Source;
use crate::environment::Environment;
use crate::plan::load::{load_into, File, Loaded};
use crate::words::counted;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseReport {
    pub files: Vec<FileReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub statements: Vec<StatementReport>,
    pub errors: Vec<ErrorReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementReport {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub kind: String,
    pub objects: Vec<Fact>,
    pub sql: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        let mut loaded = Loaded::empty(Environment::Supabase);
        load_into(&mut loaded, sources);
        Self::of(&loaded, 0)
    }

    /// The report of the files of `loaded` from index `first` on; the
    /// blocks of a Markdown runbook make one report, the document's.
    pub(crate) fn of(loaded: &Loaded, first: usize) -> Self {
        let mut files: Vec<FileReport> = Vec::new();
        let mut previous: Option<&File> = None;
        for file in &loaded.files[first..] {
            let report = FileReport::new(loaded, file);
            match (files.last_mut(), previous) {
                (Some(last), Some(before))
                    if file.block.is_some()
                        && before.block.is_some()
                        && before.name == file.name =>
                {
                    last.statements.extend(report.statements);
                    last.errors.extend(report.errors);
                }
                _ => files.push(report),
            }
            previous = Some(file);
        }
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
            "{}, {}",
            counted(self.statement_count(), "statement"),
            counted(self.error_count(), "syntax error")
        );
        out
    }
}

impl FileReport {
    /// The report of one loaded file: its statements as the planner read
    /// them (following `SET search_path`) and its syntax errors.
    fn new(loaded: &Loaded, file: &File) -> Self {
        let statements = file
            .units
            .iter()
            .map(|&unit| {
                let unit = &loaded.units[unit];
                StatementReport {
                    line: unit.statement.start.line,
                    column: unit.statement.start.column,
                    end_line: unit.statement.end.line,
                    kind: unit.facts.words.clone(),
                    // Schemas read are implied by the qualified names shown.
                    objects: unit
                        .facts
                        .facts
                        .iter()
                        .filter(|fact| {
                            !(fact.action == Action::Reads
                                && fact.object.kind == ObjectKind::Schema)
                        })
                        .cloned()
                        .collect(),
                    sql: unit.statement.text().to_string(),
                }
            })
            .collect();
        let errors = file
            .syntax_errors
            .iter()
            .map(|error| ErrorReport {
                message: error.message.clone(),
                line: error.position.line,
                column: error.position.column,
                offset: error.offset,
                help: SYNTAX_HELP.to_string(),
            })
            .collect();
        Self {
            file: file.name.clone(),
            statements,
            errors,
        }
    }
}
