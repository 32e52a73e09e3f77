//! Every problem the plan found, grouped by severity and code, with a
//! filter; each place opens its file with the caret on it.
use std::collections::BTreeSet;

use preflight_core::diagnostics::{Diagnostic, Edit, Fix, Severity};
use preflight_core::lint::{self, fix::preview, Config, Level};
use preflight_core::plan::Analysis;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::drawn_once::use_drawn_once;
use crate::list_keys::unique_keys;
use crate::prose::with_code;
use crate::sql_block::use_opened;
use crate::workspace::{Change, File, LintChange};
use crate::Shared;
use preflight_core::words::counted;

/// A place to open: file, line, column.
pub type Place = (String, u32, u32);

/// What a fix needs besides its edits, given to the fixes through a
/// context: typing turns `stale` on and a new plan brings new `files`, and
/// neither should redraw every problem.
#[derive(Clone, PartialEq)]
pub struct FixContext {
    /// The files the plan was made from, which fixes edit.
    pub files: Shared<Vec<File>>,
    /// The plan shown is not of the files' current text: a fix, which
    /// writes the text its plan was made from with its edits, would undo
    /// what was typed since, so fixes wait for a plan of the current text.
    pub stale: bool,
}

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub analysis: Shared<Analysis>,
    pub on_jump: Callback<Place>,
    pub on_change: Callback<Change>,
    /// The lint settings: each rule's level is chosen here.
    pub lint: Config,
}

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    let filter = use_state(String::new);
    let hidden = use_state(BTreeSet::<Severity>::new);
    let diagnostics = &props.analysis.plan.diagnostics;
    let turned_off: Vec<&String> = (props.lint.rules.iter())
        .filter(|(_, level)| **level == Level::Off)
        .map(|(name, _)| name)
        .collect();
    if diagnostics.is_empty() && turned_off.is_empty() {
        return html! {};
    }
    let wanted = filter.to_lowercase();
    let shown: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| !hidden.contains(&d.severity))
        .filter(|d| {
            wanted.is_empty()
                || [&d.message, &d.file, &d.code, &d.help]
                    .iter()
                    .any(|text| text.to_lowercase().contains(&wanted))
        })
        .collect();
    // Diagnostics come sorted by severity: group runs of one severity and code.
    let mut groups: Vec<(Severity, String, Vec<&Diagnostic>)> = Vec::new();
    for diagnostic in shown {
        let code = match &diagnostic.rule {
            Some(rule) => format!("{} {rule}", diagnostic.code),
            None => diagnostic.code.clone(),
        };
        match groups
            .iter_mut()
            .find(|(s, c, _)| *s == diagnostic.severity && *c == code)
        {
            Some((_, _, members)) => members.push(diagnostic),
            None => groups.push((diagnostic.severity, code, vec![diagnostic])),
        }
    }
    let toggles = SEVERITIES.iter().map(|&severity| {
        let count = diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count();
        let shown = !hidden.contains(&severity);
        let hidden = hidden.clone();
        let onchange = Callback::from(move |event: Event| {
            let mut next = (*hidden).clone();
            match event.target_unchecked_into::<HtmlInputElement>().checked() {
                true => next.remove(&severity),
                false => next.insert(severity),
            };
            hidden.set(next);
        });
        html! {
            <label class={classes!("severity-toggle", severity.words())}>
                <input type="checkbox" checked={shown} {onchange}
                    data-testid={format!("show-{}", severity.words())} />
                { format!(" {}", counted(count, severity.words())) }
            </label>
        }
    });
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            filter.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let groups = groups.into_iter().map(|(severity, code, members)| {
        let rule = members[0].rule.as_deref().and_then(lint::rule);
        // A problem's place and message name it.
        let keys = unique_keys(members.iter().map(|d| {
            format!("{}:{}:{} {}", d.file, d.line, d.column, d.message)
        }));
        let items = members.into_iter().zip(keys).map(|(diagnostic, key)| {
            html! {
                <Problem {key} diagnostic={diagnostic.clone()} on_jump={props.on_jump.clone()} on_change={props.on_change.clone()} />
            }
        });
        html! {
            <details key={format!("{} {code}", severity.words())} class={classes!("problem-group", severity.words())} open=true data-testid="problem-group">
                <summary>{ format!("{} {} ({})", severity.words(), code, items.len()) }</summary>
                if let Some(rule) = rule {
                    { level_choice(rule, props) }
                }
                <ul class="problems">{ for items }</ul>
            </details>
        }
    });
    html! {
        <section class="problems-section" aria-label="Problems">
            <h2>{ "Problems" }</h2>
            <div class="problem-filters">
                { for toggles }
                <input type="search" placeholder="Filter problems" aria-label="Filter problems"
                    data-testid="problem-filter" value={(*filter).clone()} oninput={on_filter} />
            </div>
            <div data-testid="problems">{ for groups }</div>
            if !turned_off.is_empty() {
                <p class="rules-off" data-testid="rules-off">
                    { "Rules turned off: " }
                    { for turned_off.into_iter().map(|name| {
                        let onclick = turn_on(props, name);
                        html! {
                            <button data-testid="turn-on" title="Report its findings again" {onclick}>{ format!("{name} ✕") }</button>
                        }
                    }) }
                </p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ProblemProps {
    /// Compared by value: a new plan redraws only the problems it changed.
    diagnostic: Diagnostic,
    on_jump: Callback<Place>,
    on_change: Callback<Change>,
}

#[function_component(Problem)]
fn problem(props: &ProblemProps) -> Html {
    let (diagnostic, on_jump) = (&props.diagnostic, &props.on_jump);
    let severity = diagnostic.severity.words();
    let node = use_node_ref();
    use_drawn_once(node.clone());
    let place = |file: &str, line: u32, column: u32| {
        let target = (file.to_string(), line, column);
        let onclick = on_jump.reform(move |_| target.clone());
        html! {
            <button class="location" data-testid="problem-location" {onclick}>
                { format!("{file}:{line}:{column}") }
            </button>
        }
    };
    let related = diagnostic.related.iter().map(|related| {
        html! {
            <li>{ place(&related.file, related.line, related.column) }{ " " }{ &related.note }</li>
        }
    });
    html! {
        <li ref={node} class={classes!("problem", severity)} data-testid="problem">
            { place(&diagnostic.file, diagnostic.line, diagnostic.column) }
            <span class="message">
                <span class="code">{ format!("{} {} ", severity, diagnostic.code) }</span>
                { with_code(&diagnostic.message) }
            </span>
            <span class="help">{ "help: " }{ with_code(&diagnostic.help) }</span>
            if !diagnostic.related.is_empty() {
                <ul class="related">{ for related }</ul>
            }
            if let Some(fix) = &diagnostic.fix {
                <FixView fix={fix.clone()} on_change={props.on_change.clone()} />
            }
            if let Some(rule) = diagnostic.rule.as_deref().and_then(lint::rule) {
                <RuleDocs name={rule.name} />
            }
        </li>
    }
}

/// Chooses how loud a rule is: its default, off, or a severity.
fn level_choice(rule: &lint::Rule, props: &ProblemsProps) -> Html {
    let current = props.lint.rules.get(rule.name).copied();
    let onchange = {
        let (on_change, name) = (props.on_change.clone(), rule.name);
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            let level = serde_json::from_value::<Level>(serde_json::Value::String(value)).ok();
            on_change.emit(rule_level(name, level));
        })
    };
    let option = |value: &str, words: String, level: Option<Level>| {
        html! { <option value={value.to_string()} selected={current == level}>{ words }</option> }
    };
    html! {
        <label class="rule-level">
            { format!("{} findings: ", rule.name) }
            <select data-testid="rule-level" {onchange}>
                { option("default", format!("as by default ({})", rule.severity.words()), None) }
                { option("error", "errors".into(), Some(Level::Error)) }
                { option("warning", "warnings".into(), Some(Level::Warning)) }
                { option("info", "information".into(), Some(Level::Info)) }
                { option("off", "off".into(), Some(Level::Off)) }
            </select>
        </label>
    }
}

