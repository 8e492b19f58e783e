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
    ords: Vec<u32>,
    /// Each node's parent's place, [`NO_PARENT`] for none.
    parents: Vec<u32>,
    /// Each node's shape, by its slot in [`Corpus`].
    pub(crate) shapes: Vec<u32>,
}

/// A top-level node's parent in [`Skeleton::parents`].
const NO_PARENT: u32 = u32::MAX;

impl Skeleton {
    /// The index of the node at `ord`.
    pub(crate) fn at(&self, ord: i64) -> Option<usize> {
        let ord = u32::try_from(ord).ok()?;
        self.ords.binary_search(&ord).ok()
    }

    /// The place of node `i`.
    pub(crate) fn ord(&self, i: usize) -> i64 {
        i64::from(self.ords[i])
    }

    /// The place of node `i`'s parent, if any.
    pub(crate) fn parent(&self, i: usize) -> Option<i64> {
        Some(self.parents[i])
            .filter(|p| *p != NO_PARENT)
            .map(i64::from)
    }
}

/// No text in a slot of [`Corpus::shape_texts`].
pub(crate) const NO_TEXT: u32 = u32::MAX;

/// A node shape as a search needs it.
#[derive(Debug)]
struct ShapeEntry {
    id: i64,
    /// Its texts' slots in the order a hit is looked for: title, text,
    /// commentary ([`NO_TEXT`] where none).
    texts: [u32; 3],
}

/// A text by id, and as written and as searched (NFKC, no white space)
/// once read, if the budget had room.
#[derive(Debug)]
struct TextEntry {
    id: i64,
    held: Option<(String, String)>,
}

/// `text` as a search compares it: NFKC, without white space.
pub(crate) fn searched_form(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// What a text held says of a needle: the first line holding it, if any;
/// or, for a text not held, its id (to be read).
pub(crate) enum Check {
    Held(Option<String>),
    NotHeld(i64),
}

/// The in-memory picture shared by every clone of a store.
#[derive(Debug, Default)]
pub(crate) struct Corpus {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    documents: HashMap<i64, Arc<Skeleton>>,
    shapes: Vec<ShapeEntry>,
    shape_slots: HashMap<i64, u32>,
    texts: Vec<TextEntry>,
    text_slots: HashMap<i64, u32>,
    text_bytes: usize,
}

impl Inner {
    /// The slot of text `id`, made if new.
    fn text_slot(&mut self, id: i64) -> u32 {
        if let Some(slot) = self.text_slots.get(&id) {
            return *slot;
        }
        let slot = u32::try_from(self.texts.len()).unwrap_or(NO_TEXT);
        self.texts.push(TextEntry { id, held: None });
        self.text_slots.insert(id, slot);
        slot
    }
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

    /// The shape ids of `ids` not held, sorted, each once.
    pub(crate) fn unknown_shapes(&self, ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
        let inner = self.inner();
        let mut unknown: Vec<i64> = ids
            .into_iter()
            .filter(|id| !inner.shape_slots.contains_key(id))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    /// Keeps shapes: (id, their text ids: title, text, commentary).
    pub(crate) fn keep_shapes(&self, shapes: impl IntoIterator<Item = (i64, [Option<i64>; 3])>) {
        let mut inner = self.inner();
        for (id, texts) in shapes {
            if inner.shape_slots.contains_key(&id) {
                continue;
            }
            let texts = texts.map(|t| t.map_or(NO_TEXT, |t| inner.text_slot(t)));
            let slot = u32::try_from(inner.shapes.len()).unwrap_or(u32::MAX);
            inner.shapes.push(ShapeEntry { id, texts });
            inner.shape_slots.insert(id, slot);
        }
    }
    /// Keeps a document's nodes `(ord, parent, shape id)`, read at
    /// `revision`; its shapes must be held. Returns false (and keeps
    /// nothing) when one is not, or a place is beyond what is kept
    /// (2³² − 1 nodes).
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
            let place = |o: i64| u32::try_from(o).ok().filter(|o| *o != NO_PARENT);
            let (Some(slot), Some(ord)) = (inner.shape_slots.get(&shape), place(ord)) else {
                return false;
            };
            let parent = match parent {
                Some(p) => match place(p) {
                    Some(p) => p,
                    None => return false,
                },
                None => NO_PARENT,
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

    /// How many shapes are held (every shape slot is below it).
    pub(crate) fn shape_count(&self) -> usize {
        self.inner().shapes.len()
    }

    /// How many texts are known (every text slot is below it).
    pub(crate) fn text_count(&self) -> usize {
        self.inner().texts.len()
    }

    /// The id of the shape at `slot`.
    pub(crate) fn shape_id(&self, slot: u32) -> Option<i64> {
        self.inner().shapes.get(slot as usize).map(|s| s.id)
    }

    /// The text slots of the shapes at `slots`.
    pub(crate) fn shape_texts(&self, slots: &[u32]) -> Vec<[u32; 3]> {
        let inner = self.inner();
        slots
            .iter()
            .map(|slot| inner.shapes[*slot as usize].texts)
            .collect()
    }

    /// Of the texts at `slots`, the ids of those not held while the
    /// budget `budget` has room (none once it is spent).
    pub(crate) fn texts_to_read(&self, slots: &[u32], budget: usize) -> Vec<i64> {
        let inner = self.inner();
        if inner.text_bytes >= budget {
            return Vec::new();
        }
        slots
            .iter()
            .map(|slot| &inner.texts[*slot as usize])
            .filter(|t| t.held.is_none())
            .map(|t| t.id)
            .collect()
    }

    /// Keeps texts read (id, as written), while the budget `budget`
    /// allows.
    pub(crate) fn keep_texts(&self, texts: Vec<(i64, String)>, budget: usize) {
        let mut inner = self.inner();
        for (id, body) in texts {
            let searched = searched_form(&body);
            let bytes = body.len() + searched.len();
            if inner.text_bytes + bytes > budget {
                continue;
            }
            inner.text_bytes += bytes;
            let slot = inner.text_slot(id) as usize;
            inner.texts[slot].held = Some((body, searched));
        }
    }

    /// Checks the texts at `slots` for `needle` (as searched), in order.
    pub(crate) fn check(
        &self,
        slots: &[u32],
        needle: &str,
        line_holding: impl Fn(&str) -> Option<String>,
    ) -> Vec<Check> {
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let inner = self.inner();
        slots
            .iter()
            .map(|slot| {
                let text = &inner.texts[*slot as usize];
                match &text.held {
                    Some((body, searched)) => Check::Held(
                        finder
                            .find(searched.as_bytes())
                            .and_then(|_| line_holding(body)),
                    ),
                    None => Check::NotHeld(text.id),
                }
            })
            .collect()
    }
}
