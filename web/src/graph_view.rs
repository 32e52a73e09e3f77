//! The dependency picture: the steps as nodes, an edge for each "needs"
//! (its reasons on hover), problems badged, moved files and split files
//! marked; pan by dragging, zoom with the wheel or the buttons; a click (or
//! Enter) on a step selects it. The picture can be saved as SVG or PNG.
use std::collections::BTreeSet;

use gloo::file::{Blob, ObjectUrl};
use preflight_core::plan::RollbackScript;
use wasm_bindgen::prelude::*;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement, PointerEvent, SvgsvgElement,
    WheelEvent,
};
use yew::prelude::*;

use crate::exports::download;
use crate::keys::on_activate;
use crate::problems::Place;
use crate::step_graph::{shown_name, StepGraph, CHAR_WIDTH, NODE_HEIGHT, TEXT_INSET};
use crate::Shared;
use preflight_core::words::counted;

/// The picture's own look, written into saved SVG files (the page's style
/// sheet does not travel with them).
const SVG_STYLE: &str = include_str!("graph.css");

#[derive(Properties, PartialEq)]
pub struct GraphViewProps {
    /// Laid out by the planning worker.
    pub graph: Shared<StepGraph>,
    pub layout_millis: f64,
    /// The rollback scripts set aside (by value: a new plan with the same
    /// picture does not draw it again).
    pub rollback_scripts: Vec<RollbackScript>,
    pub selected: Option<usize>,
    /// Selects a step (by number), with its source's first line.
    pub on_select: Callback<(usize, Place)>,
}

/// The part of the picture in view: x, y, width, height.
type ViewBox = (f64, f64, f64, f64);

