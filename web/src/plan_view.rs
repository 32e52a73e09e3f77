//! The plan: every problem with its place, then the runbook: the order to
//! run the files in, why each step is where it is, its SQL, how to check it,
//! how to undo it and its risks; the exports.
use preflight_core::diagnostics::{Diagnostic, Severity};
use preflight_core::plan::{Analysis, Step};
use yew::prelude::*;

use crate::exports::Exports;
use crate::Shared;

#[derive(Properties, PartialEq)]
pub struct PlanViewProps {
    pub plan: Shared<Analysis>,
    /// Opens the named file in the editor.
    pub on_open: Callback<String>,
}

#[function_component(PlanView)]
pub fn plan_view(props: &PlanViewProps) -> Html {
    let plan = &props.plan.plan;
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
            <h2>{ "Runbook" }</h2>
            <Exports analysis={props.plan.clone()} />
            <ol class="steps" data-testid="steps">{ for steps }</ol>
            if let Some(health) = &plan.health_check_sql {
                <details class="health" data-testid="health-check">
                    <summary>{ "Health check: after the last step, every row says pass" }</summary>
                    <pre><code>{ health }</code></pre>
                </details>
            }
        </>
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

fn step(step: &Step) -> Html {
    let source = &step.sources[0];
    let reasons = step
        .reasons
        .iter()
        .map(|reason| html! { <li>{ reason }</li> });
    let risks = step
        .risks
        .iter()
        .map(|risk| html! { <li class="risk">{ risk }</li> });
    let transaction = match step.transactional {
        true => "in one transaction",
        false => "not in a transaction",
    };
    let rollback = match (&step.rollback_sql, &step.rollback_note) {
        (Some(sql), _) if !sql.is_empty() => sql_block("Rollback", sql),
        (_, Some(note)) => {
            html! { <p class="irreversible" data-testid="irreversible">{ note }</p> }
        }
        _ => html! { <p class="rollback">{ "Rollback: nothing to undo." }</p> },
    };
    html! {
        <li class="step" data-testid="step">
            <span class="title">{ &step.title }</span>
            <span class="lines">{ format!(" lines {}-{}, {transaction}", source.start_line, source.end_line) }</span>
            <ul class="reasons">{ for reasons }</ul>
            <ul class="risks">{ for risks }</ul>
            { sql_block("SQL", &step.runnable_sql()) }
            if let Some(verify) = &step.verify_sql {
                { sql_block("Verify (every row says pass)", verify) }
            }
            { rollback }
        </li>
    }
}

fn sql_block(label: &str, sql: &str) -> Html {
    html! { <SqlBlock label={label.to_string()} sql={sql.to_string()} /> }
}

#[derive(Properties, PartialEq)]
struct SqlBlockProps {
    label: String,
    sql: String,
}

/// A folded block of SQL; drawn only once opened, so a long plan arrives
/// without holding up the page.
#[function_component(SqlBlock)]
fn sql_block_view(props: &SqlBlockProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            open.set(
                event
                    .target_unchecked_into::<web_sys::HtmlDetailsElement>()
                    .open(),
            );
        })
    };
    let label = &props.label;
    html! {
        <details class="sql" data-testid={label.split_whitespace().next().unwrap_or(label).to_lowercase()} {ontoggle}>
            <summary>{ label }</summary>
            if *open {
                <pre><code>{ &props.sql }</code></pre>
            }
        </details>
    }
}
