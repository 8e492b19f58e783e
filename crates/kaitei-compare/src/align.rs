//! Alignment of two node trees: which old node became which new node.
//!
//! 1. Nodes with equal stable keys pair (for two files only pinned keys
//!    count, `CONTRACTS.md`).
//! 2. Top-down, among the children of each matched pair: unique exact texts
//!    first, then an order-preserving dynamic programme over a similarity
//!    score (character-bigram Dice after NFKC; a node with children is
//!    scored on its whole subtree).
//! 3. Moves: an assignment pass over what is left anywhere in the tree. A
//!    move needs a high score *and* a clear margin over the runner-up on
//!    both sides, because guideline text repeats stock phrases across
//!    hundreds of clauses.
//! 4. Containers: an unmatched node whose children mostly went to one
//!    unmatched node on the other side pairs with it.
//! 5. Splits and merges: an unmatched node whose text is contained in an
//!    adjacent sibling's counterpart joins that pair.
//!
//! Labels are never compared: a changed label is a renumbering, not a
//! reason to pair or not.

use rustc_hash::FxHashMap as HashMap;

use crate::flat::FlatDoc;
use crate::similarity::Bigrams;

/// Lowest score at which two siblings (children of matched parents) pair.
pub const SIBLING_MIN: f64 = 0.5;
/// Lowest score at which two nodes anywhere in the trees pair as a move.
pub const MOVE_MIN: f64 = 0.7;
/// How far a move's score must stand above the runner-up, on both sides.
pub const MOVE_MARGIN: f64 = 0.1;
/// How many of a sketch's smallest hashes index it for the move pass.
const MOVE_BAND: usize = 16;
/// Index buckets holding more unmatched nodes than this (or than an
/// eighth of them) are stock phrases and are not used to find candidates.
const MOVE_BUCKET: usize = 48;
/// How much of a split piece (or merged part) must be found in the other
/// side's node.
pub const PIECE_CONTAINED: f64 = 0.8;
/// A sibling whose text mostly holds the other's (a sentence added to a
/// short clause) scores its overlap times this…
pub const OVERLAP_WEIGHT: f64 = 0.8;
/// …when the shorter text has at least this many bigrams (so that a bare
/// caption like 「目的」 pairs with nothing by containment alone).
pub const OVERLAP_MIN_BIGRAMS: usize = 8;
/// Fraction of a container's matched children that must come from one
/// counterpart for the containers to pair.
pub const CONTAINER_SHARE: f64 = 0.6;

/// Which stable keys may pair nodes by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// Keys pinned in both documents (two files: generated keys mean nothing).
    Pinned,
    /// Every key of the old document, pinned keys of the new one (a stored
    /// edition against a new file).
    OldAll,
    /// Every key (two stored documents whose keys were carried forward).
    All,
    /// None.
    Ignore,
}

/// Why two nodes were paired (for diagnostics and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Same stable key.
    Key,
    /// Same text among siblings.
    Exact,
    /// Similar text among siblings.
    Similar,
    /// Found by the global assignment pass.
    Move,
    /// Their children went to each other.
    Container,
    /// A further piece of a split (one old node, several new).
    Split,
    /// A further part of a merge (several old nodes, one new).
    Merge,
}

/// The result: links between old and new nodes (flat indices).
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Every link, in the order found.
    pub links: Vec<(usize, usize, How)>,
    old_links: Vec<Vec<usize>>,
    new_links: Vec<Vec<usize>>,
}

impl Alignment {
    /// The new nodes linked to old node `i`.
    pub fn of_old(&self, i: usize) -> &[usize] {
        &self.old_links[i]
    }

    /// The old nodes linked to new node `j`.
    pub fn of_new(&self, j: usize) -> &[usize] {
        &self.new_links[j]
    }

    /// The old node's primary counterpart (its first link).
    pub fn new_for(&self, i: usize) -> Option<usize> {
        self.old_links[i].first().copied()
    }

    /// The new node's primary counterpart.
    pub fn old_for(&self, j: usize) -> Option<usize> {
        self.new_links[j].first().copied()
    }
}

struct State<'a, 'b> {
    old: &'b FlatDoc<'a>,
    new: &'b FlatDoc<'a>,
    om: Vec<Option<usize>>,
    nm: Vec<Option<usize>>,
    links: Vec<(usize, usize, How)>,
    queue: Vec<(Option<usize>, Option<usize>)>,
    move_scores: HashMap<(usize, usize), f64>,
}

