//! What a SQL block of a Markdown runbook is for: a migration to run, a
//! query that checks the step before it, the way back, or an illustration
//! that is not to be run. Decided from what the person wrote: a word on the
//! fence, the headings above, the text just before, then the SQL itself.
use pg_query::NodeEnum;
use serde::{Deserialize, Serialize};

use crate::analysis::facts::{Action, ObjectKind, StatementFacts};
use crate::analysis::markdown::{Block, Document};
use crate::analysis::parse::{Statement, SyntaxError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockRole {
    /// Changes schema or data: planned.
    Migration,
    /// Only reads: run after the step before it.
    Verification,
    /// Undoes a step: kept as that step's rollback.
    Rollback,
    /// Shows something (a mistake, a fragment, a quote): never run.
    Illustration,
}

impl BlockRole {
    pub const ALL: [BlockRole; 4] = [
        BlockRole::Migration,
        BlockRole::Verification,
        BlockRole::Rollback,
        BlockRole::Illustration,
    ];

    /// The word a person writes on the fence (```` ```sql rollback ````).
    pub fn word(self) -> &'static str {
        match self {
            BlockRole::Migration => "migration",
            BlockRole::Verification => "verification",
            BlockRole::Rollback => "rollback",
            BlockRole::Illustration => "illustration",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        let word = word.to_ascii_lowercase();
        let word = word.strip_prefix("preflight:").unwrap_or(&word);
        Self::ALL.into_iter().find(|role| role.word() == word)
    }
}

/// A block's role and why, in words a person can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classified {
    pub role: BlockRole,
    pub why: String,
}

/// Marks of a block that shows a mistake, in its comments or the paragraph
/// just before it. `‚ùå` is ❌ as it reads once a document went through
/// Mac Roman, as runbooks copied between tools do.
const WRONG: &[&str] = &[
    "❌",
    "‚ùå",
    "INCORRECT",
    "WRONG",
    "Wrong:",
    "Incorrect:",
    "Before:",
];

/// Words (or phrases) of a heading over the way back.
const ROLLBACK_WORDS: &[&str] = &[
    "rollback",
    "roll back",
    "undo",
    "revert",
    "downgrade",
    "if something goes wrong",
    "down migration",
];
const VERIFICATION_WORDS: &[&str] = &[
    "verify",
    "verification",
    "check",
    "checks",
    "expected",
    "confirm",
    "validate",
    "validation",
    "monitoring",
];
/// Sections whose SQL is run only when it is needed: a problem shows, a
/// backup is wanted, the database needs upkeep.
const ON_DEMAND_WORDS: &[&str] = &[
    "troubleshooting",
    "faq",
    "issues",
    "backup",
    "backups",
    "recovery",
    "restore",
    "maintenance",
];

/// Keywords that never start a statement: a block that has a statement
/// starting with one is quoting a piece of a statement.
const CLAUSES: &[&str] = &[
    "using",
    "where",
    "on",
    "from",
    "and",
    "or",
    "check",
    "references",
    "returns",
    "language",
    "security",
    "for",
    "to",
    "join",
    "returning",
    "default",
    "constraint",
    "primary",
    "foreign",
    "unique",
    "not",
    "then",
    "else",
    "end",
    "when",
];

/// The role of `block`, from its `statements` (with their `facts`) and
/// the `errors` of what did not parse.
pub fn classify(
    document: &Document,
    text: &str,
    block: &Block,
    statements: &[&Statement],
    errors: &[SyntaxError],
    facts: &[&StatementFacts],
) -> Classified {
    let said = |role: BlockRole, why: String| Classified { role, why };
    if let Some(role) = block
        .info
        .iter()
        .find_map(|word| BlockRole::from_word(word))
    {
        return said(role, format!("marked `{}` on its fence", role.word()));
    }
    let comments = comments(&text[block.content.clone()]);
    let lead = last_paragraph(&text[block.lead.clone()]);
    if let Some(mark) = WRONG
        .iter()
        .find(|mark| comments.contains(*mark) || lead.contains(*mark))
    {
        return said(
            BlockRole::Illustration,
            format!("it shows a mistake (“{mark}”)"),
        );
    }
    if let Some(path) = quoted_file(lead) {
        return said(
            BlockRole::Illustration,
            format!("it quotes {path}, which is not run from here"),
        );
    }
    if let Some(fragment) = fragment(errors) {
        return said(
            BlockRole::Illustration,
            format!("it holds a piece of a statement, not a whole one (“{fragment} ...”)"),
        );
    }
    let headings = document.headings_above(block);
    let under = |words: &[&str]| {
        (headings.iter())
            .map(|heading| heading.text.as_str())
            .find(|title| has_word(title, words))
    };
    let queries_only = queries_only(statements, errors, facts);
    let calls = calls_project_functions(facts);
    if let (false, Some(title)) = (queries_only && !calls, under(ROLLBACK_WORDS)) {
        return said(BlockRole::Rollback, format!("it is under “{title}”"));
    }
    if let Some(title) = under(ON_DEMAND_WORDS) {
        return said(
            BlockRole::Illustration,
            format!("it is under “{title}”: run it only when that is needed"),
        );
    }
    if statements.is_empty() && errors.is_empty() {
        return said(BlockRole::Migration, "it holds no statement".into());
    }
    let checks = (under(VERIFICATION_WORDS).map(str::to_string))
        .or_else(|| has_word(lead, VERIFICATION_WORDS).then(|| lead.trim().to_string()));
    match (queries_only, calls, checks) {
        (true, false, _) => said(
            BlockRole::Verification,
            "it only reads (SELECT, SHOW, EXPLAIN)".into(),
        ),
        (true, true, Some(title)) => said(
            BlockRole::Verification,
            format!("it only queries, under “{title}”"),
        ),
        (true, true, None) => said(
            BlockRole::Migration,
            "it calls functions of the project, which may change data".into(),
        ),
        (false, ..) => said(BlockRole::Migration, "it changes the database".into()),
    }
}

