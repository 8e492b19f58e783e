//! Comparisons already rendered, by (old, new, format, context): editions
//! never change once stored, so a 新旧対照表 made once serves every later
//! request for it. Bounded by bytes; when full it starts afresh.

use std::sync::atomic::{AtomicUsize, Ordering};

use kaitei_app::TableFormat;
use kaitei_app::table::Layout;
use kaitei_model::EditionName;

use axum::body::Bytes;

use crate::bounded::BoundedMap;

/// Most bytes kept.
const CAPACITY_BYTES: usize = 64 * 1024 * 1024;

/// What a rendering is of: (old, new, the file's format — `None` for the
/// page's fragment — and the layout).
pub type OutputKey = (EditionName, EditionName, Option<TableFormat>, Layout);

/// The cache.
pub struct OutputCache {
    /// Held while a rendering is made, so that it is made once.
    pub making: tokio::sync::Mutex<()>,
    entries: BoundedMap<OutputKey, Bytes>,
    /// How many renderings were made (what the cache saves is counted).
    renderings: AtomicUsize,
}

impl Default for OutputCache {
    fn default() -> OutputCache {
        OutputCache {
            making: Default::default(),
            entries: BoundedMap::new(CAPACITY_BYTES),
            renderings: AtomicUsize::new(0),
        }
    }
}

impl OutputCache {
    /// The rendering of `key`, if made before.
    pub fn get(&self, key: &OutputKey) -> Option<Bytes> {
        self.entries.read(key, |bytes| Some(bytes.clone()))
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
        let size = bytes.len();
        self.entries.put(key, bytes, size);
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
        assert!(cache.entries.total() <= CAPACITY_BYTES);
        assert_eq!(
            cache.entries.total(),
            cache.entries.recount(|_, bytes| bytes.len())
        );
        assert_eq!(cache.entries.len(), 1);
        assert!(cache.get(&key(2)).is_some());
    }
}
