//! Lint rules over the whole planned history. Each rule is one file under
//! `rules/<group>/` holding what it flags, why it matters on Supabase, an
//! example that fails and one that passes (its tests and its docs), and its
//! check. A statement rule sees each planned statement with what exists
//! just before it; an end rule sees what the whole plan leaves.
pub mod config;
mod context;
pub mod fix;
mod ignore;
mod rules;
mod sql;

use serde::Serialize;

use crate::diagnostics::{Applicability, Diagnostic, Edit, Fix, Severity};

pub use config::{Config, Level};
pub use context::{Ahead, End, Settings, Statement, Subject};
pub(crate) use context::{LintProgress, Linter};
pub use rules::RULES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Security,
    Locks,
    Transactions,
    Idempotency,
    Destructive,
    Hygiene,
}

impl Group {
    pub fn words(self) -> &'static str {
        match self {
            Group::Security => "security",
            Group::Locks => "locks",
            Group::Transactions => "transactions",
            Group::Idempotency => "idempotency",
            Group::Destructive => "destructive",
            Group::Hygiene => "hygiene",
        }
    }
}

/// A rule: its documentation and its check.
#[derive(Serialize)]
pub struct Rule {
    /// Stable code, `PF4xx`.
    pub code: &'static str,
    /// Kebab-case name, used in ignore comments and settings.
    pub name: &'static str,
    pub group: Group,
    pub severity: Severity,
    /// What it flags.
    pub flags: &'static str,
    /// Why it matters on Supabase.
    pub why: &'static str,
    /// The same check in other tools, if any.
    pub also_in: &'static str,
    /// SQL it flags, and SQL it leaves alone.
    pub fails: &'static str,
    pub passes: &'static str,
    /// Whether it is about what only Supabase has (the Data API's anon
    /// and authenticated roles, `auth`): off on a plain PostgreSQL.
    pub supabase_only: bool,
    /// The fix it offers, if any.
    pub fix: Option<Applicability>,
    #[serde(skip)]
    pub check: Check,
}

impl Rule {
    /// Its documentation, as `preflight rules NAME` prints it.
    pub fn docs(&self) -> String {
        let fix = match self.fix {
            Some(applicability) => format!("a fix ({})", applicability.words()),
            None => "no automatic fix".into(),
        };
        let also = match self.also_in {
            "" => String::new(),
            also => format!("Also checked by: {also}.\n"),
        };
        let scope = match self.supabase_only {
            true => " Supabase only (off with --env postgres).",
            false => "",
        };
        format!(
            "{} {} ({}, {} by default; {fix}).{scope}\n\nFlags: {}.\n\n{}\n{also}\nFlagged:\n{}\n\nNot flagged:\n{}\n",
            self.code,
            self.name,
            self.group.words(),
            self.severity.words(),
            self.flags,
            self.why,
            indent(self.fails),
            indent(self.passes),
        )
    }
}

fn indent(sql: &str) -> String {
    sql.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A rule's look at one planned statement.
pub type StatementCheck = fn(&Statement, &mut Vec<Finding>);

#[derive(Clone, Copy)]
pub enum Check {
    /// Looks at each planned statement, with what exists just before it.
    Statement(StatementCheck),
    /// Looks at each planned statement with the statements planned after
    /// it (a later statement may undo what it would flag), once the order
    /// is final.
    Ahead(fn(&Ahead, &mut Vec<Finding>)),
    /// Looks at what the whole plan leaves.
    End(fn(&End, &mut Vec<Finding>)),
}

/// One problem a rule found at a statement.
#[derive(Clone)]
pub struct Finding {
    pub unit: usize,
    pub message: String,
    pub help: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(unit: usize, message: String, help: impl Into<String>) -> Self {
        Self {
            unit,
            message,
            help: help.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}

/// A fix of one edit.
pub fn fix(title: impl Into<String>, applicability: Applicability, edit: Edit) -> Fix {
    Fix {
        title: title.into(),
        applicability,
        edits: vec![edit],
    }
}

/// A finding as a diagnostic, with the statement it is about (none for an
/// ignore comment's own report).
pub struct Linted {
    pub unit: Option<usize>,
    pub diagnostic: Diagnostic,
}

impl Linted {
    /// Whether it is a risk of running its statement: everything but
    /// hygiene, which is about the schema's shape.
    pub fn is_risk(&self) -> bool {
        let rule = self.diagnostic.rule.as_deref().and_then(rule);
        rule.is_some_and(|rule| rule.group != Group::Hygiene)
    }
}

/// The rule of that name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}

#[cfg(test)]
mod tests;
