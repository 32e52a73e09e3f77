//! The plan as text for a terminal and as one SQL script to run.
use std::fmt::Write;

use super::Plan;
use crate::diagnostics::Severity;

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
        let count = |severity| {
            self.diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        let _ = writeln!(
            out,
            "\n{} steps, {} errors, {} warnings",
            self.steps.len(),
            count(Severity::Error),
            count(Severity::Warning)
        );
        out
    }

    /// The whole plan as one script for `psql -v ON_ERROR_STOP=1 -f` or the
    /// SQL editor; each step starts with a comment naming its source.
    pub fn to_sql(&self) -> String {
        let mut out = String::from("-- Planned by Preflight. Run from top to bottom.\n\n");
        for step in &self.steps {
            let source = &step.sources[0];
            let _ = writeln!(
                out,
                "-- Step {}: {} ({}:{}-{})",
                step.number, step.title, source.file, source.start_line, source.end_line
            );
            for reason in &step.reasons {
                let _ = writeln!(out, "-- {}", reason.replace('\n', " "));
            }
            out.push_str(&step.sql);
            out.push('\n');
        }
        out
    }
}
