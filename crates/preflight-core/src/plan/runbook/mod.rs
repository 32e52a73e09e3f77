//! The runbook around the planned order: per step whether it runs in one
//! transaction, a verification query, the SQL that undoes it (or why none
//! can) and its risks; for the whole plan a health check.
mod checkpoint;
pub(crate) use checkpoint::Checkpoint;
mod data;
mod expect;
mod history;
pub(crate) use history::Recorded;
mod inverse;
mod risks;
pub mod transaction;
mod verify;

use crate::catalog::Detail;
use crate::lint::{LintProgress, Linted, Linter};
use crate::plan::explain::place;
use crate::plan::load::Loaded;
use crate::plan::order::Segment;
use crate::plan::resume::Resume;
use crate::plan::{Start, Step};
use checkpoint::{Course, State, Walk};
use expect::Expectations;
use history::History;

/// Fills in each step's verification, rollback and risks (`steps` are the
/// `segments`, in order) and returns the plan's health check, with the lint
/// rules' findings: `linter` checks each statement on this replay's catalog.
/// `start`: what the environment's and baseline's statements, already
/// applied, leave; `input_from`: the first unit that is not the
/// environment's. The replay resumes from the last plan's checkpoint in
/// `resume` when it can, and keeps one for the next.
pub fn runbook(
    loaded: &Loaded,
    (start, input_from): (&Start, usize),
    segments: &[Segment],
    mut linter: Linter,
    steps: &mut [Step],
    mut resume: Option<&mut Resume>,
) -> (Option<String>, Vec<Linted>) {
    let course = Course {
        loaded,
        applied: start.changes.len(),
        settings: linter.settings(),
        steps: segments.iter().map(|s| s.units.as_slice()).collect(),
    };
    let walk = match resume.as_deref_mut() {
        Some(resume) => Walk::of(resume, &course),
        None => Walk::default(),
    };
    let resume_at = walk.resumed.as_ref().map_or(0, Checkpoint::steps);
    let state = match walk.resumed {
        Some(checkpoint) => checkpoint.into_state(steps),
        None => State {
            catalog: start.catalog.clone().with_detail(Detail::Working),
            recorded: start.recorded.clone(),
            final_state: Expectations::default(),
            lint: LintProgress::default(),
        },
    };
    linter.resume(state.lint);
    let mut history = History::new(loaded, state.catalog, state.recorded, input_from);
    let mut final_state = state.final_state;
    let mut saved = None;
    for (at, (segment, step)) in segments.iter().zip(steps.iter_mut()).enumerate() {
        if walk.save_at == Some(at) {
            saved = Some(history.state(&final_state, &linter));
        }
        if at < resume_at {
            continue;
        }
        let mut expectations = Expectations::default();
        let mut undo = Vec::new();
        let mut irreversible = Vec::new();
        history.next_step();
        for &index in &segment.units {
            let unit = &loaded.units[index];
            match inverse::inverse(unit, &history) {
                Ok(sql) => undo.push(sql),
                Err(why) => irreversible.push(format!(
                    "{} ({}): {why}",
                    unit.facts.words,
                    place(loaded, index)
                )),
            }
            linter.statement(history.catalog());
            let changes = history.changes(index);
            let effects = expect::effects(unit, history.existing(), &changes);
            expectations.take(&effects);
            expectations.rows(unit, history.existing());
            final_state.take(&effects);
            history.record(index, &changes);
        }
        step.rollback_sql = irreversible
            .is_empty()
            .then(|| undo.iter().rev().cloned().collect::<String>());
        step.verify_sql = verify::query(&expectations.values(), &expectations.by_hand);
        step.rollback_note = (!irreversible.is_empty()).then(|| {
            format!(
                "cannot be undone automatically: {}",
                irreversible.join("; ")
            )
        });
    }
    if let (Some(resume), Some(save_at)) = (resume, walk.save_at) {
        let saved = saved.unwrap_or_else(|| history.state(&final_state, &linter));
        resume.runbook = Some(Checkpoint::new(&course, steps, saved, save_at));
    }
    let linted = linter.finish(history.catalog());
    let risks_by_unit = risks::by_unit(&linted);
    for (segment, step) in segments.iter().zip(steps) {
        step.risks = risks::of_step(loaded, &segment.units, &risks_by_unit);
    }
    (verify::query(&final_state.values(), &[]), linted)
}
