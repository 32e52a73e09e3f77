//! Where the runbook's replay stood before a step, kept for the next plan
//! (see `plan/resume.rs`).
use super::expect::Expectations;
use super::history::Recorded;
use crate::catalog::Catalog;
use crate::lint::{LintProgress, Settings};
use crate::plan::load::Loaded;
use crate::plan::resume::{Prefix, Resume};
use crate::plan::Step;

/// The replay before a step.
pub struct Checkpoint {
    /// The steps walked.
    prefix: Prefix,
    /// The rules' settings.
    settings: Settings,
    /// What the walked steps found.
    outcomes: Vec<Outcome>,
    state: State,
}

/// The replay's state between two steps.
#[derive(Clone)]
pub struct State {
    pub catalog: Catalog,
    pub recorded: Recorded,
    /// What the plan's health check expects so far.
    pub final_state: Expectations,
    pub lint: LintProgress,
}

/// What the runbook found for a step.
struct Outcome {
    verify_sql: Option<String>,
    rollback_sql: Option<String>,
    rollback_note: Option<String>,
}

/// The plan a replay walks: its statements (`applied`: how many of them the
/// environment and baseline are, already applied), the rules' settings and
/// the steps, each as its statements.
pub struct Course<'a> {
    pub loaded: &'a Loaded,
    pub applied: usize,
    pub settings: &'a Settings,
    pub steps: Vec<&'a [usize]>,
}

/// How a plan's replay uses the last plan's checkpoint and keeps its own.
#[derive(Default)]
pub struct Walk {
    /// The checkpoint this plan resumes from, if its first steps are the
    /// checkpoint's.
    pub resumed: Option<Checkpoint>,
    /// The step before which this plan keeps its checkpoint, if it keeps
    /// one.
    pub save_at: Option<usize>,
}

impl Walk {
    /// Takes the checkpoint the plan can resume from, and chooses where it
    /// keeps its own.
    pub fn of(resume: &mut Resume, course: &Course) -> Walk {
        let resumed = (resume.runbook.take()).filter(|checkpoint| {
            checkpoint.settings == *course.settings
                && (checkpoint.prefix).begins(course.loaded, course.applied, &course.steps)
        });
        let resumed_at = resumed.as_ref().map(Checkpoint::steps);
        #[cfg(test)]
        {
            resume.resumed_steps = resumed_at.unwrap_or(0);
        }
        Walk {
            save_at: Some(resume.save_point(course.loaded, &course.steps, resumed_at)),
            resumed,
        }
    }
}

impl Checkpoint {
    /// The checkpoint before step `save_at`, with what the steps before it
    /// found.
    pub fn new(course: &Course, steps: &[Step], state: State, save_at: usize) -> Self {
        let outcomes = (steps[..save_at].iter())
            .map(|step| Outcome {
                verify_sql: step.verify_sql.clone(),
                rollback_sql: step.rollback_sql.clone(),
                rollback_note: step.rollback_note.clone(),
            })
            .collect();
        Checkpoint {
            prefix: Prefix::new(course.loaded, course.applied, &course.steps[..save_at]),
            settings: course.settings.clone(),
            outcomes,
            state,
        }
    }

    /// How many steps it walked.
    pub fn steps(&self) -> usize {
        self.prefix.len()
    }

    /// Gives the walked steps what the runbook found for them, and
    /// returns the replay's state after them.
    pub fn into_state(self, steps: &mut [Step]) -> State {
        for (step, outcome) in steps.iter_mut().zip(self.outcomes) {
            step.verify_sql = outcome.verify_sql;
            step.rollback_sql = outcome.rollback_sql;
            step.rollback_note = outcome.rollback_note;
        }
        self.state
    }
}
