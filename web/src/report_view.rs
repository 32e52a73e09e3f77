//! What Preflight found: a summary (and whether a newer plan is on its
//! way), the plan, then every statement of the open file with its kind,
//! the objects it names and where it is.
use preflight_core::plan::{Analysis, PlannedBlock};
use preflight_core::report::{FileReport, StatementReport};
use yew::prelude::*;

use crate::app::Planning;
use crate::blocks_view::BlocksView;
use crate::compare_view::{CompareView, Sides};
use crate::copy_button::CopyButton;
use crate::graph_view::GraphView;
use crate::object_view::ObjectView;
use crate::problems::{FixContext, Place, Problems};
use crate::runbook::Runbook;
use crate::workspace::{Change, Progress};
use crate::Shared;
use preflight_core::lint::Config;
use preflight_core::words::counted;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub planning: Planning,
    /// The name of the file in the editor.
    pub open_file: Option<String>,
    pub progress: Progress,
    pub on_change: Callback<Change>,
    /// Opens a file with the caret at a line and column.
    pub on_jump: Callback<Place>,
    /// The step picked in the graph.
    pub selected: Option<usize>,
    pub on_select: Callback<(usize, Place)>,
    /// The workspace's file names, for the schema audit's sides and the
    /// error report.
    pub names: Vec<String>,
    /// The plan shown is not of the files' current text: a newer plan is
    /// on its way, or planning the current text failed.
    pub stale: bool,
    /// The lint settings, which the problems panel changes.
    pub lint: Config,
    pub on_compare: Callback<Sides>,
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let planning = &props.planning;
    let summary = planning.analysis.as_ref().map(|analysis| {
        let report = &analysis.report;
        format!(
            "{} in {}, {} (planned in {:.1} ms)",
            counted(report.statement_count(), "statement"),
            counted(report.files.len(), "file"),
            counted(report.error_count(), "syntax error"),
            planning.millis,
        )
    });
    html! {
        <section class="report" aria-busy={planning.busy.to_string()}>
            <p class="summary-line">
                <span data-testid="summary">{ summary.unwrap_or_else(|| "Planning…".into()) }</span>
                if planning.busy {
                    <span class="planning" data-testid="planning">{ " planning…" }</span>
                }
            </p>
            if let Some(failure) = &planning.failure {
                <div class="failure" role="alert" data-testid="planning-failed">
                    <p>
                        { format!("Preflight hit an internal error while planning these files: {failure}. Your files are kept; the plan shown is the last one that worked. Edit or remove the file that causes it, and please report it: the report below names your files but holds none of their SQL, and nothing is sent anywhere.") }
                    </p>
                    <CopyButton label="Copy error report" text={error_report(failure, &props.names)} testid="copy-error-report" />
                </div>
            }
            if let Some(analysis) = &planning.analysis {
                if let Some(graph) = &planning.graph {
                    <GraphView graph={graph.clone()} layout_millis={planning.layout_millis} rollback_scripts={analysis.plan.rollback_scripts.clone()} selected={props.selected} on_select={props.on_select.clone()} />
                }
                <ObjectView analysis={analysis.clone()} on_jump={props.on_jump.clone()} />
                <ContextProvider<FixContext> context={FixContext { files: planning.files.clone(), stale: props.stale }}>
                    <Problems analysis={analysis.clone()} on_jump={props.on_jump.clone()}
                        on_change={props.on_change.clone()} lint={props.lint.clone()} />
                </ContextProvider<FixContext>>
                <Runbook analysis={analysis.clone()} progress={props.progress.clone()} on_change={props.on_change.clone()} selected={props.selected}
                    files={planning.files.clone()} />
            }
            <CompareView files={props.names.clone()} audit={planning.audit.clone()} comparing={planning.comparing}
                on_compare={props.on_compare.clone()} on_jump={props.on_jump.clone()} />
            if let (Some(file), Some(analysis)) = (&props.open_file, &planning.analysis) {
                if let Some(blocks) = blocks_of(props, file) {
                    { blocks }
                }
                <Statements key={file.clone()} analysis={analysis.clone()} file={file.clone()} />
            }
        </section>
    }
}

/// The blocks of the open file, when it is a Markdown runbook.
fn blocks_of(props: &ReportViewProps, name: &str) -> Option<Html> {
    let analysis = props.planning.analysis.as_ref()?;
    let file = (props.planning.files.iter()).find(|file| file.name == name)?;
    let blocks: Vec<PlannedBlock> = (analysis.plan.blocks.iter())
        .filter(|block| block.file == name)
        .cloned()
        .collect();
    (!blocks.is_empty()).then(|| {
        html! { <BlocksView id={file.id} name={file.name.clone()} {blocks} on_change={props.on_change.clone()} /> }
    })
}

#[derive(Properties, PartialEq)]
struct StatementsProps {
    analysis: Shared<Analysis>,
    file: String,
}

/// How many statements of a file are drawn until the person asks for all:
/// a dump's thousand rows would be drawn again with every plan.
const STATEMENTS_SHOWN: usize = 200;

/// Every statement of one file as the plan read it: drawn again only when
/// a new plan arrives or another file is opened.
#[function_component(Statements)]
fn statements(props: &StatementsProps) -> Html {
    let all = use_state(|| false);
    let report = &props.analysis.report;
    let Some(file) = report.files.iter().find(|report| report.file == props.file) else {
        return Html::default();
    };
    let shown = match *all {
        true => file.statements.len(),
        false => file.statements.len().min(STATEMENTS_SHOWN),
    };
    let more = file.statements.len() - shown;
    let show_all = Callback::from(move |_| all.set(true));
    html! {
        <>
            <h2>{ format!("Statements in {}", file.file) }</h2>
            <table class="statements" data-testid="statements">
                <thead>
                    <tr><th>{ "Where" }</th><th>{ "Kind" }</th><th>{ "Objects" }</th></tr>
                </thead>
                <tbody>{ for file.statements[..shown].iter().map(|s| statement_row(file, s)) }</tbody>
            </table>
            if more > 0 {
                <button class="show-all" data-testid="show-all-statements" onclick={show_all}>
                    { format!("Show the other {more} statements") }
                </button>
            }
        </>
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
            <td><ul class="statement-objects">{ for objects }</ul></td>
        </tr>
    }
}

/// What a person can paste into a bug report: the error, the browser and
/// the files' names, without their SQL.
fn error_report(failure: &str, files: &[String]) -> String {
    let browser = gloo::utils::window()
        .navigator()
        .user_agent()
        .unwrap_or_default();
    format!(
        "Preflight internal error\nerror: {failure}\nbrowser: {browser}\nfiles ({}): {}\n",
        files.len(),
        files.join(", ")
    )
}
