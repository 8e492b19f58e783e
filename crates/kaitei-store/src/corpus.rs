//! What a search reads, kept in memory: each document's nodes as places
//! and shapes, each shape's key, label and texts by id, and the texts
//! themselves within a budget.
//!
//! Text is stored once (see the texts module), so a national database of
//! about a million nodes is some 38,000 shapes and 36,000 texts (9 MB): a
//! document's nodes in memory are a few bytes each. Walking them there and
//! checking each distinct text once makes a search a matter of
//! milliseconds on either backend, where asking the database for the
//! nodes of candidate shapes took hundreds on PostgreSQL (its planner
//! cannot size an id list).
//!
//! Nothing here goes stale. Texts and shapes are never changed once
//! stored — a new text or shape is a new row —, so they are kept by id.
//! A document's nodes change only when a clause's text is replaced, which
//! raises its `nodes_revision` (migration 0018): a search reads every
//! visible document's revision anyway and reloads a document whose
//! revision moved, whichever server made the change.

use std::sync::{Arc, Mutex, PoisonError};

use foldhash::HashMap;

use kaitei_model::text::normalize;

/// Bytes of text kept in memory (each text as written and as searched):
/// beyond it, texts are checked through the bigram index and read from
/// the database.
pub(crate) const TEXT_BUDGET: usize = 256 << 20;

/// A document's nodes in order, as read at `revision`: column by column,
/// so that a walk over a million nodes reads 4 bytes of each.
#[derive(Debug)]
pub(crate) struct Skeleton {
    pub(crate) revision: i64,
    /// Each node's place in its document, ascending.
    pub(crate) ords: Vec<i64>,
    /// Each node's parent's place, if any.
    pub(crate) parents: Vec<Option<i64>>,
    /// Each node's shape, by its slot in [`Corpus`].
    pub(crate) shapes: Vec<u32>,
}

impl Skeleton {
    /// The index of the node at `ord`.
    pub(crate) fn at(&self, ord: i64) -> Option<usize> {
        self.ords.binary_search(&ord).ok()
    }
}

/// A node shape as a search needs it.
#[derive(Debug)]
pub(crate) struct ShapeEntry {
    pub(crate) id: i64,
    /// Its texts in the order a hit is looked for: title, text,
    /// commentary.
    pub(crate) texts: Vec<i64>,
}

/// A text as written and as searched (NFKC, no white space).
#[derive(Debug)]
pub(crate) struct CachedText {
    pub(crate) body: String,
    pub(crate) searched: String,
}

impl CachedText {
    pub(crate) fn new(body: String) -> CachedText {
        let searched = searched_form(&body);
        CachedText { body, searched }
    }

    fn bytes(&self) -> usize {
        self.body.len() + self.searched.len()
    }
}

