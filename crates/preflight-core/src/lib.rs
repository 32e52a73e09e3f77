//! Preflight's core: from migration SQL to what every statement does.
//!
//! Pure Rust plus the PostgreSQL parser (libpg_query); no I/O and no web
//! dependencies, so it runs the same natively (CLI, tests) and in the browser.
//! See ARCHITECTURE.md for the data flow.

pub mod analysis;
pub mod catalog;
pub mod decode;
pub mod diagnostics;
pub mod diff;
pub mod environment;
pub mod intake;
pub mod lint;
pub mod plan;
pub mod report;
