//! Objects: search every table, column, view, function, policy, type... the
//! files name, and see each statement that creates, alters, renames, drops
//! or reads the one picked, and the steps they run in.
use preflight_core::facts::{Action, ObjectKind};
use preflight_core::plan::Analysis;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::objects::{index, search, ObjectIndex};
use crate::problems::Place;
use crate::Shared;

/// At most this many objects are listed for a search.
const MAX_RESULTS: usize = 40;

const KINDS: [ObjectKind; 9] = [
    ObjectKind::Schema,
    ObjectKind::Table,
    ObjectKind::Column,
    ObjectKind::View,
    ObjectKind::Function,
    ObjectKind::Policy,
    ObjectKind::Type,
    ObjectKind::Extension,
    ObjectKind::Publication,
];

const ACTIONS: [Action; 5] = [
    Action::Creates,
    Action::Alters,
    Action::Renames,
    Action::Drops,
    Action::Reads,
];

#[derive(Properties, PartialEq)]
pub struct ObjectViewProps {
    pub analysis: Shared<Analysis>,
    pub on_jump: Callback<Place>,
}

#[function_component(ObjectView)]
pub fn object_view(props: &ObjectViewProps) -> Html {
    let objects = use_memo(props.analysis.clone(), |analysis| index(&analysis.report));
    let query = use_state(String::new);
    let kind = use_state(|| None::<&'static str>);
    let picked = use_state(|| None::<String>);
    let on_query = {
        let query = query.clone();
        Callback::from(move |event: InputEvent| {
            query.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            kind.set(
                KINDS
                    .iter()
                    .map(|k| k.words())
                    .find(|words| *words == value),
            );
        })
    };
    let found = if query.trim().is_empty() {
        Vec::new()
    } else {
        search(&objects, &query, *kind)
    };
    let results = found.iter().take(MAX_RESULTS).map(|name| {
        let (picked, name) = (picked.clone(), name.to_string());
        let touches = objects[&name].1.len();
        html! {
            <li>
                <button class="object-result" data-testid="object-result" onclick={Callback::from({ let name = name.clone(); move |_| picked.set(Some(name.clone())) })}>
                    { &name }
                </button>
                { format!(" ({touches})") }
            </li>
        }
    });
    let options = KINDS
        .iter()
        .map(|k| html! { <option value={k.words()}>{ k.words() }</option> });
    html! {
        <details class="objects" data-testid="objects">
            <summary>{ format!("Objects ({})", objects.len()) }</summary>
            <div class="object-search">
                <input type="search" placeholder="Find a table, column, function…" aria-label="Find an object"
                    data-testid="object-search" value={(*query).clone()} oninput={on_query} />
                <select aria-label="Kind of object" onchange={on_kind} data-testid="object-kind">
                    <option value="">{ "any kind" }</option>
                    { for options }
                </select>
            </div>
            if found.len() > MAX_RESULTS {
                <p class="more">{ format!("{} objects match; the first {MAX_RESULTS} are listed", found.len()) }</p>
            }
            <ul class="object-results">{ for results }</ul>
            if let Some(name) = picked.as_ref().filter(|name| objects.contains_key(*name)) {
                { neighbourhood(&objects, name, &props.analysis, &props.on_jump) }
            }
        </details>
    }
}

/// Every statement touching the object, by what it does, with its step.
fn neighbourhood(
    objects: &ObjectIndex,
    name: &str,
    analysis: &Analysis,
    on_jump: &Callback<Place>,
) -> Html {
    let touches = &objects[name].1;
    let step_of = |file: &str, line: u32| {
        analysis.plan.steps.iter().find(|step| {
            let source = &step.sources[0];
            source.file == file && (source.start_line..=source.end_line).contains(&line)
        })
    };
    let groups = ACTIONS.iter().filter_map(|&action| {
        let here: Vec<_> = touches.iter().filter(|t| t.action == action).collect();
        (!here.is_empty()).then(|| {
            let items = here.into_iter().map(|touch| {
                let target = (touch.file.clone(), touch.line, touch.column);
                let step = step_of(&touch.file, touch.line).map_or_else(
                    || " (not planned: a baseline or a set-aside file)".to_string(),
                    |step| format!(" (step {})", step.number),
                );
                html! {
                    <li>
                        <button class="location" onclick={on_jump.reform(move |_| target.clone())}>
                            { format!("{}:{}", touch.file, touch.line) }
                        </button>
                        { format!(" {}{step}", touch.statement) }
                    </li>
                }
            });
            html! {
                <>
                    <h4>{ action.to_string() }</h4>
                    <ul>{ for items }</ul>
                </>
            }
        })
    });
    html! {
        <div class="neighbourhood" data-testid="object-touches">
            <h3>{ name }</h3>
            { for groups }
        </div>
    }
}
