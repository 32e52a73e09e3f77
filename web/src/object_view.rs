//! Objects: find any table, column, view, function, policy, type... the
//! files name (by words, kind and schema), and see the one picked in its
//! neighbourhood (what it needs, what needs it, the files touching it) with
//! each statement that creates, alters, renames, drops or reads it, and the
//! steps they run in.
use preflight_core::analysis::facts::{Action, ObjectKind};
use preflight_core::plan::Analysis;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use std::collections::BTreeSet;

use crate::neighbourhood::Picture;
use crate::neighbourhood_view::NeighbourhoodView;
use crate::objects::{index, schema_of, search, Entry, Filter};
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
    let filter = use_state(Filter::default);
    let picked = use_state(|| None::<String>);
    let on_words = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            let words = event.target_unchecked_into::<HtmlInputElement>().value();
            filter.set(Filter {
                words,
                ..(*filter).clone()
            })
        })
    };
    let on_kind = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            let kind = KINDS
                .iter()
                .map(|k| k.words())
                .find(|words| *words == value);
            filter.set(Filter {
                kind,
                ..(*filter).clone()
            });
        })
    };
    let on_schema = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            let schema = (!value.is_empty()).then_some(value);
            filter.set(Filter {
                schema,
                ..(*filter).clone()
            });
        })
    };
    let schemas: BTreeSet<&str> = objects
        .values()
        .filter_map(|entry| schema_of(&entry.object))
        .collect();
    let filtering = *filter != Filter::default();
    let found = match filtering {
        true => search(&objects, &filter),
        false => Vec::new(),
    };
    let results = found.iter().take(MAX_RESULTS).map(|name| {
        let (picked, name) = (picked.clone(), name.to_string());
        let touches = objects[&name].touches.len();
        html! {
            <li>
                <button class="object-result" data-testid="object-result" onclick={Callback::from({ let name = name.clone(); move |_| picked.set(Some(name.clone())) })}>
                    { &name }
                </button>
                { format!(" ({touches})") }
            </li>
        }
    });
    // Each option says whether it is the filter's, so the shown choice is
    // the filter even when the list of schemas changes under it.
    let kinds = KINDS.iter().map(|k| {
        let selected = filter.kind == Some(k.words());
        html! { <option value={k.words()} {selected}>{ k.words() }</option> }
    });
    let mut schema_names: Vec<&str> = schemas.iter().copied().collect();
    if let Some(chosen) = filter
        .schema
        .as_deref()
        .filter(|s| !schema_names.contains(s))
    {
        schema_names.push(chosen);
    }
    let schema_options = schema_names.into_iter().map(|schema| {
        let selected = filter.schema.as_deref() == Some(schema);
        html! { <option value={schema.to_string()} {selected}>{ schema }</option> }
    });
    let on_focus = {
        let picked = picked.clone();
        Callback::from(move |name: String| picked.set(Some(name)))
    };
    html! {
        <details class="objects" data-testid="objects">
            <summary>{ format!("Objects ({})", objects.len()) }</summary>
            <div class="object-search">
                <input type="search" placeholder="Find a table, column, function…" aria-label="Find an object"
                    data-testid="object-search" value={filter.words.clone()} oninput={on_words} />
                <select aria-label="Kind of object" onchange={on_kind} data-testid="object-kind">
                    <option value="" selected={filter.kind.is_none()}>{ "any kind" }</option>
                    { for kinds }
                </select>
                <select aria-label="Schema" onchange={on_schema} data-testid="object-schema">
                    <option value="" selected={filter.schema.is_none()}>{ "any schema" }</option>
                    { for schema_options }
                </select>
            </div>
            if found.len() > MAX_RESULTS {
                <p class="more">{ format!("{} objects match; the first {MAX_RESULTS} are listed", found.len()) }</p>
            } else if filtering && found.is_empty() {
                <p class="more">{ "No object matches." }</p>
            }
            <ul class="object-results">{ for results }</ul>
            if let Some((name, entry)) = picked.as_ref().and_then(|name| objects.get_key_value(name)) {
                <div class="neighbourhood" data-testid="object-touches">
                    <h3>{ name }</h3>
                    <NeighbourhoodView picture={Picture::of(name, entry)} on_focus={on_focus} on_jump={props.on_jump.clone()} />
                    { touch_list(entry, &props.analysis, &props.on_jump) }
                </div>
            }
        </details>
    }
}

/// Every statement touching the object, by what it does, with its step.
fn touch_list(entry: &Entry, analysis: &Analysis, on_jump: &Callback<Place>) -> Html {
    let touches = &entry.touches;
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
    html! { <>{ for groups }</> }
}
