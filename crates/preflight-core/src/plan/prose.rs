//! The author's own Markdown runbook given back in the planned order: each
//! migration block moves with its prose (from its heading to the next
//! section), the rest of the document stays where it was, and Preflight's
//! additions are callouts after the blocks they concern: a move and why,
//! the verification or rollback the author did not write (its role on its
//! fence, so that the document plans the same again), the problems.
use std::fmt::Write;
use std::ops::Range;

use super::{Plan, PlannedBlock, Step};
use crate::analysis::block_role::BlockRole;
use crate::analysis::markdown::{Block, Document};
use crate::analysis::source::Source;
use crate::diagnostics::{codes, Severity};

impl Plan {
    /// `document` (a Markdown runbook this plan was made from) with its
    /// migration blocks in the planned order and every line of it kept.
    pub fn with_prose(&self, document: &Source) -> String {
        let text = document.text.as_str();
        let read = Document::read(text);
        let mine: Vec<&PlannedBlock> = (self.blocks.iter())
            .filter(|block| block.file == document.name)
            .collect();
        let block_at = |planned: &PlannedBlock| {
            (read.blocks.iter()).find(|block| block.first_line == planned.first_line)
        };
        let migrations: Vec<(&PlannedBlock, &Block)> = (mine.iter())
            .filter(|planned| planned.role == BlockRole::Migration && !planned.steps.is_empty())
            .filter_map(|planned| Some((*planned, block_at(planned)?)))
            .collect();
        let chunks = chunks(&read, text, &migrations);
        let mut planned_order: Vec<usize> = (0..migrations.len()).collect();
        planned_order.sort_by_key(|&at| migrations[at].0.steps[0]);

        let mut additions: Vec<(usize, String)> = Vec::new();
        for (slot, &at) in planned_order.iter().enumerate() {
            let (planned, block) = migrations[at];
            let steps: Vec<&Step> = (planned.steps.iter())
                .filter_map(|&number| self.steps.get(number - 1))
                .collect();
            let moved = (slot != at).then(|| self.moves_of(planned));
            additions.push((block.span.end, self.added_to(&steps, moved)));
        }
        for planned in &mine {
            if let Some(block) = block_at(planned) {
                additions.push((block.span.end, self.problems_in(planned)));
            }
        }

        additions.sort_by_key(|(offset, _)| *offset);
        let mut out = String::new();
        // A range of the document with the additions that fall in it, each
        // at its place.
        let emit = |range: Range<usize>, out: &mut String| {
            let mut from = range.start;
            for (offset, addition) in (additions.iter())
                .filter(|(offset, _)| range.start < *offset && *offset <= range.end)
            {
                out.push_str(&text[from..*offset]);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(addition);
                from = *offset;
            }
            out.push_str(&text[from..range.end]);
        };
        // A moved part may not end with a blank line, as the next heading
        // needs.
        let blank_line = |out: &mut String| {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
        };
        let mut end = 0;
        for (slot, &at) in planned_order.iter().enumerate() {
            emit(end..chunks[slot].start, &mut out);
            blank_line(&mut out);
            emit(chunks[at].clone(), &mut out);
            blank_line(&mut out);
            end = chunks[slot].end;
        }
        emit(end..text.len(), &mut out);
        let others: Vec<&Step> = (self.steps.iter())
            .filter(|step| step.sources.iter().all(|s| s.file != document.name))
            .collect();
        if !others.is_empty() {
            out.push_str("\n## Steps from other files\n\n");
            for step in others {
                let _ = write!(
                    out,
                    "### Step {}: {}\n\n```sql\n{}```\n\n",
                    step.number,
                    step.title,
                    step.runnable_sql()
                );
            }
        }
        out
    }

