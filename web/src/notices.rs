//! Messages about what just happened: files taken and left out (and why),
//! names changed, storage problems. Each can be dismissed.
use std::collections::BTreeMap;

use preflight_core::intake::Skip;
use yew::prelude::*;

use crate::intake::Intake;

/// At most this many lines of detail; the rest are counted.
const MAX_LINES: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub level: Level,
    pub title: String,
    pub lines: Vec<String>,
}

impl Notice {
    pub fn info(title: &str, lines: Vec<String>) -> Self {
        Self::new(Level::Info, title, lines)
    }

    pub fn warning(title: &str, lines: Vec<String>) -> Self {
        Self::new(Level::Warning, title, lines)
    }

    pub fn error(title: &str, lines: Vec<String>) -> Self {
        Self::new(Level::Error, title, lines)
    }

    fn new(level: Level, title: &str, lines: Vec<String>) -> Self {
        Self {
            level,
            title: title.to_string(),
            lines,
        }
    }

    /// What was taken, what was read specially, and what was left out:
    /// whole skipped folders once, other files one by one.
    pub fn of_intake(intake: &Intake) -> Self {
        let mut lines = Vec::new();
        for file in &intake.files {
            if let Some(note) = &file.note {
                lines.push(format!("{}: {note}", file.name));
            }
            if file.role == crate::workspace::Role::Baseline {
                lines.push(format!(
                    "{}: a pg_dump, so marked as baseline (already applied); change it in the file list",
                    file.name
                ));
            }
        }
        let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
        for (path, why) in &intake.skipped {
            match why {
                Skip::Folder(folder) => *folders.entry(folder).or_default() += 1,
                _ => lines.push(format!("skipped {path}: {why}")),
            }
        }
        for folder in folders.keys() {
            lines.push(format!("skipped {folder}/: {}", folder_reason(folder)));
        }
        let taken = intake.files.len();
        let skipped = intake.skipped.len();
        let title = match (taken, skipped) {
            (0, 0) => "Nothing to add: no files were given".to_string(),
            (0, _) => format!("No SQL or Markdown files were added ({skipped} skipped)"),
            (_, 0) => format!("Added {}", files(taken)),
            _ => format!("Added {}, skipped {skipped}", files(taken)),
        };
        let level = if taken == 0 {
            Level::Warning
        } else {
            Level::Info
        };
        Self::new(level, &title, lines)
    }
}

fn files(count: usize) -> String {
    match count {
        1 => "1 file".into(),
        _ => format!("{count} files"),
    }
}

fn folder_reason(folder: &str) -> &'static str {
    match folder.rsplit('/').next().unwrap_or(folder) {
        "node_modules" => "installed dependencies",
        ".git" => "version control data",
        _ => "a hidden folder",
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    pub on_dismiss: Callback<usize>,
}

#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    let items = props.notices.iter().enumerate().map(|(index, notice)| {
        let level = match notice.level {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        let shown = notice.lines.iter().take(MAX_LINES).map(|line| html! { <li>{ line }</li> });
        let more = notice.lines.len().saturating_sub(MAX_LINES);
        let on_dismiss = props.on_dismiss.reform(move |_| index);
        html! {
            <li class={classes!("notice", level)} data-testid="notice" role={(notice.level == Level::Error).then_some("alert")}>
                <span class="notice-title">{ &notice.title }</span>
                <button class="dismiss" aria-label="Dismiss" onclick={on_dismiss}>{ "×" }</button>
                if !notice.lines.is_empty() {
                    <ul>
                        { for shown }
                        if more > 0 { <li>{ format!("and {more} more") }</li> }
                    </ul>
                }
            </li>
        }
    });
    html! { <ul class="notices" aria-live="polite">{ for items }</ul> }
}
