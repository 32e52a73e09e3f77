//! Where the runbook's replay stood before a step, kept for the next plan.
//! The page plans again after each pause in typing, mostly to change the
//! newest migration, which runs last: a plan whose first steps hold the
//! same statements as the last plan's resumes there instead of replaying
//! them.
use std::sync::Arc;

use super::expect::Expectations;
use super::history::Recorded;
use crate::catalog::Catalog;
use crate::lint::{LintProgress, Settings};
use crate::plan::load::{Loaded, Unit};
use crate::plan::order::Segment;
use crate::plan::Step;
use crate::HashSet;

/// What a plan keeps for the next: a checkpoint, and its statements.
#[derive(Default)]
pub struct Resume {
    checkpoint: Option<Checkpoint>,
    /// The last plan's statements: the first step holding one it did not
    /// have is where the person changed something, and where the next
    /// checkpoint goes.
    planned: Vec<Arc<Unit>>,
    /// The steps the last plan took from its checkpoint.
    #[cfg(test)]
    pub resumed: usize,
}

/// The replay before a step.
pub struct Checkpoint {
    /// What the replay started from: the environment's and the baseline's
    /// statements, and the rules' settings.
    applied: Vec<Arc<Unit>>,
    settings: Settings,
    /// The steps walked, each as its statements' places and the statements
    /// themselves (held, so that no other statement can take their place).
    walked: Vec<Vec<(usize, Arc<Unit>)>>,
    /// What the walked steps found.
    outcomes: Vec<Outcome>,
    pub state: State,
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
/// the steps.
pub struct Course<'a> {
    pub loaded: &'a Loaded,
    pub applied: usize,
    pub settings: &'a Settings,
    pub segments: &'a [Segment],
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

impl Resume {
    /// Takes the checkpoint the plan can resume from, and chooses where it
    /// keeps its own.
    pub fn walk(&mut self, course: &Course) -> Walk {
        let (loaded, segments) = (course.loaded, course.segments);
        let resumed = (self.checkpoint.take()).filter(|checkpoint| checkpoint.fits(course));
        let resume_at = resumed.as_ref().map_or(0, |c| c.walked.len());
        #[cfg(test)]
        {
            self.resumed = resume_at;
        }
        let known: HashSet<*const Unit> = self.planned.iter().map(Arc::as_ptr).collect();
        let is_new = |&unit: &usize| !known.contains(&Arc::as_ptr(&loaded.units[unit]));
        let first_new = (segments.iter()).position(|s| s.units.iter().any(is_new));
        let all_new = segments.iter().all(|s| s.units.iter().all(is_new));
        let save_at = match first_new {
            Some(step) if !all_new => step,
            _ if resumed.is_some() => resume_at,
            _ => first_step_of_last_file(loaded, segments),
        };
        self.planned = (segments.iter())
            .flat_map(|s| s.units.iter().map(|&unit| loaded.units[unit].clone()))
            .collect();
        Walk {
            resumed,
            save_at: Some(save_at),
        }
    }

    /// Keeps the checkpoint a plan made before step `walk.save_at`, with
    /// what its steps found.
    pub fn keep(&mut self, course: &Course, steps: &[Step], state: State, save_at: usize) {
        let (loaded, segments) = (course.loaded, course.segments);
        let walked = (segments[..save_at].iter())
            .map(|s| {
                (s.units.iter())
                    .map(|&unit| (unit, loaded.units[unit].clone()))
                    .collect()
            })
            .collect();
        let outcomes = (steps[..save_at].iter())
            .map(|step| Outcome {
                verify_sql: step.verify_sql.clone(),
                rollback_sql: step.rollback_sql.clone(),
                rollback_note: step.rollback_note.clone(),
            })
            .collect();
        self.checkpoint = Some(Checkpoint {
            applied: loaded.units[..course.applied].to_vec(),
            settings: course.settings.clone(),
            walked,
            outcomes,
            state,
        });
    }
}

impl Checkpoint {
    /// Whether a plan starts as this checkpoint's did: the same applied
    /// statements and settings, and its first steps the same statements
    /// at the same places.
    fn fits(&self, course: &Course) -> bool {
        let (loaded, segments) = (course.loaded, course.segments);
        let same = |unit: usize, kept: &Arc<Unit>| {
            (loaded.units.get(unit)).is_some_and(|unit| Arc::ptr_eq(unit, kept))
        };
        self.settings == *course.settings
            && self.applied.len() == course.applied
            && (self.applied.iter().enumerate()).all(|(unit, kept)| same(unit, kept))
            && self.walked.len() <= segments.len()
            && (self.walked.iter().zip(segments)).all(|(walked, segment)| {
                walked.len() == segment.units.len()
                    && (walked.iter().zip(&segment.units))
                        .all(|((unit, kept), planned)| unit == planned && same(*unit, kept))
            })
    }

