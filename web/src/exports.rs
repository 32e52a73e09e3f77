//! Downloads of the plan, made in the page: the Markdown runbook, one SQL
//! script, a Supabase CLI migrations folder (zip), the JSON plan and the
//! step graph for Mermaid and Graphviz. Nothing is sent anywhere.
use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use preflight_core::analysis::source::{is_markdown, Source};
use preflight_core::plan::{base_name, Analysis, Plan};
use time::{OffsetDateTime, PrimitiveDateTime};
use wasm_bindgen::JsCast;
use web_sys::HtmlAnchorElement;
use yew::prelude::*;

use crate::workspace::{File, Role};
use crate::Shared;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub analysis: Shared<Analysis>,
    /// The files the plan was made from: each Markdown runbook planned can
    /// be given back in the planned order, in its author's words.
    pub files: Shared<Vec<File>>,
}

struct Export {
    label: &'static str,
    file: &'static str,
    mime: &'static str,
    render: fn(&Plan) -> Vec<u8>,
}

const EXPORTS: [Export; 6] = [
    Export {
        label: "Runbook (Markdown)",
        file: "runbook.md",
        mime: "text/markdown",
        render: |plan| plan.to_markdown().into_bytes(),
    },
    Export {
        label: "SQL script",
        file: "plan.sql",
        mime: "application/sql",
        render: |plan| plan.to_sql().into_bytes(),
    },
    Export {
        label: "Supabase migrations (zip)",
        file: "supabase-migrations.zip",
        mime: "application/zip",
        render: |plan| plan.to_supabase_zip(now()),
    },
    Export {
        label: "Plan (JSON)",
        file: "plan.json",
        mime: "application/json",
        render: |plan| serde_json::to_vec_pretty(plan).expect("plans serialize"),
    },
    Export {
        label: "Graph (Mermaid)",
        file: "plan.mmd",
        mime: "text/plain",
        render: |plan| plan.to_mermaid().into_bytes(),
    },
    Export {
        label: "Graph (DOT)",
        file: "plan.dot",
        mime: "text/vnd.graphviz",
        render: |plan| plan.to_dot().into_bytes(),
    },
];

#[function_component(Exports)]
pub fn exports(props: &ExportsProps) -> Html {
    let buttons = EXPORTS.iter().map(|export| {
        let analysis = props.analysis.clone();
        let onclick = Callback::from(move |_| {
            download(export.file, export.mime, &(export.render)(&analysis.plan));
        });
        html! {
            <button class="export" data-testid="export" {onclick}>{ export.label }</button>
        }
    });
    let runbooks = (props.files.iter())
        .filter(|file| file.role == Role::Migration && is_markdown(&file.name, &file.text))
        .map(|file| {
            let analysis = props.analysis.clone();
            let source = Source::new(file.name.clone(), file.text.to_string());
            let name = format!("{}.planned.md", file_stem(&file.name));
            let label = format!("{} in the planned order", base_name(&file.name));
            let onclick = Callback::from(move |_| {
                let text = analysis.plan.with_prose(&source);
                download(&name, "text/markdown", text.as_bytes());
            });
            html! {
                <button class="export" data-testid="export-prose" {onclick}>{ label }</button>
            }
        });
    html! { <div class="exports">{ for buttons }{ for runbooks }</div> }
}

/// `docs/guide.md` → `guide`.
fn file_stem(name: &str) -> &str {
    let base = base_name(name);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

/// The current time in UTC: the first migration's timestamp.
fn now() -> PrimitiveDateTime {
    let seconds = (js_sys::Date::now() / 1000.0) as i64;
    let now = OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    PrimitiveDateTime::new(now.date(), now.time())
}

/// Saves `bytes` as `file` through a link to an in-page object URL.
pub fn download(file: &str, mime: &str, bytes: &[u8]) {
    let url = ObjectUrl::from(Blob::new_with_options(bytes, Some(mime)));
    let anchor = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(&url);
        anchor.set_download(file);
        anchor.click();
    }
    // The download has started; the URL may go once the click is handled.
    Timeout::new(10_000, move || drop(url)).forget();
}
