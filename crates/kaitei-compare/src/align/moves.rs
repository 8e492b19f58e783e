//! The passes after the top-down one: moves anywhere in the trees,
//! containers, splits and merges.

use rustc_hash::FxHashMap as HashMap;

use super::{
    CONTAINER_SHARE, How, MOVE_BAND, MOVE_BUCKET, MOVE_MARGIN, MOVE_MIN, PIECE_CONTAINED, State,
};
use crate::flat::FlatDoc;
use crate::similarity::Bigrams;

impl State<'_, '_> {
    /// The global assignment pass: returns how many pairs it made.
    pub(super) fn moves(&mut self) -> usize {
        // A text found exactly once in each document is the same clause,
        // wherever it went: no look-alike can be a better counterpart
        // than its exact twin, however close (and where text is templated,
        // look-alikes are close).
        let mut made = 0;
        for o in 0..self.old.len() {
            if let Some(n) = self.anchors.twin(o)
                && self.om[o].is_none()
                && self.nm[n].is_none()
            {
                self.pair(o, n, How::Move);
                made += 1;
            }
        }
        let os: Vec<usize> = (0..self.old.len())
            .filter(|&o| self.om[o].is_none())
            .collect();
        let ns: Vec<usize> = (0..self.new.len())
            .filter(|&n| self.nm[n].is_none())
            .collect();
        let size = |d: &FlatDoc, i: usize| d.nodes[i].subtree_len;
        let mut candidates = Vec::new();
        let mut best_old: HashMap<usize, (f64, f64)> = HashMap::default();
        let mut best_new: HashMap<usize, (f64, f64)> = HashMap::default();
        let note = |m: &mut HashMap<usize, (f64, f64)>, k: usize, s: f64| {
            let e = m.entry(k).or_insert((0.0, 0.0));
            if s > e.0 {
                e.1 = e.0;
                e.0 = s;
            } else if s > e.1 {
                e.1 = s;
            }
        };
        // Candidate pairs share one of their sketches' smallest hashes (a
        // MinHash band): two texts with Jaccard J miss each other with
        // probability about (1 - J)^MOVE_BAND, under 0.1% at the lowest
        // score that matters, and unrelated clauses are never scored.
        let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::default();
        for &o in &os {
            for &h in self.old.subtree(o).smallest(MOVE_BAND) {
                by_hash.entry(h).or_default().push(o);
            }
        }
        // Stock phrases (「…しなければならない。」) put their bigrams in
        // almost every clause: a bucket that large says nothing.
        let cap = MOVE_BUCKET.min(os.len() / 8).max(4);
        by_hash.retain(|_, v| v.len() <= cap);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &n in &ns {
            let start = pairs.len();
            for h in self.new.subtree(n).smallest(MOVE_BAND) {
                if let Some(olds) = by_hash.get(h) {
                    pairs.extend(olds.iter().map(|&o| (o, n)));
                }
            }
            // A container is also a candidate for every unmatched old
            // container that holds the twin of one of its anchors: where
            // text is templated, the sketches of two chapters look alike
            // and their bands find every chapter or none.
            for d in n + 1..self.new.nodes[n].end {
                let Some(twin) = self.anchors.old_twin(d) else {
                    continue;
                };
                let mut up = self.old.nodes[twin].parent;
                while let Some(a) = up
                    && self.om[a].is_none()
                {
                    pairs.push((a, n));
                    up = self.old.nodes[a].parent;
                }
            }
            pairs[start..].sort_unstable();
            let mut seen = start;
            for i in start..pairs.len() {
                if i == start || pairs[i] != pairs[seen - 1] {
                    pairs[seen] = pairs[i];
                    seen += 1;
                }
            }
            pairs.truncate(seen);
        }
        for (o, n) in pairs {
            {
                let so = size(self.old, o);
                let sn = size(self.new, n);
                let (lo, hi) = (so.min(sn), so.max(sn));
                // Dice cannot exceed 2·min/(min+max): skip hopeless pairs.
                // The bound is against the lowest score that still counts
                // as a runner-up. (Containers are judged on more than
                // their size, and are few.)
                let leaves =
                    self.old.nodes[o].children.is_empty() && self.new.nodes[n].children.is_empty();
                if hi == 0
                    || (leaves && 2.0 * lo as f64 / (lo + hi) as f64 <= MOVE_MIN - MOVE_MARGIN)
                {
                    continue;
                }
                // Later passes meet the same pairs again.
                let s = match self.move_scores.get(&(o, n)) {
                    Some(&s) => s,
                    None => {
                        let s = self.score(o, n);
                        self.move_scores.insert((o, n), s);
                        s
                    }
                };
                if s <= 0.0 {
                    continue;
                }
                note(&mut best_old, o, s);
                note(&mut best_new, n, s);
                if s >= MOVE_MIN {
                    candidates.push((s, o, n));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (s, o, n) in candidates {
            if self.om[o].is_some() || self.nm[n].is_some() {
                continue;
            }
            // The runner-up of each side: its best other score.
            let other = |(best, second): (f64, f64)| if s >= best { second } else { best };
            let runner_up = other(best_old[&o]).max(other(best_new[&n]));
            if s - runner_up >= MOVE_MARGIN {
                self.pair(o, n, How::Move);
                made += 1;
            }
        }
        made
    }

    /// Pairs unmatched containers whose matched children mostly went to
    /// each other.
    pub(super) fn containers(&mut self) -> usize {
        let mut made = 0;
        for n in 0..self.new.len() {
            if self.nm[n].is_some() || self.new.nodes[n].children.is_empty() {
                continue;
            }
            let mut votes: HashMap<usize, usize> = HashMap::default();
            let mut matched = 0;
            for &c in &self.new.nodes[n].children {
                if let Some(oc) = self.nm[c] {
                    matched += 1;
                    if let Some(op) = self.old.nodes[oc].parent {
                        *votes.entry(op).or_default() += 1;
                    }
                }
            }
            let Some((&o, &v)) = votes
                .iter()
                .max_by_key(|(o, v)| (**v, std::cmp::Reverse(**o)))
            else {
                continue;
            };
            let old_children = self.old.nodes[o].children.len();
            if self.om[o].is_none()
                && v as f64 >= CONTAINER_SHARE * matched as f64
                && v as f64
                    >= CONTAINER_SHARE * old_children.min(self.new.nodes[n].children.len()) as f64
                && self.old.nodes[o].node.kind == self.new.nodes[n].node.kind
            {
                self.pair(o, n, How::Container);
                made += 1;
            }
        }
        made
    }

    /// Adds split pieces and merged parts next to existing pairs.
    pub(super) fn splits_and_merges(&mut self) {
        let pairs: Vec<(usize, usize)> = self
            .links
            .iter()
            .filter(|l| self.old.nodes[l.0].content != self.new.nodes[l.1].content)
            .map(|l| (l.0, l.1))
            .collect();
        // Split: unmatched new leaves beside the counterpart of old O whose
        // text is contained in O, and which cover O better with them.
        let mut extra = Vec::new();
        for &(o, n) in &pairs {
            let (after, before) = free_neighbours(self.new, &self.nm, n);
            if after.is_empty() && before.is_empty() {
                continue;
            }
            let pieces = grow(self.new, [after, before], self.new.own(n), self.old.own(o));
            extra.extend(pieces.into_iter().map(|s| (o, s, How::Split)));
        }
        let mut split = vec![false; self.old.len()];
        for (o, s, how) in extra.drain(..) {
            if self.nm[s].is_none() {
                self.nm[s] = Some(o);
                self.links.push((o, s, how));
                split[o] = true;
            }
        }
        // Merge: unmatched old leaves beside the counterpart of new N whose
        // text is contained in N (not for an old node already split).
        for &(o, n) in &pairs {
            if split[o] {
                continue;
            }
            let (after, before) = free_neighbours(self.old, &self.om, o);
            if after.is_empty() && before.is_empty() {
                continue;
            }
            let parts = grow(self.old, [after, before], self.old.own(o), self.new.own(n));
            extra.extend(parts.into_iter().map(|s| (s, n, How::Merge)));
        }
        for (s, n, how) in extra {
            if self.om[s].is_none() {
                self.om[s] = Some(n);
                self.links.push((s, n, how));
            }
        }
    }
}

/// The unmatched leaf siblings of `node` after it and before it (nearest
/// first), each direction up to the first that is not.
fn free_neighbours(
    doc: &FlatDoc,
    matched: &[Option<usize>],
    node: usize,
) -> (Vec<usize>, Vec<usize>) {
    let siblings = doc.children_of(doc.nodes[node].parent);
    let pos = siblings.iter().position(|&s| s == node).unwrap_or(0);
    let free = |s: &usize| matched[*s].is_none() && doc.nodes[*s].children.is_empty();
    let after = siblings[pos + 1..]
        .iter()
        .take_while(|s| free(s))
        .copied()
        .collect();
    let before = siblings[..pos]
        .iter()
        .rev()
        .take_while(|s| free(s))
        .copied()
        .collect();
    (after, before)
}

/// Of the free neighbours of a node (after it, then before it, each
/// direction stopping at the first that does not fit), those whose text
/// is contained in `whole` and which bring `start` closer to it.
fn grow(
    doc: &FlatDoc,
    directions: [Vec<usize>; 2],
    start: &Bigrams,
    whole: &Bigrams,
) -> Vec<usize> {
    let mut found = Vec::new();
    let mut covered = start.clone();
    for direction in directions {
        for s in direction {
            let piece = doc.own(s);
            let with = covered.plus(piece);
            if piece.contained_in(whole) >= PIECE_CONTAINED
                && whole.dice(&with) > whole.dice(&covered)
            {
                found.push(s);
                covered = with;
            } else {
                break;
            }
        }
    }
    found
}
