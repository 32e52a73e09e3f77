//! The planned segments as steps a person runs one at a time: split where
//! one transaction cannot hold them, titled, explained, with their SQL.
use std::collections::BTreeMap;

use super::load::Loaded;
use super::order::Segment;
use super::runbook::transaction::{
    added_enum_value, is_block_boundary, outside_transaction, runs_in_transaction,
};
use super::{explain, simulate, Step, StepSource};
use crate::analysis::names::quote_literal;
use crate::analysis::parse::SyntaxError;
use crate::HashMap;
use pg_query::NodeEnum;

/// Gives each statement that cannot run in a transaction a step of its own
/// (with the SELECTs right after it, the author's checks), and ends a step
/// after `ALTER TYPE ... ADD VALUE` when a later statement of it uses the
/// new value (which only works once the value is committed).
pub fn split_for_transactions(loaded: &Loaded, segments: Vec<Segment>) -> Vec<Segment> {
    let mut split: Vec<Segment> = Vec::with_capacity(segments.len());
    for segment in segments {
        let mut current: Vec<usize> = Vec::new();
        let mut alone_before = false;
        for (at, &unit) in segment.units.iter().enumerate() {
            let node = &loaded.units[unit].statement.node;
            let alone = outside_transaction(node).is_some();
            let is_check = matches!(node, NodeEnum::SelectStmt(s) if s.into_clause.is_none());
            if alone || (alone_before && !is_check) {
                flush(loaded, &mut split, segment.file, &mut current);
            }
            alone_before = alone || (alone_before && is_check);
            current.push(unit);
            let used_later = added_enum_value(node).is_some_and(|value| {
                let literal = quote_literal(value);
                segment.units[at + 1..]
                    .iter()
                    .any(|&later| loaded.units[later].statement.text().contains(&literal))
            });
            if used_later {
                flush(loaded, &mut split, segment.file, &mut current);
            }
        }
        if current.iter().all(|&unit| is_boundary(loaded, unit)) {
            // A trailing COMMIT belongs with the statements before it.
            if let Some(last) = split.last_mut().filter(|last| last.file == segment.file) {
                last.units.append(&mut current);
            }
        }
        if !current.is_empty() {
            split.push(Segment {
                file: segment.file,
                units: current,
            });
        }
    }
    split
}

fn is_boundary(loaded: &Loaded, unit: usize) -> bool {
    is_block_boundary(&loaded.units[unit].statement.node)
}

/// Ends the current step, unless it holds nothing but BEGIN/COMMIT, which
/// stay with the statements that follow.
fn flush(loaded: &Loaded, split: &mut Vec<Segment>, file: usize, current: &mut Vec<usize>) {
    if current.iter().any(|&unit| !is_boundary(loaded, unit)) {
        split.push(Segment {
            file,
            units: std::mem::take(current),
        });
    }
}

pub fn steps(loaded: &Loaded, segments: &[Segment], edges: &[simulate::Edge]) -> Vec<Step> {
    let step_of: HashMap<usize, usize> = segments
        .iter()
        .enumerate()
        .flat_map(|(index, segment)| segment.units.iter().map(move |&unit| (unit, index + 1)))
        .collect();
    // The most telling reason (the first of those) for each step a step
    // needs, in step order: one pass over the edges, in their order.
    let mut needs: Vec<explain::MostTelling<usize>> = vec![BTreeMap::new(); segments.len()];
    for edge in edges {
        if let (Some(&from), Some(&to)) = (step_of.get(&edge.from), step_of.get(&edge.to)) {
            if from != to {
                explain::keep_most_telling(loaded, &mut needs[to - 1], from, edge);
            }
        }
    }
    let mut parts: HashMap<usize, (usize, usize)> = HashMap::default();
    for segment in segments {
        parts.entry(segment.file).or_default().1 += 1;
    }
    segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let number = index + 1;
            let file = &loaded.files[segment.file];
            let counted = parts.get_mut(&segment.file).expect("counted");
            counted.0 += 1;
            let part = *counted;
            let name = match &file.block {
                Some(block) => &block.title,
                None => &file.name,
            };
            let title = match part {
                (_, 1) => name.clone(),
                (at, of) => format!("{name} (part {at} of {of})"),
            };
            let needs = std::mem::take(&mut needs[index]);
            let statements = segment
                .units
                .iter()
                .map(|&unit| &loaded.units[unit].statement);
            let start_line = statements.clone().map(|s| s.start.line).min().unwrap_or(1);
            let end_line = statements
                .clone()
                .map(|s| s.end.line)
                .max()
                .unwrap_or(start_line);
            let transactional = runs_in_transaction(statements.map(|s| &s.node));
            Step {
                number,
                title,
                sources: vec![StepSource {
                    file: file.name.clone(),
                    start_line,
                    end_line,
                }],
                sql: step_sql(loaded, segment, transactional),
                depends_on: needs.keys().copied().collect(),
                reasons: needs
                    .into_iter()
                    .map(|(step, (_, edge))| {
                        format!("after step {step}: {}", explain::reason(loaded, edge))
                    })
                    .collect(),
                transactional,
                // Filled in by `runbook::runbook`.
                verify_sql: None,
                rollback_sql: None,
                rollback_note: None,
                risks: Vec::new(),
                part: (part.1 > 1).then_some(part),
                from_runbook: Vec::new(),
            }
        })
        .collect()
}

