//! Problems Preflight explains to people: a stable code, how bad it is, what
//! is wrong in plain words, where, and what to do.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn words(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl Applicability {
    pub fn words(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Stable codes: tools and people may filter on them.
pub mod codes {
    pub const SYNTAX_ERROR: &str = "PF001";
    pub const UNRESOLVED: &str = "PF100";
    pub const UNRESOLVED_SOFT: &str = "PF101";
    pub const CREATED_TWICE: &str = "PF102";
    pub const NOT_UNDERSTOOD: &str = "PF103";
    /// A Markdown block that shows something and is not run.
    pub const ILLUSTRATION: &str = "PF104";
    /// Blocks under headings offering a choice ("Option 1", "Option 2")
    /// that are all planned.
    pub const ALTERNATIVES: &str = "PF105";
    pub const CYCLE: &str = "PF200";
    pub const AMBIGUOUS_ORDER: &str = "PF201";
    pub const MOVED: &str = "PF202";
    pub const SPLIT: &str = "PF203";
    pub const FOREIGN_KEY_DEFERRED: &str = "PF204";
    pub const ROLLBACK_SCRIPT: &str = "PF300";
    /// An ignore comment naming no rule, or one that silenced nothing.
    pub const IGNORE_COMMENT: &str = "PF400";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub help: String,
    /// Other places the problem involves, e.g. the second of two statements
    /// whose order is ambiguous.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// The lint rule that found it (`preflight rules NAME` explains it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// Edits to the input files that solve the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Keeps what the SQL means: applied by `preflight fix`.
    Safe,
    /// May change what the SQL means: applied with `--unsafe`, after a look.
    Unsafe,
}

/// Replaces the bytes `start..end` of `file` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub note: String,
}

impl Related {
    /// `note: file:line:column: note`.
    pub fn to_text(&self) -> String {
        format!(
            "note: {}:{}:{}: {}",
            self.file, self.line, self.column, self.note
        )
    }
}

impl Diagnostic {
    /// `file:line:column: severity[code]: message` and the help below it,
    /// the way compilers print.
    pub fn to_text(&self) -> String {
        let rule = self
            .rule
            .as_ref()
            .map_or(String::new(), |rule| format!(" {rule}"));
        let mut text = format!(
            "{}: {}[{}{rule}]: {}\n",
            self.location(),
            self.severity.words(),
            self.code,
            self.message,
        );
        for related in &self.related {
            text += &format!("  {}\n", related.to_text());
        }
        text += &format!("  help: {}\n", self.help);
        if let Some(fix) = &self.fix {
            text += &format!("  fix ({}): {}\n", fix.applicability.words(), fix.title);
        }
        text
    }

    /// `file:line:column`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }

    /// A GitHub Actions workflow command, so CI shows the problem on the
    /// line it is about.
    pub fn to_github(&self) -> String {
        let command = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = self.message.clone();
        for related in &self.related {
            message += &format!("\n{}", related.to_text());
        }
        message += &format!("\nhelp: {}", self.help);
        format!(
            "::{command} file={},line={},col={},title={}::{}\n",
            github_property(&self.file),
            self.line,
            self.column,
            github_property(&format!("{} {}", self.code, self.severity.words())),
            github_data(&message)
        )
    }

    /// Every file the diagnostic points at.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.file.as_str()).chain(self.related.iter().map(|r| r.file.as_str()))
    }
}

/// Escapes a workflow command's message (GitHub's `escapeData`).
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property (GitHub's `escapeProperty`).
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_escape_what_would_end_the_command() {
        let diagnostic = Diagnostic {
            severity: Severity::Warning,
            code: codes::AMBIGUOUS_ORDER.into(),
            message: "100% sure: a, b".into(),
            file: "db/x:y,z.sql".into(),
            line: 3,
            column: 7,
            help: "rename\nthe files".into(),
            related: vec![Related {
                file: "b.sql".into(),
                line: 1,
                column: 2,
                note: "also here".into(),
            }],
            rule: None,
            fix: None,
        };
        assert_eq!(
            diagnostic.to_github(),
            "::warning file=db/x%3Ay%2Cz.sql,line=3,col=7,title=PF201 warning::\
             100%25 sure: a, b%0Anote: b.sql:1:2: also here%0Ahelp: rename%0Athe files\n"
        );
    }
}
