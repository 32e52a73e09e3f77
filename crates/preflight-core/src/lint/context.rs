//! What a rule sees: each planned statement with the catalog just before
//! it and the foreign keys known so far; at the end, the catalog the plan
//! leaves. The walk replays the plan once.
use pg_query::protobuf::ScanToken;
use pg_query::NodeEnum;

use std::cell::OnceCell;
use std::collections::BTreeMap;

use super::{Check, Config, Finding, Level, Linted, Rule, StatementCheck, RULES};
use crate::analysis::compact::Tree;
use crate::analysis::facts::{Action, Change, ObjectKind, ObjectRef};
use crate::analysis::kind::StatementKind;
use crate::analysis::names::QualifiedName;
use crate::catalog::{Catalog, ObjectId};
use crate::diagnostics::{Applicability, Edit, Fix, Severity};
use crate::environment::Environment;
use crate::plan::load::{Loaded, Unit};
use crate::plan::Start;
use crate::{HashMap, HashSet};

/// What the rules assume about the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Whether the database is a Supabase project.
    pub supabase: bool,
    /// The schemas the Data API serves (Supabase: `public` unless
    /// configured): what anon and authenticated reach.
    pub exposed_schemas: Vec<String>,
    /// The PostgreSQL major version.
    pub postgres: u32,
    /// How loud each rule is, where the project says so.
    levels: BTreeMap<String, Level>,
}

/// Supabase's PostgreSQL, when the project does not say.
const POSTGRES: u32 = 15;

impl Settings {
    pub fn new(environment: Environment, config: &Config) -> Self {
        let supabase = environment == Environment::Supabase;
        let exposed = match supabase {
            true => vec!["public".into()],
            false => Vec::new(),
        };
        Self {
            supabase,
            exposed_schemas: config.exposed_schemas.clone().unwrap_or(exposed),
            postgres: config.postgres.unwrap_or(POSTGRES),
            levels: config.rules.clone(),
        }
    }

    pub fn exposes(&self, schema: Option<&str>) -> bool {
        (self.exposed_schemas.iter()).any(|exposed| Some(exposed.as_str()) == schema)
    }

    /// The severity of the rule's findings here; `None` when it is off
    /// (or about Supabase, on plain PostgreSQL).
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        if rule.supabase_only && !self.supabase {
            return None;
        }
        match self.levels.get(rule.name) {
            Some(level) => level.severity(),
            None => Some(rule.severity),
        }
    }
}

/// One planned statement with its place in the plan and in its file: what
/// every rule that looks at statements sees.
pub struct Subject<'a> {
    pub index: usize,
    pub unit: &'a Unit,
    loaded: &'a Loaded,
    /// The planned statements, in order, and this one's place among them.
    planned: &'a [usize],
    at: usize,
    pub settings: &'a Settings,
}

/// A planned statement as a statement rule sees it: with what exists just
/// before it runs, and nothing after it, planned or in its file (so what it
/// finds holds whatever later statements do, and a replay can resume after
/// it).
pub struct Statement<'a> {
    subject: Subject<'a>,
    /// What exists just before the statement runs.
    pub before: &'a Catalog,
    /// What existed before the plan: the environment and the baseline.
    pub before_plan: &'a Catalog,
    /// Whether a statement of its file adds an enum value.
    file_adds_enum_values: bool,
    first_drops: &'a FirstDrops,
}

/// A planned statement as a rule that reads the whole plan sees it: with
/// the statements planned after it and those after it in its file, and no
/// catalog. Checked once the order is final.
pub struct Ahead<'a> {
    subject: Subject<'a>,
}

impl<'a> std::ops::Deref for Statement<'a> {
    type Target = Subject<'a>;
    fn deref(&self) -> &Subject<'a> {
        &self.subject
    }
}

impl<'a> std::ops::Deref for Ahead<'a> {
    type Target = Subject<'a>;
    fn deref(&self) -> &Subject<'a> {
        &self.subject
    }
}

/// Per file and object (by identity), the first statement that drops it.
type FirstDrops = HashMap<(usize, ObjectRef), usize>;

