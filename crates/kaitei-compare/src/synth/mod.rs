//! Synthetic guideline-like documents and revisions of them with known
//! truth, for alignment tests and the benchmark.
//!
//! The text is built from the stock phrases real guideline text repeats
//! (「情報セキュリティ管理者は、」「…しなければならない。」), so unrelated
//! clauses look alike as they do in the real thing. A revision edits,
//! deletes, inserts, moves, splits and merges clauses and renumbers
//! everything after a new chapter, recording which old node each new node
//! came from.
//!
//! A second kind, [`templated`], writes every chapter from one template
//! and revises whole chapters (inserted, renumbered, moved, swapped,
//! renamed) — the case where whole-subtree similarity misleads.

mod templated;

pub use templated::{ChapterChanges, revise_templated, templated};

use kaitei_model::{Document, DocumentKind, Key, Label, LabelStyle, Metadata, Node, NodeKind};

/// A small deterministic random generator (SplitMix64): the same seed
/// always gives the same documents.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One of `xs`, chosen uniformly.
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "情報セキュリティ管理者は、",
    "統括情報セキュリティ責任者は、",
    "情報システム管理者は、",
    "職員等は、",
    "最高情報セキュリティ責任者は、",
    "情報セキュリティ責任者は、",
    "委託事業者は、",
];
const OBJECTS: &[&str] = &[
    "サーバ等の機器",
    "管理区域への入退室",
    "電磁的記録媒体",
    "通信回線及び通信回線装置",
    "機密性3Aの情報資産",
    "LGWAN接続系の端末",
    "インターネット接続系の業務",
    "マイナンバー利用事務系の情報システム",
    "外部サービスの利用",
    "アクセス記録",
    "不正プログラム対策ソフトウェア",
    "情報セキュリティインシデント",
    "パスワードの管理",
    "バックアップの取得",
    "無害化したファイル",
    "画面転送の仕組み",
    "自治体情報セキュリティクラウド",
    "ソフトウェアの更新",
    "保守作業の記録",
    "廃棄する機器のデータ",
];
const CONDITIONS: &[&str] = &[
    "について、",
    "を利用する場合は、",
    "を管理するに当たっては、",
    "に異常を認めたときは、",
    "を庁外に持ち出す場合には、",
    "の設定を変更する際は、",
];
const PREDICATES: &[&str] = &[
    "適切な措置を講じなければならない。",
    "定期的に点検し、その結果を記録しなければならない。",
    "統括情報セキュリティ責任者の許可を得なければならない。",
    "必要な手順を定め、職員等に周知しなければならない。",
    "速やかに情報セキュリティ管理者に報告しなければならない。",
    "暗号化等の対策を講じるよう努めなければならない。",
    "その取扱いを記録し、一定期間保存しなければならない。",
    "不正な利用を防止するための対策を講じなければならない。",
];
const TITLES: &[&str] = &[
    "組織体制",
    "情報資産の分類と管理",
    "物理的セキュリティ",
    "人的セキュリティ",
    "技術的セキュリティ",
    "運用",
    "業務委託と外部サービスの利用",
    "評価・見直し",
    "サーバ等の管理",
    "管理区域の管理",
    "通信回線の管理",
    "端末の管理",
    "アクセス制御",
    "不正プログラム対策",
    "監視",
    "例外措置",
];

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{}{}{}{}",
        rng.pick(SUBJECTS),
        rng.pick(OBJECTS),
        rng.pick(CONDITIONS),
        rng.pick(PREDICATES)
    )
}

fn clause(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    (0..n).map(|_| sentence(rng)).collect()
}

/// The words a generator writes and revises clauses with: each kind of
/// synthetic document has its own, and a revision edits a clause in the
/// words it was written in.
pub(crate) trait Vocabulary {
    /// One sentence.
    fn sentence(&self, rng: &mut Rng) -> String;
    /// A clause of a sentence or more.
    fn clause(&self, rng: &mut Rng) -> String;
    /// Phrases an edit may replace one with another.
    fn phrases(&self) -> &'static [&'static str];
    /// Sentence endings an edit may substitute.
    fn predicates(&self) -> &'static [&'static str];
    /// A heading title for a new node.
    fn title(&self, rng: &mut Rng) -> String;
}

/// The vocabulary of [`guideline`]: free combinations of stock phrases.
pub(crate) struct Stock;

