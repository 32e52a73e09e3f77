//! What a plan keeps for the next, so that a replay resumes where the two
//! plans part. The page plans again after each pause in typing, mostly to
//! change the newest migration, which runs last: a replay whose first
//! statements are the last plan's resumes from a checkpoint kept before the
//! first statement the person changed.
use std::sync::Arc;

use crate::plan::load::{Loaded, Unit};
use crate::plan::runbook;
use crate::plan::simulate;
use crate::HashSet;

/// The last plan's statements and checkpoints.
#[derive(Default)]
pub struct Resume {
    /// The last plan's statements: the first replayed that it did not
    /// have is where the person changed something, where the next
    /// checkpoints go.
    seen: Vec<Arc<Unit>>,
    /// Their addresses (stable while `seen` holds them), found once per
    /// plan for both replays.
    seen_at: HashSet<*const Unit>,
    /// The simulator's outline catalog, before a statement of the given
    /// order.
    pub outline: Option<simulate::Checkpoint>,
    /// The runbook's replay, before a step.
    pub runbook: Option<runbook::Checkpoint>,
    /// How many statements the last plan's simulation, and how many steps
    /// its runbook, took from their checkpoints.
    #[cfg(test)]
    pub resumed_statements: usize,
    #[cfg(test)]
    pub resumed_steps: usize,
}

impl Resume {
    /// Where a replay of `groups` (steps, or single statements) keeps its
    /// checkpoint: before the first group holding a statement the last
    /// plan did not have; when it had them all, or none, where the replay
    /// resumed (`resumed`) or else before the first group of the last
    /// group's file (on a first plan, the newest migration is the likeliest
    /// to change). Never before where it resumed: it does not pass there.
    pub fn save_point(
        &self,
        loaded: &Loaded,
        groups: &[&[usize]],
        resumed: Option<usize>,
    ) -> usize {
        let is_new = |&unit: &usize| !self.seen_at.contains(&Arc::as_ptr(&loaded.units[unit]));
        let first_new = groups.iter().position(|group| group.iter().any(is_new));
        let all_new = groups.iter().all(|group| group.iter().all(is_new));
        let point = match (first_new, resumed) {
            (Some(group), _) if !all_new => group,
            (_, Some(resumed)) => resumed,
            _ => first_group_of_last_file(loaded, groups),
        };
        point.max(resumed.unwrap_or(0))
    }

    /// Remembers the plan's statements, once its replays have chosen
    /// their checkpoints.
    pub fn remember(&mut self, loaded: &Loaded, units: impl Iterator<Item = usize>) {
        self.seen = units.map(|unit| loaded.units[unit].clone()).collect();
        self.seen_at = self.seen.iter().map(Arc::as_ptr).collect();
    }
}

/// The statements a replay walked, and those it started from: a later
/// replay resumes after them only when it walks the same.
pub struct Prefix {
    /// The environment's and the baseline's statements.
    applied: Vec<Arc<Unit>>,
    /// The groups walked, each as its statements' places and the
    /// statements themselves (held, so that no other statement can take
    /// their place).
    groups: Vec<Vec<(usize, Arc<Unit>)>>,
}

impl Prefix {
    /// The first `groups` of a replay of `loaded` after its first `applied`
    /// statements.
    pub fn new(loaded: &Loaded, applied: usize, groups: &[&[usize]]) -> Self {
        let held = |group: &&[usize]| {
            (group.iter())
                .map(|&unit| (unit, loaded.units[unit].clone()))
                .collect()
        };
        Prefix {
            applied: loaded.units[..applied].to_vec(),
            groups: groups.iter().map(held).collect(),
        }
    }

    /// How many groups it holds.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether a replay of `groups` of `loaded` after its first `applied`
    /// statements begins with this prefix.
    pub fn begins(&self, loaded: &Loaded, applied: usize, groups: &[&[usize]]) -> bool {
        let same = |unit: usize, kept: &Arc<Unit>| {
            (loaded.units.get(unit)).is_some_and(|unit| Arc::ptr_eq(unit, kept))
        };
        self.applied.len() == applied
            && (self.applied.iter().enumerate()).all(|(unit, kept)| same(unit, kept))
            && self.groups.len() <= groups.len()
            && (self.groups.iter().zip(groups)).all(|(walked, group)| {
                walked.len() == group.len()
                    && (walked.iter().zip(group.iter()))
                        .all(|((unit, kept), planned)| unit == planned && same(*unit, kept))
            })
    }
}

