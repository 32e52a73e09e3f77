//! Planning: from sources to an ordered list of steps that really runs,
//! with the reasons for the order and every problem found on the way.
mod ambiguity;
mod blocks;
mod enum_values;
mod explain;
mod export;
mod foreign_keys;
pub(crate) mod load;
mod markdown;
mod order;
mod prose;
mod render;
mod resume;
mod rollback;
mod runbook;
mod simulate;
mod steps;
mod triggered;
mod view_columns;

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::analysis::source::Source;
use crate::catalog::{Catalog, Changes};
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::environment::Environment;
use crate::report::ParseReport;

pub use blocks::{AuthorBlock, PlannedBlock};
pub use export::{parse_timestamp, Migration};
pub use load::Reuse;
pub use order::{base_name, has_order_hint, natural_key};

/// Replays until the order is stable; a few suffice, the cap bounds cycles.
const MAX_REPLAYS: usize = 4;

/// The plan: the JSON contract of `preflight plan --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The database the plan starts from.
    #[serde(default)]
    pub environment: Environment,
    pub steps: Vec<Step>,
    pub rollback_scripts: Vec<RollbackScript>,
    /// The blocks of Markdown runbooks, in document order: what each is
    /// and where it went.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<PlannedBlock>,
    pub diagnostics: Vec<Diagnostic>,
    /// One query checking every object the plan leaves behind (a row per
    /// object, `pass` or `fail`).
    pub health_check_sql: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub number: usize,
    pub title: String,
    pub sources: Vec<StepSource>,
    /// The statements exactly as written, ready to paste.
    pub sql: String,
    /// Numbers of the steps this one needs.
    pub depends_on: Vec<usize>,
    pub reasons: Vec<String>,
    /// Whether every statement may run in one `BEGIN; ... COMMIT;`.
    pub transactional: bool,
    /// A query with a row per object the step creates, changes or drops.
    pub verify_sql: Option<String>,
    /// Undoes the step; `None` when it cannot be undone (see the note).
    pub rollback_sql: Option<String>,
    pub rollback_note: Option<String>,
    pub risks: Vec<String>,
    /// Which part of its file (or runbook block) this is, when a cycle
    /// split it: (k, n).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<(usize, usize)>,
    /// The author's own verification and rollback blocks for this step,
    /// when it comes from a Markdown runbook.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_runbook: Vec<AuthorBlock>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepSource {
    pub file: String,
    pub start_line: u32,
    pub end_line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollbackScript {
    pub file: String,
    pub reason: String,
}

impl Plan {
    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// What the web app shows after every change, from one parse: every file's
/// statements and syntax errors (baseline files first), and the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    pub report: ParseReport,
    pub plan: Plan,
}

/// Where the order the files should run in, when nothing else decides it,
/// comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileOrder {
    /// Their names: numbers and timestamps, as the Supabase CLI runs them.
    #[default]
    Names,
    /// The order they are given in, as a person arranged them.
    Given,
}

/// How to plan: on which database, and what decides the order when nothing
/// else does.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Options {
    #[serde(default)]
    pub environment: Environment,
    #[serde(default)]
    pub order: FileOrder,
    /// The project's `preflight.toml`: exposed schemas, PostgreSQL
    /// version, how loud each lint rule is.
    #[serde(default)]
    pub lint: crate::lint::Config,
}

/// Plans `sources` on top of the Supabase environment and `baseline` (SQL
/// already applied: its objects exist, its statements are not planned).
pub fn plan(sources: &[Source], baseline: &[Source]) -> Plan {
    plan_with(sources, baseline, Options::default())
}

/// [`plan`], with the environment and order hint of `options`.
pub fn plan_with(sources: &[Source], baseline: &[Source], options: Options) -> Plan {
    let (loaded, first_planned) = load(sources, baseline, options.environment, None);
    plan_loaded(loaded, first_planned, options, None)
}

/// [`plan_with`], together with the parse report of `baseline` and
/// `sources`.
pub fn analyse(sources: &[Source], baseline: &[Source], options: Options) -> Analysis {
    analysis(sources, baseline, options, None)
}

/// [`analyse`], parsing only the SQL files whose text `reuse` did not see
/// in the previous analysis: what a page that plans after each change
/// calls.
pub fn analyse_reusing(
    sources: &[Source],
    baseline: &[Source],
    options: Options,
    reuse: &mut Reuse,
) -> Analysis {
    let analysis = analysis(sources, baseline, options, Some(&mut *reuse));
    reuse.forget_unused();
    analysis
}

