//! What the page and its planning worker say to each other, as JSON text.
use preflight_core::analysis::source::Source;
use preflight_core::diff::SchemaDiff;
use preflight_core::plan::Options;
use serde::{Deserialize, Serialize};

use crate::delta;
use crate::step_graph::StepGraph;

#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Plan these files; `generation` tells a stale answer from the latest.
    Plan {
        generation: u64,
        sources: Vec<Source>,
        baseline: Vec<Source>,
        options: Options,
    },
    /// The schema audit: what `a` leaves behind against what `b` does, in
    /// these schemas only (all when empty).
    Compare {
        a: Vec<Source>,
        b: Vec<Source>,
        schemas: Vec<String>,
    },
}

/// The worker writes its analyses as [`delta::Sent`], the page reads them as
/// [`delta::Received`].
#[derive(Debug, Serialize, Deserialize)]
pub enum Response<Delta = delta::Received> {
    /// The worker has loaded the module and takes requests.
    Ready,
    Planned {
        generation: u64,
        /// What changed since the worker's last answer.
        analysis: Delta,
        /// The steps laid out as a picture.
        graph: StepGraph,
        /// How long parsing and planning, and the layout, took in the worker.
        millis: f64,
        layout_millis: f64,
    },
    Compared(SchemaDiff),
    /// Planning stopped on an internal error; the worker must be replaced.
    Failed(String),
}
