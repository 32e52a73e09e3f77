//! A map over a shared, frozen base: a copy costs a count, and holds only
//! the entries it changed. What the environment's statements leave is such
//! a base, and every plan starts from a copy of it.
use std::hash::Hash;
use std::sync::Arc;

use crate::HashMap;

#[derive(Debug, Clone)]
pub struct Layered<K, V> {
    base: Arc<HashMap<K, V>>,
    /// Entries set (`Some`) or removed (`None`) over the base.
    own: HashMap<K, Option<V>>,
}

impl<K, V> Default for Layered<K, V> {
    fn default() -> Self {
        Self {
            base: Arc::default(),
            own: HashMap::default(),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> Layered<K, V> {
    /// Makes every entry part of the base, which copies share.
    pub fn freeze(&mut self) {
        let base = Arc::make_mut(&mut self.base);
        for (key, value) in self.own.drain() {
            match value {
                Some(value) => base.insert(key, value),
                None => base.remove(&key),
            };
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        match self.own.get(key) {
            Some(slot) => slot.as_ref(),
            None => self.base.get(key),
        }
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// The entry to change in place; one of the base's is copied first.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        if !self.own.contains_key(key) {
            let value = self.base.get(key)?.clone();
            self.own.insert(key.clone(), Some(value));
        }
        self.own.get_mut(key)?.as_mut()
    }

    /// The entry to change in place, made with its default if there is none.
    pub fn get_or_default(&mut self, key: &K) -> &mut V
    where
        V: Default,
    {
        let base = &self.base;
        let slot = (self.own.entry(key.clone())).or_insert_with(|| base.get(key).cloned());
        slot.get_or_insert_with(V::default)
    }

    pub fn insert(&mut self, key: K, value: V) {
        self.own.insert(key, Some(value));
    }

    /// Takes the entry out: its value, if there was one.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let value = match self.own.remove(key) {
            Some(slot) => slot,
            None => self.base.get(key).cloned(),
        };
        if self.base.contains_key(key) {
            self.own.insert(key.clone(), None);
        }
        value
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        let own = (self.own.iter()).filter_map(|(key, slot)| Some((key, slot.as_ref()?)));
        let base = (self.base.iter()).filter(|(key, _)| !self.own.contains_key(*key));
        own.chain(base)
    }

    /// Keeps the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let gone: Vec<K> = (self.iter())
            .filter(|(key, value)| !keep(key, value))
            .map(|(key, _)| key.clone())
            .collect();
        for key in gone {
            self.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Bump(u8),
        Touch(u8),
        RetainEven,
        Freeze,
        Copy,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..12, any::<u16>()).prop_map(|(k, v)| Op::Insert(k, v)),
            (0u8..12).prop_map(Op::Remove),
            (0u8..12).prop_map(Op::Bump),
            (0u8..12).prop_map(Op::Touch),
            Just(Op::RetainEven),
            Just(Op::Freeze),
            Just(Op::Copy),
        ]
    }

    proptest! {
        /// Whatever is set, removed, changed or made in place, frozen or copied,
        /// the layers read as one plain map, and a copy never changes the
        /// map it was copied from.
        #[test]
        fn layers_read_as_one_map(ops in proptest::collection::vec(op(), 0..60)) {
            let mut layered: Layered<u8, u16> = Layered::default();
            let mut plain: BTreeMap<u8, u16> = BTreeMap::new();
            let mut copies: Vec<(Layered<u8, u16>, BTreeMap<u8, u16>)> = Vec::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => {
                        layered.insert(k, v);
                        plain.insert(k, v);
                    }
                    Op::Remove(k) => prop_assert_eq!(layered.remove(&k), plain.remove(&k)),
                    Op::Bump(k) => {
                        let got = layered.get_mut(&k).map(|v| { *v = v.wrapping_add(1); *v });
                        let want = plain.get_mut(&k).map(|v| { *v = v.wrapping_add(1); *v });
                        prop_assert_eq!(got, want);
                    }
                    Op::Touch(k) => {
                        *layered.get_or_default(&k) += 1;
                        *plain.entry(k).or_default() += 1;
                    }
                    Op::RetainEven => {
                        layered.retain(|_, v| v % 2 == 0);
                        plain.retain(|_, v| *v % 2 == 0);
                    }
                    Op::Freeze => layered.freeze(),
                    Op::Copy => copies.push((layered.clone(), plain.clone())),
                }
                let read: BTreeMap<u8, u16> = layered.iter().map(|(k, v)| (*k, *v)).collect();
                prop_assert_eq!(&read, &plain);
                prop_assert_eq!(layered.iter().count(), plain.len());
                for k in 0..12 {
                    prop_assert_eq!(layered.get(&k), plain.get(&k));
                }
            }
            for (copy, then) in &copies {
                let read: BTreeMap<u8, u16> = copy.iter().map(|(k, v)| (*k, *v)).collect();
                prop_assert_eq!(&read, then);
            }
        }
    }
}
