//! The planning worker: the same module as the page, started by
//! `worker.js` in a Web Worker, so that parsing and planning never hold up
//! the page. It answers each request with the analysis of its files, sent
//! as what changed since its last answer (`delta.rs`).
use preflight_core::diff::diff;
use preflight_core::plan::{analyse_reusing, Analysis, Reuse};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::delta;
use crate::protocol::{Request, Response};
use crate::step_graph::{Layouts, StepGraph};

pub fn run() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // A panic ends this module instance: tell the page why before it does.
    let reporter = scope.clone();
    std::panic::set_hook(Box::new(move |info| {
        post(&reporter, &Response::<()>::Failed(info.to_string()));
    }));
    let reply = scope.clone();
    // The SQL files of the last plan: after an edit, only the edited one is
    // parsed again.
    let mut reuse = Reuse::default();
    let mut layouts = Layouts::default();
    // The last analysis sent: the next is sent as what changed since.
    let mut last: Option<Analysis> = None;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let request: Request = match serde_json::from_str(&text) {
            Ok(request) => request,
            Err(error) => return post(&reply, &Response::<()>::Failed(error.to_string())),
        };
        match request {
            Request::Plan {
                generation,
                sources,
                baseline,
                options,
            } => {
                let started = now(&reply);
                let mut analysis = analyse_reusing(&sources, &baseline, options, &mut reuse);
                let planned = now(&reply);
                let graph = StepGraph::of(&analysis.plan, &mut layouts);
                let layout_millis = now(&reply) - planned;
                delta::send(&mut analysis, last.as_ref(), |analysis| {
                    post(
                        &reply,
                        &Response::Planned {
                            generation,
                            analysis,
                            graph,
                            millis: planned - started,
                            layout_millis,
                        },
                    )
                });
                last = Some(analysis);
            }
            Request::Compare { a, b, schemas } => {
                let mut audit = diff(&a, &b);
                if !schemas.is_empty() {
                    audit.retain_schemas(&schemas);
                }
                post(&reply, &Response::<()>::Compared(audit));
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page; so does its handler.
    on_message.forget();
    post(&scope, &Response::<()>::Ready);
}

fn post<Delta: Serialize>(scope: &DedicatedWorkerGlobalScope, response: &Response<Delta>) {
    let text = serde_json::to_string(response).expect("analyses serialize");
    // Posting a string to our own page cannot fail.
    let _ = scope.post_message(&JsValue::from_str(&text));
}

fn now(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope
        .performance()
        .map_or(0.0, |performance| performance.now())
}