/// A run of consecutive statements of an SQL file is pasted as written,
/// comments included; other parts of files, and the SQL of Markdown files,
/// are their statements. In a step that runs in its own transaction, the
/// file's BEGIN and COMMIT are commented out. A statement that does not
/// parse stays where it is written, commented out with its error, so it is
/// never run and never silently lost.
fn step_sql(loaded: &Loaded, segment: &Segment, transactional: bool) -> String {
    let file = &loaded.files[segment.file];
    let statement = |unit: usize| &loaded.units[unit].statement;
    let keep = |unit: usize| !(transactional && is_boundary(loaded, unit));
    let first = file.units.iter().position(|&unit| unit == segment.units[0]);
    let run = first.filter(|&first| file.units[first..].starts_with(&segment.units));
    let as_written = !file.source.is_markdown() && !file.rewritten;
    let Some(first) = run.filter(|_| as_written) else {
        return statements_sql(loaded, segment, keep);
    };
    let text = &file.source.text;
    let after = first + segment.units.len();
    let start = match first {
        0 => 0,
        _ => end_with_semicolon(text, statement(file.units[first - 1]).end_offset),
    };
    let end = match file.units.get(after) {
        None => text.len(),
        Some(_) => end_with_semicolon(text, statement(file.units[after - 1]).end_offset),
    };
    // What is not run as written: the file's own transaction, and what
    // does not parse.
    let mut replaced: Vec<(usize, usize, String)> = segment
        .units
        .iter()
        .filter(|&&unit| !keep(unit))
        .map(|&unit| {
            let boundary = statement(unit);
            let words = boundary
                .text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (
                boundary.start_offset,
                end_with_semicolon(text, boundary.end_offset),
                format!("-- {words}; (the step's own transaction replaces it)"),
            )
        })
        .chain(
            file.syntax_errors
                .iter()
                .filter(|error| (start..end).contains(&error.start_offset))
                .map(|error| {
                    let end = end_with_semicolon(text, error.end_offset).min(end);
                    (error.start_offset, end, commented_out(error))
                }),
        )
        .collect();
    replaced.sort_by_key(|&(start, _, _)| start);
    let mut sql = String::new();
    let mut at = start;
    for (from, to, comment) in replaced {
        sql.push_str(&text[at..from]);
        sql.push_str(&comment);
        at = to;
    }
    sql.push_str(&text[at..end]);
    let mut sql = sql.trim().to_string();
    // A file may end without a semicolon; the next step must not run on.
    let last = *segment.units.last().expect("segments hold statements");
    let last_end = statement(last).end_offset;
    if keep(last) && end_with_semicolon(text, last_end) == last_end {
        sql.push_str("\n;");
    }
    sql.push('\n');
    sql
}

/// The segment's statements one after another, each syntax error of the
/// file placed (commented out) among them where it is written.
fn statements_sql(loaded: &Loaded, segment: &Segment, keep: impl Fn(usize) -> bool) -> String {
    let file = &loaded.files[segment.file];
    let mut sql = String::new();
    for &unit in &segment.units {
        let statement = &loaded.units[unit].statement;
        let at = file
            .units
            .iter()
            .position(|&u| u == unit)
            .expect("the file's unit");
        let after_previous = match at {
            0 => 0,
            _ => loaded.units[file.units[at - 1]].statement.end_offset,
        };
        let is_last = at + 1 == file.units.len();
        let errors = file.syntax_errors.iter().filter(|error| {
            error.start_offset >= after_previous
                && (error.start_offset < statement.start_offset || is_last)
        });
        let (before, after): (Vec<_>, Vec<_>) =
            errors.partition(|error| error.start_offset < statement.start_offset);
        for error in before {
            sql.push_str(&commented_out(error));
            sql.push_str("\n\n");
        }
        if keep(unit) {
            sql.push_str(statement.text());
            sql.push_str(";\n\n");
        }
        for error in after {
            sql.push_str(&commented_out(error));
            sql.push_str("\n\n");
        }
    }
    sql.truncate(sql.trim_end().len());
    sql.push('\n');
    sql
}