impl Subject<'_> {
    /// The USING and WITH CHECK expressions of the policy a CREATE POLICY
    /// makes (none for other statements).
    pub fn policy_expressions(&self) -> &[Tree] {
        self.unit.statement.policy_expressions()
    }

    pub fn node(&self) -> &NodeEnum {
        &self.unit.statement.node
    }

    pub fn finding(&self, message: String, help: impl Into<String>) -> Finding {
        Finding::new(self.index, message, help)
    }

    /// A syntax tree `location` as an offset into the statement's text.
    pub fn offset_of(&self, location: usize) -> Option<usize> {
        let statement = &self.unit.statement;
        (location + statement.locations_from).checked_sub(statement.start_offset)
    }

    /// Replaces `start..end` of the statement's text.
    pub fn edit(&self, start: usize, end: usize, replacement: impl Into<String>) -> Edit {
        edit(self.loaded, self.index, start, end, replacement.into())
    }

    /// Whether a BEGIN earlier in the file is still open here.
    pub fn in_transaction_block(&self) -> bool {
        self.earlier_in_file()
            .fold(false, |open, unit| match unit.facts.kind {
                StatementKind::Begin => true,
                StatementKind::Commit | StatementKind::Rollback => false,
                _ => open,
            })
    }

    /// Adds `text` at the very end of the statement's file.
    pub fn append_to_file(&self, text: &str) -> Edit {
        let file = &self.loaded.files[self.unit.file];
        let end = file.source.text.len();
        Edit {
            file: file.name.clone(),
            start: end,
            end,
            replacement: text.into(),
        }
    }

    /// The view or materialized view the statement creates in a schema the
    /// Data API exposes.
    pub fn exposed_view_created(&self) -> Option<QualifiedName> {
        let view = (self.unit.facts.facts.iter()).find(|fact| {
            fact.action == Action::Creates
                && matches!(
                    fact.object.kind,
                    ObjectKind::View | ObjectKind::MaterializedView
                )
        })?;
        let name = &view.object.name;
        self.settings
            .exposes(name.schema.as_deref())
            .then(|| name.clone())
    }

    /// Whether a statement planned before this one adds rows to the table.
    pub fn rows_added_before(&self, table: &QualifiedName) -> bool {
        (self.planned[..self.at].iter())
            .map(|&unit| &self.loaded.units[unit].facts)
            .filter(|facts| facts.kind.adds_rows())
            .flat_map(|facts| &facts.facts)
            .any(|fact| fact.object.kind == ObjectKind::Rows && fact.object.name == *table)
    }

    /// The statements before this one in its file, as written.
    pub fn earlier_in_file(&self) -> impl Iterator<Item = &Unit> {
        let file = &self.loaded.files[self.unit.file];
        (file.units.iter())
            .take_while(|&&unit| unit != self.index)
            .map(|&unit| &*self.loaded.units[unit])
    }

    /// The statement's text.
    pub fn text(&self) -> &str {
        self.unit.statement.text()
    }

    /// Its text's tokens, with their byte ranges; none when the lexer
    /// rejects the text.
    pub fn tokens(&self) -> &[ScanToken] {
        self.unit.statement.tokens().unwrap_or_default()
    }
}

impl Statement<'_> {
    /// Whether the table existed before the plan (so holds rows and serves
    /// requests), rather than being created by it.
    pub fn existed_before_plan(&self, table: &QualifiedName) -> bool {
        self.before_plan.relation(table).is_some()
    }

    /// Whether the object (by identity) existed before the plan.
    pub fn existed_before(&self, object: &ObjectRef) -> bool {
        !self.before_plan.matching(&object.identity()).is_empty()
    }

    /// The statements earlier in the file that add enum values with no
    /// COMMIT or ROLLBACK between them and this one, in the file's order.
    pub fn enum_additions_in_transaction(&self) -> impl Iterator<Item = &Unit> {
        let earlier: Vec<&Unit> = match self.file_adds_enum_values {
            true => self.earlier_in_file().collect(),
            false => Vec::new(),
        };
        let ends_transaction = |unit: &&Unit| {
            matches!(
                unit.facts.kind,
                StatementKind::Commit | StatementKind::Rollback
            )
        };
        let since = earlier
            .iter()
            .rposition(ends_transaction)
            .map_or(0, |at| at + 1);
        (earlier.into_iter().skip(since)).filter(|unit| adds_enum_value(unit))
    }

    /// The objects of `kinds` that existed before the plan and that the
    /// statement renames.
    pub fn renamed_existing(&self, kinds: fn(ObjectKind) -> bool) -> Vec<&ObjectRef> {
        (self.unit.facts.facts.iter())
            .filter(|fact| fact.action == Action::Renames && kinds(fact.object.kind))
            .map(|fact| &fact.object)
            .filter(|object| self.existed_before(object))
            .collect()
    }

    /// Whether a statement before this one in its file drops `object`.
    pub fn dropped_earlier_in_file(&self, object: &ObjectRef) -> bool {
        // A file's statements are numbered in the order written.
        (self.first_drops)
            .get(&(self.unit.file, object.identity()))
            .is_some_and(|&unit| unit < self.index)
    }
}

