//! Near-duplicate consultation comments grouped into clusters, so that one
//! answer serves every body that raised the same concern.
//!
//! Three steps:
//!
//! 1. **Blocks.** Comments on different clauses are never in one cluster,
//!    so each clause (NFKC, white space removed) is clustered alone; this is
//!    also what keeps thousands of comments fast.
//! 2. **Canonical text** ([`canonical`]): NFKC, the opener (本市としては、) and
//!    closer (よろしくお願いします。) stripped, politeness and spelling
//!    variants made one (頂き/いただき, ほしい/されたい, 事例/例), fillers
//!    (具体的な) and punctuation dropped. Equal canonical texts are one
//!    concern.
//! 3. **Similarity and linkage.** What tells two concerns apart is in
//!    their content words — kanji, katakana and digit runs —, not in the
//!    kana between them, and a different concern *replaces* a content word
//!    (実施頻度の目安 → 実施方法の例, 年1回 → 年2回) where a paraphrase mostly
//!    *adds* one (a reason, 解説に). So each text is a set of content
//!    bigrams weighted by rarity over the whole input, and two texts score
//!    `shared / (shared + ADDED·added) · exp(−replaced / REPLACED)`,
//!    replaced content counted in words. Clusters
//!    are then joined by average linkage while the best pair scores at
//!    least [`THRESHOLD`].
//!
//! The partition does not depend on the order of the input: texts are
//! sorted before anything is compared, and ties are broken by text. The
//! ministry's hand edits are [`Pins`]: comments it merged stay together,
//! comments it split stay apart, however many comments are added later.

mod canon;
mod linkage;
mod terms;

#[cfg(test)]
mod tests;

pub use canon::canonical;

use rustc_hash::FxHashMap;

use crate::similarity::normalize;
use terms::Weights;

/// The least similarity at which two clusters are joined.
pub const THRESHOLD: f64 = 0.4;
/// Replaced content words (see [`FULL_WEIGHT`]) that divide a similarity
/// by e: one replaced rare word takes a pair of the same frame below the
/// threshold; a replaced common one (示 against 解説に盛り込ん, a verb the
/// canonical form does not know) does not.
///
/// Tuned, with [`THRESHOLD`], on generated sets of seeds 1–5 only
/// (`examples/cluster_quality.rs`); the tests assert on others.
pub const REPLACED: f64 = 0.9;
/// The weight (`ln((D + 1) / df)`) from which a replaced term counts as a
/// whole word: one in fewer than about an eighth of the texts. Commoner
/// ones — 示, 頂, words of the clause every comment quotes — count less.
pub const FULL_WEIGHT: f64 = 2.0;
/// How much added content counts against what two texts share.
pub const ADDED: f64 = 0.15;

/// One comment to cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment<'a> {
    /// What it says.
    pub text: &'a str,
    /// The clause it is on — a key or a label path, compared after NFKC
    /// and without white space. Comments without one form a block of
    /// their own.
    pub clause: Option<&'a str>,
}

/// The ministry's hand edits, by index into the comments: they win over
/// the similarity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pins {
    /// Groups merged by hand: each group ends in one cluster (a group
    /// spanning clauses too — the ministry's decision).
    pub together: Vec<Vec<usize>>,
    /// Pairs split by hand: never in one cluster, unless `together` puts
    /// them there. A split of a cluster into two parts is recorded as both
    /// parts in `together` and one pair across them here.
    pub apart: Vec<(usize, usize)>,
}

