//! A map shared between requests and bounded by the bytes its values
//! take: what the server keeps rendered (comparisons, pages). When a
//! value would take it over its bound it starts afresh — simpler than
//! evicting one by one, and what it holds is only ever a faster way to an
//! answer the server can make again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// The map: each value kept with the size it was counted at.
pub struct BoundedMap<K, V> {
    capacity: usize,
    entries: Mutex<Entries<K, V>>,
}

struct Entries<K, V> {
    map: HashMap<K, (V, usize)>,
    total: usize,
}

impl<K: Eq + Hash, V> BoundedMap<K, V> {
    /// An empty map holding at most `capacity` bytes.
    pub fn new(capacity: usize) -> BoundedMap<K, V> {
        BoundedMap {
            capacity,
            entries: Mutex::new(Entries {
                map: HashMap::new(),
                total: 0,
            }),
        }
    }

    /// What `read` makes of the value kept for `key`, if there is one
    /// (and the lock was not poisoned).
    pub fn read<R>(&self, key: &K, read: impl FnOnce(&V) -> Option<R>) -> Option<R> {
        let entries = self.entries.lock().ok()?;
        entries.map.get(key).and_then(|(v, _)| read(v))
    }

    /// Keeps `value` for `key`, counted as `size` bytes; a value larger
    /// than the whole bound is not kept.
    pub fn put(&self, key: K, value: V, size: usize) {
        if size > self.capacity {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let entries = &mut *entries;
        if let Some((_, old)) = entries.map.remove(&key) {
            entries.total -= old;
        }
        if entries.total + size > self.capacity {
            entries.map.clear();
            entries.total = 0;
        }
        entries.total += size;
        entries.map.insert(key, (value, size));
    }

    /// How many values are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.map.len())
    }

    /// How many bytes the values kept were counted at.
    #[cfg(test)]
    pub fn total(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.total)
    }

    /// The bytes of the values kept, counted afresh by `size`: for tests
    /// that the running total is what is kept.
    #[cfg(test)]
    pub fn recount(&self, size: impl Fn(&K, &V) -> usize) -> usize {
        self.entries
            .lock()
            .map_or(0, |e| e.map.iter().map(|(k, (v, _))| size(k, v)).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_replaces_and_stays_bounded() {
        let map = BoundedMap::new(10);
        map.put("a", 1, 4);
        assert_eq!(map.read(&"a", |v| Some(*v)), Some(1));
        assert_eq!(map.read(&"b", |v| Some(*v)), None);
        // Replacing counts the new size only.
        map.put("a", 2, 6);
        assert_eq!((map.len(), map.total()), (1, 6));
        assert_eq!(map.read(&"a", |v| Some(*v)), Some(2));
        // Exactly full is kept…
        map.put("b", 3, 4);
        assert_eq!((map.len(), map.total()), (2, 10));
        // …one byte more starts afresh with the newcomer alone.
        map.put("c", 4, 1);
        assert_eq!((map.len(), map.total()), (1, 1));
        assert_eq!(map.read(&"c", |v| Some(*v)), Some(4));
        // Larger than the whole bound: not kept, nothing dropped.
        map.put("d", 5, 11);
        assert_eq!((map.len(), map.total()), (1, 1));
        // A reader may decline what is kept (a stale page).
        assert_eq!(map.read(&"c", |_| None::<i32>), None);
    }
}
