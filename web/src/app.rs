//! The page: the sources on the left (tabs and an editor), what Preflight
//! found on the right. Every edit re-parses, so the report is always current.
use std::rc::Rc;

use preflight_core::plan::{plan, Plan};
use preflight_core::report::ParseReport;
use preflight_core::source::Source;
use yew::prelude::*;

use crate::editor::Editor;
use crate::example;
use crate::report_view::ReportView;

/// The sources, which one is open, and the report for all of them.
#[derive(Clone, PartialEq)]
struct Workspace {
    sources: Vec<Source>,
    open: usize,
    report: ReportWithTiming,
}

/// What Preflight found in the sources, and how long it took.
#[derive(Clone, PartialEq)]
struct ReportWithTiming {
    report: Rc<ParseReport>,
    plan: Rc<Plan>,
    millis: f64,
}

enum Action {
    Open(usize),
    Edit(String),
}

impl Workspace {
    fn new(sources: Vec<Source>) -> Self {
        let report = analyse(&sources);
        Self {
            sources,
            open: 0,
            report,
        }
    }
}

impl Reducible for Workspace {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Open(index) if index < next.sources.len() => next.open = index,
            Action::Open(_) => return self,
            Action::Edit(text) => {
                next.sources[next.open].text = text;
                next.report = analyse(&next.sources);
            }
        }
        next.into()
    }
}

fn analyse(sources: &[Source]) -> ReportWithTiming {
    let started = now();
    let report = ParseReport::new(sources);
    let plan = plan(sources, &[]);
    ReportWithTiming {
        report: Rc::new(report),
        plan: Rc::new(plan),
        millis: now() - started,
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

#[function_component(App)]
pub fn app() -> Html {
    let workspace = use_reducer(|| Workspace::new(example::sources()));
    let open = workspace.open;
    let source = &workspace.sources[open];
    let file_report = &workspace.report.report.files[open];

    let on_edit = {
        let workspace = workspace.dispatcher();
        Callback::from(move |text: String| workspace.dispatch(Action::Edit(text)))
    };
    let on_open = {
        let workspace = workspace.dispatcher();
        Callback::from(move |index: usize| workspace.dispatch(Action::Open(index)))
    };
    let on_open_file = {
        let on_open = on_open.clone();
        let names: Vec<String> = workspace.sources.iter().map(|s| s.name.clone()).collect();
        Callback::from(move |name: String| {
            if let Some(index) = names.iter().position(|n| *n == name) {
                on_open.emit(index);
            }
        })
    };

    let tabs = workspace.sources.iter().enumerate().map(|(index, source)| {
        let errors = workspace.report.report.files[index].errors.len();
        let on_open = on_open.clone();
        html! {
            <button
                class={classes!("tab", (index == open).then_some("open"), (errors > 0).then_some("has-errors"))}
                data-testid="file-tab"
                onclick={Callback::from(move |_| on_open.emit(index))}
            >
                { &source.name }
            </button>
        }
    });

    html! {
        <div class="app">
            <header>
                <h1>{ "Preflight" }</h1>
                <p class="tagline">{ "Plan Supabase and PostgreSQL migrations. Runs entirely in your browser: your SQL never leaves this page." }</p>
            </header>
            <main>
                <section class="sources">
                    <nav class="tabs">{ for tabs }</nav>
                    <Editor
                        text={source.text.clone()}
                        errors={file_report.errors.clone()}
                        on_edit={on_edit}
                    />
                </section>
                <ReportView
                    report={workspace.report.report.clone()}
                    plan={workspace.report.plan.clone()}
                    millis={workspace.report.millis}
                    on_open={on_open_file}
                />
            </main>
        </div>
    }
}
