//! The plan as a Markdown runbook a person follows in the Supabase SQL
//! editor: a checklist, then each step with why, SQL, verification,
//! rollback and risks, the health check, the full rollback and a log.
use std::fmt::Write;

use crate::environment::Environment;
use crate::words::counted;

use super::Plan;
use crate::diagnostics::Severity;

impl Plan {
    /// What to do before the first step: the runbook's pre-flight checklist.
    pub fn checklist(&self) -> Vec<String> {
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        vec![
            "Take a backup (or confirm point-in-time recovery) of the project".into(),
            match self.environment {
                Environment::Supabase => "Open the SQL editor of the right project (check the project name)".into(),
                Environment::Postgres => "Connect to the right database (check `select current_database()`), e.g. with psql".into(),
            },
            format!(
                "Read the problems below: {}, {}{}",
                counted(errors, "error"),
                counted(warnings, "warning"),
                if errors > 0 { " (fix the errors first)" } else { "" }
            ),
            format!(
                "Run the {} one at a time, in order; after each, run its verification query and expect only `pass`",
                counted(self.steps.len(), "step")
            ),
        ]
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# Migration runbook\n\n");
        if let Some(warning) = self.not_ready() {
            for line in warning.lines() {
                let _ = writeln!(out, "> {line}");
            }
            out.push('\n');
        }
        out.push_str("## Pre-flight checklist\n\n");
        for item in self.checklist() {
            let _ = writeln!(out, "- [ ] {item}");
        }
        out.push('\n');
        for step in &self.steps {
            let source = &step.sources[0];
            let _ = writeln!(out, "## Step {}: {}\n", step.number, step.title);
            let _ = writeln!(
                out,
                "Source: `{}` lines {}-{}\n",
                source.file, source.start_line, source.end_line
            );
            if step.reasons.is_empty() {
                out.push_str("Why here: it needs nothing from the other steps.\n\n");
            } else {
                out.push_str("Why here:\n");
                for reason in &step.reasons {
                    let _ = writeln!(out, "- {reason}");
                }
                out.push('\n');
            }
            if !step.risks.is_empty() {
                out.push_str("Risks:\n");
                for risk in &step.risks {
                    let _ = writeln!(out, "- {risk}");
                }
                out.push('\n');
            }
            let _ = write!(
                out,
                "Run ({}):\n\n```sql\n{}```\n\n",
                match step.transactional {
                    true => "in one transaction",
                    false => "not in a transaction",
                },
                step.runnable_sql()
            );
            if let Some(verify) = &step.verify_sql {
                let _ = write!(
                    out,
                    "Verify (every row says `pass`):\n\n```sql\n{verify}```\n\n"
                );
            }
            for block in &step.from_runbook {
                let (label, sql) = (block.label(), &block.sql);
                let _ = write!(out, "Run {label}:\n\n```sql\n{sql}```\n\n");
            }
            match (&step.rollback_sql, &step.rollback_note) {
                (Some(rollback), _) if !rollback.is_empty() => {
                    let _ = write!(out, "Rollback:\n\n```sql\n{rollback}```\n\n");
                }
                (_, Some(note)) => {
                    let _ = write!(out, "Rollback: {note}.\n\n");
                }
                _ => out.push_str("Rollback: nothing to undo.\n\n"),
            }
        }
        if let Some(health) = &self.health_check_sql {
            let _ = write!(
                out,
                "## Health check\n\nAfter the last step, every row says `pass`:\n\n```sql\n{health}```\n\n"
            );
        }
        out.push_str("## Problems\n\n");
        if self.diagnostics.is_empty() {
            out.push_str("None found.\n\n");
        }
        for diagnostic in &self.diagnostics {
            let _ = writeln!(
                out,
                "- **{}[{}]** `{}`: {}  \n  {}",
                diagnostic.severity.words(),
                diagnostic.code,
                diagnostic.location(),
                diagnostic.message,
                diagnostic.help
            );
        }
        out.push_str("\n## Migration log\n\n| Step | Started | Finished | Verified | Notes |\n|---|---|---|---|---|\n");
        for step in &self.steps {
            let _ = writeln!(out, "| {} {} | | | | |", step.number, step.title);
        }
        out
    }
}