/// The first group with a statement of the file the last group's last
/// statement is in.
fn first_group_of_last_file(loaded: &Loaded, groups: &[&[usize]]) -> usize {
    let Some(&last) = groups.iter().rev().find_map(|group| group.last()) else {
        return 0;
    };
    let file = loaded.units[last].file;
    (groups.iter())
        .position(|group| group.iter().any(|&unit| loaded.units[unit].file == file))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use crate::analysis::source::Source;
    use crate::plan::{analyse, analyse_reusing, Options, Reuse};

    const DEFINER: &str = "create function public.wipe() returns void language sql security definer set search_path = '' as $$ select 1 $$;";

    fn files(newest: &str) -> Vec<Source> {
        vec![
            Source::new(
                "001_users.sql",
                "drop table if exists legacy;\ncreate table users (id int primary key);",
            ),
            Source::new("002_wipe.sql", DEFINER),
            Source::new(
                "003_posts.sql",
                "create table posts (id int primary key, author int references users);",
            ),
            Source::new("004_newest.sql", newest),
        ]
    }

    /// Each edit's analysis, reusing the last one's, is the analysis of its
    /// files; returns the statements its simulation and the steps its
    /// runbook took from their checkpoints.
    fn resumed(edits: &[(Vec<Source>, Options)]) -> Vec<(usize, usize)> {
        let mut reuse = Reuse::default();
        (edits.iter())
            .map(|(files, options)| {
                let reused = analyse_reusing(files, &[], options.clone(), &mut reuse);
                assert_eq!(reused, analyse(files, &[], options.clone()));
                (reuse.resume.resumed_statements, reuse.resume.resumed_steps)
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
        // The first plan replays everything. The simulation resumes before
        // the newest file's statement each time after (the catalog does not
        // depend on the rules' settings); the runbook before its step,
        // except with other settings than its checkpoint's, going there and
        // back, and once a second CREATE TABLE users moves the newest file
        // before 003_posts.sql (its third step is no longer the same).
        assert_eq!(steps, [(0, 0), (4, 3), (4, 3), (4, 0), (4, 0), (4, 0)]);
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
        // 001_users.sql has two statements and is the first step.
        assert_eq!(steps, [(0, 0), (0, 0), (0, 0), (2, 1)]);
    }

    #[test]
    fn a_statement_that_asks_what_the_catalog_held_before_the_checkpoint_replays_it_all() {
        // The second CREATE of the serial column's sequence runs after
        // another file's drop of its table, if any: which table owns it,
        // only the catalog of that moment knows.
        let files = |newest: &str| {
            vec![
                Source::new(
                    "001_users.sql",
                    "drop table if exists legacy;\ncreate table users (id serial primary key);",
                ),
                Source::new("002_sequence.sql", "create sequence users_id_seq;"),
                Source::new("003_newest.sql", newest),
            ]
        };
        let plain = Options::default();
        let steps = resumed(&[
            (files("create table notes (id int);"), plain.clone()),
            (files("create table notes (id bigint);"), plain),
        ]);
        assert_eq!(steps, [(0, 0), (0, 2)]);
    }

    #[test]
    fn a_cycle_or_a_drop_that_comes_and_goes_in_the_newest_file_replans_as_from_nothing() {
        let files = |newest: &str| {
            vec![
                Source::new("001_authors.sql", "create table authors (id int primary key);"),
                Source::new(
                    "002_posts.sql",
                    "create table posts (id int primary key, editor int references editors);\nbegin;\ncreate index on posts (editor);\ncommit;",
                ),
                Source::new("003_newest.sql", newest),
            ]
        };
        let plain = Options::default();
        let edits = [
            "drop table if exists legacy;",
            // No drop: the simulation keeps no catalog, nor a checkpoint.
            "create table notes (id int);",
            "drop table if exists legacy;",
            // A foreign key cycle through an earlier file: a CREATE TABLE
            // loses its key to an ALTER TABLE after it.
            "drop table if exists legacy;\ncreate table editors (id int primary key, post int references posts);",
            "drop table if exists legacy;",
        ];
        let steps = resumed(&edits.map(|newest| (files(newest), plain.clone())));
        // The runbook resumes before the newest file's step (its third)
        // whatever the simulation did; the cycle rewrites the CREATE TABLE
        // of 002_posts.sql, which no checkpoint then holds, and the plan
        // after it resumes after the statement before that.
        assert_eq!(steps, [(0, 0), (0, 2), (0, 2), (0, 0), (1, 1)]);
    }
}
