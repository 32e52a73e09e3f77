//! An analysis as the worker sends it: the report's files and the plan's
//! steps that are the same as in its last answer are named by their place
//! there, not sent again. A plan after typing in one file of a large
//! project changes a few of its files and steps, and the whole analysis is
//! megabytes of JSON to write in the worker and read on the page's thread.
//!
//! The page applies every answer in the order they come, stale or not, so
//! that its last analysis is always the worker's; a new worker starts both
//! sides afresh.
use std::collections::HashMap;

use preflight_core::plan::{Analysis, Step};
use preflight_core::report::FileReport;
use serde::{Deserialize, Serialize};

/// A file, a step or the health check: new, or the same as the one at this
/// place in the last answer.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum Part<T> {
    Same(usize),
    New(T),
}

/// What changed since the last answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct Delta<File, Step, Health, Rest> {
    pub files: Vec<Part<File>>,
    pub steps: Vec<Part<Step>>,
    pub health_check_sql: Part<Health>,
    /// The analysis with its files, steps and health check taken out.
    pub rest: Rest,
}

/// A delta as the worker sends it, borrowing from its analysis.
pub type Sent<'a> = Delta<&'a FileReport, &'a Step, &'a Option<String>, &'a Analysis>;

/// A delta as the page reads it.
pub type Received = Delta<FileReport, Step, Option<String>, Analysis>;

/// Gives `send` the delta of `analysis` from `last`, the analysis of the
/// last answer (none for a new worker's first).
pub fn send<R>(
    analysis: &mut Analysis,
    last: Option<&Analysis>,
    send: impl FnOnce(Sent) -> R,
) -> R {
    let files = std::mem::take(&mut analysis.report.files);
    let steps = std::mem::take(&mut analysis.plan.steps);
    let health = analysis.plan.health_check_sql.take();
    let no_files: &[FileReport] = &[];
    let no_steps: &[Step] = &[];
    let sent = send(Delta {
        files: parts(
            &files,
            last.map_or(no_files, |last| &last.report.files),
            |file| &file.file,
        ),
        steps: parts(
            &steps,
            last.map_or(no_steps, |last| &last.plan.steps),
            |step| &step.title,
        ),
        health_check_sql: match last {
            Some(last) if last.plan.health_check_sql == health => Part::Same(0),
            _ => Part::New(&health),
        },
        rest: &*analysis,
    });
    analysis.report.files = files;
    analysis.plan.steps = steps;
    analysis.plan.health_check_sql = health;
    sent
}

/// Each of `new`, or the place of an equal one in `last`, found by its key.
fn parts<'a, T: PartialEq>(new: &'a [T], last: &[T], key: impl Fn(&T) -> &str) -> Vec<Part<&'a T>> {
    let mut places: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, item) in last.iter().enumerate() {
        places.entry(key(item)).or_default().push(at);
    }
    (new.iter())
        .map(|item| {
            let same = (places.get(key(item)).into_iter().flatten()).find(|&&at| last[at] == *item);
            match same {
                Some(&at) => Part::Same(at),
                None => Part::New(item),
            }
        })
        .collect()
}

impl Received {
    /// The analysis, with what it names taken from `last`.
    pub fn apply(self, last: Option<&Analysis>) -> Result<Analysis, String> {
        let mut analysis = self.rest;
        analysis.report.files = resolve(self.files, last.map(|last| &last.report.files[..]))?;
        analysis.plan.steps = resolve(self.steps, last.map(|last| &last.plan.steps[..]))?;
        let health = last.map(|last| std::slice::from_ref(&last.plan.health_check_sql));
        analysis.plan.health_check_sql = (resolve(vec![self.health_check_sql], health)?)
            .pop()
            .flatten();
        Ok(analysis)
    }
}

fn resolve<T: Clone>(parts: Vec<Part<T>>, last: Option<&[T]>) -> Result<Vec<T>, String> {
    (parts.into_iter())
        .map(|part| match part {
            Part::New(item) => Ok(item),
            Part::Same(at) => (last.and_then(|last| last.get(at)).cloned()).ok_or_else(|| {
                format!("the answer names part {at} of an answer the page does not have")
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use preflight_core::analysis::source::Source;
    use preflight_core::plan::{analyse, Options};

    use super::*;

    fn analysis(newest: &str) -> Analysis {
        let files = [
            Source::new("001_users.sql", "create table public.users (id bigint primary key);"),
            Source::new(
                "002_posts.sql",
                "create table public.posts (id bigint primary key, author bigint references public.users);",
            ),
            Source::new("003_newest.sql", newest),
        ];
        analyse(&files, &[], Options::default())
    }

    fn json(analysis: &Analysis, last: Option<&Analysis>) -> String {
        send(&mut analysis.clone(), last, |delta| {
            serde_json::to_string(&delta).unwrap()
        })
    }

    fn same(parts: &[Part<impl Sized>]) -> usize {
        parts
            .iter()
            .filter(|part| matches!(part, Part::Same(_)))
            .count()
    }

    #[test]
    fn an_answer_sends_only_what_changed_and_the_page_gets_the_whole_analysis() {
        // A new worker's first answer sends everything.
        let first = analysis("create index posts_author on public.posts (author);");
        let whole = json(&first, None);
        let delta: Received = serde_json::from_str(&whole).unwrap();
        assert_eq!((same(&delta.files), same(&delta.steps)), (0, 0));
        assert_eq!(delta.apply(None).unwrap(), first);

        // Typing in the newest file: the first two files and steps are named.
        let edited = analysis("create index posts_author_id on public.posts (author, id);");
        let changed = json(&edited, Some(&first));
        let delta: Received = serde_json::from_str(&changed).unwrap();
        assert_eq!((same(&delta.files), delta.files.len()), (2, 3));
        assert_eq!((same(&delta.steps), delta.steps.len()), (2, 3));
        assert_eq!(
            delta.health_check_sql,
            Part::New(edited.plan.health_check_sql.clone())
        );
        assert_eq!(delta.apply(Some(&first)).unwrap(), edited);
        // The unchanged files' statements are not sent again.
        let unchanged = "create table public.users (id bigint primary key)";
        assert!(whole.contains(unchanged) && !changed.contains(unchanged));

        // The same analysis again names every part.
        let again = json(&edited, Some(&edited));
        let delta: Received = serde_json::from_str(&again).unwrap();
        assert_eq!(delta.health_check_sql, Part::Same(0));
        assert_eq!(delta.apply(Some(&edited)).unwrap(), edited);
        assert!(
            again.len() * 4 < whole.len(),
            "{} of {} bytes",
            again.len(),
            whole.len()
        );
    }

    #[test]
    fn an_answer_that_names_what_the_page_does_not_have_is_refused() {
        let first = analysis("select 1;");
        let delta: Received = serde_json::from_str(&json(&first, Some(&first))).unwrap();
        assert_eq!(
            delta.apply(None).unwrap_err(),
            "the answer names part 0 of an answer the page does not have"
        );
    }
}
