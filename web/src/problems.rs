//! Every problem the plan found, grouped by severity and code, with a
//! filter; each place opens its file with the caret on it.
use std::collections::BTreeSet;

use preflight_core::diagnostics::{Diagnostic, Severity};
use preflight_core::plan::Analysis;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::Shared;

/// A place to open: file, line, column.
pub type Place = (String, u32, u32);

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub analysis: Shared<Analysis>,
    pub on_jump: Callback<Place>,
}

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    let filter = use_state(String::new);
    let hidden = use_state(BTreeSet::<Severity>::new);
    let diagnostics = &props.analysis.plan.diagnostics;
    if diagnostics.is_empty() {
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
    let mut groups: Vec<(Severity, &str, Vec<&Diagnostic>)> = Vec::new();
    for diagnostic in shown {
        match groups
            .iter_mut()
            .find(|(s, c, _)| *s == diagnostic.severity && *c == diagnostic.code)
        {
            Some((_, _, members)) => members.push(diagnostic),
            None => groups.push((diagnostic.severity, &diagnostic.code, vec![diagnostic])),
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
                { format!(" {} {}", count, plural(severity.words(), count)) }
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
        let items = members.into_iter().map(|d| problem(d, &props.on_jump));
        html! {
            <details class={classes!("problem-group", severity.words())} open=true data-testid="problem-group">
                <summary>{ format!("{} {} ({})", severity.words(), code, items.len()) }</summary>
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
        </section>
    }
}

fn plural(word: &str, count: usize) -> String {
    match (word, count) {
        ("info", _) => "info".into(),
        (word, 1) => word.into(),
        (word, _) => format!("{word}s"),
    }
}

fn problem(diagnostic: &Diagnostic, on_jump: &Callback<Place>) -> Html {
    let severity = diagnostic.severity.words();
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
        <li class={classes!("problem", severity)} data-testid="problem">
            { place(&diagnostic.file, diagnostic.line, diagnostic.column) }
            <span class="message">
                <span class="code">{ format!("{} {} ", severity, diagnostic.code) }</span>
                { &diagnostic.message }
            </span>
            <span class="help">{ format!("help: {}", diagnostic.help) }</span>
            if !diagnostic.related.is_empty() {
                <ul class="related">{ for related }</ul>
            }
        </li>
    }
}
