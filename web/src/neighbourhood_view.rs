//! The picture of one object's neighbourhood: a click (or Enter) on a
//! neighbour shows its own neighbourhood, on a file opens it at its first
//! statement touching the object.
use yew::prelude::*;

use crate::graph_view::arrow_marker;
use crate::keys::on_activate;
use crate::neighbourhood::{Node, Picture, Role, NODE_HEIGHT};
use crate::problems::Place;

#[derive(Properties, PartialEq)]
pub struct NeighbourhoodViewProps {
    pub picture: Picture,
    pub on_focus: Callback<String>,
    pub on_jump: Callback<Place>,
}

#[function_component(NeighbourhoodView)]
pub fn neighbourhood_view(props: &NeighbourhoodViewProps) -> Html {
    let picture = &props.picture;
    let focus = picture.focus();
    let edges = picture.nodes.iter().filter_map(|node| {
        let (x1, y1, x2, y2, class) = match node.role {
            Role::Needs => (node.x + node.width, mid(node), focus.x, mid(focus), "edge"),
            Role::NeededBy => (focus.x + focus.width, mid(focus), node.x, mid(node), "edge"),
            Role::File => {
                let x = focus.x + focus.width / 2.0;
                (x, focus.y + NODE_HEIGHT, node.x + 6.0, mid(node), "edge touch")
            }
            Role::Focus | Role::More => return None,
        };
        let path = match node.role {
            Role::File => format!("M{x1:.1},{y1:.1} V{y2:.1} H{x2:.1}"),
            _ => {
                let bend = (x2 - x1) / 2.0;
                format!("M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}", x1 + bend, x2 - bend)
            }
        };
        let marker = (node.role != Role::File).then_some("url(#object-arrow)");
        Some(html! {
            <path class={class} d={path} marker-end={marker}><title>{ node.why.join("\n") }</title></path>
        })
    });
    let nodes = picture.nodes.iter().map(|node| drawn(node, props));
    html! {
        <div class="object-picture">
        <svg class="graph object-graph" data-testid="object-graph" role="group"
            aria-label={format!("What {} needs, what needs it, and the files that touch it", focus.name)}
            viewBox={format!("-4 -4 {:.1} {:.1}", picture.width + 8.0, picture.height + 8.0)}
            width={format!("{:.0}", picture.width + 8.0)} xmlns="http://www.w3.org/2000/svg">
            { arrow_marker("object-arrow") }
            { for edges }
            { for nodes }
        </svg>
        </div>
    }
}

fn mid(node: &Node) -> f64 {
    node.y + NODE_HEIGHT / 2.0
}

fn drawn(node: &Node, props: &NeighbourhoodViewProps) -> Html {
    let (role, action) = match node.role {
        Role::Needs => ("needs", Some(format!("Show {}, which it needs", node.name))),
        Role::NeededBy => (
            "needed-by",
            Some(format!("Show {}, which needs it", node.name)),
        ),
        Role::File => (
            "file",
            Some(format!("Open {} at line {}", node.name, node.line)),
        ),
        Role::Focus => ("focus", None),
        Role::More => ("more", None),
    };
    let activate: Option<Callback<()>> = match node.role {
        Role::Needs | Role::NeededBy => {
            let name = node.name.clone();
            Some(props.on_focus.reform(move |_| name.clone()))
        }
        Role::File => {
            let place = (node.name.clone(), node.line, 1);
            Some(props.on_jump.reform(move |_| place.clone()))
        }
        Role::Focus | Role::More => None,
    };
    let onclick = activate
        .clone()
        .map(|activate| activate.reform(|_: MouseEvent| ()));
    let onkeydown = activate.map(on_activate);
    let interactive = onclick.is_some();
    let title = match node.why.is_empty() {
        true => node.name.clone(),
        false => format!("{}\n{}", node.name, node.why.join("\n")),
    };
    html! {
        <g class={classes!("node", "object-node", role)} transform={format!("translate({:.1},{:.1})", node.x, node.y)}
            tabindex={interactive.then_some("0")} role={interactive.then_some("button")} aria-label={action}
            data-testid="object-node" data-role={role} data-name={node.name.clone()} {onclick} {onkeydown}>
            <title>{ title }</title>
            <rect width={format!("{:.1}", node.width)} height={NODE_HEIGHT.to_string()} rx="5" />
            <text class="title" x="10" y="18">{ &node.label }</text>
        </g>
    }
}
