//! Following the runbook: which steps are done, and what undoes them.
use preflight_core::plan::{Plan, Step};

use crate::workspace::Progress;

/// Names a step by its title and exactly what it runs: a step whose SQL
/// changes after it was marked done is not done any more.
fn step_key(step: &Step) -> String {
    format!(
        "{}#{:08x}",
        step.title,
        crc32fast::hash(step.runnable_sql().as_bytes())
    )
}

/// Each step's key and when it was marked done (if it was), in the plan's
/// order: worked out once per render, as a key hashes the step's whole SQL.
pub struct Marks(Vec<(String, Option<f64>)>);

impl Marks {
    pub fn of(plan: &Plan, progress: &Progress) -> Self {
        Self(
            (plan.steps.iter())
                .map(|step| {
                    let key = step_key(step);
                    let at = progress.done.get(&key).copied();
                    (key, at)
                })
                .collect(),
        )
    }

    /// The key of the step at `index`, under which it is marked done.
    pub fn key(&self, index: usize) -> &str {
        &self.0[index].0
    }

    /// Whether the step at `index` is marked done.
    pub fn is_done(&self, index: usize) -> bool {
        self.0[index].1.is_some()
    }

    /// How many steps are marked done.
    pub fn done_count(&self) -> usize {
        self.0.iter().filter(|(_, at)| at.is_some()).count()
    }

    /// The first step not marked done: the one to run next.
    pub fn next(&self) -> Option<usize> {
        self.0.iter().position(|(_, at)| at.is_none())
    }

    /// When each step was marked done, if it was, in the plan's order.
    pub fn done_times(&self) -> Vec<Option<f64>> {
        self.0.iter().map(|(_, at)| *at).collect()
    }
}

/// The rollback of every step marked done, newest first: what to run when
/// a step fails part way. Steps that cannot be undone say why, in place.
pub fn rollback_of_done(plan: &Plan, marks: &Marks) -> String {
    let mut script = String::new();
    for (_, step) in
        (plan.steps.iter().enumerate().rev()).filter(|(index, _)| marks.is_done(*index))
    {
        script += &format!("-- Undo step {}: {}\n", step.number, step.title);
        match (&step.rollback_sql, &step.rollback_note) {
            (Some(sql), _) => script += sql.trim_end(),
            (None, Some(note)) => script += &format!("-- cannot be undone: {note}"),
            (None, None) => script += "-- nothing to undo",
        }
        script += "\n\n";
    }
    script
}

#[cfg(test)]
mod tests {
    use preflight_core::analysis::source::Source;
    use preflight_core::plan::plan;

    use super::*;

    #[test]
    fn the_rollback_of_done_steps_runs_newest_first_and_a_changed_step_is_not_done() {
        let sources = [
            Source::new("1_a.sql", "create table a (id int);"),
            Source::new("2_b.sql", "create table b (id int);"),
            Source::new("3_c.sql", "create table c (id int);"),
        ];
        let first = plan(&sources, &[]);
        let mut progress = Progress::default();
        for step in &first.steps[..2] {
            progress.done.insert(step_key(step), 0.0);
        }
        let rollback = rollback_of_done(&first, &Marks::of(&first, &progress));
        let undo_b = rollback.find("-- Undo step 2: 2_b.sql\nDROP TABLE IF EXISTS public.b;");
        let undo_a = rollback.find("-- Undo step 1: 1_a.sql\nDROP TABLE IF EXISTS public.a;");
        assert!(
            undo_b.is_some() && undo_a.is_some() && undo_b < undo_a,
            "{rollback}"
        );
        assert!(!rollback.contains("public.c"));

        let changed = plan(
            &[
                sources[0].clone(),
                Source::new("2_b.sql", "create table b (id bigint);"),
            ],
            &[],
        );
        let marks = Marks::of(&changed, &progress);
        assert!(marks.is_done(0));
        assert!(!marks.is_done(1));
    }
}
