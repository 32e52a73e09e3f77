//! What one statement changed in the catalog: the answer every consumer
//! reads instead of working out drops and renames on its own.
use super::model::{ObjectId, Property};
use crate::analysis::facts::ObjectRef;
use crate::HashSet;

/// Created, dropped (with everything that went with it), renamed, altered.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub created: Vec<ObjectId>,
    /// Objects that existed and were defined anew (CREATE OR REPLACE).
    pub replaced: Vec<ObjectId>,
    /// The objects the statement drops, then what went with them: a
    /// table's columns, constraints, indexes, policies and triggers; views,
    /// policies and foreign keys that needed a dropped object.
    pub dropped: Vec<ObjectId>,
    /// What the dropped objects needed and is still there (the key a
    /// dropped foreign key referenced, the table a dropped view read), each
    /// with the dropped object that needed it. A drop of one of them
    /// without CASCADE could run only after this.
    pub released: Vec<(ObjectRef, ObjectRef)>,
    /// From → to, what belongs to a renamed object included.
    pub renamed: Vec<(ObjectId, ObjectId)>,
    pub altered: Vec<Altered>,
}

/// A property set or unset, with its value before.
#[derive(Debug, Clone)]
pub struct Altered {
    pub object: ObjectId,
    pub property: &'static str,
    /// `None`: the object had no such property (no default...).
    pub before: Option<Property>,
}

impl Changes {
    pub(super) fn altered(
        &mut self,
        object: &ObjectId,
        property: &'static str,
        before: Option<Property>,
    ) {
        self.altered.push(Altered {
            object: object.clone(),
            property,
            before,
        });
    }

    /// What the statement made is created, not altered; a property set
    /// twice keeps its first value before.
    pub(super) fn settle(&mut self) {
        let dropped = &self.dropped;
        self.released
            .retain(|(needed, _)| !dropped.iter().any(|gone| gone.object.same_as(needed)));
        self.released.sort();
        self.released.dedup();
        let made: HashSet<&ObjectId> = self.created.iter().chain(&self.replaced).collect();
        let mut seen: HashSet<(&ObjectId, &str)> = HashSet::default();
        let kept: Vec<bool> = (self.altered.iter())
            .map(|altered| {
                seen.insert((&altered.object, altered.property)) && !made.contains(&altered.object)
            })
            .collect();
        let mut kept = kept.into_iter();
        self.altered.retain(|_| kept.next().unwrap_or(false));
    }
}
