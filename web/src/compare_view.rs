//! The schema audit in the page: two sets of the workspace's files (e.g. a
//! schema file against a pg_dump of production, or baseline + migrations
//! against a dump), compared by what they leave behind: objects only in one
//! side, and properties defined differently, with both definitions and
//! where each side writes them.
use std::collections::BTreeSet;

use preflight_core::diff::{Definition, Place as At, SchemaDiff};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::problems::Place;
use crate::Shared;

/// Which files make side A and side B, and whether to keep `public` only.
pub type Sides = (Vec<String>, Vec<String>, bool);

#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    /// The workspace's file names, in list order.
    pub files: Vec<String>,
    pub audit: Option<Shared<SchemaDiff>>,
    pub comparing: bool,
    pub on_compare: Callback<Sides>,
    pub on_jump: Callback<Place>,
}

#[function_component(CompareView)]
pub fn compare_view(props: &CompareViewProps) -> Html {
    let side_a = use_state(BTreeSet::<String>::new);
    let side_b = use_state(BTreeSet::<String>::new);
    let public_only = use_state(|| true);
    let toggle = |side: &UseStateHandle<BTreeSet<String>>, name: &str| {
        let (side, name) = (side.clone(), name.to_string());
        Callback::from(move |event: Event| {
            let mut next = (*side).clone();
            match event.target_unchecked_into::<HtmlInputElement>().checked() {
                true => next.insert(name.clone()),
                false => next.remove(&name),
            };
            side.set(next);
        })
    };
    let rows = props.files.iter().map(|name| {
        html! {
            <tr>
                <td><input type="checkbox" data-testid="compare-a" data-name={name.clone()} aria-label={format!("{name} in side A")}
                    checked={side_a.contains(name)} onchange={toggle(&side_a, name)} /></td>
                <td><input type="checkbox" data-testid="compare-b" data-name={name.clone()} aria-label={format!("{name} in side B")}
                    checked={side_b.contains(name)} onchange={toggle(&side_b, name)} /></td>
                <td class="compare-file">{ name }</td>
            </tr>
        }
    });
    let run = {
        let (a, b, public_only) = (side_a.clone(), side_b.clone(), public_only.clone());
        let on_compare = props.on_compare.clone();
        let in_order = |side: &BTreeSet<String>, files: &[String]| -> Vec<String> {
            files
                .iter()
                .filter(|name| side.contains(*name))
                .cloned()
                .collect()
        };
        let files = props.files.clone();
        Callback::from(move |_: MouseEvent| {
            on_compare.emit((in_order(&a, &files), in_order(&b, &files), *public_only));
        })
    };
    let on_public = {
        let public_only = public_only.clone();
        Callback::from(move |event: Event| {
            public_only.set(event.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    html! {
        <details class="compare" data-testid="compare">
            <summary>{ "Compare two schemas (audit)" }</summary>
            <p class="compare-help">{ "Side A and side B are each what their files leave behind when run in list order (e.g. database-schema.sql against a pg_dump of production)." }</p>
            <table class="compare-files">
                <thead><tr><th>{ "A" }</th><th>{ "B" }</th><th>{ "File" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <label><input type="checkbox" checked={*public_only} onchange={on_public} data-testid="compare-public" />
                { " Only the public schema (leave out what Supabase manages in a full dump)" }</label>
            <button data-testid="run-compare" onclick={run} disabled={side_a.is_empty() || side_b.is_empty() || props.comparing}>
                { if props.comparing { "Comparing…" } else { "Compare" } }
            </button>
            if let Some(audit) = &props.audit {
                { result(audit, &props.on_jump) }
            }
        </details>
    }
}

fn result(audit: &SchemaDiff, on_jump: &Callback<Place>) -> Html {
    let place = |at: &At| {
        let target = (at.file.to_string(), at.line, 1);
        html! { <button class="location" onclick={on_jump.reform(move |_| target.clone())}>{ at.to_string() }</button> }
    };
    let only = |title: &str, presences: &[preflight_core::diff::Presence], testid: &str| {
        let items = presences
            .iter()
            .map(|p| html! { <li>{ p.object.to_string() }{ " " }{ place(&p.at) }</li> });
        html! {
            if !presences.is_empty() {
                <h3>{ format!("{title} ({})", presences.len()) }</h3>
                <ul data-testid={testid.to_string()}>{ for items }</ul>
            }
        }
    };
    let definition = |side: &str, definition: &Definition| {
        html! {
            <div class="side">
                <span class="side-name">{ side }</span>
                <code>{ definition.definition.clone().unwrap_or_else(|| "(none)".into()) }</code>
                { " " }{ place(&definition.at) }
            </div>
        }
    };
    let changed = audit.changed.iter().flat_map(|changed| {
        changed.differences.iter().map(move |difference| {
            html! {
                <li data-testid="compare-changed-item">
                    <span class="object">{ format!("{}: {}", changed.object, difference.property) }</span>
                    { definition("A", &difference.a) }
                    { definition("B", &difference.b) }
                </li>
            }
        })
    });
    let problems = audit
        .diagnostics
        .iter()
        .map(|d| html! { <li>{ d.to_text() }</li> });
    html! {
        <div class="compare-result" data-testid="compare-result">
            if audit.is_empty() {
                <p>{ "The schemas are the same." }</p>
            }
            if !audit.diagnostics.is_empty() {
                <ul class="compare-problems">{ for problems }</ul>
            }
            { only("Only in A", &audit.only_in_a, "only-in-a") }
            { only("Only in B", &audit.only_in_b, "only-in-b") }
            if !audit.changed.is_empty() {
                <h3>{ "Defined differently" }</h3>
                <ul data-testid="compare-changed">{ for changed }</ul>
            }
        </div>
    }
}