impl Ahead<'_> {
    /// The statements after this one in its file, as written.
    pub fn later_in_file(&self) -> impl Iterator<Item = &Unit> {
        let file = &self.loaded.files[self.unit.file];
        (file.units.iter())
            .skip_while(|&&unit| unit != self.index)
            .skip(1)
            .map(|&unit| &*self.loaded.units[unit])
    }

    /// The planned statements after this one, in order.
    pub fn later_in_plan(&self) -> impl Iterator<Item = &Unit> {
        (self.planned[self.at + 1..].iter()).map(|&unit| &*self.loaded.units[unit])
    }

    /// Every planned statement, in order.
    pub fn plan(&self) -> impl Iterator<Item = &Unit> {
        (self.planned.iter()).map(|&unit| &*self.loaded.units[unit])
    }
}

/// What the plan leaves, as an end rule sees it.
pub struct End<'a> {
    pub catalog: &'a Catalog,
    loaded: &'a Loaded,
    planned: &'a [usize],
    pub settings: &'a Settings,
    /// Per relation, the last planned statement that created it (found
    /// once: end rules ask for every table).
    creators: OnceCell<HashMap<&'a QualifiedName, usize>>,
    /// The tables the plan leaves and created, in order (found once,
    /// likewise).
    tables: OnceCell<Vec<&'a QualifiedName>>,
}

impl<'a> End<'a> {
    /// The last planned statement that created the relation, where a
    /// finding about it is shown; `None` for what the plan did not create.
    pub fn creator(&self, table: &QualifiedName) -> Option<usize> {
        self.creators().get(table).copied()
    }

