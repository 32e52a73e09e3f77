//! The page's side of the planning worker: sends the files to plan, at most
//! one request at a time (the newest waits, older ones are dropped), hands
//! back only the answer to the latest request, and replaces the worker if
//! it fails.
use std::cell::RefCell;
use std::rc::Rc;

use preflight_core::analysis::source::Source;
use preflight_core::diff::SchemaDiff;
use preflight_core::plan::{Analysis, Options};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::protocol::{Request, Response};
use crate::step_graph::StepGraph;

pub enum Event {
    Compared(Rc<SchemaDiff>),
    Planned {
        analysis: Rc<Analysis>,
        graph: Rc<StepGraph>,
        millis: f64,
        layout_millis: f64,
    },
    Failed(String),
}

#[wasm_bindgen]
extern "C" {
    /// This module's JavaScript glue, which the worker imports.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// Failures in a row after which the worker is not started again.
const MAX_FAILURES: u32 = 3;

#[derive(Clone)]
pub struct Planner(Rc<RefCell<State>>);

struct State {
    worker: Option<Worker>,
    ready: bool,
    in_flight: bool,
    /// The newest request not yet sent.
    waiting: Option<String>,
    /// A comparison not yet sent.
    comparison: Option<String>,
    latest: u64,
    /// Failures since the last plan: past a few, the worker is not restarted.
    failures: u32,
    /// The analysis of the worker's last answer, which the next one says
    /// what changed from (every answer is applied, stale or not).
    last: Option<Rc<Analysis>>,
    on_event: Callback<Event>,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Planner {
    pub fn new(on_event: Callback<Event>) -> Self {
        let planner = Self(Rc::new(RefCell::new(State {
            worker: None,
            ready: false,
            in_flight: false,
            waiting: None,
            comparison: None,
            latest: 0,
            failures: 0,
            last: None,
            on_event,
            handlers: Vec::new(),
        })));
        planner.start();
        planner
    }

    /// Plans these files once the worker is free.
    pub fn request(&self, sources: Vec<Source>, baseline: Vec<Source>, options: Options) {
        let mut state = self.0.borrow_mut();
        state.latest += 1;
        let request = Request::Plan {
            generation: state.latest,
            sources,
            baseline,
            options,
        };
        state.waiting = Some(serde_json::to_string(&request).expect("requests serialize"));
        drop(state);
        self.send_waiting();
    }

    /// Compares two sets of files (the schema audit) once the worker is
    /// free; its answer comes as [`Event::Compared`].
    pub fn compare(&self, a: Vec<Source>, b: Vec<Source>, schemas: Vec<String>) {
        let request = Request::Compare { a, b, schemas };
        self.0.borrow_mut().comparison =
            Some(serde_json::to_string(&request).expect("requests serialize"));
        self.send_waiting();
    }

    fn start(&self) {
        let glue = GLUE_URL.with(String::clone);
        let url = format!(
            "worker.js?glue={}",
            String::from(js_sys::encode_uri_component(&glue))
        );
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options(&url, &options) {
            Ok(worker) => worker,
            Err(error) => {
                let message = format!("the planning worker did not start: {error:?}");
                return self.0.borrow().on_event.emit(Event::Failed(message));
            }
        };
        let on_message = {
            let planner = self.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let data = event.unchecked_into::<MessageEvent>().data();
                planner.receive(data.as_string().unwrap_or_default());
            })
        };
        let on_error = {
            let planner = self.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let message = js_sys::Reflect::get(&event, &"message".into())
                    .ok()
                    .and_then(|message| message.as_string())
                    .unwrap_or_else(|| "the planning worker stopped".into());
                planner.fail(message);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The page's compiled module: the worker need not fetch and compile
        // it again (`worker.js` waits for it).
        if let Err(error) = worker.post_message(&wasm_bindgen::module()) {
            let message = format!("the planning worker could not be given the module: {error:?}");
            self.0.borrow().on_event.emit(Event::Failed(message));
        }
        let mut state = self.0.borrow_mut();
        state.handlers = vec![on_message, on_error];
        state.worker = Some(worker);
        state.ready = false;
        state.in_flight = false;
        state.last = None;
    }

    fn receive(&self, text: String) {
        match serde_json::from_str::<Response>(&text) {
            Ok(Response::Ready) => self.0.borrow_mut().ready = true,
            Ok(Response::Planned {
                generation,
                analysis,
                graph,
                millis,
                layout_millis,
            }) => {
                let mut state = self.0.borrow_mut();
                let analysis = match analysis.apply(state.last.as_deref()) {
                    Ok(analysis) => Rc::new(analysis),
                    Err(why) => {
                        drop(state);
                        return self.fail(format!("unreadable answer from the worker: {why}"));
                    }
                };
                state.last = Some(analysis.clone());
                state.in_flight = false;
                state.failures = 0;
                let on_event = state.on_event.clone();
                let latest = generation == state.latest;
                drop(state);
                if latest {
                    on_event.emit(Event::Planned {
                        analysis,
                        graph: Rc::new(graph),
                        millis,
                        layout_millis,
                    });
                }
            }
            Ok(Response::Compared(audit)) => {
                let on_event = self.0.borrow().on_event.clone();
                on_event.emit(Event::Compared(Rc::new(audit)));
            }
            Ok(Response::Failed(message)) => return self.fail(message),
            Err(error) => return self.fail(format!("unreadable answer from the worker: {error}")),
        }
        self.send_waiting();
    }

    /// Replaces the failed worker; the request that failed is not sent again
    /// (the next change is). A worker that keeps failing is not replaced.
    fn fail(&self, message: String) {
        let mut state = self.0.borrow_mut();
        if let Some(worker) = state.worker.take() {
            worker.terminate();
        }
        state.failures += 1;
        let on_event = state.on_event.clone();
        let give_up = state.failures >= MAX_FAILURES;
        drop(state);
        if give_up {
            let message = format!("{message} (planning stopped after {MAX_FAILURES} failures in a row; reload the page to try again)");
            return on_event.emit(Event::Failed(message));
        }
        on_event.emit(Event::Failed(message));
        // Started afresh once the failed worker's handler has returned.
        let planner = self.clone();
        gloo::timers::callback::Timeout::new(0, move || planner.start()).forget();
    }

    fn send_waiting(&self) {
        let mut state = self.0.borrow_mut();
        if !state.ready {
            return;
        }
        // A comparison goes at once: the worker answers in turn.
        if let (Some(request), Some(worker)) = (state.comparison.take(), state.worker.clone()) {
            if let Err(error) = worker.post_message(&JsValue::from_str(&request)) {
                drop(state);
                return self.fail(format!(
                    "the planning worker refused the comparison: {error:?}"
                ));
            }
        }
        if state.in_flight {
            return;
        }
        let (Some(request), Some(worker)) = (state.waiting.take(), state.worker.clone()) else {
            return;
        };
        state.in_flight = true;
        drop(state);
        if let Err(error) = worker.post_message(&JsValue::from_str(&request)) {
            self.fail(format!("the planning worker refused the files: {error:?}"));
        }
    }
}
