//! Revisions of any document tree with known truth: clause-level edits,
//! deletions, insertions, moves, splits and merges, and renumbering.

use kaitei_model::{Document, Label, LabelStyle, Node, NodeKind};

use super::{Rng, Stock, Tags, Vocabulary, node};

/// How much a revision changes.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    /// Share of clauses edited.
    pub edit: f64,
    /// Share of leaf clauses deleted.
    pub delete: f64,
    /// Share of sibling lists that get a new clause.
    pub insert: f64,
    /// Share of leaf clauses moved to another section.
    pub moved: f64,
    /// Share of leaf clauses split in two.
    pub split: f64,
    /// Share of leaf clauses merged with the next.
    pub merge: f64,
}

impl Default for Rates {
    fn default() -> Rates {
        Rates {
            edit: 0.10,
            delete: 0.02,
            insert: 0.10,
            moved: 0.01,
            split: 0.005,
            merge: 0.005,
        }
    }
}

impl Rates {
    /// The clause-level rates of a templated revision
    /// ([`revise_templated`]): the default ones with more moved clauses
    /// (about 44 in a full-size document, as in the pair that issue #14
    /// was measured on).
    pub fn templated() -> Rates {
        Rates {
            moved: 0.02,
            ..Rates::default()
        }
    }
}

/// A revision and its truth: `(old tag, new tag)` for every pair a
/// perfect alignment finds (split pieces and merged parts included).
#[derive(Debug, Clone)]
pub struct Revision {
    /// The revised document (keys are tags, not pinned).
    pub document: Document,
    /// Pairs of tags (`t12`): old node → new node.
    pub truth: Vec<(String, String)>,
}

pub(crate) fn edit(rng: &mut Rng, vocab: &dyn Vocabulary, text: &str) -> String {
    let sentences: Vec<String> = text.split_inclusive('。').map(str::to_string).collect();
    match rng.below(3) {
        // Replace a phrase.
        0 => {
            let from = rng.pick(vocab.phrases());
            let to = rng.pick(vocab.phrases());
            if text.contains(from) {
                text.replacen(from, to, 1)
            } else {
                format!("{text}{}", vocab.sentence(rng))
            }
        }
        // Add a sentence.
        1 => format!("{text}{}", vocab.sentence(rng)),
        // Change the predicate of one sentence when it is a short tail;
        // otherwise qualify the sentence. (Rewriting most of a clause is a
        // new clause, not an edit.)
        _ => {
            let mut s = sentences;
            let i = rng.below(s.len());
            let chars = s[i].chars().count();
            match s[i].rfind('、') {
                Some(k) if s[i][k..].chars().count() * 2 < chars => {
                    s[i] = format!("{}、{}", &s[i][..k], rng.pick(vocab.predicates()));
                }
                _ => {
                    let at = s[i].find('、').map_or(0, |k| k + '、'.len_utf8());
                    s[i] = format!("{}必要に応じて{}", &s[i][..at], &s[i][at..]);
                }
            }
            s.concat()
        }
    }
}

/// A fresh node shaped like `like` (same kind and label style), with new
/// text and a new tag.
pub(crate) fn fresh_like(
    like: &Node,
    rng: &mut Rng,
    vocab: &dyn Vocabulary,
    tags: &mut Tags,
) -> Node {
    let mut n = node(like.kind, tags.next());
    n.label = like.label.clone();
    if like.title.is_some() {
        n.title = Some(vocab.title(rng));
    }
    n.paragraphs.push(vocab.clause(rng));
    n
}

pub(crate) fn style_of(n: &Node) -> (NodeKind, Option<LabelStyle>) {
    (n.kind, n.label.as_ref().map(|l| l.style()))
}

/// Leaf-level revision of sibling lists: deletions, moves (collected in
/// `moving` for the caller to place), splits, merges and insertions.
pub(crate) struct Reviser<'a> {
    pub(crate) rng: &'a mut Rng,
    pub(crate) tags: &'a mut Tags,
    pub(crate) vocab: &'a dyn Vocabulary,
    pub(crate) rates: Rates,
    /// Truth pairs beyond same-tag ones (split pieces, merged parts).
    pub(crate) truth_extra: Vec<(String, String)>,
    /// Clauses taken out to be placed elsewhere.
    pub(crate) moving: Vec<Node>,
}