    fn creators(&self) -> &HashMap<&'a QualifiedName, usize> {
        self.creators.get_or_init(|| {
            let mut creators = HashMap::default();
            for &unit in self.planned {
                for fact in &self.loaded.units[unit].facts.facts {
                    if fact.action == Action::Creates && fact.object.kind.is_relation() {
                        creators.insert(&fact.object.name, unit);
                    }
                }
            }
            creators
        })
    }

    /// The tables the plan leaves that a planned statement created, in
    /// order: what end findings are about (the environment's and the
    /// baseline's tables have no statement to show them at).
    pub fn tables(&self) -> impl Iterator<Item = &QualifiedName> {
        let tables = self.tables.get_or_init(|| {
            let mut tables: Vec<&QualifiedName> = (self.creators().keys().copied())
                .filter(|name| {
                    let key = ObjectId::new(ObjectKind::Table, (*name).clone());
                    self.catalog.contains(&key)
                })
                .collect();
            tables.sort_unstable();
            tables
        });
        tables.iter().copied()
    }

    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY;` for the table, and the
    /// fix that adds it after the statement that created the table.
    pub fn enabling_row_security(&self, unit: usize, table: &QualifiedName) -> (String, Fix) {
        let enable = format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
        let fix = Fix {
            title: "enable row level security after it is created".into(),
            applicability: Applicability::Unsafe,
            edits: vec![self.insert_after(unit, &enable)],
        };
        (enable, fix)
    }

    /// Inserts `text` after the statement's `;` (or its end).
    pub fn insert_after(&self, unit: usize, text: &str) -> Edit {
        let statement = &self.loaded.units[unit].statement;
        let length = statement.end_offset - statement.start_offset;
        let after = self.loaded.files[self.loaded.units[unit].file].source.sql()
            [statement.end_offset..]
            .starts_with(';') as usize;
        edit(
            self.loaded,
            unit,
            length + after,
            length + after,
            format!("\n{text}"),
        )
    }
}

/// An edit of the statement `unit`'s text (`start..end` within it), as
/// offsets into its file as the person wrote it (a statement's offsets are
/// its file's own, Markdown too).
fn edit(loaded: &Loaded, unit: usize, start: usize, end: usize, replacement: String) -> Edit {
    let file = &loaded.files[loaded.units[unit].file];
    let offset = loaded.units[unit].statement.start_offset;
    Edit {
        file: file.name.clone(),
        start: offset + start,
        end: offset + end,
        replacement,
    }
}

/// How far the statement rules are through the plan, and what they found.
#[derive(Clone, Default)]
pub(crate) struct LintProgress {
    /// How many planned statements were checked.
    at: usize,
    findings: Vec<(&'static Rule, Finding)>,
}

/// Every rule over the planned statements (`planned`, in order), starting
/// from the catalog the environment and baseline leave: per statement as
/// the plan's one replay (the runbook's) reaches it, then at the end.
pub(crate) struct Linter<'a> {
    loaded: &'a Loaded,
    start: &'a Start,
    planned: &'a [usize],
    settings: &'a Settings,
    progress: LintProgress,
    /// The statement rules turned on, with their checks (found once, not
    /// before every statement).
    statement_rules: Vec<(&'static Rule, StatementCheck)>,
    /// The files with a statement that adds an enum value (found once,
    /// not by re-reading the file before every statement).
    enum_value_files: HashSet<usize>,
    first_drops: FirstDrops,
}

impl<'a> Linter<'a> {
    pub fn new(
        loaded: &'a Loaded,
        start: &'a Start,
        planned: &'a [usize],
        settings: &'a Settings,
    ) -> Self {
        let enum_value_files = (loaded.units.iter())
            .filter(|unit| adds_enum_value(unit))
            .map(|unit| unit.file)
            .collect();
        let statement_rules = (rules_on(settings))
            .filter_map(|rule| match rule.check {
                Check::Statement(check) => Some((rule, check)),
                Check::Ahead(_) | Check::End(_) => None,
            })
            .collect();
        Linter {
            loaded,
            start,
            planned,
            settings,
            progress: LintProgress::default(),
            statement_rules,
            enum_value_files,
            first_drops: first_drops(loaded),
        }
    }

    pub fn settings(&self) -> &'a Settings {
        self.settings
    }

    /// Where the statement rules are: what a later plan with the same
    /// first statements resumes from.
    pub fn progress(&self) -> LintProgress {
        self.progress.clone()
    }

    /// Takes up where an earlier walk of the same first statements was.
    pub fn resume(&mut self, progress: LintProgress) {
        self.progress = progress;
    }

    /// Checks the next planned statement against `before`, the catalog
    /// just before it runs.
    pub fn statement(&mut self, before: &Catalog) {
        let index = self.planned[self.progress.at];
        let statement = Statement {
            subject: self.subject(self.progress.at),
            before,
            before_plan: &self.start.catalog,
            file_adds_enum_values: (self.enum_value_files).contains(&self.loaded.units[index].file),
            first_drops: &self.first_drops,
        };
        self.progress.at += 1;
        for &(rule, check) in &self.statement_rules {
            keep(&mut self.progress.findings, rule, |found| {
                check(&statement, found)
            });
        }
    }

    /// The planned statement at `at`.
    fn subject(&self, at: usize) -> Subject<'a> {
        let index = self.planned[at];
        Subject {
            index,
            unit: &self.loaded.units[index],
            loaded: self.loaded,
            planned: self.planned,
            at,
            settings: self.settings,
        }
    }

    /// Checks the plan's end state (what every statement left), and
    /// returns every finding as a diagnostic, less those ignore comments
    /// silence.
    pub fn finish(mut self, catalog: &Catalog) -> Vec<Linted> {
        let end = End {
            catalog,
            loaded: self.loaded,
            planned: self.planned,
            settings: self.settings,
            creators: OnceCell::new(),
            tables: OnceCell::new(),
        };
        for rule in rules_on(self.settings) {
            match rule.check {
                Check::Ahead(check) => {
                    for at in 0..self.planned.len() {
                        let ahead = Ahead {
                            subject: self.subject(at),
                        };
                        keep(&mut self.progress.findings, rule, |found| {
                            check(&ahead, found)
                        });
                    }
                }
                Check::End(check) => keep(&mut self.progress.findings, rule, |found| {
                    check(&end, found)
                }),
                Check::Statement(_) => {}
            }
        }
        super::ignore::apply(
            self.loaded,
            self.planned,
            self.progress.findings,
            self.settings,
        )
    }
}

fn first_drops(loaded: &Loaded) -> FirstDrops {
    let mut first = FirstDrops::default();
    for (index, unit) in loaded.units.iter().enumerate() {
        for fact in (unit.facts.facts.iter()).filter(|fact| fact.action == Action::Drops) {
            (first.entry((unit.file, fact.object.identity()))).or_insert(index);
        }
    }
    first
}

fn adds_enum_value(unit: &Unit) -> bool {
    (unit.facts.changes.iter()).any(|change| matches!(change, Change::EnumValue { .. }))
}

/// Keeps what `check` finds, as `rule`'s.
fn keep(
    findings: &mut Vec<(&'static Rule, Finding)>,
    rule: &'static Rule,
    check: impl FnOnce(&mut Vec<Finding>),
) {
    let mut found = Vec::new();
    check(&mut found);
    findings.extend(found.into_iter().map(|finding| (rule, finding)));
}

/// The rules turned on.
fn rules_on(settings: &Settings) -> impl Iterator<Item = &'static Rule> + '_ {
    (RULES.iter().copied()).filter(|rule| settings.severity(rule).is_some())
}
