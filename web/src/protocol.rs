//! What the page and its planning worker say to each other, as JSON text.
use preflight_core::plan::{Analysis, FileOrder};
use preflight_core::source::Source;
use serde::{Deserialize, Serialize};

use crate::step_graph::StepGraph;

/// Plan these files; `generation` tells a stale answer from the latest.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub generation: u64,
    pub sources: Vec<Source>,
    pub baseline: Vec<Source>,
    pub order: FileOrder,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Response {
    /// The worker has loaded the module and takes requests.
    Ready,
    Planned {
        generation: u64,
        analysis: Analysis,
        /// The steps laid out as a picture.
        graph: StepGraph,
        /// How long parsing and planning, and the layout, took in the worker.
        millis: f64,
        layout_millis: f64,
    },
    /// Planning stopped on an internal error; the worker must be replaced.
    Failed(String),
}