/// Turns a rule back on, at its default level.
fn turn_on(props: &ProblemsProps, name: &str) -> Callback<MouseEvent> {
    let name = name.to_string();
    props.on_change.reform(move |_| rule_level(&name, None))
}

/// The rule at `level` (`None`: its default).
fn rule_level(rule: &str, level: Option<Level>) -> Change {
    Change::Lint(LintChange::RuleLevel {
        rule: rule.to_string(),
        level,
    })
}

#[derive(Properties, PartialEq)]
struct RuleDocsProps {
    /// The rule's name (rules are static: the name finds it).
    name: &'static str,
}

/// What the rule checks and why, with its examples: drawn only once
/// opened, as every finding of a rule carries them.
#[function_component(RuleDocs)]
fn rule_docs(props: &RuleDocsProps) -> Html {
    let (open, ontoggle) = use_opened();
    let Some(rule) = lint::rule(props.name) else {
        return Html::default();
    };
    html! {
        <details class="rule-docs" data-testid="rule-docs" {ontoggle}>
            <summary>{ format!("About {}", rule.name) }</summary>
            if open {
                <p>{ format!("Flags {}.", rule.flags) }</p>
                <p>{ with_code(rule.why) }</p>
                if !rule.also_in.is_empty() {
                    <p>{ format!("Also checked by {}.", rule.also_in) }</p>
                }
                <p>{ "Flagged:" }</p>
                <pre>{ rule.fails }</pre>
                <p>{ "Not flagged:" }</p>
                <pre>{ rule.passes }</pre>
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct FixProps {
    fix: Fix,
    on_change: Callback<Change>,
}

/// The fix: its lines before and after, and a button that edits the file.
/// Worked out only when opened: a plan may offer hundreds.
#[function_component(FixView)]
fn fix_view(props: &FixProps) -> Html {
    let (open, ontoggle) = use_opened();
    let context = use_context::<FixContext>();
    let FixContext { files, stale } = context.unwrap_or(FixContext {
        files: Shared::default(),
        stale: true,
    });
    let fix = &props.fix;
    let summary = html! {
        <summary>{ format!("Fix ({}): {}", fix.applicability.words(), fix.title) }</summary>
    };
    if !open {
        return html! { <details class="fix" data-testid="fix" {ontoggle}>{ summary }</details> };
    }
    let edited = edits_by_file(fix, &files);
    let shown = edited.iter().filter_map(|(file, edits)| {
        let preview = preview(&file.text, edits)?;
        let lines = (preview.before.iter().map(|line| format!("- {line}")))
            .chain(preview.after.iter().map(|line| format!("+ {line}")))
            .collect::<Vec<_>>()
            .join("\n");
        Some(html! {
            <>
                <p class="fix-place">{ format!("{}, line {}:", file.name, preview.line) }</p>
                <pre class="diff" data-testid="fix-preview">{ lines }</pre>
            </>
        })
    });
    let onclick = {
        let (fix, files, on_change) = (fix.clone(), files.clone(), props.on_change.clone());
        Callback::from(move |_| {
            for (file, edits) in edits_by_file(&fix, &files) {
                let text = lint::fix::edited(&file.text, &edits);
                on_change.emit(Change::Edit { id: file.id, text });
            }
        })
    };
    html! {
        <details class="fix" data-testid="fix" open=true {ontoggle}>
            { summary }
            { for shown }
            <button data-testid="apply-fix" disabled={stale} {onclick}
                title={if stale { "Waiting for a plan of the current text" } else { "Edits the file in your workspace" }}>
                { "Apply fix" }
            </button>
        </details>
    }
}

/// Each workspace file the fix edits, with its edits; none when a file is
/// no longer there.
fn edits_by_file<'a>(fix: &'a Fix, files: &'a [File]) -> Vec<(&'a File, Vec<&'a Edit>)> {
    let mut edited: Vec<(&File, Vec<&Edit>)> = Vec::new();
    for edit in &fix.edits {
        let Some(file) = files.iter().find(|file| file.name == edit.file) else {
            return Vec::new();
        };
        match edited.iter_mut().find(|(f, _)| f.id == file.id) {
            Some((_, edits)) => edits.push(edit),
            None => edited.push((file, vec![edit])),
        }
    }
    edited
}
