//! Parses every source and works out each statement's facts, following
//! `SET search_path` through each file.
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::environment::Environment;
use crate::layered::Layered;
use crate::{HashMap, HashSet};
use std::sync::Arc;

use crate::analysis::block_role::{classify, BlockRole, Classified};
use crate::analysis::facts::{Action, ObjectRef, StatementFacts};
use crate::analysis::markdown::Document;
use crate::analysis::names::QualifiedName;
use crate::analysis::parse::{parse_block, parse_source, ParsedSource, Statement, SyntaxError};
use crate::analysis::source::Source;
use crate::analysis::statements::analyze;
use crate::plan::order::{base_name, has_order_hint};

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
    /// Shared, so that every plan's copy of the environment's files costs
    /// a count, not their text.
    pub source: Arc<Source>,
    pub units: Vec<usize>,
    /// What the parser could not read, in the order found.
    pub syntax_errors: Vec<SyntaxError>,
    /// Whether the planner rewrote statements of the file (see
    /// `foreign_keys.rs`), so its text no longer runs as written.
    pub rewritten: bool,
    /// The Markdown block it is, if it is one.
    pub block: Option<BlockOf>,
}

#[derive(Clone)]
pub struct Loaded {
    pub files: Vec<File>,
    /// Shared, so that every plan's copy of the environment's statements
    /// costs a count, not their syntax trees.
    pub units: Vec<Arc<Unit>>,
    pub diagnostics: Vec<Diagnostic>,
    /// The database the statements start from; its search path is where
    /// each file's unqualified names are looked up until it says
    /// `SET search_path`.
    pub environment: Environment,
}

impl Unit {
    /// The schema its unqualified new objects go to.
    pub fn schema(&self) -> &str {
        crate::analysis::names::first_schema(&self.search_path)
    }
}

/// A SQL block of a Markdown runbook: planned like a file of its own,
/// named after its heading.
#[derive(Debug, Clone)]
pub struct BlockOf {
    /// Its heading (with its lines when the heading has several blocks).
    pub title: String,
    pub first_line: u32,
    pub last_line: u32,
    /// The SQL between its fences, as written.
    pub sql: String,
    pub role: Classified,
    /// The `.sql` files its section names ("# File: scripts/010_x.sql"):
    /// a check written after a file's name checks that file.
    pub names_files: Vec<String>,
}

impl File {
    /// How messages name it: a file by its name, a block by its title.
    pub fn label(&self) -> String {
        match &self.block {
            Some(block) => format!("“{}”", block.title),
            None => self.name.clone(),
        }
    }

    /// Whether its place says when it runs: a number first in its name, or
    /// its place in a runbook.
    pub fn has_order_hint(&self) -> bool {
        self.block.is_some() || has_order_hint(&self.name)
    }

    /// Whether the plan runs it: a file, or a migration block.
    pub fn is_planned(&self) -> bool {
        (self.block.as_ref()).is_none_or(|block| block.role.role == BlockRole::Migration)
    }
}

/// Parses `sources` into files and units (appending to `loaded`); a
/// Markdown runbook becomes one file per SQL block.
pub fn load_into(loaded: &mut Loaded, sources: &[Source]) {
    load_reusing(loaded, sources, None);
}

/// [`load_into`]; with `reuse`, taking the statements of an SQL file that
/// it kept from an earlier load of the same text, and keeping this load's.
pub fn load_reusing(loaded: &mut Loaded, sources: &[Source], mut reuse: Option<&mut Reuse>) {
    for source in sources {
        if source.is_markdown() {
            load_runbook(loaded, source);
        } else {
            let file = match reuse.as_deref_mut() {
                Some(reuse) => load_sql(loaded, source, reuse),
                None => push_file(loaded, source, parse_source(source)),
            };
            report_syntax_errors(loaded, file);
        }
    }
}

/// The statements of SQL files loaded before, so that planning the same
/// files again after a change (the page plans after each pause in typing)
/// parses only the SQL files that changed (Markdown runbooks are read
/// again). A file is taken from the loads before the last
/// [`Reuse::forget_unused`], and kept for the loads after it.
#[derive(Default)]
pub struct Reuse {
    earlier: HashMap<Source, Kept>,
    used: HashMap<Source, Kept>,
    /// The last plan's statements, and where its replays stood before the
    /// first the person is likeliest to change.
    pub(super) resume: super::resume::Resume,
}

/// A file's statements with their facts, and what the parser rejected.
struct Kept {
    /// Where names were looked up when the file began: its facts depend
    /// on it.
    search_path: Vec<String>,
    units: Vec<Arc<Unit>>,
    syntax_errors: Vec<SyntaxError>,
}

