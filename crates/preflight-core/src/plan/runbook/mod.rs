//! The runbook around the planned order: per step whether it runs in one
//! transaction, a verification query, the SQL that undoes it (or why none
//! can) and its risks; for the whole plan a health check.
mod history;
mod inverse;
mod risks;
pub mod transaction;
mod verify;

use crate::facts::{Action, ObjectKind, ObjectRef};
use crate::plan::load::Loaded;
use crate::plan::order::Segment;
use history::History;
use verify::Expectation;

pub struct StepRunbook {
    pub verify_sql: Option<String>,
    pub rollback_sql: Option<String>,
    pub rollback_note: Option<String>,
    pub risks: Vec<String>,
}

pub struct Runbook {
    pub steps: Vec<StepRunbook>,
    pub health_check_sql: Option<String>,
}

/// `existing`: the units of the environment and baseline, already applied;
/// `input_from`: the first unit that is not the environment's.
pub fn runbook(
    loaded: &Loaded,
    existing: &[usize],
    input_from: usize,
    segments: &[Segment],
) -> Runbook {
    let mut history = History::new(loaded, input_from);
    for &unit in existing {
        history.record(unit);
    }
    let before_plan = history.existing.clone();
    let mut final_state: Vec<(ObjectRef, Expectation)> = Vec::new();
    let mut steps = Vec::new();
    for segment in segments {
        let mut expectations: Vec<(ObjectRef, Expectation)> = Vec::new();
        let mut undo = Vec::new();
        let mut irreversible = Vec::new();
        let mut risks = Vec::new();
        let mut rerun = None;
        let mut outside = None;
        history.next_step();
        for &index in &segment.units {
            let unit = &loaded.units[index];
            match inverse::inverse(unit, &history) {
                Ok(sql) => undo.push(sql),
                Err(why) => irreversible.push(format!(
                    "{} ({}:{}): {why}",
                    unit.facts.kind, loaded.files[unit.file].name, unit.statement.start.line
                )),
            }
            risks.extend(risks::risks(unit, &before_plan));
            rerun = rerun.or_else(|| risks::not_rerunnable(unit).cloned());
            outside = outside.or(transaction::outside_transaction(&unit.statement.node));
            expect(unit, &mut expectations);
            expect(unit, &mut final_state);
            history.record(index);
        }
        if let Some(object) = rerun {
            risks.push(format!(
                "not re-runnable: a second run fails because {object} already exists"
            ));
        }
        if let Some(what) = outside {
            risks.push(format!(
                "{what} cannot run inside a transaction: if a later statement fails, what ran before it stays applied"
            ));
        }
        risks.dedup();
        let rollback_sql = irreversible
            .is_empty()
            .then(|| undo.iter().rev().cloned().collect::<String>());
        steps.push(StepRunbook {
            verify_sql: verify::query(&values(&expectations)),
            rollback_note: (!irreversible.is_empty()).then(|| {
                format!(
                    "cannot be undone automatically: {}",
                    irreversible.join("; ")
                )
            }),
            rollback_sql,
            risks,
        });
    }
    Runbook {
        steps,
        health_check_sql: verify::query(&values(&final_state)),
    }
}

fn values(expectations: &[(ObjectRef, Expectation)]) -> Vec<Expectation> {
    expectations.iter().map(|(_, e)| e.clone()).collect()
}

fn upsert(list: &mut Vec<(ObjectRef, Expectation)>, key: &ObjectRef, value: Expectation) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value,
        None => list.push((key.clone(), value)),
    }
}

/// The state each object the statement writes is left in.
fn expect(unit: &crate::plan::load::Unit, expectations: &mut Vec<(ObjectRef, Expectation)>) {
    let schema = unit.search_path.first().map_or("public", String::as_str);
    // An extension is checked as a whole, not by its contents.
    let creates_extension = unit.facts.creates(ObjectKind::Extension);
    for fact in &unit.facts.facts {
        if creates_extension && fact.object.kind != ObjectKind::Extension {
            continue;
        }
        let exists = match fact.action {
            Action::Creates => true,
            Action::Drops | Action::Renames => false,
            Action::Alters | Action::Reads => continue,
        };
        if !exists && fact.object.kind.is_relation() {
            // Its columns, constraints and policies go (or move) with it.
            expectations.retain(|(key, _)| key.on.as_ref() != Some(&fact.object.name));
        }
        if let Some(expectation) = Expectation::object(&fact.object, exists, schema) {
            upsert(expectations, &fact.object.identity(), expectation);
        }
    }
    if let pg_query::NodeEnum::AlterPublicationStmt(s) = &unit.statement.node {
        use pg_query::protobuf::AlterPublicationAction as A;
        let added = matches!(A::try_from(s.action), Ok(A::ApAddObjects | A::ApSetObjects));
        let tables = unit
            .facts
            .facts
            .iter()
            .filter(|f| added && f.action == Action::Reads && f.object.kind.is_relation());
        for table in tables {
            let key = ObjectRef::on(ObjectKind::Other, &s.pubname, table.object.name.clone());
            let expectation = Expectation::in_publication(&s.pubname, &table.object.name, schema);
            upsert(expectations, &key, expectation);
        }
    }
    let rls = match unit.facts.kind.as_str() {
        "enable row level security" => Some(true),
        "disable row level security" => Some(false),
        _ => None,
    };
    let table = unit
        .facts
        .facts
        .iter()
        .find(|f| f.action == Action::Alters && f.object.kind.is_relation());
    if let (Some(enabled), Some(table)) = (rls, table) {
        let key = ObjectRef::on(
            ObjectKind::Other,
            "row level security",
            table.object.name.clone(),
        );
        upsert(
            expectations,
            &key,
            Expectation::row_level_security(&table.object.name, enabled),
        );
    }
}