#[function_component(GraphView)]
pub fn graph_view(props: &GraphViewProps) -> Html {
    let (graph, millis) = (&*props.graph, props.layout_millis);
    let fit: ViewBox = (0.0, 0.0, graph.width.max(1.0), graph.height.max(1.0));
    let view = use_state(|| fit);
    let svg = use_node_ref();
    {
        // A new picture opens where it can be read.
        let (view, svg) = (view.clone(), svg.clone());
        let first = graph.nodes.first().map(|node| node.x + node.width / 2.0);
        use_effect_with((fit.2.to_bits(), fit.3.to_bits()), move |_| {
            view.set(readable(fit, &svg, first))
        });
    }
    let drag = use_mut_ref(|| None::<(f64, f64, ViewBox)>);
    // Steps folded, with what only they lead to.
    let collapsed = use_state(BTreeSet::<usize>::new);
    let hidden = graph.hidden(&collapsed);

    let zoom = |factor: f64| {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(zoomed(*view, factor, 0.5, 0.5)))
    };
    let onwheel = {
        let (view, svg) = (view.clone(), svg.clone());
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            let (fx, fy) = fraction(&svg, event.client_x(), event.client_y());
            let factor = if event.delta_y() > 0.0 {
                1.2
            } else {
                1.0 / 1.2
            };
            view.set(zoomed(*view, factor, fx, fy));
        })
    };
    let onpointerdown = {
        let (view, drag) = (view.clone(), drag.clone());
        Callback::from(move |event: PointerEvent| {
            *drag.borrow_mut() = Some((
                f64::from(event.client_x()),
                f64::from(event.client_y()),
                *view,
            ));
        })
    };
    let onpointermove = {
        let (view, drag, svg) = (view.clone(), drag.clone(), svg.clone());
        Callback::from(move |event: PointerEvent| {
            let Some((x, y, start)) = *drag.borrow() else {
                return;
            };
            let Some(element) = svg.cast::<web_sys::Element>() else {
                return;
            };
            let rect = element.get_bounding_client_rect();
            let scale = (start.2 / rect.width()).max(start.3 / rect.height());
            let (dx, dy) = (
                f64::from(event.client_x()) - x,
                f64::from(event.client_y()) - y,
            );
            view.set((start.0 - dx * scale, start.1 - dy * scale, start.2, start.3));
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| *drag.borrow_mut() = None)
    };
    let save_svg = {
        let svg = svg.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(markup) = standalone_svg(&svg) {
                download("dependencies.svg", "image/svg+xml", markup.as_bytes());
            }
        })
    };
    let save_png = {
        let (svg, size) = (svg.clone(), (graph.width, graph.height));
        Callback::from(move |_: MouseEvent| {
            if let Some(markup) = standalone_svg(&svg) {
                save_as_png(markup, size);
            }
        })
    };

    let edges = graph.edges.iter().filter(|edge| {
        !hidden.contains(&graph.nodes[edge.from].step)
            && !hidden.contains(&graph.nodes[edge.to].step)
    });
    let edges = edges.map(|edge| {
        let (from, to) = (&graph.nodes[edge.from], &graph.nodes[edge.to]);
        let (x1, y1) = (from.x + from.width / 2.0, from.y + NODE_HEIGHT);
        let (x2, y2) = (to.x + to.width / 2.0, to.y);
        let bend = ((y2 - y1) / 2.0).max(20.0);
        let path = format!(
            "M{x1:.1},{y1:.1} C{x1:.1},{:.1} {x2:.1},{:.1} {x2:.1},{y2:.1}",
            y1 + bend,
            y2 - bend
        );
        let why = if edge.reasons.is_empty() {
            format!("step {} after step {}", to.step, from.step)
        } else {
            edge.reasons.join("\n")
        };
        html! {
            <path class="edge" d={path} marker-end="url(#arrow)" data-testid="graph-edge"
                data-from={from.step.to_string()} data-to={to.step.to_string()}>
                <title>{ why }</title>
            </path>
        }
    });
    let nodes = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| !hidden.contains(&node.step));
    let nodes = nodes.map(|(index, node)| {
        let step = node.step;
        let folded = collapsed.contains(&step);
        let toggle = graph.is_needed(index).then(|| {
            let collapsed = collapsed.clone();
            let flip = move || {
                let mut next = (*collapsed).clone();
                if !next.remove(&step) {
                    next.insert(step);
                }
                collapsed.set(next);
            };
            let onclick = {
                let flip = flip.clone();
                Callback::from(move |event: MouseEvent| {
                    event.stop_propagation();
                    flip();
                })
            };
            let onkeydown = on_activate(Callback::from(move |()| flip()));
            let what = if folded { "Show" } else { "Fold away" };
            html! {
                <g class="fold" role="button" tabindex="0" data-testid="graph-fold" data-step={step.to_string()}
                    aria-label={format!("{what} the steps that only step {step} leads to")} aria-expanded={(!folded).to_string()}
                    transform={format!("translate({:.1},{:.1})", node.x + node.width / 2.0, node.y + NODE_HEIGHT)} {onclick} {onkeydown}>
                    <circle r="7" />
                    <text y="4" text-anchor="middle" aria-hidden="true">{ if folded { "+" } else { "−" } }</text>
                </g>
            }
        });
        let selected = props.selected == Some(step);
        let target = (step, (node.file.clone(), node.start_line, 1));
        let on_select = props.on_select.clone();
        let onclick = {
            let target = target.clone();
            on_select.reform(move |_: MouseEvent| target.clone())
        };
        let onkeydown = on_activate(on_select.reform(move |()| target.clone()));
        let name = shown_name(&node.title);
        let fits = ((node.width - TEXT_INSET) / CHAR_WIDTH).round() as usize;
        let title: String = match name.chars().count() > fits {
            true => name.chars().take(fits.saturating_sub(1)).chain(['…']).collect(),
            false => name.to_string(),
        };
        let mut notes = Vec::new();
        if node.moved {
            notes.push("moved up".to_string());
        }
        if let Some((part, of)) = node.part {
            notes.push(format!("part {part} of {of}"));
        }
        if node.irreversible {
            notes.push("no rollback".to_string());
        }
        if node.in_cycle {
            notes.push("in a cycle".to_string());
        }
        if folded {
            notes.push("folded".to_string());
        }
        // The name starts with what the node shows, then says the rest.
        let shown = [step.to_string(), title.clone(), notes.join(" · ")]
            .into_iter()
            .chain((node.problems > 0).then(|| node.problems.to_string()))
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let label = format!(
            "{shown}: step {step}, {}{}",
            node.title,
            match node.problems {
                0 => String::new(),
                1 => ", 1 problem".into(),
                n => format!(", {n} problems"),
            }
        );
        let drawn = html! {
            <g class={classes!("node", node.worst.map(|w| w.words()), node.moved.then_some("moved"), node.irreversible.then_some("irreversible"), node.in_cycle.then_some("cycle"), selected.then_some("selected"))}
                transform={format!("translate({:.1},{:.1})", node.x, node.y)}
                tabindex="0" role="button" aria-label={label.clone()} aria-pressed={selected.to_string()}
                data-testid="graph-node" data-step={step.to_string()} {onclick} {onkeydown}>
                <title>{ label }</title>
                <rect width={format!("{:.1}", node.width)} height={NODE_HEIGHT.to_string()} rx="6" />
                if node.problems > 0 {
                    <circle class="badge" cx={format!("{:.1}", node.width)} r="9" />
                }
                // One text, so that what it shows reads in order, with spaces.
                <text>
                    <tspan class="number" x="8" y="17">{ step }</tspan>{ " " }
                    <tspan class="title" x="28" y="17">{ title }</tspan>{ " " }
                    <tspan class="notes" x="28" y="33">{ notes.join(" · ") }</tspan>
                    if node.problems > 0 {
                        { " " }
                        <tspan class="badge-count" x={format!("{:.1}", node.width)} y="4" text-anchor="middle">{ node.problems }</tspan>
                    }
                </text>
            </g>
        };
        (drawn, toggle.unwrap_or_default())
    });
    // Fold controls after the nodes: a control never sits inside another.
    let (nodes, folds): (Vec<Html>, Vec<Html>) = nodes.unzip();
    let set_aside = props.rollback_scripts.iter().map(|script| {
        html! { <li>{ format!("{}: {}", script.file, script.reason) }</li> }
    });
    let (x, y, width, height) = *view;
    html! {
        <section class="graph-panel" aria-label="Dependency graph">
            <div class="graph-tools">
                <span data-testid="graph-summary">
                    { format!("{}, {}; laid out in {:.1} ms", counted(graph.nodes.len(), "step"), counted(graph.edges.len(), "dependency"), millis) }
                    if !hidden.is_empty() {
                        { format!("; {} folded away", hidden.len()) }
                    }
                </span>
                <button onclick={zoom(1.0 / 1.25)} aria-label="Zoom in">{ "+" }</button>
                <button onclick={zoom(1.25)} aria-label="Zoom out">{ "−" }</button>
                <button onclick={{ let view = view.clone(); Callback::from(move |_| view.set(fit)) }}>{ "Fit" }</button>
                <button onclick={save_svg} data-testid="save-graph-svg">{ "Save SVG" }</button>
                <button onclick={save_png} data-testid="save-graph-png">{ "Save PNG" }</button>
            </div>
            <svg ref={svg} class="graph" data-testid="graph" role="group" aria-label="Steps and what each needs"
                viewBox={format!("{x:.1} {y:.1} {width:.1} {height:.1}")} preserveAspectRatio="xMidYMin meet"
                xmlns="http://www.w3.org/2000/svg" {onwheel} {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointerleave={onpointerup}>
                { arrow_marker("arrow") }
                { for edges }
                { for nodes }
                { for folds }
            </svg>
            if !props.rollback_scripts.is_empty() {
                <p class="set-aside-title">{ "Set aside, not planned (rollback scripts):" }</p>
                <ul class="set-aside" data-testid="graph-set-aside">{ for set_aside }</ul>
            }
        </section>
    }
}