impl Reuse {
    /// Forgets the files no load used since the last call.
    pub fn forget_unused(&mut self) {
        self.earlier = std::mem::take(&mut self.used);
    }
}

/// Loads an SQL source as the next file, from `reuse` when it holds the
/// same text read from the same search path.
fn load_sql(loaded: &mut Loaded, source: &Source, reuse: &mut Reuse) -> usize {
    let file = loaded.files.len();
    let search_path = loaded.environment.search_path();
    let earlier = (reuse.earlier.remove(source)).filter(|kept| kept.search_path == search_path);
    let kept = match earlier {
        // Units name their file: one that moved in the list is copied.
        Some(mut kept) => {
            for unit in kept.units.iter_mut().filter(|unit| unit.file != file) {
                Arc::make_mut(unit).file = file;
            }
            kept
        }
        None => {
            let parsed = parse_source(source);
            Kept {
                units: units_of(parsed.statements, &search_path, file),
                search_path,
                syntax_errors: parsed.errors,
            }
        }
    };
    push_units(
        loaded,
        source,
        kept.units.clone(),
        kept.syntax_errors.clone(),
    );
    reuse.used.insert(source.clone(), kept);
    file
}

fn load_runbook(loaded: &mut Loaded, source: &Source) {
    let document = Document::read(&source.text);
    let first = loaded.files.len();
    for block in &document.blocks {
        let file = push_file(loaded, source, parse_block(&source.text, block));
        let units = &loaded.files[file].units;
        let statements: Vec<&Statement> = (units.iter())
            .map(|&unit| &loaded.units[unit].statement)
            .collect();
        let facts: Vec<&StatementFacts> = (units.iter())
            .map(|&unit| &loaded.units[unit].facts)
            .collect();
        let errors = &loaded.files[file].syntax_errors;
        let role = classify(&document, &source.text, block, &statements, errors, &facts);
        if role.role == BlockRole::Illustration {
            forget_statements(loaded, file);
        }
        // Blocks before the first heading are named after the document.
        let title = (document.title(block)).unwrap_or_else(|| base_name(&source.name));
        let section = block
            .heading
            .map_or(block.lead.start, |h| document.headings[h].start);
        loaded.files[file].block = Some(BlockOf {
            title: title.to_string(),
            first_line: block.first_line,
            last_line: block.last_line,
            sql: source.text[block.content.clone()].to_string(),
            role,
            names_files: sql_file_names(&source.text[section..block.span.start]),
        });
    }
    let blocks: Vec<usize> = (first..loaded.files.len()).collect();
    for (file, why) in super::rollback::rollback_blocks(loaded, &blocks) {
        let block = loaded.files[file].block.as_mut().expect("a block");
        if block.role.role == BlockRole::Migration {
            block.role = Classified {
                role: BlockRole::Rollback,
                why,
            };
        }
    }
    number_alike_titles(loaded, &blocks);
    alternatives_planned(loaded, &document, &blocks);
    for file in blocks {
        let block = loaded.files[file].block.as_ref().expect("a block");
        if block.role.role == BlockRole::Illustration {
            let (line, title, why) = (
                block.first_line,
                block.title.clone(),
                block.role.why.clone(),
            );
            not_run(loaded, file, line, &title, &why);
        } else {
            report_syntax_errors(loaded, file);
        }
    }
}

/// Options a runbook offers ("Option 1", "Option 2") of which more than one
/// has a migration block: all of them would run, though a person runs one.
fn alternatives_planned(loaded: &mut Loaded, document: &Document, blocks: &[usize]) {
    for options in document.options() {
        // Per option, its first migration block.
        let planned: Vec<(usize, usize)> = (options.iter())
            .filter_map(|&heading| {
                let file = blocks.iter().copied().find(|&file| {
                    let of = loaded.files[file].block.as_ref().expect("a block");
                    of.role.role == BlockRole::Migration
                        && !loaded.files[file].units.is_empty()
                        && under(document, of.first_line, heading)
                })?;
                Some((heading, file))
            })
            .collect();
        if planned.len() < 2 {
            continue;
        }
        let titles: Vec<String> = (planned.iter())
            .map(|(heading, _)| format!("“{}”", document.headings[*heading].text))
            .collect();
        let (_, second) = planned[1];
        let block = loaded.files[second].block.as_ref().expect("a block");
        loaded.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: codes::ALTERNATIVES.into(),
            message: format!(
                "{} are options to choose from, and the SQL of each is planned: all of them would run",
                titles.join(" and ")
            ),
            file: loaded.files[second].name.clone(),
            line: block.first_line,
            column: 1,
            help: "run only the option you chose: give the blocks of the others the role illustration (write `illustration` after `sql` on their fence, or use the role chooser in the page)".into(),
            related: Vec::new(),
            rule: None,
            fix: None,
        });
    }
}