/// The cluster of every comment: numbers from 0, in order of first
/// appearance. Which comments share a cluster does not depend on the
/// order of `comments`. Indices in `pins` past the end are ignored.
pub fn cluster(comments: &[Comment<'_>], pins: &Pins) -> Vec<usize> {
    let n = comments.len();
    let texts: Vec<String> = comments.iter().map(|c| canonical(c.text)).collect();
    let weights = Weights::of(texts.iter().map(String::as_str));
    // Must-links inside a clause shape the clustering; those across
    // clauses join the results at the end.
    let clause_of: Vec<String> = comments
        .iter()
        .map(|c| c.clause.map(normalize).unwrap_or_default())
        .collect();
    let mut pinned = UnionFind::new(n);
    let mut across = Vec::new();
    for group in &pins.together {
        let group: Vec<usize> = group.iter().copied().filter(|&i| i < n).collect();
        for w in group.windows(2) {
            if clause_of[w[0]] == clause_of[w[1]] {
                pinned.union(w[0], w[1]);
            } else {
                across.push((w[0], w[1]));
            }
        }
    }
    let mut split = vec![false; n];
    for &(a, b) in &pins.apart {
        if a < n && b < n {
            split[a] = true;
            split[b] = true;
        }
    }
    let mut blocks: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, c) in clause_of.iter().enumerate() {
        blocks.entry(c.as_str()).or_default().push(i);
    }
    let mut result = UnionFind::new(n);
    for members in blocks.values() {
        let units = units(members, &texts, &mut pinned, &split);
        let apart: Vec<(usize, usize)> = {
            let unit_of: FxHashMap<usize, usize> = units
                .iter()
                .enumerate()
                .flat_map(|(u, unit)| unit.members.iter().map(move |&i| (i, u)))
                .collect();
            pins.apart
                .iter()
                .filter_map(|(a, b)| Some((*unit_of.get(a)?, *unit_of.get(b)?)))
                .filter(|(a, b)| a != b)
                .collect()
        };
        let groups = linkage::join(&units, &texts, &weights, &apart);
        for (u, unit) in units.iter().enumerate() {
            let root = units[groups[u]].members[0];
            for &i in &unit.members {
                result.union(root, i);
            }
        }
    }
    for (a, b) in across {
        result.union(a, b);
    }
    let mut number: FxHashMap<usize, usize> = FxHashMap::default();
    (0..n)
        .map(|i| {
            let next = number.len();
            *number.entry(result.find(i)).or_insert(next)
        })
        .collect()
}

/// Comments that start in one cluster: a group pinned together, or free
/// comments with the same canonical text (a comment in a pinned split
/// starts alone, so the split can hold between equal texts).
#[derive(Debug)]
struct Unit {
    /// Its comments, in index order.
    members: Vec<usize>,
    /// Its canonical texts, sorted, with repeats: the unit's identity, for
    /// an order that does not depend on the input's.
    texts: Vec<usize>,
}

fn units(members: &[usize], texts: &[String], pinned: &mut UnionFind, split: &[bool]) -> Vec<Unit> {
    let mut by_key: FxHashMap<(bool, usize), Vec<usize>> = FxHashMap::default();
    // Free comments with equal text share a unit, keyed by the first.
    let mut first_with: FxHashMap<&str, usize> = FxHashMap::default();
    let mut alone = Vec::new();
    for &i in members {
        let root = pinned.find(i);
        if root != i || pinned.size(i) > 1 {
            by_key.entry((true, root)).or_default().push(i);
        } else if split[i] {
            alone.push(vec![i]);
        } else {
            let first = *first_with.entry(texts[i].as_str()).or_insert(i);
            by_key.entry((false, first)).or_default().push(i);
        }
    }
    let mut units: Vec<Unit> = by_key
        .into_values()
        .chain(alone)
        .map(|members| {
            let mut t = members.clone();
            t.sort_by(|&a, &b| texts[a].cmp(&texts[b]));
            Unit { members, texts: t }
        })
        .collect();
    units.sort_by(|a, b| {
        let key = |u: &Unit| {
            u.texts
                .iter()
                .map(|&i| texts[i].as_str())
                .collect::<Vec<_>>()
        };
        key(a).cmp(&key(b)).then(a.members.cmp(&b.members))
    });
    units
}

/// Disjoint sets with path halving.
#[derive(Debug)]
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn size(&mut self, i: usize) -> usize {
        let r = self.find(i);
        self.size[r]
    }

    /// Joins two sets; the smaller index becomes the root, so roots do not
    /// depend on the order of the unions.
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child] = root;
        self.size[root] += self.size[child];
    }
}