/// `text` as a search compares it: NFKC, without white space.
pub(crate) fn searched_form(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Of `ids`, those not `held`: sorted, each once.
fn absent(ids: impl IntoIterator<Item = i64>, held: impl Fn(&i64) -> bool) -> Vec<i64> {
    let mut out: Vec<i64> = ids.into_iter().filter(|id| !held(id)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The in-memory picture shared by every clone of a store.
#[derive(Debug, Default)]
pub(crate) struct Corpus {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    documents: HashMap<i64, Arc<Skeleton>>,
    shapes: Vec<Arc<ShapeEntry>>,
    slots: HashMap<i64, u32>,
    texts: HashMap<i64, Arc<CachedText>>,
    text_bytes: usize,
}

impl Corpus {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // What is kept is whole at every step: a panic elsewhere leaves
        // nothing half-written.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The documents of `wanted` (id, revision) not held at that revision.
    pub(crate) fn stale(&self, wanted: impl IntoIterator<Item = (i64, i64)>) -> Vec<i64> {
        let inner = self.inner();
        wanted
            .into_iter()
            .filter(|(id, revision)| {
                inner
                    .documents
                    .get(id)
                    .is_none_or(|s| s.revision != *revision)
            })
            .map(|(id, _)| id)
            .collect()
    }

    /// The shape ids of `ids` not held.
    pub(crate) fn unknown_shapes(&self, ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
        let inner = self.inner();
        absent(ids, |id| inner.slots.contains_key(id))
    }

    /// Keeps shapes (id, texts).
    pub(crate) fn keep_shapes(&self, shapes: impl IntoIterator<Item = (i64, Vec<i64>)>) {
        let mut inner = self.inner();
        for (id, texts) in shapes {
            if inner.slots.contains_key(&id) {
                continue;
            }
            let slot = u32::try_from(inner.shapes.len()).unwrap_or(u32::MAX);
            inner.shapes.push(Arc::new(ShapeEntry { id, texts }));
            inner.slots.insert(id, slot);
        }
    }

    /// Keeps a document's nodes `(ord, parent, shape id)`, read at
    /// `revision`; its shapes must be held. Returns false (and keeps
    /// nothing) when one is not.
    pub(crate) fn keep_document(
        &self,
        id: i64,
        revision: i64,
        rows: &[(i64, Option<i64>, i64)],
    ) -> bool {
        let mut inner = self.inner();
        let mut rows = rows.to_vec();
        rows.sort_unstable_by_key(|r| r.0);
        let mut skeleton = Skeleton {
            revision,
            ords: Vec::with_capacity(rows.len()),
            parents: Vec::with_capacity(rows.len()),
            shapes: Vec::with_capacity(rows.len()),
        };
        for (ord, parent, shape) in rows {
            let Some(slot) = inner.slots.get(&shape) else {
                return false;
            };
            skeleton.ords.push(ord);
            skeleton.parents.push(parent);
            skeleton.shapes.push(*slot);
        }
        inner.documents.insert(id, Arc::new(skeleton));
        true
    }

    /// The documents `ids` as held (each must be: see [`Corpus::stale`]).
    pub(crate) fn skeletons(
        &self,
        ids: impl IntoIterator<Item = i64>,
    ) -> Vec<Option<Arc<Skeleton>>> {
        let inner = self.inner();
        ids.into_iter()
            .map(|id| inner.documents.get(&id).cloned())
            .collect()
    }

    /// Every shape held, by slot (a snapshot: later ones are not in it).
    pub(crate) fn shapes(&self) -> Vec<Arc<ShapeEntry>> {
        self.inner().shapes.clone()
    }

    /// How many shapes are held (every slot is below it).
    pub(crate) fn shape_count(&self) -> usize {
        self.inner().shapes.len()
    }

    /// The shapes at `slots` (each held).
    pub(crate) fn shapes_at(&self, slots: &[u32]) -> Vec<Arc<ShapeEntry>> {
        let inner = self.inner();
        slots
            .iter()
            .map(|slot| inner.shapes[*slot as usize].clone())
            .collect()
    }

    /// Of `ids`, those not held (sorted, once each).
    pub(crate) fn texts_missing(&self, ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
        let inner = self.inner();
        absent(ids, |id| inner.texts.contains_key(id))
    }

    /// Whether texts read now may be kept within `budget` bytes.
    pub(crate) fn has_room(&self, budget: usize) -> bool {
        self.inner().text_bytes < budget
    }

    /// Keeps texts read, while the budget `budget` allows.
    pub(crate) fn keep_texts(&self, texts: Vec<(i64, String)>, budget: usize) {
        let mut inner = self.inner();
        for (id, body) in texts {
            let text = CachedText::new(body);
            if inner.text_bytes + text.bytes() > budget {
                continue;
            }
            inner.text_bytes += text.bytes();
            inner.texts.insert(id, Arc::new(text));
        }
    }

    /// The texts `ids` held (those not held are missing from the map).
    pub(crate) fn texts(
        &self,
        ids: impl IntoIterator<Item = i64>,
    ) -> HashMap<i64, Arc<CachedText>> {
        let inner = self.inner();
        ids.into_iter()
            .filter_map(|id| inner.texts.get(&id).map(|t| (id, t.clone())))
            .collect()
    }
}