/// Whether the block whose fence is on `line` sits under `heading`.
fn under(document: &Document, line: u32, heading: usize) -> bool {
    (document.blocks.iter())
        .find(|block| block.first_line == line)
        .is_some_and(|block| {
            let headings = document.headings_above(block);
            headings
                .iter()
                .any(|above| above.line == document.headings[heading].line)
        })
}

/// Blocks of one role under one heading are told apart by number: "Step 3
/// (block 2 of 2)".
fn number_alike_titles(loaded: &mut Loaded, blocks: &[usize]) {
    let key = |file: usize| {
        let block = loaded.files[file].block.as_ref().expect("a block");
        (block.title.clone(), block.role.role)
    };
    let keys: Vec<(String, BlockRole)> = blocks.iter().map(|&file| key(file)).collect();
    for (at, &file) in blocks.iter().enumerate() {
        let of = keys.iter().filter(|other| **other == keys[at]).count();
        if of > 1 {
            let number = 1 + keys[..at]
                .iter()
                .filter(|other| **other == keys[at])
                .count();
            let block = loaded.files[file].block.as_mut().expect("a block");
            block.title = format!("{} (block {number} of {of})", block.title);
        }
    }
}

/// The `.sql` file names in `text`, as written (paths kept).
fn sql_file_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = (text
        .split(|c: char| c.is_whitespace() || "`'\"()[]<>,;:*".contains(c)))
    .filter(|word| word.len() > 4 && word.to_ascii_lowercase().ends_with(".sql"))
    .map(str::to_string)
    .collect();
    names.dedup();
    names
}

/// An illustration is not run: its statements are not planned, its syntax
/// errors are no errors. `file` is the last one loaded.
fn forget_statements(loaded: &mut Loaded, file: usize) {
    let units = std::mem::take(&mut loaded.files[file].units);
    if let Some(&first) = units.first() {
        loaded.units.truncate(first);
    }
    loaded.files[file].syntax_errors.clear();
}

/// The one note an illustration gets.
fn not_run(loaded: &mut Loaded, file: usize, line: u32, title: &str, why: &str) {
    loaded.diagnostics.push(Diagnostic {
        severity: Severity::Info,
        code: codes::ILLUSTRATION.into(),
        message: format!("not run: “{title}” is an illustration: {why}"),
        file: loaded.files[file].name.clone(),
        line,
        column: 1,
        help: "nothing to do if it only shows something; to run it, write `migration` after `sql` on its opening fence".into(),
        related: Vec::new(),
        rule: None,
        fix: None,
    });
}

fn report_syntax_errors(loaded: &mut Loaded, file: usize) {
    let file = &loaded.files[file];
    for error in &file.syntax_errors {
        loaded.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            code: codes::SYNTAX_ERROR.into(),
            message: error.message.clone(),
            file: file.name.clone(),
            line: error.position.line,
            column: error.position.column,
            help: "fix the SQL at this place and plan again; until then the statement is not run (its step holds it commented out)".into(),
            related: Vec::new(),
            rule: None,
            fix: None,
        });
    }
}

/// Parses one source's statements into a new file; its index.
fn push_file(loaded: &mut Loaded, source: &Source, parsed: ParsedSource) -> usize {
    let file = loaded.files.len();
    let units = units_of(parsed.statements, &loaded.environment.search_path(), file);
    push_units(loaded, source, units, parsed.errors);
    file
}

/// The units of `file`'s statements, each with its facts, following the
/// file's `SET search_path` from `search_path` on.
fn units_of(statements: Vec<Statement>, search_path: &[String], file: usize) -> Vec<Arc<Unit>> {
    let mut search_path = search_path.to_vec();
    let mut units = Vec::new();
    for statement in statements {
        let facts = analyze(&statement.node, &search_path);
        if let Some(path) = &facts.search_path {
            let path: Vec<String> = path.iter().filter(|s| *s != "$user").cloned().collect();
            if !path.is_empty() {
                search_path = path;
            }
        }
        units.push(Arc::new(Unit {
            file,
            statement,
            facts,
            search_path: search_path.clone(),
        }));
    }
    units
}

/// Appends a file and its units.
fn push_units(
    loaded: &mut Loaded,
    source: &Source,
    units: Vec<Arc<Unit>>,
    syntax_errors: Vec<SyntaxError>,
) {
    let first = loaded.units.len();
    loaded.units.extend(units);
    loaded.files.push(File {
        name: source.name.clone(),
        source: Arc::new(source.clone()),
        units: (first..loaded.units.len()).collect(),
        syntax_errors,
        rewritten: false,
        block: None,
    });
}

