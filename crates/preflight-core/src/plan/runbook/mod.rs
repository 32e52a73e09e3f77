//! The runbook around the planned order: per step whether it runs in one
//! transaction, a verification query, the SQL that undoes it (or why none
//! can) and its risks; for the whole plan a health check.
mod data;
mod expect;
mod history;
mod inverse;
mod risks;
pub mod transaction;
mod verify;

use crate::lint::Linted;
use crate::plan::explain::place;
use crate::plan::load::Loaded;
use crate::plan::order::Segment;
use crate::plan::{Start, Step};
use expect::Expectations;
use history::History;

/// Fills in each step's verification, rollback and risks (`steps` are the
/// `segments`, in order) and returns the plan's health check.
/// `existing`: the units of the environment and baseline, already applied;
/// `start`: the catalog they leave and what each changed; `input_from`: the first unit that is not the environment's.
pub fn runbook(
    loaded: &Loaded,
    existing: &[usize],
    start: &Start,
    input_from: usize,
    segments: &[Segment],
    linted: &[Linted],
    steps: &mut [Step],
) -> Option<String> {
    // The catalog answers what a drop takes and what a column was before a
    // change: not needed when the plan does neither.
    let needs_catalog = segments.iter().flat_map(|s| &s.units).any(|&unit| {
        let unit = &loaded.units[unit];
        unit.facts.removes() || inverse::column_changes(&unit.statement.node).is_some()
    });
    let catalog = needs_catalog.then(|| start.catalog.clone());
    let mut history = History::new(loaded, catalog, input_from);
    for (&unit, changes) in existing.iter().zip(&start.changes) {
        history.record(unit, changes);
    }
    let mut final_state = Expectations::default();
    for (segment, step) in segments.iter().zip(steps) {
        let mut expectations = Expectations::with_rows();
        let mut undo = Vec::new();
        let mut irreversible = Vec::new();
        let mut risks = Vec::new();
        let mut found = Vec::new();
        let mut outside = None;
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
            found.extend(
                linted
                    .iter()
                    .filter(|l| l.unit == Some(index) && l.is_risk()),
            );
            risks.extend(risks::row_security(unit));
            outside = outside.or(transaction::outside_transaction(&unit.statement.node));
            let changes = history.changes(index);
            expectations.apply(loaded, index, &history.existing, &changes);
            final_state.apply(loaded, index, &history.existing, &changes);
            history.record(index, &changes);
        }
        // The lint rules' findings are the step's risks: each rule once,
        // with how many more statements it found.
        risks.splice(0..0, risks::by_rule(&found));
        if let Some(what) = outside {
            risks.push(format!(
                "{what} cannot run inside a transaction: if a later statement fails, what ran before it stays applied"
            ));
        }
        risks.dedup();
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
        step.risks = risks;
    }
    verify::query(&final_state.values(), &[])
}