    /// What Preflight adds after a migration block: why it moved, and the
    /// verification and rollback of its steps that the author did not
    /// write.
    fn added_to(&self, steps: &[&Step], moved: Option<Vec<&str>>) -> String {
        let mut out = String::new();
        let authored = |role: BlockRole| {
            (steps.iter()).any(|step| step.from_runbook.iter().any(|b| b.role == role))
        };
        if let Some(moves) = moved {
            let _ = writeln!(
                out,
                "\n> [!NOTE]\n> **Preflight moved this step**: it runs as step {} of the plan.",
                steps[0].number
            );
            for why in moves {
                let _ = writeln!(out, "> - {why}");
            }
        }
        if !authored(BlockRole::Verification) {
            for step in steps {
                if let Some(verify) = &step.verify_sql {
                    let _ = write!(
                        out,
                        "\n**Verify** (added by Preflight; every row says `pass`):\n\n```sql verification\n{verify}```\n"
                    );
                }
            }
        }
        if !authored(BlockRole::Rollback) {
            for step in steps {
                match (&step.rollback_sql, &step.rollback_note) {
                    (Some(rollback), _) if !rollback.is_empty() => {
                        let _ = write!(
                            out,
                            "\n**Rollback** (added by Preflight):\n\n```sql rollback\n{rollback}```\n"
                        );
                    }
                    (_, Some(note)) => {
                        let _ = writeln!(out, "\n**Rollback:** {note}.");
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The explained moves that name a block.
    fn moves_of(&self, block: &PlannedBlock) -> Vec<&str> {
        let label = format!("“{}”", block.title);
        (self.diagnostics.iter())
            .filter(|d| d.code == codes::MOVED && d.file == block.file)
            .filter(|d| {
                d.message
                    .split(':')
                    .next()
                    .is_some_and(|moves| moves.contains(&label))
            })
            .map(|d| d.message.as_str())
            .collect()
    }

    /// The problems found in a block's lines, as callouts.
    fn problems_in(&self, block: &PlannedBlock) -> String {
        let mut out = String::new();
        let inside = |line: u32| (block.first_line..=block.last_line).contains(&line);
        for diagnostic in (self.diagnostics.iter())
            .filter(|d| d.file == block.file && inside(d.line) && d.code != codes::MOVED)
        {
            let kind = match diagnostic.severity {
                Severity::Error => "CAUTION",
                Severity::Warning => "WARNING",
                Severity::Info => "NOTE",
            };
            let code = match &diagnostic.rule {
                Some(rule) => format!("{} {rule}", diagnostic.code),
                None => diagnostic.code.clone(),
            };
            let _ = write!(
                out,
                "\n> [!{kind}]\n> **{code}** (line {}): {}  \n> {}\n",
                diagnostic.line,
                diagnostic.message.replace('\n', " "),
                diagnostic.help.replace('\n', " ")
            );
        }
        out
    }
}

/// Where each migration block's part of the document starts and ends: from
/// its heading (when no earlier migration block sits under it) or the end
/// of what comes before, to the next migration block's part or the next
/// heading above its own level, whichever comes first.
fn chunks(
    document: &Document,
    text: &str,
    migrations: &[(&PlannedBlock, &Block)],
) -> Vec<Range<usize>> {
    let starts: Vec<usize> = (migrations.iter().enumerate())
        .map(|(at, (_, block))| {
            let previous_end = at.checked_sub(1).map_or(0, |p| migrations[p].1.span.end);
            match block.heading.map(|h| &document.headings[h]) {
                Some(heading) if heading.start >= previous_end => heading.start,
                _ => block.lead.start.max(previous_end),
            }
        })
        .collect();
    (migrations.iter().enumerate())
        .map(|(at, (_, block))| {
            let level = block.heading.map_or(7, |h| document.headings[h].level);
            let next_section = (document.headings.iter())
                .find(|heading| heading.start >= block.span.end && heading.level < level)
                .map_or(text.len(), |heading| heading.start);
            let next_chunk = starts.get(at + 1).copied().unwrap_or(text.len());
            starts[at]..next_section.min(next_chunk)
        })
        .collect()
}