/// Whether every statement is a query (SELECT without INTO, SHOW,
/// EXPLAIN, DO) or upkeep (VACUUM, ANALYZE) that writes nothing.
fn queries_only(
    statements: &[&Statement],
    errors: &[SyntaxError],
    facts: &[&StatementFacts],
) -> bool {
    // A DO block that writes nothing is a check written in PL/pgSQL.
    let query = |node: &NodeEnum| match node {
        NodeEnum::SelectStmt(select) => select.into_clause.is_none(),
        NodeEnum::VariableShowStmt(_)
        | NodeEnum::ExplainStmt(_)
        | NodeEnum::DoStmt(_)
        | NodeEnum::VacuumStmt(_) => true,
        _ => false,
    };
    errors.is_empty()
        && statements.iter().all(|s| query(&s.node))
        && !(facts.iter().flat_map(|f| &f.facts)).any(|fact| fact.action.writes())
}

/// Whether a statement calls a function that is not PostgreSQL's own
/// by a qualified name (`SELECT cron.schedule(...)` writes; a bare
/// `count(*)` is taken as PostgreSQL's).
fn calls_project_functions(facts: &[&StatementFacts]) -> bool {
    facts.iter().flat_map(|f| &f.facts).any(|fact| {
        fact.action == Action::Reads
            && fact.object.kind == ObjectKind::Function
            && (fact.object.name.schema.as_deref())
                .is_some_and(|schema| !matches!(schema, "pg_catalog" | "information_schema"))
    })
}

/// The first word of a piece of a statement, if the block holds one: a
/// statement the parser rejects at its first word, which is a clause that
/// never starts one (`USING (...)`), or which is an item of a list (its
/// line ends with a comma: `role text DEFAULT 'user',`).
fn fragment(errors: &[SyntaxError]) -> Option<String> {
    errors.iter().find_map(|error| {
        let text = error.text.trim_start();
        let word: String = (text.chars())
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let at_start = error.offset <= error.start_offset + word.len();
        let clause = CLAUSES.contains(&word.to_ascii_lowercase().as_str());
        let list_item = text
            .lines()
            .next()
            .is_some_and(|line| line.trim_end().ends_with(','));
        (at_start && !word.is_empty() && (clause || list_item)).then_some(word)
    })
}

/// "See `path/to/file.sql`:" just before a block: a quote of that file.
fn quoted_file(lead: &str) -> Option<&str> {
    let line = lead.trim_end().lines().last()?.trim();
    // The file is what the line leads to ("See `x.sql`:", "From x.sql:"),
    // not a file to run first ("Run `x.sql`, then check:").
    let lower = line.to_ascii_lowercase();
    let names_last = lower.ends_with(".sql`:") || lower.ends_with(".sql:");
    if !line.ends_with(':') || !(names_last || lower.starts_with("see ")) {
        return None;
    }
    let (_, rest) = line.split_once('`')?;
    let (path, _) = rest.split_once('`')?;
    path.to_ascii_lowercase().ends_with(".sql").then_some(path)
}

/// The `--` comments of `sql` (a mark in a string, such as a query's
/// `'❌ missing'`, is data, not a mark on the block).
fn comments(sql: &str) -> String {
    (sql.lines())
        .filter_map(|line| line.split_once("--").map(|(_, comment)| comment))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last paragraph of `text` (what is written just before a block).
fn last_paragraph(text: &str) -> &str {
    let trimmed = text.trim_end();
    let start = trimmed
        .rfind("\n\n")
        .or_else(|| trimmed.rfind("\n\r\n"))
        .map_or(0, |at| at + 1);
    &trimmed[start..]
}

/// Whether `text` has one of `words` (a phrase where it has a space).
fn has_word(text: &str, words: &[&str]) -> bool {
    let text = text.to_lowercase();
    words.iter().any(|word| match word.contains(' ') {
        true => text.contains(word),
        false => (text.split(|c: char| !c.is_alphanumeric())).any(|w| w == *word),
    })
}