impl State<'_, '_> {
    fn pair(&mut self, o: usize, n: usize, how: How) {
        debug_assert!(self.om[o].is_none() && self.nm[n].is_none());
        self.om[o] = Some(n);
        self.nm[n] = Some(o);
        self.links.push((o, n, how));
        self.queue.push((Some(o), Some(n)));
    }

    /// The similarity used to pair siblings: [`State::score`], or — when
    /// one text holds the other, as when a sentence was added to a short
    /// clause — the overlap, discounted.
    fn sibling_score(&self, o: usize, n: usize) -> f64 {
        let s = self.score(o, n);
        let (a, b) = (&self.old.nodes[o], &self.new.nodes[n]);
        if s >= SIBLING_MIN || !a.children.is_empty() || !b.children.is_empty() {
            return s;
        }
        let (x, y) = (self.old.own(o), self.new.own(n));
        let shorter = x.len().min(y.len());
        if shorter < OVERLAP_MIN_BIGRAMS {
            return s;
        }
        let overlap = x.common(y) as f64 / shorter as f64;
        s.max(overlap * OVERLAP_WEIGHT)
    }

    /// The similarity used to pair two nodes: a node with children is
    /// judged on its whole subtree, a leaf on its own text.
    fn score(&self, o: usize, n: usize) -> f64 {
        let (a, b) = (&self.old.nodes[o], &self.new.nodes[n]);
        let s = if a.children.is_empty() && b.children.is_empty() {
            if a.content.is_empty() && b.content.is_empty() {
                return 0.0;
            }
            self.old.own(o).dice(self.new.own(n))
        } else {
            self.old.subtree(o).dice(self.new.subtree(n))
        };
        if a.node.kind == b.node.kind {
            s
        } else {
            s * 0.9
        }
    }

