//! Applies the fixes of lint findings to the sources they point into.
use std::collections::BTreeMap;

use crate::analysis::source::Source;
use crate::diagnostics::{Applicability, Diagnostic, Edit};

/// The sources after the fixes, and what was done.
#[derive(Debug, Default)]
pub struct Fixed {
    /// Every source a fix changed, with its new text.
    pub changed: Vec<Source>,
    /// `file:line: title` of each fix applied.
    pub applied: Vec<String>,
    /// Fixes left out: unsafe ones (without `unsafe_too`), and those whose
    /// edits overlap one applied already (run again to apply them).
    pub left_out: Vec<String>,
}

/// Applies the fixes of `diagnostics` to `sources`: the safe ones, and the
/// unsafe ones too with `unsafe_too`. A fix is applied whole or not at all.
pub fn apply(sources: &[Source], diagnostics: &[Diagnostic], unsafe_too: bool) -> Fixed {
    let mut fixed = Fixed::default();
    let mut edits: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for diagnostic in diagnostics {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        let what = format!("{}:{}: {}", diagnostic.file, diagnostic.line, fix.title);
        if fix.applicability == Applicability::Unsafe && !unsafe_too {
            fixed
                .left_out
                .push(format!("{what} (unsafe: --unsafe applies it)"));
            continue;
        }
        let overlaps = fix.edits.iter().any(|edit| {
            (edits.get(edit.file.as_str()).into_iter().flatten()).any(|taken| {
                edit.start < taken.end.max(taken.start + 1)
                    && taken.start < edit.end.max(edit.start + 1)
            })
        });
        if overlaps {
            fixed
                .left_out
                .push(format!("{what} (overlaps another fix: run again)"));
            continue;
        }
        for edit in &fix.edits {
            edits.entry(&edit.file).or_default().push(edit);
        }
        fixed.applied.push(what);
    }
    for (file, file_edits) in edits {
        if let Some(source) = sources.iter().find(|s| s.name == file) {
            fixed
                .changed
                .push(Source::new(file, edited(&source.text, &file_edits)));
        }
    }
    fixed
}

/// `text` with `edits` made, from the end so that earlier offsets stay
/// true; an edit that does not fit the text (it changed since) is left out.
pub fn edited(text: &str, edits: &[&Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|edit| std::cmp::Reverse((edit.start, edit.end)));
    let mut text = text.to_string();
    for edit in edits {
        let fits = edit.start <= edit.end
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.end);
        if fits {
            text.replace_range(edit.start..edit.end, &edit.replacement);
        }
    }
    text
}

/// The lines of a file a fix changes, before and after: what the page
/// shows before the person applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The first changed line's number (from 1).
    pub line: usize,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

pub fn preview(text: &str, edits: &[&Edit]) -> Option<Preview> {
    let start = edits.iter().map(|edit| edit.start).min()?;
    let end = edits.iter().map(|edit| edit.end).max()?;
    let grown: isize = (edits.iter())
        .map(|edit| edit.replacement.len() as isize - (edit.end - edit.start) as isize)
        .sum();
    let after_text = edited(text, edits);
    let lines = |text: &str, from: usize, to: usize| -> Vec<String> {
        let first = text[..from.min(text.len())]
            .rfind('\n')
            .map_or(0, |at| at + 1);
        let last = text[to.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |at| to + at);
        text[first..last].lines().map(str::to_string).collect()
    };
    Some(Preview {
        line: text[..start.min(text.len())].matches('\n').count() + 1,
        before: lines(text, start, end),
        after: lines(
            &after_text,
            start,
            (end as isize + grown).max(start as isize) as usize,
        ),
    })
}
