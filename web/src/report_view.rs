//! What Preflight found: syntax errors first, then every statement of every
//! file with its kind, the objects it names and where it is.
use std::rc::Rc;

use preflight_core::plan::Plan;
use preflight_core::report::{FileReport, ParseReport, StatementReport};
use yew::prelude::*;

use crate::plan_view::PlanView;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: Rc<ParseReport>,
    pub plan: Rc<Plan>,
    pub millis: f64,
    /// Opens the named file in the editor.
    pub on_open: Callback<String>,
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let report = &props.report;
    let statements = report
        .files
        .iter()
        .map(|file| file.statements.iter().map(|s| statement_row(file, s)));
    html! {
        <section class="report">
            <p class="summary" data-testid="summary">
                { format!(
                    "{} statements in {} files, {} syntax errors (planned in {:.1} ms)",
                    report.statement_count(),
                    report.files.len(),
                    report.error_count(),
                    props.millis,
                ) }
            </p>
            <PlanView plan={props.plan.clone()} on_open={props.on_open.clone()} />
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
