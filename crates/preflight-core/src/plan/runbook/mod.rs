//! The runbook around the planned order: per step whether it runs in one
//! transaction, a verification query, the SQL that undoes it (or why none
//! can) and its risks; for the whole plan a health check.
mod inverse;
mod risks;
mod transaction;
mod verify;

use std::collections::{HashMap, HashSet};

use crate::facts::{Action, ObjectKind, ObjectRef};
use crate::plan::load::Loaded;
use crate::plan::order::Segment;
use inverse::History;
use verify::Expectation;

pub struct StepRunbook {
    pub transactional: bool,
    pub verify_sql: Option<String>,
    pub rollback_sql: Option<String>,
    pub rollback_note: Option<String>,
    pub risks: Vec<String>,
}

pub struct Runbook {
    pub steps: Vec<StepRunbook>,
    pub health_check_sql: Option<String>,
}

/// `existing`: the units of the environment and baseline, already applied.
pub fn runbook(loaded: &Loaded, existing: &[usize], segments: &[Segment]) -> Runbook {
    let mut present: HashSet<ObjectRef> = HashSet::new();
    let mut definitions: HashMap<ObjectRef, usize> = HashMap::new();
    for &unit in existing {
        record(loaded, unit, &mut present, &mut definitions);
    }
    let before_plan = present.clone();
    let mut final_state: Vec<(ObjectRef, Expectation)> = Vec::new();
    let mut steps = Vec::new();
    for segment in segments {
        let mut expectations: Vec<(ObjectRef, Expectation)> = Vec::new();
        let mut undo = Vec::new();
        let mut irreversible = Vec::new();
        let mut risks = Vec::new();
        let mut rerun = None;
        let mut outside = None;
        let mut has_transaction_control = false;
        for (at, &index) in segment.units.iter().enumerate() {
            let unit = &loaded.units[index];
            let history = History {
                existing: &present,
                definitions: &definitions,
                units: &loaded.units,
            };
            match inverse::inverse(unit, &history) {
                Ok(sql) => undo.push(sql),
                Err(why) => irreversible.push(format!(
                    "{} ({}:{}): {why}",
                    unit.facts.kind, loaded.files[unit.file].name, unit.statement.start.line
                )),
            }
            risks.extend(risks::risks(unit, &before_plan));
            rerun = rerun.or_else(|| risks::not_rerunnable(unit).cloned());
            let node = &unit.statement.node;
            has_transaction_control |= transaction::is_transaction_control(node);
            outside = outside.or(transaction::outside_transaction(node));
            if unit.facts.kind == "alter type add value" && at + 1 < segment.units.len() {
                outside = outside.or(Some(
                    "ALTER TYPE ... ADD VALUE followed by statements that may use the new value",
                ));
            }
            expect(unit, &mut expectations);
            expect(unit, &mut final_state);
            record(loaded, index, &mut present, &mut definitions);
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
            transactional: outside.is_none() && !has_transaction_control,
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

/// Replays a statement's effect on what exists and on the last definition
/// of each object (what a later replacement's rollback restores).
fn record(
    loaded: &Loaded,
    unit: usize,
    present: &mut HashSet<ObjectRef>,
    definitions: &mut HashMap<ObjectRef, usize>,
) {
    let index = unit;
    let unit = &loaded.units[unit];
    for fact in &unit.facts.facts {
        let identity = fact.object.identity();
        match fact.action {
            Action::Creates => {
                if !matches!(
                    fact.object.kind,
                    ObjectKind::Column | ObjectKind::Constraint
                ) {
                    definitions.insert(identity.clone(), index);
                }
                present.insert(identity);
            }
            Action::Drops => {
                present.remove(&identity);
            }
            Action::Renames => {
                // Definitions that name the old name no longer restore it.
                let names_it = |fact: &crate::facts::Fact| {
                    fact.object.identity() == identity
                        || fact.object.on == Some(identity.name.clone())
                };
                definitions
                    .retain(|_, definer| !loaded.units[*definer].facts.facts.iter().any(names_it));
                present.remove(&identity);
            }
            Action::Alters | Action::Reads => {}
        }
    }
}