/// The arrowhead that ends each edge of a picture, under `id`.
pub fn arrow_marker(id: &'static str) -> Html {
    html! {
        <defs>
            <marker {id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" />
            </marker>
        </defs>
    }
}

/// Below this scale, titles are too small to read.
const MIN_READABLE_SCALE: f64 = 0.6;

/// The whole picture when it fits the panel at a readable size; otherwise full
/// size, at the first step (Fit shows it all, small).
fn readable(fit: ViewBox, svg: &NodeRef, first: Option<f64>) -> ViewBox {
    let Some(element) = svg.cast::<web_sys::Element>() else {
        return fit;
    };
    let rect = element.get_bounding_client_rect();
    let (width, height) = (rect.width(), rect.height());
    if width <= 0.0 || (width / fit.2).min(height / fit.3) >= MIN_READABLE_SCALE {
        return fit;
    }
    let x = (first.unwrap_or(0.0) - width / 2.0).clamp(0.0, (fit.2 - width).max(0.0));
    (x, 0.0, width, height)
}

/// `view` scaled by `factor` around the point at fractions `fx`, `fy` of it.
fn zoomed(view: ViewBox, factor: f64, fx: f64, fy: f64) -> ViewBox {
    let (width, height) = (view.2 * factor, view.3 * factor);
    (
        view.0 + (view.2 - width) * fx,
        view.1 + (view.3 - height) * fy,
        width,
        height,
    )
}

/// Where a pointer is on the picture, as fractions of its width and height.
fn fraction(svg: &NodeRef, x: i32, y: i32) -> (f64, f64) {
    svg.cast::<web_sys::Element>()
        .map_or((0.5, 0.5), |element| {
            let rect = element.get_bounding_client_rect();
            (
                ((f64::from(x) - rect.left()) / rect.width()).clamp(0.0, 1.0),
                ((f64::from(y) - rect.top()) / rect.height()).clamp(0.0, 1.0),
            )
        })
}

/// The picture as a file of its own: all of it, with its style inside.
fn standalone_svg(svg: &NodeRef) -> Option<String> {
    let element = svg.cast::<SvgsvgElement>()?;
    let clone: SvgsvgElement = element.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let whole = element.get_b_box().ok()?;
    let margin = 20.0;
    let view = format!(
        "{:.1} {:.1} {:.1} {:.1}",
        whole.x() as f64 - margin,
        whole.y() as f64 - margin,
        whole.width() as f64 + 2.0 * margin,
        whole.height() as f64 + 2.0 * margin
    );
    clone.set_attribute("viewBox", &view).ok()?;
    clone
        .set_attribute(
            "width",
            &format!("{:.0}", whole.width() as f64 + 2.0 * margin),
        )
        .ok()?;
    clone
        .set_attribute(
            "height",
            &format!("{:.0}", whole.height() as f64 + 2.0 * margin),
        )
        .ok()?;
    let markup = clone.outer_html();
    let open = markup.find('>')? + 1;
    Some(format!(
        "{}<style>{SVG_STYLE}</style>{}",
        &markup[..open],
        &markup[open..]
    ))
}

/// Draws the SVG on a canvas and saves it as a PNG (twice the size, for
/// sharp text).
fn save_as_png(markup: String, (width, height): (f64, f64)) {
    let url = ObjectUrl::from(Blob::new_with_options(
        markup.as_bytes(),
        Some("image/svg+xml"),
    ));
    let source = url.to_string();
    let Ok(image) = HtmlImageElement::new() else {
        return;
    };
    let loaded = image.clone();
    let onload = Closure::once_into_js(move || {
        // The image is drawn: its URL may go.
        drop(url);
        let document = gloo::utils::document();
        let Some(canvas) = document
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        let scale = 2.0;
        let (w, h) = (
            f64::from(loaded.natural_width()).max(width),
            f64::from(loaded.natural_height()).max(height),
        );
        canvas.set_width((w * scale) as u32);
        canvas.set_height((h * scale) as u32);
        let Some(context) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, w * scale, h * scale);
        let _ = context.draw_image_with_html_image_element_and_dw_and_dh(
            &loaded,
            0.0,
            0.0,
            w * scale,
            h * scale,
        );
        if let Ok(data) = canvas.to_data_url_with_type("image/png") {
            let bytes = data.split_once(',').and_then(|(_, base64)| {
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, base64).ok()
            });
            if let Some(bytes) = bytes {
                download("dependencies.png", "image/png", &bytes);
            }
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&source);
}