    /// How many steps it walked.
    pub fn steps(&self) -> usize {
        self.walked.len()
    }

    /// Gives the walked steps what the runbook found for them.
    pub fn fill(&self, steps: &mut [Step]) {
        for (step, outcome) in steps.iter_mut().zip(&self.outcomes) {
            step.verify_sql.clone_from(&outcome.verify_sql);
            step.rollback_sql.clone_from(&outcome.rollback_sql);
            step.rollback_note.clone_from(&outcome.rollback_note);
        }
    }
}

/// The first step with a statement of the file the plan's last statement
/// is in: on a first plan, the newest migration is the likeliest to change.
fn first_step_of_last_file(loaded: &Loaded, segments: &[Segment]) -> usize {
    let last = segments.iter().rev().find_map(|s| s.units.last());
    let Some(&last) = last else {
        return 0;
    };
    let file = loaded.units[last].file;
    (segments.iter())
        .position(|s| s.units.iter().any(|&unit| loaded.units[unit].file == file))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use crate::analysis::source::Source;
    use crate::plan::{analyse, analyse_reusing, Options, Reuse};

    const DEFINER: &str = "create function public.wipe() returns void language sql security definer set search_path = '' as $$ select 1 $$;";

    fn files(newest: &str) -> Vec<Source> {
        vec![
            Source::new("001_users.sql", "create table users (id int primary key);"),
            Source::new("002_wipe.sql", DEFINER),
            Source::new(
                "003_posts.sql",
                "create table posts (id int primary key, author int references users);",
            ),
            Source::new("004_newest.sql", newest),
        ]
    }

    /// Each edit's analysis, reusing the last one's, is the analysis of its
    /// files; returns the steps each took from its checkpoint.
    fn resumed(edits: &[(Vec<Source>, Options)]) -> Vec<usize> {
        let mut reuse = Reuse::default();
        (edits.iter())
            .map(|(files, options)| {
                let reused = analyse_reusing(files, &[], options.clone(), &mut reuse);
                assert_eq!(reused, analyse(files, &[], options.clone()));
                reuse.runbook.resumed
            })
            .collect()
    }

    #[test]
    fn a_plan_that_changes_only_the_newest_file_resumes_the_replay_before_it() {
        let plain = Options::default();
        let exposing_nothing = Options {
            lint: crate::lint::Config {
                exposed_schemas: Some(Vec::new()),
                ..Default::default()
            },
            ..Options::default()
        };
        let steps = resumed(&[
            (
                files("alter table posts add column body text;"),
                plain.clone(),
            ),
            // A REVOKE in the newest file silences a finding about an
            // earlier step's function: rules that read later statements
            // are checked again.
            (
                files("revoke execute on function public.wipe() from public, anon, authenticated;"),
                plain.clone(),
            ),
            (
                files("alter table posts drop column author;"),
                plain.clone(),
            ),
            (
                files("alter table posts drop column author;"),
                exposing_nothing,
            ),
            (
                files("alter table posts drop column author;"),
                plain.clone(),
            ),
            (
                files("create table users (id int primary key);"),
                plain.clone(),
            ),
        ]);
        let flags_wipe = |newest: &str| {
            let plan = analyse(&files(newest), &[], Options::default()).plan;
            (plan.diagnostics.iter())
                .any(|d| d.rule.as_deref() == Some("security-definer-executable"))
        };
        assert!(flags_wipe("alter table posts add column body text;"));
        assert!(!flags_wipe(
            "revoke execute on function public.wipe() from public, anon, authenticated;"
        ));
        // The first plan replays everything, and so does one with other
        // settings than its checkpoint's, going there and back.
        assert_eq!(steps, [0, 3, 3, 0, 0, 3]);
    }

    #[test]
    fn a_plan_whose_first_steps_changed_replays_from_the_start() {
        let plain = Options::default();
        let mut edited = files("alter table posts add column body text;");
        let mut edit = |file: usize| {
            edited[file].text.push_str("\n-- a comment");
            (edited.clone(), plain.clone())
        };
        let edits = [
            edit(3),
            // The checkpoint before the newest file does not fit; the next
            // is kept before the changed one.
            edit(0),
            edit(1),
            edit(1),
        ];
        let steps = resumed(&edits);
        assert_eq!(steps, [0, 0, 0, 1]);
    }
}
