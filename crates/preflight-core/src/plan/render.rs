//! The plan as text for a terminal and as one SQL script to run.
use std::fmt::Write;

use super::{Plan, Step};
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::words::counted;

impl Step {
    /// `-- Step N: title (file:lines)`, then each reason and `extra` line as
    /// an SQL comment.
    pub fn header_comment(&self, extra: &[String]) -> String {
        let source = &self.sources[0];
        let mut comment = format!(
            "-- Step {}: {} ({}:{}-{})\n",
            self.number, self.title, source.file, source.start_line, source.end_line
        );
        for line in self.reasons.iter().chain(extra) {
            let _ = writeln!(comment, "-- {}", line.replace('\n', " "));
        }
        comment
    }

    /// The SQL to paste: in `BEGIN; ... COMMIT;` when the step runs in one
    /// transaction.
    pub fn runnable_sql(&self) -> String {
        match self.transactional {
            true => format!("BEGIN;\n\n{}\nCOMMIT;\n", self.sql),
            false => self.sql.clone(),
        }
    }
}

impl Plan {
    /// A summary a person reads in a terminal: each step, why it is where
    /// it is, then the problems.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let source = &step.sources[0];
            let _ = writeln!(
                out,
                "Step {}: {} (lines {}-{})",
                step.number, step.title, source.start_line, source.end_line
            );
            for reason in &step.reasons {
                let _ = writeln!(out, "  {reason}");
            }
            for block in &step.from_runbook {
                let _ = writeln!(out, "  {}", block.label());
            }
        }
        let mut document = None;
        for block in &self.blocks {
            if document != Some(&block.file) {
                let _ = writeln!(out, "\nBlocks of {}:", block.file);
                document = Some(&block.file);
            }
            let _ = writeln!(
                out,
                "  lines {}-{}: {} ({}): {}; {}",
                block.first_line,
                block.last_line,
                block.role.word(),
                block.runs(),
                block.title,
                block.why
            );
        }
        for rollback in &self.rollback_scripts {
            let _ = writeln!(
                out,
                "Rollback script (not planned): {}: {}",
                rollback.file, rollback.reason
            );
        }
        if !self.diagnostics.is_empty() {
            out.push('\n');
        }
        for diagnostic in &self.diagnostics {
            out.push_str(&diagnostic.to_text());
        }
        let _ = writeln!(
            out,
            "\n{}, {}, {}",
            counted(self.steps.len(), "step"),
            counted(self.count(Severity::Error), "error"),
            counted(self.count(Severity::Warning), "warning")
        );
        out
    }

    /// Every error, as `to_text` prints it.
    /// Errors that keep the plan from running as planned, leaving out lint
    /// findings (which say the SQL is unsafe, not that it fails).
    pub fn has_order_errors(&self) -> bool {
        (self.diagnostics.iter()).any(|d| d.severity == Severity::Error && d.rule.is_none())
    }

    pub fn errors_text(&self) -> String {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_text())
            .collect()
    }

    /// When statements do not parse: that the plan is not ready, and each of
    /// them with its place.
    pub fn not_ready(&self) -> Option<String> {
        let unparsed: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.code == codes::SYNTAX_ERROR)
            .collect();
        let mut warning = match unparsed.len() {
            0 => return None,
            1 => "NOT READY: 1 statement does not parse".to_string(),
            n => format!("NOT READY: {n} statements do not parse"),
        };
        warning.push_str(" and will not run: each stays commented out in its step (or is only listed here when its file has nothing that runs). Fix them and plan again:");
        for error in unparsed {
            let message = error.message.lines().next().unwrap_or_default();
            warning.push_str(&format!(
                "\n- {}:{}:{}: {message}",
                error.file, error.line, error.column
            ));
        }
        Some(warning)
    }

    /// The whole plan as one script for `psql -v ON_ERROR_STOP=1 -f` or the
    /// SQL editor; each step starts with a comment naming its source and
    /// runs in its own transaction where it can.
    pub fn to_sql(&self) -> String {
        self.script(true).0
    }

    /// The script of `to_sql`, with or without each step's transaction, and,
    /// per step, the 1-based lines of the script it occupies, so that an
    /// error reported at a line of the script (by psql, say) can be traced
    /// back to its step and file. Without transactions, a failing statement
    /// does not take the rest of its step with it.
    pub fn script(&self, transactions: bool) -> (String, Vec<std::ops::RangeInclusive<usize>>) {
        let mut out = String::from("-- Planned by Preflight. Run from top to bottom.\n\n");
        if let Some(warning) = self.not_ready() {
            for line in warning.lines() {
                out.push_str("-- ");
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
        }
        let mut ranges = Vec::with_capacity(self.steps.len());
        let mut lines_before = out.matches('\n').count();
        for step in &self.steps {
            let step_start = out.len();
            out.push_str(&step.header_comment(&[]));
            match transactions {
                true => out.push_str(&step.runnable_sql()),
                false => out.push_str(&step.sql),
            }
            out.push('\n');
            let step_lines = out[step_start..].matches('\n').count();
            ranges.push(lines_before + 1..=lines_before + step_lines);
            lines_before += step_lines;
        }
        (out, ranges)
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::source::Source;
    use crate::plan::plan;

    #[test]
    fn script_lines_lead_back_to_their_step() {
        let sources = [
            Source::new("2_b.sql", "CREATE TABLE b (a_id int REFERENCES a (id));\n"),
            Source::new("1_a.sql", "CREATE TABLE a (\n  id int PRIMARY KEY\n);\n"),
        ];
        let (sql, lines) = plan(&sources, &[]).script(false);
        let script: Vec<&str> = sql.lines().collect();
        assert_eq!(lines.len(), 2);
        for (range, file) in lines.iter().zip(["1_a.sql", "2_b.sql"]) {
            assert!(script[range.start() - 1].starts_with("-- Step"), "{sql}");
            assert!(script[range.start() - 1].contains(file), "{sql}");
        }
        // Each step ends with its SQL and the blank line after it.
        assert_eq!(script[*lines[0].end() - 2], ");");
        assert_eq!(script[*lines[0].end() - 1], "");
        assert!(script[*lines[1].end() - 2].starts_with("CREATE TABLE b"));
        assert_eq!(*lines[1].end(), script.len());
    }
}
