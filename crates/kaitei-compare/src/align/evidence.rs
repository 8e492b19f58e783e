//! Evidence that two containers (nodes with children) are the same: their
//! own title and text, and where their descendants went.
//!
//! Whole-subtree similarity is weak evidence where text is templated: two
//! chapters written from one template share almost all of their bigrams,
//! and a chapter inserted before them makes an order-preserving match
//! pair each chapter with its predecessor. What tells chapters apart is
//! their own title, and their descendants: a clause whose text is found
//! exactly once in each document (an *anchor*) says where its subtree
//! went, and a chapter whose anchored clauses went into one new chapter
//! is that chapter, whatever its number or title.

use rustc_hash::FxHashMap as HashMap;

use crate::flat::FlatDoc;

/// A container pair's descendants are judged by their anchors alone when
/// the two have at least this many anchored descendants between them;
/// with fewer, by whole-subtree similarity (a small or much-edited
/// container has too few anchors to say anything).
pub const ANCHORS_DECIDE: usize = 4;

/// Nodes whose text is found exactly once in each document, and how many
/// of them lie below each node.
#[derive(Debug)]
pub(super) struct Anchors {
    /// For each old node, the new node with the same text, when the text is
    /// unique on both sides.
    twin: Vec<Option<usize>>,
    /// The same from new to old.
    old_twin: Vec<Option<usize>>,
    /// `old_before[i]`: how many old nodes before `i` (in pre-order) are
    /// anchored; a subtree's count is a difference of two.
    old_before: Vec<u32>,
    /// The same for new nodes.
    new_before: Vec<u32>,
}

impl Anchors {
    /// Finds the anchors of two documents.
    pub(super) fn new(old: &FlatDoc, new: &FlatDoc) -> Anchors {
        // Per text: (count in old, last old index, count in new, last new index).
        let mut seen: HashMap<&str, (u32, usize, u32, usize)> = HashMap::default();
        seen.reserve(old.len());
        for (i, n) in old.nodes.iter().enumerate() {
            if !n.content.is_empty() {
                let e = seen.entry(n.content.as_ref()).or_insert((0, 0, 0, 0));
                e.0 += 1;
                e.1 = i;
            }
        }
        for (j, n) in new.nodes.iter().enumerate() {
            if let Some(e) = seen.get_mut(n.content.as_ref()) {
                e.2 += 1;
                e.3 = j;
            }
        }
        let mut twin = vec![None; old.len()];
        let mut old_twin = vec![None; new.len()];
        for &(co, o, cn, n) in seen.values() {
            if co == 1 && cn == 1 {
                twin[o] = Some(n);
                old_twin[n] = Some(o);
            }
        }
        let prefix = |flags: &mut dyn Iterator<Item = bool>| {
            let mut v = vec![0u32];
            for f in flags {
                let last = *v.last().unwrap_or(&0);
                v.push(last + u32::from(f));
            }
            v
        };
        let old_before = prefix(&mut twin.iter().map(Option::is_some));
        let new_before = prefix(&mut old_twin.iter().map(Option::is_some));
        Anchors {
            twin,
            old_twin,
            old_before,
            new_before,
        }
    }

    /// The new twin of old node `o`.
    pub(super) fn twin(&self, o: usize) -> Option<usize> {
        self.twin[o]
    }

    /// The old twin of new node `n`.
    pub(super) fn old_twin(&self, n: usize) -> Option<usize> {
        self.old_twin[n]
    }

    /// How many anchored nodes lie strictly below `i`.
    fn below(before: &[u32], doc: &FlatDoc, i: usize) -> usize {
        (before[doc.nodes[i].end] - before[i + 1]) as usize
    }

    /// How much the descendants of old `o` and new `n` agree: the Dice
    /// coefficient of their anchored descendants (an anchor counts as
    /// shared when its twin lies below the other node), or `None` when
    /// they have fewer than [`ANCHORS_DECIDE`] anchored descendants
    /// between them.
    pub(super) fn agreement(
        &self,
        old: &FlatDoc,
        new: &FlatDoc,
        o: usize,
        n: usize,
    ) -> Option<f64> {
        let total = Self::below(&self.old_before, old, o) + Self::below(&self.new_before, new, n);
        if total < ANCHORS_DECIDE {
            return None;
        }
        let (lo, hi) = (n + 1, new.nodes[n].end);
        let shared = self.twin[o + 1..old.nodes[o].end]
            .iter()
            .filter(|t| t.is_some_and(|t| lo <= t && t < hi))
            .count();
        Some(2.0 * shared as f64 / total as f64)
    }
}
