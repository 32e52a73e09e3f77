//! Preflight's core: from migration SQL to what every statement does.
//!
//! Pure Rust plus the PostgreSQL parser (libpg_query); no I/O and no web
//! dependencies, so it runs the same natively (CLI, tests) and in the browser.
//! See ARCHITECTURE.md for the data flow.

mod bodies;
pub mod catalog;
pub mod census;
pub mod decode;
pub mod diagnostics;
pub mod diff;
pub mod environment;
pub mod facts;
pub mod implicit_names;
pub mod intake;
pub mod names;
pub mod parse;
mod parser_error;
pub mod plan;
mod reads;
pub mod report;
mod rows;
pub mod source;
pub mod span;
pub mod targets;
