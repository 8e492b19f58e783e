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

mod evidence;
mod moves;

use rustc_hash::FxHashMap as HashMap;

use crate::flat::FlatDoc;
use crate::similarity::Bigrams;

pub use evidence::ANCHORS_DECIDE;
use evidence::Anchors;

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

    /// Whether old node `o` and new node `n` sit under parents that are
    /// not each other's counterparts — one at the top level and the other
    /// not, or under parents the alignment did not pair: the node moved.
    /// Renumbering, or a new place among the same parent's children, is
    /// not a move.
    pub fn moved(&self, old: &FlatDoc, new: &FlatDoc, o: usize, n: usize) -> bool {
        match (old.nodes[o].parent, new.nodes[n].parent) {
            (None, None) => false,
            (Some(op), Some(np)) => !self.of_old(op).contains(&np),
            _ => true,
        }
    }
}

/// A score of two nodes of different kinds counts nine tenths.
fn kind_weighted(same_kind: bool, s: f64) -> f64 {
    if same_kind { s } else { s * 0.9 }
}

struct State<'a, 'b> {
    old: &'b FlatDoc<'a>,
    new: &'b FlatDoc<'a>,
    om: Vec<Option<usize>>,
    nm: Vec<Option<usize>>,
    links: Vec<(usize, usize, How)>,
    queue: Vec<(Option<usize>, Option<usize>)>,
    move_scores: HashMap<(usize, usize), f64>,
    anchors: Anchors,
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
        let (a, b) = (&self.old.nodes[o], &self.new.nodes[n]);
        if !a.children.is_empty()
            || !b.children.is_empty()
            || (a.content.is_empty() && b.content.is_empty())
        {
            return self.score(o, n);
        }
        // Two leaves with text: Dice and overlap from one intersection.
        let (x, y) = (self.old.own(o), self.new.own(n));
        let common = x.common(y);
        let s = kind_weighted(
            a.node.kind == b.node.kind,
            Bigrams::dice_of(common, x.len() + y.len()),
        );
        let shorter = x.len().min(y.len());
        if s >= SIBLING_MIN || shorter < OVERLAP_MIN_BIGRAMS {
            return s;
        }
        s.max(common as f64 / shorter as f64 * OVERLAP_WEIGHT)
    }

    /// The similarity used to pair two nodes: a leaf is judged on its own
    /// text, a node with children by [`State::container_score`].
    fn score(&self, o: usize, n: usize) -> f64 {
        let (a, b) = (&self.old.nodes[o], &self.new.nodes[n]);
        let s = if a.children.is_empty() && b.children.is_empty() {
            if a.content.is_empty() && b.content.is_empty() {
                // Nothing but a label on either side (`(2)` alone, a
                // heading without a title): the label is all there is to
                // go by, and without it the same empty clause in two
                // identical documents showed as deleted and added.
                let same_label = a.node.label.as_ref().map(|l| l.written())
                    == b.node.label.as_ref().map(|l| l.written());
                return if same_label && a.node.kind == b.node.kind {
                    1.0
                } else {
                    0.0
                };
            }
            self.old.own(o).dice(self.new.own(n))
        } else {
            self.container_score(o, n)
        };
        kind_weighted(a.node.kind == b.node.kind, s)
    }

    /// Two nodes of which one has children: half their own title and
    /// text, half their descendants — where the anchors below them went
    /// ([`Anchors::agreement`]), or, with too few anchors, the similarity
    /// of their whole subtrees. Each half is evidence of its own: a renamed
    /// chapter keeps its clauses, a rewritten one its title, while two
    /// chapters from one template share most of their words and neither.
    fn container_score(&self, o: usize, n: usize) -> f64 {
        let below = self
            .anchors
            .agreement(self.old, self.new, o, n)
            .unwrap_or_else(|| self.old.subtree(o).dice(self.new.subtree(n)));
        let (a, b) = (&self.old.nodes[o], &self.new.nodes[n]);
        if a.content.is_empty() && b.content.is_empty() {
            return below;
        }
        (self.old.own(o).dice(self.new.own(n)) + below) / 2.0
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
        // Equal texts at both ends, in order: most sibling lists are mostly
        // unchanged, and this pairs them without hashing a text.
        let same = |o: usize, n: usize| {
            let c = &self.old.nodes[o].content;
            !c.is_empty() && *c == self.new.nodes[n].content
        };
        let mut pre = 0;
        while pre < os.len().min(ns.len()) && same(os[pre], ns[pre]) {
            pre += 1;
        }
        let mut suf = 0;
        while suf < (os.len() - pre).min(ns.len() - pre)
            && same(os[os.len() - 1 - suf], ns[ns.len() - 1 - suf])
        {
            suf += 1;
        }
        for k in 0..pre {
            self.pair(os[k], ns[k], How::Exact);
        }
        for k in 1..=suf {
            self.pair(os[os.len() - k], ns[ns.len() - k], How::Exact);
        }
        // Then texts found once among the rest on each side.
        let (om, nm) = (os.len() - suf, ns.len() - suf);
        if pre < om && pre < nm {
            // Per text: (count in old, old node, count in new, new node).
            let mut by_text: HashMap<&str, (u32, usize, u32, usize)> = HashMap::default();
            for &o in &os[pre..om] {
                let c = self.old.nodes[o].content.as_ref();
                if !c.is_empty() {
                    let e = by_text.entry(c).or_insert((0, o, 0, 0));
                    e.0 += 1;
                }
            }
            for &n in &ns[pre..nm] {
                if let Some(e) = by_text.get_mut(self.new.nodes[n].content.as_ref()) {
                    e.2 += 1;
                    e.3 = n;
                }
            }
            let mut exact: Vec<(usize, usize)> = by_text
                .values()
                .filter(|e| e.0 == 1 && e.2 == 1)
                .map(|e| (e.1, e.3))
                .collect();
            exact.sort_unstable();
            for (o, n) in exact {
                self.pair(o, n, How::Exact);
            }
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
        anchors: Anchors::new(old, new),
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
