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
pub(crate) mod layered;
pub mod lint;
pub mod plan;
pub mod report;
pub mod words;

/// Maps and sets keyed by names and statement numbers: a fast hasher with
/// no seed, since no key comes from an adversary and a plan must not depend
/// on the process it runs in.
pub(crate) type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub(crate) type HashSet<T> = rustc_hash::FxHashSet<T>;