impl Reviser<'_> {
    /// Deletes, moves away, splits, merges and inserts among the leaves of
    /// one sibling list, then does the same below.
    pub(crate) fn siblings(&mut self, list: &mut Vec<Node>, top: bool) {
        let items = std::mem::take(list);
        let mut out: Vec<Node> = Vec::new();
        let mut iter = items.into_iter().peekable();
        while let Some(mut n) = iter.next() {
            let leaf = n.children.is_empty() && !top;
            if leaf && self.rng.chance(self.rates.delete) {
                continue;
            }
            if leaf && self.rng.chance(self.rates.moved) {
                self.moving.push(n);
                continue;
            }
            let text = n.paragraphs.first().cloned().unwrap_or_default();
            let sentences: Vec<&str> = text.split_inclusive('。').collect();
            if leaf && sentences.len() >= 2 && self.rng.chance(self.rates.split) {
                let cut = sentences.len() / 2;
                let mut second = node(n.kind, self.tags.next());
                second.label = n.label.clone();
                second.paragraphs.push(sentences[cut..].concat());
                n.paragraphs = vec![sentences[..cut].concat()];
                self.truth_extra
                    .push((n.key.as_str().to_string(), second.key.as_str().to_string()));
                out.push(n);
                out.push(second);
                continue;
            }
            if leaf
                && self.rng.chance(self.rates.merge)
                && iter
                    .peek()
                    .is_some_and(|next| next.children.is_empty() && style_of(next) == style_of(&n))
                && let Some(next) = iter.next()
            {
                n.paragraphs = vec![format!("{}{}", n.text(), next.text())];
                self.truth_extra
                    .push((next.key.as_str().to_string(), n.key.as_str().to_string()));
                out.push(n);
                continue;
            }
            self.siblings(&mut n.children, false);
            out.push(n);
        }
        if !top && !out.is_empty() && self.rng.chance(self.rates.insert) {
            let at = self.rng.below(out.len());
            let fresh = fresh_like(&out[at], self.rng, self.vocab, self.tags);
            out.insert(at, fresh);
        }
        *list = out;
    }
}

/// Paths (child indices from the top) of nodes that have a child shaped
/// like `shape`.
fn parents_of(
    nodes: &[Node],
    shape: (NodeKind, Option<LabelStyle>),
    prefix: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    for (i, n) in nodes.iter().enumerate() {
        prefix.push(i);
        if n.children.iter().any(|c| style_of(c) == shape) {
            out.push(prefix.clone());
        }
        parents_of(&n.children, shape, prefix, out);
        prefix.pop();
    }
}

fn node_at<'a>(nodes: &'a mut [Node], path: &[usize]) -> Option<&'a mut Node> {
    let (&first, rest) = path.split_first()?;
    let n = nodes.get_mut(first)?;
    if rest.is_empty() {
        Some(n)
    } else {
        node_at(&mut n.children, rest)
    }
}

/// Numbers every sibling list again, style by style, keeping each node's
/// style: what a revision that inserts or removes clauses does to labels.
pub fn renumber(doc: &mut Document) {
    fn list(nodes: &mut [Node], parent: Option<&[u32]>) {
        let mut counts: Vec<(LabelStyle, u32)> = Vec::new();
        for n in nodes.iter_mut() {
            let Some(style) = n.label.as_ref().map(|l| l.style()) else {
                list(&mut n.children, None);
                continue;
            };
            let count = match counts.iter_mut().find(|(s, _)| *s == style) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    // A 項 list starts at 2: the first 項 is the article's own text.
                    let first = if style == LabelStyle::Paragraph { 2 } else { 1 };
                    counts.push((style, first));
                    first
                }
            };
            let value: Vec<u32> = match (style, parent) {
                (LabelStyle::Dotted(k), Some(p)) if k as usize == p.len() + 1 => {
                    p.iter().copied().chain([count]).collect()
                }
                (LabelStyle::Dotted(k), _) => std::iter::repeat_n(1, k as usize - 1)
                    .chain([count])
                    .collect(),
                _ => vec![count],
            };
            n.label = Label::canonical(style, &value).or_else(|| n.label.clone());
            let own = n.label.as_ref().map(|l| l.value().to_vec());
            list(&mut n.children, own.as_deref());
        }
    }
    list(&mut doc.children, None);
}

