//! The runbook around the planned order: per step whether it runs in one
//! transaction, a verification query, the SQL that undoes it (or why none
//! can) and its risks; for the whole plan a health check.
mod data;
mod expect;
mod history;
pub(crate) use history::Recorded;
mod inverse;
mod risks;
pub mod transaction;
mod verify;

use crate::catalog::Detail;
use crate::lint::{Linted, Linter};
use crate::plan::explain::place;
use crate::plan::load::Loaded;
use crate::plan::order::Segment;
use crate::plan::{Start, Step};
use expect::Expectations;
use history::History;

/// Fills in each step's verification, rollback and risks (`steps` are the
/// `segments`, in order) and returns the plan's health check, with the lint
/// rules' findings: `linter` checks each statement on this replay's catalog.
/// `start`: what the environment's and baseline's statements, already
/// applied, leave; `input_from`: the first unit that is not the
/// environment's.
pub fn runbook(
    loaded: &Loaded,
    start: &Start,
    input_from: usize,
    segments: &[Segment],
    mut linter: Linter,
    steps: &mut [Step],
) -> (Option<String>, Vec<Linted>) {
    let mut history = History::new(
        loaded,
        start.catalog.clone().with_detail(Detail::Working),
        start.recorded.clone(),
        input_from,
    );
    let mut final_state = Expectations::default();
    for (segment, step) in segments.iter().zip(steps.iter_mut()) {
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
    let linted = linter.finish(history.catalog());
    let risks_by_unit = risks::by_unit(&linted);
    for (segment, step) in segments.iter().zip(steps) {
        step.risks = risks::of_step(loaded, &segment.units, &risks_by_unit);
    }
    (verify::query(&final_state.values(), &[]), linted)
}
