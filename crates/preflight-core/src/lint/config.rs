//! `preflight.toml`: what the project says about itself (the schemas its
//! Data API exposes, its PostgreSQL version) and how loud each rule is.
//! The command line reads the file; the page keeps the same settings with
//! the workspace.
//!
//! ```toml
//! exposed_schemas = ["public", "api"]
//! postgres = 15
//!
//! [rules]
//! not-rerunnable = "off"
//! prefer-text = "warning"
//! ```
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rule;
use crate::diagnostics::Severity;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The schemas the Data API serves; `public` when not said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_schemas: Option<Vec<String>>,
    /// The PostgreSQL major version the migrations run on (Supabase: 15
    /// or 17); some rules and fixes depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<u32>,
    /// Per rule name: `off`, `error`, `warning` or `info`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Level>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Off,
    Error,
    Warning,
    Info,
}

impl Level {
    /// The severity findings get; `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
        }
    }
}

impl Config {
    /// Checks what a parser cannot: every rule named exists.
    pub fn checked(self) -> Result<Self, String> {
        let unknown: Vec<&str> = (self.rules.keys())
            .filter(|name| rule(name).is_none())
            .map(String::as_str)
            .collect();
        match unknown.as_slice() {
            [] => Ok(self),
            names => Err(format!(
                "no rule is named {}: `preflight rules` lists them",
                names.join(", ")
            )),
        }
    }
}