/// A statement that does not parse, as SQL comments: its error, then its
/// text.
fn commented_out(error: &SyntaxError) -> String {
    let mut comment = format!(
        "-- NOT RUN: this statement does not parse (line {}, column {}: {}); fix it and plan again:",
        error.position.line,
        error.position.column,
        error.message.lines().next().unwrap_or_default()
    );
    for line in error.text.lines() {
        comment.push_str("\n-- ");
        comment.push_str(line);
    }
    comment
}

/// Where a statement ending at `end` ends, its `;` included when it has
/// one.
fn end_with_semicolon(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let blank = rest.len() - rest.trim_start().len();
    match rest[blank..].starts_with(';') {
        true => end + blank + 1,
        false => end,
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::source::Source;
    use crate::plan::{plan, Step};

    fn steps(sql: &str) -> Vec<Step> {
        plan(&[Source::new("1_m.sql", sql)], &[]).steps
    }

    #[test]
    fn statements_that_cannot_run_in_a_transaction_get_steps_of_their_own() {
        let steps = steps(
            "-- tables\nBEGIN;\nCREATE TABLE t (x int);\nCOMMIT;\n\
             -- index\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n\
             SELECT count(*) FROM pg_indexes WHERE indexname = 't_x';\n\
             INSERT INTO t VALUES (1);\n",
        );
        let parts: Vec<(&str, bool)> = steps
            .iter()
            .map(|s| (s.title.as_str(), s.transactional))
            .collect();
        assert_eq!(
            parts,
            [
                ("1_m.sql (part 1 of 3)", true),
                ("1_m.sql (part 2 of 3)", false),
                ("1_m.sql (part 3 of 3)", true)
            ]
        );
        // The file's own BEGIN/COMMIT give way to the step's: no nesting.
        assert_eq!(
            steps[0].runnable_sql(),
            "BEGIN;\n\n-- tables\n-- BEGIN; (the step's own transaction replaces it)\n\
             CREATE TABLE t (x int);\n-- COMMIT; (the step's own transaction replaces it)\n\n\
             COMMIT;\n"
        );
        // The author's check stays with the index it checks.
        assert_eq!(
            steps[1].sql,
            "-- index\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n\
             SELECT count(*) FROM pg_indexes WHERE indexname = 't_x';\n"
        );
        assert_eq!(steps[2].sql, "INSERT INTO t VALUES (1);\n");
        assert!(steps[1]
            .risks
            .iter()
            .any(|r| r.contains("cannot run inside a transaction")));
    }

    #[test]
    fn a_new_enum_value_is_committed_before_a_statement_uses_it() {
        let steps = steps(
            "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE m (v mood);\n\
             ALTER TYPE mood ADD VALUE 'great';\nINSERT INTO m VALUES ('great');\n",
        );
        assert_eq!(steps.len(), 2);
        assert!(
            steps[0].sql.ends_with("ADD VALUE 'great';\n"),
            "{}",
            steps[0].sql
        );
        assert!(steps.iter().all(|s| s.transactional));
        // A value no later statement uses needs no split.
        assert_eq!(
            self::steps("CREATE TYPE e AS ENUM ('a');\nALTER TYPE e ADD VALUE 'b';\nCREATE TABLE x (v e);\n")
                .len(),
            1
        );
    }

    #[test]
    fn several_transaction_blocks_run_as_written() {
        // `set_config(..., true)` lasts until its block ends: one transaction
        // around both blocks would carry it into the second.
        let sql = "BEGIN;\nSELECT set_config('role', 'anon', true);\nCOMMIT;\n\
                   BEGIN;\nCREATE TABLE t (x int);\nEND;\n";
        let steps = steps(sql);
        assert_eq!(steps.len(), 1);
        assert!(!steps[0].transactional);
        assert_eq!(steps[0].runnable_sql(), sql);
    }

    #[test]
    fn a_file_that_ends_in_rollback_runs_as_written() {
        let steps = steps("BEGIN;\nCREATE TABLE t (x int);\nROLLBACK;\n");
        assert_eq!(steps.len(), 1);
        assert!(!steps[0].transactional);
        assert_eq!(
            steps[0].runnable_sql(),
            "BEGIN;\nCREATE TABLE t (x int);\nROLLBACK;\n"
        );
    }
}
