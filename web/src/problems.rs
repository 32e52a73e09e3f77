//! Every problem the plan found, with its place (a click opens the file).
use preflight_core::diagnostics::{Diagnostic, Severity};
use preflight_core::plan::Analysis;
use yew::prelude::*;

use crate::Shared;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub analysis: Shared<Analysis>,
    /// Opens the named file in the editor.
    pub on_open: Callback<String>,
}

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    let plan = &props.analysis.plan;
    let problems = plan
        .diagnostics
        .iter()
        .map(|d| problem(d, props.on_open.clone()));
    html! {
        if !plan.diagnostics.is_empty() {
            <h2>{ "Problems" }</h2>
            <ul class="problems" data-testid="problems">{ for problems }</ul>
        }
    }
}

fn problem(diagnostic: &Diagnostic, on_open: Callback<String>) -> Html {
    let severity = diagnostic.severity.words();
    let file = diagnostic.file.clone();
    html! {
        <li class={classes!("problem", severity)} data-testid="problem">
            <button class="location" onclick={Callback::from(move |_| on_open.emit(file.clone()))}>
                { diagnostic.location() }
            </button>
            <span class="message">
                <span class="code">{ format!("{} {} ", severity, diagnostic.code) }</span>
                { &diagnostic.message }
            </span>
            if diagnostic.severity != Severity::Info {
                <span class="help">{ &diagnostic.help }</span>
            }
        </li>
    }
}