    fn keys(&mut self, use_keys: KeyUse) {
        if use_keys == KeyUse::Ignore {
            return;
        }
        let pinned_only = use_keys == KeyUse::Pinned;
        let old_keys: HashMap<String, usize> = self
            .old
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| !pinned_only || n.node.key_pinned)
            .map(|(i, n)| (n.node.key.as_str().to_string(), i))
            .collect();
        let new_pinned_only = matches!(use_keys, KeyUse::Pinned | KeyUse::OldAll);
        for j in 0..self.new.len() {
            let n = &self.new.nodes[j];
            if new_pinned_only && !n.node.key_pinned {
                continue;
            }
            if let Some(&i) = old_keys.get(n.node.key.as_str())
                && self.om[i].is_none()
            {
                self.pair(i, j, How::Key);
            }
        }
    }

    /// Pairs the unmatched children of a matched pair (or of the roots).
    fn siblings(&mut self, op: Option<usize>, np: Option<usize>) {
        let os: Vec<usize> = self
            .old
            .children_of(op)
            .iter()
            .copied()
            .filter(|&o| self.om[o].is_none())
            .collect();
        let ns: Vec<usize> = self
            .new
            .children_of(np)
            .iter()
            .copied()
            .filter(|&n| self.nm[n].is_none())
            .collect();
        if os.is_empty() || ns.is_empty() {
            return;
        }
        // Unique exact texts.
        let mut by_text: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::default();
        for &o in &os {
            let c = self.old.nodes[o].content.as_str();
            if !c.is_empty() {
                by_text.entry(c).or_default().0.push(o);
            }
        }
        for &n in &ns {
            let c = self.new.nodes[n].content.as_str();
            if let Some(e) = by_text.get_mut(c) {
                e.1.push(n);
            }
        }
        let mut exact: Vec<(usize, usize)> = by_text
            .values()
            .filter(|(a, b)| a.len() == 1 && b.len() == 1)
            .map(|(a, b)| (a[0], b[0]))
            .collect();
        exact.sort_unstable();
        for (o, n) in exact {
            self.pair(o, n, How::Exact);
        }
        let os: Vec<usize> = os.into_iter().filter(|&o| self.om[o].is_none()).collect();
        let ns: Vec<usize> = ns.into_iter().filter(|&n| self.nm[n].is_none()).collect();
        if os.is_empty() || ns.is_empty() {
            return;
        }
        // Order-preserving DP maximising the total score of pairs above
        // the sibling threshold.
        let (m, k) = (os.len(), ns.len());
        let mut score = vec![0.0f64; m * k];
        for (a, &o) in os.iter().enumerate() {
            for (b, &n) in ns.iter().enumerate() {
                let s = self.sibling_score(o, n);
                score[a * k + b] = if s >= SIBLING_MIN { s } else { 0.0 };
            }
        }
        let mut dp = vec![0.0f64; (m + 1) * (k + 1)];
        let at = |a: usize, b: usize| a * (k + 1) + b;
        for a in 1..=m {
            for b in 1..=k {
                let s = score[(a - 1) * k + (b - 1)];
                let diag = if s > 0.0 {
                    dp[at(a - 1, b - 1)] + s
                } else {
                    0.0
                };
                dp[at(a, b)] = dp[at(a - 1, b)].max(dp[at(a, b - 1)]).max(diag);
            }
        }
        let (mut a, mut b) = (m, k);
        let mut found = Vec::new();
        while a > 0 && b > 0 {
            let s = score[(a - 1) * k + (b - 1)];
            if s > 0.0 && (dp[at(a, b)] - (dp[at(a - 1, b - 1)] + s)).abs() < 1e-12 {
                found.push((os[a - 1], ns[b - 1]));
                a -= 1;
                b -= 1;
            } else if dp[at(a - 1, b)] >= dp[at(a, b - 1)] {
                a -= 1;
            } else {
                b -= 1;
            }
        }
        for (o, n) in found.into_iter().rev() {
            self.pair(o, n, How::Similar);
        }
    }

    fn drain_queue(&mut self) {
        while let Some((o, n)) = self.queue.pop() {
            self.siblings(o, n);
        }
    }

    /// The global assignment pass: returns how many pairs it made.
    fn moves(&mut self) -> usize {
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
                // as a runner-up.
                if hi == 0 || 2.0 * lo as f64 / (lo + hi) as f64 <= MOVE_MIN - MOVE_MARGIN {
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
        let mut made = 0;
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
    fn containers(&mut self) -> usize {
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
    fn splits_and_merges(&mut self) {
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
            for s in grow(self.new, &self.nm, n, self.new.own(n), self.old.own(o)) {
                extra.push((o, s, How::Split));
            }
        }
        for (o, s, how) in extra.drain(..) {
            if self.nm[s].is_none() {
                self.nm[s] = Some(o);
                self.links.push((o, s, how));
            }
        }
        // Merge: unmatched old leaves beside the counterpart of new N whose
        // text is contained in N.
        for &(o, n) in &pairs {
            if self.links.iter().filter(|l| l.0 == o).count() > 1 {
                continue; // already a split
            }
            for s in grow(self.old, &self.om, o, self.old.own(o), self.new.own(n)) {
                extra.push((s, n, How::Merge));
            }
        }
        for (s, n, how) in extra {
            if self.om[s].is_none() {
                self.om[s] = Some(n);
                self.links.push((s, n, how));
            }
        }
    }
}

/// The unmatched leaf siblings of `node` (after it, then before it, each
/// direction stopping at the first that does not fit) whose text is
/// contained in `whole` and which bring `start` closer to it.
fn grow(
    doc: &FlatDoc,
    matched: &[Option<usize>],
    node: usize,
    start: &Bigrams,
    whole: &Bigrams,
) -> Vec<usize> {
    let siblings = doc.children_of(doc.nodes[node].parent);
    let pos = siblings.iter().position(|&s| s == node).unwrap_or(0);
    let free = |s: &usize| matched[*s].is_none() && doc.nodes[*s].children.is_empty();
    let after: Vec<usize> = siblings[pos + 1..]
        .iter()
        .take_while(|s| free(s))
        .copied()
        .collect();
    let before: Vec<usize> = siblings[..pos]
        .iter()
        .rev()
        .take_while(|s| free(s))
        .copied()
        .collect();
    let mut found = Vec::new();
    if after.is_empty() && before.is_empty() {
        return found;
    }
    let mut covered = start.clone();
    for direction in [after, before] {
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

/// Aligns two flattened documents.
pub fn align(old: &FlatDoc, new: &FlatDoc, keys: KeyUse) -> Alignment {
    let mut st = State {
        old,
        new,
        om: vec![None; old.len()],
        nm: vec![None; new.len()],
        links: Vec::new(),
        queue: vec![(None, None)],
        move_scores: HashMap::default(),
    };
    st.keys(keys);
    // Top-down from the roots and every key pair, then moves and
    // containers, until nothing new is found.
    for _ in 0..4 {
        st.drain_queue();
        let made = st.moves() + st.containers();
        if made == 0 && st.queue.is_empty() {
            break;
        }
    }
    st.drain_queue();
    st.splits_and_merges();
    let mut old_links = vec![Vec::new(); old.len()];
    let mut new_links = vec![Vec::new(); new.len()];
    for &(o, n, _) in &st.links {
        old_links[o].push(n);
        new_links[n].push(o);
    }
    Alignment {
        links: st.links,
        old_links,
        new_links,
    }
}
