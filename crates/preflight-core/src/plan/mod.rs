//! Planning: from sources to an ordered list of steps that really runs,
//! with the reasons for the order and every problem found on the way.
mod explain;
mod foreign_keys;
pub(crate) mod load;
mod markdown;
mod order;
mod render;
mod rollback;
mod runbook;
mod simulate;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Serialize;

use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::environment::supabase_sources;
use crate::source::Source;

pub use order::{has_order_hint, natural_key};

/// Replays until the order is stable; a few suffice, the cap bounds cycles.
const MAX_REPLAYS: usize = 4;

/// The plan: the JSON contract of `preflight plan --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub rollback_scripts: Vec<RollbackScript>,
    pub diagnostics: Vec<Diagnostic>,
    /// One query checking every object the plan leaves behind (a row per
    /// object, `pass` or `fail`).
    pub health_check_sql: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepSource {
    pub file: String,
    pub start_line: u32,
    pub end_line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// Plans `sources` on top of the Supabase environment and `baseline` (SQL
/// already applied: its objects exist, its statements are not planned).
pub fn plan(sources: &[Source], baseline: &[Source]) -> Plan {
    let mut loaded = supabase_environment().clone();
    load::load_into(&mut loaded, baseline);
    let first_planned = loaded.files.len();
    load::load_into(&mut loaded, sources);
    let existing: Vec<usize> = loaded.files[..first_planned]
        .iter()
        .flat_map(|f| f.units.clone())
        .collect();

    let mut files: Vec<usize> = (first_planned..loaded.files.len()).collect();
    files.sort_by_cached_key(|&file| natural_key(&loaded.files[file].name));
    let rollbacks = rollback::rollback_scripts(&loaded, &files);
    files.retain(|file| !rollbacks.iter().any(|(rollback, _)| rollback == file));

    let rewrites = foreign_keys::break_cycles(&mut loaded, &files);

    // The replay follows the given order first, then the order it leads
    // to, until the two agree: a rename replayed before the table it renames
    // exists cannot show which statements still need the old name.
    let mut replays = 1;
    let mut replay: Vec<usize> = files
        .iter()
        .flat_map(|&file| loaded.files[file].units.clone())
        .collect();
    let references = loaded.references();
    let creating_files = loaded.creating_files();
    let (simulation, ordering) = loop {
        let simulation = simulate::simulate(&loaded, &existing, &replay, &references);
        let ordering = order::order(&loaded, &files, &simulation.edges, &creating_files);
        let planned: Vec<usize> = ordering
            .segments
            .iter()
            .flat_map(|s| s.units.clone())
            .collect();
        if planned == replay || replays == MAX_REPLAYS {
            break (simulation, ordering);
        }
        replay = planned;
        replays += 1;
    };
    let mut steps = steps(&loaded, &ordering.segments, &simulation.edges);
    let runbook = runbook::runbook(&loaded, &existing, &ordering.segments);
    for (step, extra) in steps.iter_mut().zip(runbook.steps) {
        step.transactional = extra.transactional;
        step.verify_sql = extra.verify_sql;
        step.rollback_sql = extra.rollback_sql;
        step.rollback_note = extra.rollback_note;
        step.risks = extra.risks;
    }

    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(simulation.diagnostics);
    diagnostics.extend(ordering.diagnostics);
    diagnostics.extend(rewrites);
    let mut rollback_scripts = Vec::new();
    for (file, reason) in rollbacks {
        let name = loaded.files[file].name.clone();
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            code: codes::ROLLBACK_SCRIPT,
            message: format!(
                "{name} is a rollback script ({reason}); it is left out of the forward plan"
            ),
            file: name.clone(),
            line: 1,
            column: 1,
            help: "run it only to undo the migration".into(),
            related: Vec::new(),
        });
        rollback_scripts.push(RollbackScript { file: name, reason });
    }
    diagnostics.sort_by(|a, b| {
        (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column))
    });
    Plan {
        steps,
        rollback_scripts,
        diagnostics,
        health_check_sql: runbook.health_check_sql,
    }
}

/// The Supabase environment, parsed once: every plan starts from it.
fn supabase_environment() -> &'static load::Loaded {
    static ENVIRONMENT: OnceLock<load::Loaded> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut loaded = load::Loaded::empty();
        load::load_into(&mut loaded, &supabase_sources());
        loaded
    })
}

fn steps(
    loaded: &load::Loaded,
    segments: &[order::Segment],
    edges: &[simulate::Edge],
) -> Vec<Step> {
    let step_of: HashMap<usize, usize> = segments
        .iter()
        .enumerate()
        .flat_map(|(index, segment)| segment.units.iter().map(move |&unit| (unit, index + 1)))
        .collect();
    let mut parts: HashMap<usize, (usize, usize)> = HashMap::new();
    for segment in segments {
        parts.entry(segment.file).or_default().1 += 1;
    }
    segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let number = index + 1;
            let file = &loaded.files[segment.file];
            let part = parts.get_mut(&segment.file).expect("counted");
            part.0 += 1;
            let title = match *part {
                (_, 1) => file.name.clone(),
                (at, of) => format!("{} (part {at} of {of})", file.name),
            };
            // The first reason for each step this one needs, in step order.
            let mut needs: BTreeMap<usize, String> = BTreeMap::new();
            for edge in edges {
                if let (Some(&from), Some(&to)) = (step_of.get(&edge.from), step_of.get(&edge.to)) {
                    if to == number && from != number {
                        needs
                            .entry(from)
                            .or_insert_with(|| explain::reason(loaded, edge));
                    }
                }
            }
            let lines = segment
                .units
                .iter()
                .map(|&unit| &loaded.units[unit].statement);
            let start_line = lines.clone().map(|s| s.start.line).min().unwrap_or(1);
            let end_line = lines.map(|s| s.end.line).max().unwrap_or(start_line);
            Step {
                number,
                title,
                sources: vec![StepSource {
                    file: file.name.clone(),
                    start_line,
                    end_line,
                }],
                sql: step_sql(loaded, segment),
                depends_on: needs.keys().copied().collect(),
                reasons: needs
                    .into_iter()
                    .map(|(step, why)| format!("after step {step}: {why}"))
                    .collect(),
                transactional: true,
                verify_sql: None,
                rollback_sql: None,
                rollback_note: None,
                risks: Vec::new(),
            }
        })
        .collect()
}

/// A whole SQL file is pasted as written, comments included; a part of a
/// file, or the SQL of a Markdown file, is its statements.
fn step_sql(loaded: &load::Loaded, segment: &order::Segment) -> String {
    let file = &loaded.files[segment.file];
    let whole = segment.units == file.units;
    let has_syntax_errors = loaded.diagnostics.iter().any(|d| d.file == file.name);
    if whole && !file.source.is_markdown() && !has_syntax_errors && !file.rewritten {
        let mut sql = file.source.text.trim().to_string();
        // A file may end without a semicolon; the next step must not run on.
        let last = segment
            .units
            .last()
            .map(|&unit| &loaded.units[unit].statement);
        let text = &file.source.text;
        if last.is_some_and(|last| !text[last.end_offset..].trim_start().starts_with(';')) {
            sql.push_str("\n;");
        }
        sql.push('\n');
        return sql;
    }
    let mut sql = String::new();
    for &unit in &segment.units {
        sql.push_str(&loaded.units[unit].statement.text);
        sql.push_str(";\n\n");
    }
    sql.truncate(sql.trim_end().len());
    sql.push('\n');
    sql
}