fn analysis(
    sources: &[Source],
    baseline: &[Source],
    options: Options,
    mut reuse: Option<&mut Reuse>,
) -> Analysis {
    let (loaded, first_planned) =
        load(sources, baseline, options.environment, reuse.as_deref_mut());
    let report = ParseReport::of(&loaded, environment(options.environment).loaded.files.len());
    let resume = reuse.map(|reuse| &mut reuse.resume);
    Analysis {
        report,
        plan: plan_loaded(loaded, first_planned, options, resume),
    }
}

/// The environment, then `baseline`, then `sources`; and the index of the
/// first file of `sources`.
fn load(
    sources: &[Source],
    baseline: &[Source],
    environment: Environment,
    mut reuse: Option<&mut Reuse>,
) -> (load::Loaded, usize) {
    let mut loaded = self::environment(environment).loaded.clone();
    load::load_reusing(&mut loaded, baseline, reuse.as_deref_mut());
    let first_planned = loaded.files.len();
    load::load_reusing(&mut loaded, sources, reuse);
    (loaded, first_planned)
}

/// `resume`: the last plan's statements and where its replays stood, for
/// this one to resume from, and to keep this one's.
fn plan_loaded(
    mut loaded: load::Loaded,
    first_planned: usize,
    options: Options,
    mut resume: Option<&mut resume::Resume>,
) -> Plan {
    let hint = options.order;
    // The baseline's statements, after the environment's.
    let prepared = environment(options.environment);
    let baseline: Vec<usize> = (loaded.files[..first_planned].iter())
        .flat_map(|f| f.units.clone())
        .filter(|&unit| unit >= prepared.loaded.units.len())
        .collect();

    let mut files: Vec<usize> = (first_planned..loaded.files.len())
        .filter(|&file| loaded.files[file].is_planned())
        .collect();
    if hint == FileOrder::Names {
        // Stable: a runbook's blocks keep their order.
        files.sort_by_cached_key(|&file| natural_key(&loaded.files[file].name));
    }
    let whole_files: Vec<usize> = (files.iter().copied())
        .filter(|&file| loaded.files[file].block.is_none())
        .collect();
    let rollbacks = rollback::rollback_scripts(&loaded, &whole_files);
    files.retain(|file| !rollbacks.iter().any(|(rollback, _)| rollback == file));

    let rewrites = foreign_keys::break_cycles(&mut loaded, &files);
    // Shared with every plan on the environment alone.
    let start = match baseline.is_empty() {
        true => Cow::Borrowed(&prepared.start),
        false => {
            let mut start = prepared.start.clone();
            start.run(&loaded, baseline);
            Cow::Owned(start)
        }
    };

    // The replay follows the given order first, then the order it leads
    // to, until the two agree: a rename replayed before the table it renames
    // exists cannot show which statements still need the old name.
    let mut replay: Vec<usize> = files
        .iter()
        .flat_map(|&file| loaded.files[file].units.clone())
        .collect();
    // Orders already replayed: meeting one again, the replays go round in
    // a circle, and the order found from this replay is as good as any.
    let mut replayed: Vec<Vec<usize>> = Vec::new();
    // The environment's part of the lookups was found with it.
    let mut lookups = prepared.lookups.clone();
    lookups.add(&loaded.units[prepared.loaded.units.len()..]);
    // Orders the statements decide whatever the replay order: found once.
    let decided = [
        enum_values::needs(&loaded, &replay),
        view_columns::needs(&loaded, &replay),
    ]
    .concat();
    let (simulation, ordering) = loop {
        // The order given is the same from plan to plan: its replay resumes.
        let outline = resume.as_deref_mut().filter(|_| replayed.is_empty());
        let mut simulation =
            simulate::simulate(&loaded, &start, &replay, &lookups.references, outline);
        simulation.edges.extend(decided.iter().cloned());
        let ordering = order::order(&loaded, &files, &simulation.edges);
        let planned: Vec<usize> = ordering
            .segments
            .iter()
            .flat_map(|s| s.units.clone())
            .collect();
        let settled = planned == replay || replayed.contains(&planned);
        if settled || replayed.len() + 1 == MAX_REPLAYS {
            break (simulation, ordering);
        }
        replayed.push(std::mem::replace(&mut replay, planned));
    };
    // An order a person arranged is theirs: nothing was left to the names.
    let ambiguous = match hint {
        FileOrder::Names => order::ambiguities(
            &loaded,
            &files,
            &simulation.edges,
            &lookups,
            &ordering.segments,
        ),
        FileOrder::Given => Vec::new(),
    };
    let segments = steps::split_for_transactions(&loaded, ordering.segments);
    let mut steps = steps::steps(&loaded, &segments, &simulation.edges);
    let planned: Vec<usize> = segments.iter().flat_map(|s| s.units.clone()).collect();
    let settings = crate::lint::Settings::new(options.environment, &options.lint);
    let linter = crate::lint::Linter::new(&loaded, &start, &planned, &settings);
    let (health_check_sql, linted) = runbook::runbook(
        &loaded,
        (&start, prepared.loaded.units.len()),
        &segments,
        linter,
        &mut steps,
        resume.as_deref_mut(),
    );
    if let Some(resume) = resume {
        resume.remember(&loaded, planned.iter().copied());
    }

    let blocks = blocks::place(&loaded, first_planned, &segments, &mut steps);
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(linted.into_iter().map(|linted| linted.diagnostic));
    diagnostics.extend(crate::analysis::census::not_understood(&loaded, &files));
    diagnostics.extend(simulation.diagnostics);
    diagnostics.extend(ordering.diagnostics);
    diagnostics.extend(ambiguous);
    diagnostics.extend(rewrites);
    let mut rollback_scripts = Vec::new();
    for (file, reason) in rollbacks {
        let name = loaded.files[file].name.clone();
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            code: codes::ROLLBACK_SCRIPT.into(),
            message: format!(
                "{name} is a rollback script ({reason}); it is left out of the forward plan"
            ),
            file: name.clone(),
            line: 1,
            column: 1,
            help: "run it only to undo the migration".into(),
            related: Vec::new(),
            rule: None,
            fix: None,
        });
        rollback_scripts.push(RollbackScript { file: name, reason });
    }
    diagnostics.sort_by(|a, b| {
        (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column))
    });
    Plan {
        environment: options.environment,
        steps,
        rollback_scripts,
        blocks,
        diagnostics,
        health_check_sql,
    }
}

