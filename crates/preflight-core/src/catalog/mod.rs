//! One model of a database: what exists after each statement runs, with
//! each object's definition property by property (canonical, for comparing,
//! and as written, for showing) and the place that set it. The planner, the
//! runbook and the schema audit all replay statements into it and read
//! what each one changed from [`Changes`], so drops and renames cascade in
//! one place (`cascade.rs`).
mod cascade;
mod changes;
mod functions;
mod model;
pub(crate) mod normal;
mod read;
mod replay;
mod tables;

pub use changes::{Altered, Changes};
pub use model::{Catalog, Detail, Entry, ObjectId, Place, Property, Words};
pub use read::{ForeignKey, Policy};
pub(crate) use replay::replay;

use crate::plan::load::{Loaded, Unit};

impl Catalog {
    /// Runs one statement: what it created, dropped (with what went with
    /// it), renamed and altered.
    pub fn apply(&mut self, loaded: &Loaded, unit: &Unit) -> Changes {
        replay::replay_unit(self, loaded, unit);
        self.take_changes()
    }
}

#[cfg(test)]
mod tests;
