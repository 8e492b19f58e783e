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
//!
//! [`comments`] writes consultation comments: many bodies raising the same
//! concern in their own words, next to different concerns in
//! near-identical ones, for measuring the clustering. [`nation`] writes
//! every body's policy.

pub mod comments;
pub mod nation;
mod revise;
mod score;
mod templated;

pub use revise::{Rates, Revision, renumber, revise};
pub(crate) use revise::{Reviser, edit, edit_all, place_moved, truth_of};
pub use score::{Tally, evaluate};
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
