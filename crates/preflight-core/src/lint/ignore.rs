//! Ignore comments: `-- preflight-ignore rule[, rule] [-- reason]` on a
//! statement's lines or the line before it, `-- preflight-ignore-file
//! rule[, rule]` anywhere in a file. An ignore names its rules: one that
//! names no rule, or silences nothing, is reported itself.
use std::collections::BTreeSet;

use super::{rule, Finding, Linted, Rule, Settings};
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::plan::load::Loaded;

struct Ignore {
    /// The document it is written in: a file, or a runbook whose blocks
    /// are files of their own.
    document: String,
    line: u32,
    whole_file: bool,
    /// A comment on a line of its own speaks for the statement below it
    /// too; one after SQL only for the statement on its line.
    own_line: bool,
    rules: Vec<String>,
    used: bool,
}

/// The findings as diagnostics, less those an ignore comment silences;
/// plus the ignore comments that name no rule or silence nothing.
pub(super) fn apply(
    loaded: &Loaded,
    planned: &[usize],
    findings: Vec<(&'static Rule, Finding)>,
    settings: &Settings,
) -> Vec<Linted> {
    // Once per document: a runbook's blocks share their document's comments.
    let documents: BTreeSet<&str> = planned
        .iter()
        .map(|&unit| loaded.files[loaded.units[unit].file].name.as_str())
        .collect();
    let mut ignores: Vec<Ignore> = documents
        .iter()
        .flat_map(|&document| comments(loaded, document))
        .collect();
    let mut diagnostics = Vec::new();
    for (rule, finding) in findings {
        let unit = &loaded.units[finding.unit];
        let (first, last) = (unit.statement.start.line, unit.statement.end.line);
        let silenced = ignores.iter_mut().find(|ignore| {
            ignore.document == loaded.files[unit.file].name
                && (ignore.whole_file
                    || (first..=last).contains(&ignore.line)
                    || (ignore.own_line && ignore.line + 1 == first))
                && ignore.rules.iter().any(|name| name == rule.name)
        });
        if let Some(ignore) = silenced {
            ignore.used = true;
            continue;
        }
        let Some(severity) = settings.severity(rule) else {
            continue;
        };
        let diagnostic = Diagnostic {
            severity,
            code: rule.code.into(),
            message: finding.message,
            file: loaded.files[unit.file].name.clone(),
            line: first,
            column: unit.statement.start.column,
            help: finding.help,
            related: Vec::new(),
            rule: Some(rule.name.into()),
            fix: finding.fix,
        };
        diagnostics.push(Linted {
            unit: Some(finding.unit),
            diagnostic,
        });
    }
    for ignore in &ignores {
        let unknown: Vec<&str> = (ignore.rules.iter())
            .filter(|name| rule(name).is_none())
            .map(String::as_str)
            .collect();
        let message = match (unknown.as_slice(), ignore.used) {
            _ if ignore.rules.is_empty() => {
                "this ignore comment names no rule, and nothing is ignored wholesale".into()
            }
            ([], true) => continue,
            ([], false) => format!(
                "this ignore comment silences nothing: no {} finding here",
                ignore.rules.join(" or ")
            ),
            (unknown, _) => format!("no rule is named {}", unknown.join(", ")),
        };
        let diagnostic = Diagnostic {
            severity: Severity::Warning,
            code: codes::IGNORE_COMMENT.into(),
            message,
            file: ignore.document.clone(),
            line: ignore.line,
            column: 1,
            help:
                "name the rules to silence, as `preflight rules` lists them, or remove the comment"
                    .into(),
            related: Vec::new(),
            rule: None,
            fix: None,
        };
        diagnostics.push(Linted {
            unit: None,
            diagnostic,
        });
    }
    diagnostics
}

/// The ignore comments of a document, by line.
fn comments(loaded: &Loaded, document: &str) -> Vec<Ignore> {
    let Some(file) = loaded.files.iter().find(|file| file.name == document) else {
        return Vec::new();
    };
    let sql = file.source.sql();
    let mut ignores = Vec::new();
    for (at, line) in sql.lines().enumerate() {
        let Some((code, comment)) = line.split_once("--") else {
            continue;
        };
        let comment = comment.trim_start();
        let (whole_file, rest) = match comment.strip_prefix("preflight-ignore-file") {
            Some(rest) => (true, rest),
            None => match comment.strip_prefix("preflight-ignore") {
                Some(rest) => (false, rest),
                None => continue,
            },
        };
        // A reason may follow the rules after another `--`.
        let names = rest.split("--").next().unwrap_or_default();
        let rules = (names.split([',', ' ']))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        ignores.push(Ignore {
            document: document.to_string(),
            line: at as u32 + 1,
            whole_file,
            own_line: code.trim().is_empty(),
            rules,
            used: false,
        });
    }
    ignores
}
