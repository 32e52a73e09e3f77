//! Keys for the items of a list that a new plan redraws: an item keeps its
//! key when items are added or removed before it, so only the items that
//! changed are drawn again, and what a person opened in one (a fix, a
//! rule's docs, a step's SQL) stays with it.
use std::collections::HashMap;

/// `names` made unique: a count tells identical names apart.
pub fn unique_keys(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    (names.into_iter())
        .map(|name| {
            let count = seen.entry(name.clone()).or_default();
            *count += 1;
            format!("{name} #{count}")
        })
        .collect()
}
