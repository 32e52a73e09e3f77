//! What Preflight found: syntax errors first, then every statement of every
//! file with its kind, the objects it names and where it is.
use std::rc::Rc;

use preflight_core::report::{ErrorReport, FileReport, ParseReport, StatementReport};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: Rc<ParseReport>,
    pub millis: f64,
    /// Opens the file with the given index in the editor.
    pub on_open: Callback<usize>,
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let report = &props.report;
    let errors = report.files.iter().enumerate().flat_map(|(index, file)| {
        file.errors
            .iter()
            .map(move |error| problem(index, file, error, props.on_open.clone()))
    });
    let statements = report
        .files
        .iter()
        .map(|file| file.statements.iter().map(|s| statement_row(file, s)));
    html! {
        <section class="report">
            <p class="summary" data-testid="summary">
                { format!(
                    "{} statements in {} files, {} syntax errors (parsed in {:.1} ms)",
                    report.statement_count(),
                    report.files.len(),
                    report.error_count(),
                    props.millis,
                ) }
            </p>
            if report.error_count() > 0 {
                <h2>{ "Problems" }</h2>
                <ul class="problems" data-testid="problems">{ for errors }</ul>
            }
            <h2>{ "Statements" }</h2>
            <table class="statements" data-testid="statements">
                <thead>
                    <tr><th>{ "Where" }</th><th>{ "Kind" }</th><th>{ "Objects" }</th></tr>
                </thead>
                <tbody>{ for statements.flatten() }</tbody>
            </table>
        </section>
    }
}

fn problem(index: usize, file: &FileReport, error: &ErrorReport, on_open: Callback<usize>) -> Html {
    html! {
        <li class="problem error" data-testid="problem">
            <button class="location" onclick={Callback::from(move |_| on_open.emit(index))}>
                { format!("{}:{}:{}", file.file, error.line, error.column) }
            </button>
            <span class="message">{ &error.message }</span>
            <span class="help">{ &error.help }</span>
        </li>
    }
}

fn statement_row(file: &FileReport, statement: &StatementReport) -> Html {
    let objects = statement.objects.iter().map(|fact| {
        html! {
            <li class={classes!("object", format!("{:?}", fact.action).to_lowercase())}>
                <span class="action">{ fact.action.to_string() }</span>
                { " " }
                <code>{ fact.object.to_string() }</code>
            </li>
        }
    });
    html! {
        <tr data-testid="statement" title={statement.sql.clone()}>
            <td class="location">{ format!("{}:{}", file.file, statement.line) }</td>
            <td class="kind">{ &statement.kind }</td>
            <td><ul class="objects">{ for objects }</ul></td>
        </tr>
    }
}
