//! The plan: every problem with its place, then the order to run the files
//! in and why each step is where it is.
use std::rc::Rc;

use preflight_core::diagnostics::{Diagnostic, Severity};
use preflight_core::plan::{Plan, Step};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlanViewProps {
    pub plan: Rc<Plan>,
    /// Opens the named file in the editor.
    pub on_open: Callback<String>,
}

#[function_component(PlanView)]
pub fn plan_view(props: &PlanViewProps) -> Html {
    let plan = &props.plan;
    let problems = plan
        .diagnostics
        .iter()
        .map(|d| problem(d, props.on_open.clone()));
    let steps = plan.steps.iter().map(step);
    html! {
        <>
            if !plan.diagnostics.is_empty() {
                <h2>{ "Problems" }</h2>
                <ul class="problems" data-testid="problems">{ for problems }</ul>
            }
            <h2>{ "Run order" }</h2>
            <ol class="steps" data-testid="steps">{ for steps }</ol>
        </>
    }
}

fn problem(diagnostic: &Diagnostic, on_open: Callback<String>) -> Html {
    let severity = diagnostic.severity.words();
    let file = diagnostic.file.clone();
    html! {
        <li class={classes!("problem", severity)} data-testid="problem">
            <button class="location" onclick={Callback::from(move |_| on_open.emit(file.clone()))}>
                { format!("{}:{}:{}", diagnostic.file, diagnostic.line, diagnostic.column) }
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

fn step(step: &Step) -> Html {
    let source = &step.sources[0];
    let reasons = step
        .reasons
        .iter()
        .map(|reason| html! { <li>{ reason }</li> });
    html! {
        <li class="step" data-testid="step">
            <span class="title">{ &step.title }</span>
            <span class="lines">{ format!(" lines {}-{}", source.start_line, source.end_line) }</span>
            <ul class="reasons">{ for reasons }</ul>
        </li>
    }
}