impl Vocabulary for Stock {
    fn sentence(&self, rng: &mut Rng) -> String {
        sentence(rng)
    }
    fn clause(&self, rng: &mut Rng) -> String {
        clause(rng)
    }
    fn phrases(&self) -> &'static [&'static str] {
        OBJECTS
    }
    fn predicates(&self) -> &'static [&'static str] {
        PREDICATES
    }
    fn title(&self, rng: &mut Rng) -> String {
        rng.pick(TITLES).to_string()
    }
}

/// A fresh node whose key is a tag naming it.
pub(crate) fn node(kind: NodeKind, tag: usize) -> Node {
    let key = Key::new(&format!("t{tag}")).unwrap_or_else(|| unreachable!("tags are valid keys"));
    Node::new(kind, key)
}

/// The source of fresh tags (node keys `t<N>`).
pub(crate) struct Tags(pub(crate) usize);

impl Tags {
    /// A tag no node has had.
    pub(crate) fn next(&mut self) -> usize {
        self.0 += 1;
        self.0
    }
}

fn item(rng: &mut Rng, tags: &mut Tags, depth: usize, budget: &mut usize) -> Node {
    let mut n = node(NodeKind::Item, tags.next());
    n.paragraphs.push(clause(rng));
    if rng.chance(0.3) {
        n.commentary.push(clause(rng));
    }
    *budget = budget.saturating_sub(1);
    if depth < 3 && rng.chance(0.35) {
        for _ in 0..1 + rng.below(4) {
            if *budget == 0 {
                break;
            }
            n.children.push(item(rng, tags, depth + 1, budget));
        }
    }
    n
}

/// A guideline-like document of about `nodes` nodes: chapters, sections,
/// items `(1)`, `①`, `ア`, `(ア)`, with commentary on some.
pub fn guideline(seed: u64, nodes: usize) -> Document {
    let mut rng = Rng::new(seed);
    let mut tags = Tags(0);
    let mut doc = Document::new(Metadata::new(
        DocumentKind::Guideline,
        "地方公共団体における情報セキュリティポリシーに関するガイドライン（合成）",
        "合成版",
    ));
    let mut budget = nodes;
    let mut chapters = 0;
    while budget > 0 {
        let mut chapter = node(NodeKind::Heading, tags.next());
        // Headings are distinct among their siblings, as in the guideline.
        chapter.title = Some(match chapters / TITLES.len() {
            0 => TITLES[chapters].to_string(),
            k => format!("{}（その{}）", TITLES[chapters % TITLES.len()], k + 1),
        });
        chapters += 1;
        chapter.commentary.push(clause(&mut rng));
        budget = budget.saturating_sub(1);
        for _ in 0..3 + rng.below(5) {
            if budget == 0 {
                break;
            }
            let mut section = node(NodeKind::Heading, tags.next());
            section.title = Some(format!(
                "{}の{}",
                rng.pick(TITLES),
                rng.pick(&["基本", "手順", "管理", "確認"])
            ));
            section.paragraphs.push(clause(&mut rng));
            budget = budget.saturating_sub(1);
            for _ in 0..3 + rng.below(8) {
                if budget == 0 {
                    break;
                }
                section
                    .children
                    .push(item(&mut rng, &mut tags, 0, &mut budget));
            }
            chapter.children.push(section);
        }
        doc.children.push(chapter);
    }
    relabel(&mut doc);
    doc
}

const ITEM_STYLES: [LabelStyle; 4] = [
    LabelStyle::ParenArabic,
    LabelStyle::Circled,
    LabelStyle::Katakana,
    LabelStyle::ParenKatakana,
];

/// Numbers every node by its position: chapters `1.`, sections `1.1`,
/// items by depth. A revision that inserts or removes nodes therefore
/// renumbers what follows, as real revisions do.
pub fn relabel(doc: &mut Document) {
    for (c, chapter) in doc.children.iter_mut().enumerate() {
        let c = c as u32 + 1;
        chapter.label = Label::canonical(LabelStyle::Dotted(1), &[c]);
        for (s, section) in chapter.children.iter_mut().enumerate() {
            section.label = Label::canonical(LabelStyle::Dotted(2), &[c, s as u32 + 1]);
            label_items(&mut section.children, 0);
        }
    }
}

fn label_items(items: &mut [Node], depth: usize) {
    for (i, n) in items.iter_mut().enumerate() {
        n.label = Label::canonical(ITEM_STYLES[depth.min(3)], &[i as u32 + 1]);
        label_items(&mut n.children, depth + 1);
    }
}

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
