//! Comparisons already rendered, by (old, new, format, context): editions
//! never change once stored, so a 新旧対照表 made once serves every later
//! request for it. Bounded by bytes; when full it starts afresh.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kaitei_app::TableFormat;
use kaitei_app::table::Layout;
use kaitei_model::EditionName;

use axum::body::Bytes;

/// Most bytes kept.
const CAPACITY_BYTES: usize = 64 * 1024 * 1024;

/// What a rendering is of: (old, new, the file's format — `None` for the
/// page's fragment — and the layout).
pub type OutputKey = (EditionName, EditionName, Option<TableFormat>, Layout);

/// The cache.
#[derive(Default)]
pub struct OutputCache {
    /// Held while a rendering is made, so that it is made once.
    pub making: tokio::sync::Mutex<()>,
    entries: Mutex<(HashMap<OutputKey, Bytes>, usize)>,
    /// How many renderings were made (what the cache saves is counted).
    renderings: AtomicUsize,
}

impl OutputCache {
    /// The rendering of `key`, if made before.
    pub fn get(&self, key: &OutputKey) -> Option<Bytes> {
        self.entries.lock().ok()?.0.get(key).cloned()
    }

    /// Counts one rendering made.
    pub fn count_rendering(&self) {
        self.renderings.fetch_add(1, Ordering::Relaxed);
    }

    /// How many renderings were made.
    #[cfg(test)]
    pub fn renderings(&self) -> usize {
        self.renderings.load(Ordering::Relaxed)
    }

    /// Keeps `bytes` as the rendering of `key` (unless larger than the cache).
    pub fn put(&self, key: OutputKey, bytes: Bytes) {
        if bytes.len() > CAPACITY_BYTES {
            return;
        }
        if let Ok(mut guard) = self.entries.lock() {
            let (map, size) = &mut *guard;
            if *size + bytes.len() > CAPACITY_BYTES {
                map.clear();
                *size = 0;
            }
            *size += bytes.len();
            if let Some(old) = map.insert(key, bytes) {
                *size -= old.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: usize) -> OutputKey {
        let name = |s| EditionName::parse(s).unwrap();
        let layout = Layout {
            context: n,
            ..Layout::default()
        };
        (name("a"), name("b"), Some(TableFormat::Html), layout)
    }

    #[test]
    fn keeps_and_stays_bounded() {
        let cache = OutputCache::default();
        cache.put(key(0), Bytes::from_static(b"x"));
        assert_eq!(cache.get(&key(0)).as_deref(), Some(&b"x"[..]));
        assert!(cache.get(&key(1)).is_none());
        let big = Bytes::from(vec![0u8; CAPACITY_BYTES / 2 + 1]);
        cache.put(key(1), big.clone());
        cache.put(key(2), big);
        let guard = cache.entries.lock().unwrap();
        assert!(guard.1 <= CAPACITY_BYTES);
        assert_eq!(guard.1, guard.0.values().map(Bytes::len).sum::<usize>());
    }
}
