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
    for (file, mut file_edits) in edits {
        let Some(source) = sources.iter().find(|s| s.name == file) else {
            continue;
        };
        // From the end, so earlier offsets stay true.
        file_edits.sort_by_key(|edit| std::cmp::Reverse((edit.start, edit.end)));
        let mut text = source.text.clone();
        for edit in file_edits {
            text.replace_range(edit.start..edit.end, &edit.replacement);
        }
        fixed.changed.push(Source::new(file, text));
    }
    fixed
}
