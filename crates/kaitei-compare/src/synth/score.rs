//! Scoring an alignment against a revision's truth.

use kaitei_model::{Document, NodeKind};

use super::Revision;

/// Hits, predicted and true pairs of an alignment against a revision's
/// truth: precision is `hits / predicted`, recall `hits / truth`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Predicted pairs that are true.
    pub hits: usize,
    /// Pairs the alignment made.
    pub predicted: usize,
    /// Pairs the truth holds.
    pub truth: usize,
}

impl Tally {
    /// hits / predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.hits as f64 / self.predicted as f64
        }
    }

    /// hits / truth (1 when there is no truth).
    pub fn recall(&self) -> f64 {
        if self.truth == 0 {
            1.0
        } else {
            self.hits as f64 / self.truth as f64
        }
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// The sum of two tallies (pooled over several pairs).
    pub fn plus(self, o: Tally) -> Tally {
        Tally {
            hits: self.hits + o.hits,
            predicted: self.predicted + o.predicted,
            truth: self.truth + o.truth,
        }
    }
}

/// Scores the alignment of `old` with `rev.document` against the truth:
/// over every node pair, and over item pairs alone (a pair counts as an
/// item pair when either node is an item; the truth's when its old node
/// is).
pub fn evaluate(old: &Document, rev: &Revision) -> (Tally, Tally) {
    use std::collections::{HashMap, HashSet};
    let cmp = crate::table::compare(old, &rev.document, crate::KeyUse::Pinned);
    let key = |d: &crate::FlatDoc, i: usize| d.nodes[i].node.key.as_str().to_string();
    let is_item = |d: &crate::FlatDoc, i: usize| d.nodes[i].node.kind == NodeKind::Item;
    let mut predicted: HashSet<(String, String)> = HashSet::new();
    let mut predicted_items: HashSet<(String, String)> = HashSet::new();
    for &(o, n, _) in &cmp.alignment.links {
        let pair = (key(&cmp.old, o), key(&cmp.new, n));
        if is_item(&cmp.old, o) || is_item(&cmp.new, n) {
            predicted_items.insert(pair.clone());
        }
        predicted.insert(pair);
    }
    let old_kind: HashMap<&str, NodeKind> = old.nodes().map(|n| (n.key.as_str(), n.kind)).collect();
    let truth: HashSet<(String, String)> = rev.truth.iter().cloned().collect();
    let truth_items: HashSet<(String, String)> = truth
        .iter()
        .filter(|(o, _)| old_kind.get(o.as_str()) == Some(&NodeKind::Item))
        .cloned()
        .collect();
    let tally = |p: &HashSet<(String, String)>, t: &HashSet<(String, String)>| Tally {
        hits: p.intersection(t).count(),
        predicted: p.len(),
        truth: t.len(),
    };
    (
        tally(&predicted, &truth),
        tally(&predicted_items, &truth_items),
    )
}