/// The environment, parsed and replayed once: every plan starts from it.
fn environment(environment: Environment) -> &'static Prepared {
    static SUPABASE: OnceLock<Prepared> = OnceLock::new();
    static POSTGRES: OnceLock<Prepared> = OnceLock::new();
    let start = match environment {
        Environment::Supabase => &SUPABASE,
        Environment::Postgres => &POSTGRES,
    };
    start.get_or_init(|| {
        let mut loaded = load::Loaded::empty(environment);
        load::load_into(&mut loaded, &environment.sources());
        let mut start = Start::default();
        let units = 0..loaded.units.len();
        start.run(&loaded, units);
        start.freeze();
        let mut lookups = load::Lookups::default();
        lookups.add(&loaded.units);
        lookups.freeze();
        Prepared {
            loaded,
            start,
            lookups,
        }
    })
}

struct Prepared {
    loaded: load::Loaded,
    start: Start,
    /// The lookups over the environment's statements, which every plan
    /// extends with its own.
    lookups: load::Lookups,
}

/// What a plan starts from: the catalog the environment's and the
/// baseline's statements leave, what each of them changed, and what the
/// simulator and the runbook know after them.
#[derive(Clone, Default)]
pub(crate) struct Start {
    pub catalog: Catalog,
    /// Per unit, in order.
    pub changes: Vec<Changes>,
    pub known: simulate::Known,
    pub recorded: runbook::Recorded,
}

impl Start {
    /// What the applied statements left becomes the base every plan's copy
    /// shares.
    fn freeze(&mut self) {
        self.known.freeze();
        self.recorded.freeze();
    }

    fn run(&mut self, loaded: &load::Loaded, units: impl IntoIterator<Item = usize>) {
        for unit in units {
            let changes = self.catalog.apply(loaded, &loaded.units[unit]);
            self.known.replay(loaded, unit, &changes);
            self.recorded.record(loaded, unit, &changes);
            self.changes.push(changes);
        }
    }
}