/// Per table, the tables its foreign keys reference.
pub type References = Layered<QualifiedName, Vec<QualifiedName>>;

/// What the ordering looks up over every statement, the environment's
/// included: found for the environment once, and extended by each plan
/// with its own statements.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// Per object (by identity), the files whose statements create it.
    pub creators: Layered<ObjectRef, HashSet<usize>>,
    pub references: References,
}

impl Lookups {
    /// Adds what `units` create and the tables their foreign keys reference.
    pub fn add(&mut self, units: &[Arc<Unit>]) {
        for unit in units {
            let created = (unit.facts.facts.iter()).filter(|f| f.action == Action::Creates);
            for fact in created {
                (self.creators.get_or_default(&fact.object.identity())).insert(unit.file);
            }
            for key in &unit.facts.foreign_keys {
                (self.references.get_or_default(&key.table)).push(key.references.clone());
            }
        }
    }

    /// What was added becomes the base every copy shares.
    pub fn freeze(&mut self) {
        self.creators.freeze();
        self.references.freeze();
    }
}

impl Loaded {
    /// Nothing loaded yet, names looked up as in `environment`.
    pub fn empty(environment: Environment) -> Self {
        Self {
            files: Vec::new(),
            units: Vec::new(),
            diagnostics: Vec::new(),
            environment,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{analyse, analyse_reusing, FileOrder, Options};

    fn sources(second: &str) -> Vec<Source> {
        vec![
            Source::new("001_users.sql", "create table users (id int primary key);"),
            Source::new("002_posts.sql", second),
            Source::new(
                "003_grants.sql",
                "set search_path = app;\ncreate table notes (id int);",
            ),
        ]
    }

    #[test]
    fn a_file_loaded_again_unchanged_is_not_parsed_again_and_one_moved_takes_its_place() {
        let mut reuse = Reuse::default();
        let load = |sources: &[Source], reuse: &mut Reuse| {
            let mut loaded = Loaded::empty(Environment::Supabase);
            load_reusing(&mut loaded, sources, Some(reuse));
            reuse.forget_unused();
            loaded
        };
        let first = load(&sources("create table posts (id int);"), &mut reuse);
        let edited = sources("create table posts (id int, author int references users);");
        let second = load(&edited, &mut reuse);
        let same =
            |a: &Loaded, b: &Loaded, unit: usize| Arc::ptr_eq(&a.units[unit], &b.units[unit]);
        assert!(same(&first, &second, 0), "the unchanged file is reused");
        assert!(!same(&first, &second, 1), "the edited file is parsed again");
        assert!(edited[1].text.starts_with(second.units[1].statement.text()));
        assert!(same(&first, &second, 3), "the file after it too");
        assert_eq!(
            second.units[3].search_path,
            ["app"],
            "facts are kept with the file"
        );

        let moved = [edited[0].clone(), edited[2].clone(), edited[1].clone()];
        let third = load(&moved, &mut reuse);
        let files: Vec<usize> = third.units.iter().map(|unit| unit.file).collect();
        assert_eq!(
            files,
            [0, 1, 1, 2],
            "each unit names the place its file has now"
        );
        assert_eq!(third.units[2].search_path, ["app"]);
        assert!(
            same(&second, &third, 0),
            "a file that kept its place is shared"
        );

        // Facts depend on where names are looked up: another environment's
        // search path reads every file again.
        let mut plain = Loaded::empty(Environment::Postgres);
        load_reusing(&mut plain, &moved, Some(&mut reuse));
        assert!(!Arc::ptr_eq(&plain.units[0], &third.units[0]));
        assert_eq!(
            plain.units[0].search_path,
            Environment::Postgres.search_path()
        );
        assert_eq!(
            third.units[0].search_path,
            Environment::Supabase.search_path()
        );
    }

    #[test]
    fn an_analysis_reusing_earlier_files_is_the_analysis_of_the_files() {
        let mut reuse = Reuse::default();
        let given = Options {
            order: FileOrder::Given,
            ..Options::default()
        };
        let edits = [
            (sources("create table posts (id int);"), Options::default()),
            (
                sources("create table posts (id int references users);"),
                Options::default(),
            ),
            (
                sources("create table posts (id int references missing);"),
                Options::default(),
            ),
            (
                sources("create table posts (id int references users);")
                    .into_iter()
                    .rev()
                    .collect(),
                given,
            ),
            (sources("create table broken ("), Options::default()),
        ];
        for (sources, options) in edits {
            let reused = analyse_reusing(&sources, &[], options.clone(), &mut reuse);
            assert_eq!(reused, analyse(&sources, &[], options));
        }
    }
}
