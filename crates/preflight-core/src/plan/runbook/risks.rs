//! What a statement changes in who sees what, in plain words: the rest of a
//! step's risks are the lint rules' findings.

use crate::analysis::facts::{Change, RowSecurity};
use crate::lint::Linted;
use crate::plan::load::{Loaded, Unit};
use crate::HashMap;

use super::transaction::outside_transaction;

/// A step's risks: the lint rules' findings on its statements (each rule
/// once, with how many more statements it found), row security turned on,
/// and a statement that cannot run inside a transaction.
/// `by_unit`: the findings that are risks, per statement ([`by_unit`]).
pub fn of_step(
    loaded: &Loaded,
    units: &[usize],
    by_unit: &HashMap<usize, Vec<&Linted>>,
) -> Vec<String> {
    let found: Vec<&Linted> = (units.iter())
        .flat_map(|unit| by_unit.get(unit).into_iter().flatten().copied())
        .collect();
    let mut risks = by_rule(&found);
    let units = units.iter().map(|&unit| &*loaded.units[unit]);
    risks.extend(units.clone().flat_map(row_security));
    let outside = units
        .filter_map(|unit| outside_transaction(&unit.statement.node))
        .next();
    if let Some(what) = outside {
        risks.push(format!(
            "{what} cannot run inside a transaction: if a later statement fails, what ran before it stays applied"
        ));
    }
    risks.dedup();
    risks
}

/// The findings that are risks of running their statement, per statement.
pub fn by_unit(linted: &[Linted]) -> HashMap<usize, Vec<&Linted>> {
    let mut by_unit: HashMap<usize, Vec<&Linted>> = HashMap::default();
    for linted in linted.iter().filter(|linted| linted.is_risk()) {
        if let Some(unit) = linted.unit {
            by_unit.entry(unit).or_default().push(linted);
        }
    }
    by_unit
}

/// The findings' messages, one per rule in the order found, each saying
/// how many more statements of the step the rule found.
fn by_rule(found: &[&Linted]) -> Vec<String> {
    let mut rules: Vec<(&str, &str, usize)> = Vec::new();
    for linted in found {
        let rule = linted.diagnostic.rule.as_deref().unwrap_or_default();
        match rules.iter_mut().find(|(name, _, _)| *name == rule) {
            Some((_, _, more)) => *more += 1,
            None => rules.push((rule, &linted.diagnostic.message, 0)),
        }
    }
    (rules.into_iter())
        .map(|(rule, message, more)| match more {
            0 => format!("{message} ({rule})"),
            more => format!("{message} ({rule}; {more} more in this step)"),
        })
        .collect()
}

/// Row level security turned on (or forced): from then on, rows are
/// hidden from roles no policy lets in.
fn row_security(unit: &Unit) -> Vec<String> {
    let mut risks = Vec::new();
    for change in &unit.facts.changes {
        if let Change::RowSecurity { table, setting } = change {
            let who = match setting {
                RowSecurity::Enable => "roles other than its owner",
                RowSecurity::Force => "its owner too",
                RowSecurity::Disable | RowSecurity::NoForce => continue,
            };
            risks.push(format!(
                "from now on {who} see no rows of {table} unless a policy lets them"
            ));
        }
    }
    risks
}