/// Unpins every key and edits clauses at `rates.edit`: a node's first
/// paragraph, or its commentary when it has no text.
pub(crate) fn edit_all(nodes: &mut [Node], rng: &mut Rng, vocab: &dyn Vocabulary, rate: f64) {
    for n in nodes {
        n.key_pinned = false;
        if rng.chance(rate) {
            match n.paragraphs.first_mut() {
                Some(p) => *p = edit(rng, vocab, p),
                None => {
                    if let Some(c) = n.commentary.first_mut() {
                        *c = edit(rng, vocab, c);
                    }
                }
            }
        }
        edit_all(&mut n.children, rng, vocab, rate);
    }
}

/// Places moved clauses under another parent with children of their
/// shape, a share `edited` of them edited on the way.
pub(crate) fn place_moved(
    doc: &mut Document,
    moving: Vec<Node>,
    rng: &mut Rng,
    vocab: &dyn Vocabulary,
    edited: f64,
) {
    for mut n in moving {
        if rng.chance(edited)
            && let Some(p) = n.paragraphs.first_mut()
        {
            *p = edit(rng, vocab, p);
        }
        let mut targets = Vec::new();
        parents_of(&doc.children, style_of(&n), &mut Vec::new(), &mut targets);
        if targets.is_empty() {
            continue; // nowhere to go: it was deleted after all
        }
        let path = &targets[rng.below(targets.len())];
        if let Some(parent) = node_at(&mut doc.children, path) {
            let at = rng.below(parent.children.len() + 1);
            parent.children.insert(at, n);
        }
    }
}

/// The truth of a revision: every tag found in both documents, and the
/// extra pairs of splits and merges.
pub(crate) fn truth_of(
    old: &Document,
    new: &Document,
    extra: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let old_tags: std::collections::HashSet<&str> = old.nodes().map(|n| n.key.as_str()).collect();
    let mut truth: Vec<(String, String)> = new
        .nodes()
        .filter(|n| old_tags.contains(n.key.as_str()))
        .map(|n| (n.key.as_str().to_string(), n.key.as_str().to_string()))
        .collect();
    truth.extend(extra);
    truth
}

/// Revises `old` at `rates`: edits, deletes, inserts, moves, splits and
/// merges clauses anywhere in the tree, adds a new first-level node near
/// the front and renumbers. Works on any tree (guideline-like or law
/// style); the result's nodes keep their old keys as tags (or get new
/// ones), none pinned.
pub fn revise(old: &Document, seed: u64, rates: Rates) -> Revision {
    let mut rng = Rng::new(seed);
    let mut doc = old.clone();
    let mut tags = Tags(old.nodes().count() * 10 + 1_000_000);
    edit_all(&mut doc.children, &mut rng, &Stock, rates.edit);
    let mut reviser = Reviser {
        rng: &mut rng,
        tags: &mut tags,
        vocab: &Stock,
        rates,
        truth_extra: Vec::new(),
        moving: Vec::new(),
    };
    reviser.siblings(&mut doc.children, true);
    let (truth_extra, moving) = (reviser.truth_extra, reviser.moving);
    place_moved(&mut doc, moving, &mut rng, &Stock, 0.5);
    // A new first-level node near the front renumbers what follows.
    if let Some(first) = doc.children.first() {
        let mut chapter = node(first.kind, tags.next());
        chapter.label = first.label.clone();
        chapter.title = Some("サイバーセキュリティを確保するための方針".into());
        if let Some(shape) = first.children.first() {
            for _ in 0..3 {
                chapter
                    .children
                    .push(fresh_like(shape, &mut rng, &Stock, &mut tags));
            }
        }
        doc.children.insert(1.min(doc.children.len()), chapter);
    }
    renumber(&mut doc);
    let truth = truth_of(old, &doc, truth_extra);
    Revision {
        document: doc,
        truth,
    }
}
