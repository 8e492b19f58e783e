//! The second kind of synthetic document: a catalogue of measures written
//! from templates, and revisions that move whole chapters.
//!
//! Unlike [`super::guideline`], whose clauses are free combinations of
//! stock phrases, every chapter here is the same template filled with one
//! topic (`10. 利用者IDに関する対策`, `11. パスワードに関する対策`): the
//! same section titles (基本方針, 遵守事項, …), the same sentence frames
//! with the topic and an aspect in their slots, and stock clauses with no
//! topic at all that recur word for word in every chapter. Two chapters
//! therefore share almost all of their bigrams, and whole-subtree
//! similarity says little about which chapter is which.
//!
//! A revision ([`revise_templated`]) does to chapters what ministry
//! revisions do: inserts chapters (the later ones renumber, their titles
//! unchanged), moves a chapter to the other part, swaps two chapters,
//! renames one with its content intact; and, inside chapters, edits,
//! deletes, inserts, moves, splits and merges clauses.

use kaitei_model::{Document, DocumentKind, Metadata, Node, NodeKind};

use super::{
    Rates, Reviser, Revision, Rng, Tags, Vocabulary, edit_all, node, place_moved, renumber,
    truth_of,
};

/// Topics, one per chapter. More than a document uses, so that inserted
/// chapters get topics of their own.
const TOPICS: &[&str] = &[
    "利用者ID",
    "パスワード",
    "電磁的記録媒体",
    "サーバ",
    "端末",
    "通信回線",
    "管理区域",
    "外部サービス",
    "委託事業者",
    "アクセス記録",
    "バックアップ",
    "不正プログラム",
    "ソフトウェア",
    "情報資産の廃棄",
    "モバイル端末",
    "無線LAN",
    "電子メール",
    "ウェブサイト",
    "業務システム",
    "庁内ネットワーク",
    "特権ID",
    "暗号鍵",
    "情報セキュリティインシデント",
    "脆弱性情報",
    "情報セキュリティ監査",
    "自己点検",
    "研修",
    "クラウドサービス",
    "生成AI",
    "テレワーク",
    "私物端末",
    "複合機",
    "入退室",
    "電子証明書",
    "ファイアウォール",
    "情報システムの調達",
    "保守作業",
    "ネットワーク機器",
    "個人番号",
    "住民情報",
    "印刷物",
    "外部記憶装置",
    "遠隔保守",
    "ログ",
    "画面転送",
    "データ連携",
    "認証情報",
    "会議システム",
    "庁外への持出し",
    "標準準拠システム",
    "情報資産の分類",
    "機器の設置",
    "電源及び空調",
    "配線",
    "ソースコード",
    "開発環境",
    "テスト環境",
    "仮想化基盤",
    "職員等の異動",
    "障害対応",
    "外部からの訪問者",
    "文書",
];

/// Chapter titles: the topic and one of these.
const CHAPTER_SUFFIXES: &[&str] = &["に関する対策", "に関する対策", "の管理", "の取扱い"];

/// Section titles, in this order, shared by every chapter.
const SECTIONS: &[&str] = &[
    "基本方針",
    "管理体制",
    "遵守事項",
    "点検及び記録",
    "事故等への対応",
    "例外措置",
    "教育及び訓練",
];

const ROLES: &[&str] = &[
    "情報セキュリティ管理者",
    "統括情報セキュリティ責任者",
    "情報システム管理者",
    "職員等",
    "情報セキュリティ責任者",
];

/// What of a topic a clause is about: the words an edit swaps.
const ASPECTS: &[&str] = &[
    "管理", "利用", "設定", "変更", "登録", "削除", "点検", "記録", "保管", "廃棄", "申請", "更新",
];

const PREDICATES: &[&str] = &[
    "必要な措置を講じなければならない。",
    "その結果を記録し、一定期間保存しなければならない。",
    "統括情報セキュリティ責任者の承認を得なければならない。",
    "手順を定め、職員等に周知しなければならない。",
    "速やかに情報セキュリティ管理者に報告しなければならない。",
    "定期的に見直しを行わなければならない。",
];

/// How a measure is carried out: the `{m}` slot.
const MEANS: &[&str] = &[
    "あらかじめ手順を定めた上で",
    "必要に応じて関係部署と協議し",
    "記録を確認した上で",
    "その影響を評価し",
    "リスクの程度に応じて",
    "統括情報セキュリティ責任者の指示に従い",
];

/// Sentence frames: `{t}` topic, `{r}` role, `{a}` aspect, `{m}` means,
/// `{p}` predicate.
const FRAMES: &[&str] = &[
    "{r}は、{t}の{a}について、{m}、{p}",
    "{r}は、{t}の{a}を行う場合には、{m}、{p}",
    "{t}の{a}は、{r}が定める手順に従い、{m}行わなければならない。",
    "{r}は、{t}に係る{a}の状況を定期的に確認し、{p}",
    "{r}は、{t}の{a}に当たり、不正な利用を防止するため、{m}、{p}",
    "{r}は、{t}の{a}に異常を認めた場合には、{m}、{p}",
];

/// Whole clauses with no topic: the same words in every chapter.
const STOCK_CLAUSES: &[&str] = &[
    "職員等は、前各号に定める事項を遵守しなければならない。",
    "情報セキュリティ管理者は、前項の規定にかかわらず、緊急の場合には事後に報告することができる。",
    "統括情報セキュリティ責任者は、本節に定める事項の実施状況を年1回以上確認しなければならない。",
    "情報システム管理者は、前各号の措置の内容を実施手順に定めなければならない。",
];

/// Short enumerations under a clause: `{t}の{a}に関する…`.
const ENUMERATIONS: &[&str] = &[
    "{t}の{a}に関する手順を定め、{r}の承認を得ること。",
    "{t}の{a}を行う者の範囲を定め、その一覧を管理すること。",
    "{t}の{a}の記録を作成し、定められた期間保存すること。",
    "{t}の{a}に係る承認の手続を、{m}定めること。",
    "{r}による{t}の{a}の確認を、年1回以上行うこと。",
];

const COMMENTARY: &[&str] = &[
    "{t}の{a}に当たっては、業務の実情に応じて対策の水準を定めることが望ましい。",
    "{t}の{a}の手順は、情報システムごとの実施手順に具体的に定めることが考えられる。",
    "{t}の{a}に関しては、関係法令及び国の示す基準を踏まえて対応する必要がある。",
    "例えば、{t}の{a}を委託事業者に行わせる場合には、契約において{r}への報告の方法を定めておくことが考えられる。",
    "{r}は、{t}の{a}の状況を把握するため、{m}、点検の結果を取りまとめることが望ましい。",
];

fn fill(rng: &mut Rng, frame: &str, topic: &str) -> String {
    frame
        .replace("{t}", topic)
        .replace("{r}", rng.pick(ROLES))
        .replace("{a}", rng.pick(ASPECTS))
        .replace("{m}", rng.pick(MEANS))
        .replace("{p}", rng.pick(PREDICATES))
}

/// The words of one chapter: its topic fills every frame.
struct Chapter<'a> {
    topic: &'a str,
}

impl Vocabulary for Chapter<'_> {
    fn sentence(&self, rng: &mut Rng) -> String {
        let frame = rng.pick(FRAMES);
        fill(rng, frame, self.topic)
    }

    fn clause(&self, rng: &mut Rng) -> String {
        // Some clauses are stock, word for word the same everywhere.
        if rng.chance(0.12) {
            return rng.pick(STOCK_CLAUSES).to_string();
        }
        let n = 2 + rng.below(3);
        (0..n).map(|_| self.sentence(rng)).collect()
    }

    fn phrases(&self) -> &'static [&'static str] {
        ASPECTS
    }

    fn predicates(&self) -> &'static [&'static str] {
        PREDICATES
    }

    fn title(&self, rng: &mut Rng) -> String {
        format!("{}の{}", self.topic, rng.pick(ASPECTS))
    }
}

fn item(rng: &mut Rng, vocab: &Chapter, tags: &mut Tags, depth: usize, budget: &mut usize) -> Node {
    let mut n = node(NodeKind::Item, tags.next());
    if depth == 0 {
        n.paragraphs.push(vocab.clause(rng));
        if rng.chance(0.7) {
            let k = 1 + rng.below(4);
            let text: String = (0..k)
                .map(|_| {
                    let frame = rng.pick(COMMENTARY);
                    fill(rng, frame, vocab.topic)
                })
                .collect();
            n.commentary.push(text);
        }
    } else {
        let frame = rng.pick(ENUMERATIONS);
        n.paragraphs.push(fill(rng, frame, vocab.topic));
    }
    *budget = budget.saturating_sub(1);
    if depth < 2 && rng.chance(if depth == 0 { 0.25 } else { 0.1 }) {
        for _ in 0..2 + rng.below(3) {
            if *budget == 0 {
                break;
            }
            n.children.push(item(rng, vocab, tags, depth + 1, budget));
        }
    }
    n
}

/// The chapter title for `topic`.
fn chapter_title(rng: &mut Rng, topic: &str) -> String {
    format!("{topic}{}", rng.pick(CHAPTER_SUFFIXES))
}

/// One chapter on `topic` of about `budget` nodes at most.
fn chapter(rng: &mut Rng, tags: &mut Tags, topic: &str, budget: &mut usize) -> Node {
    let vocab = Chapter { topic };
    let mut c = node(NodeKind::Heading, tags.next());
    c.title = Some(chapter_title(rng, topic));
    c.paragraphs.push(format!(
        "本章は、{topic}について、{}及び職員等が遵守すべき事項を定める。",
        rng.pick(&ROLES[..3])
    ));
    *budget = budget.saturating_sub(1);
    // An ordered subset of the shared section titles.
    let wanted = 4 + rng.below(4);
    let mut sections: Vec<&str> = SECTIONS.to_vec();
    while sections.len() > wanted {
        let at = rng.below(sections.len());
        sections.remove(at);
    }
    for title in sections {
        if *budget == 0 {
            break;
        }
        let mut s = node(NodeKind::Heading, tags.next());
        s.title = Some(title.to_string());
        if rng.chance(0.5) {
            s.paragraphs
                .push(format!("{topic}の{title}について、次のとおり定める。"));
        }
        *budget = budget.saturating_sub(1);
        for _ in 0..4 + rng.below(7) {
            if *budget == 0 {
                break;
            }
            s.children.push(item(rng, &vocab, tags, 0, budget));
        }
        c.children.push(s);
    }
    c
}

/// Part titles (第1編, 第2編, …).
const PARTS: &[&str] = &[
    "情報セキュリティ対策基準",
    "情報システムごとの対策",
    "運用及び評価",
];

/// Chapters per part.
const PART_CHAPTERS: usize = 20;

/// A templated catalogue of measures of about `nodes` nodes: parts
/// (`第1編`), chapters (`1.`) one per topic, the shared sections (`1.1`),
/// items `(1)`, `①`, `ア`, with commentary on some. Topics are used in
/// a seeded order and never twice, so chapter titles are distinct.
pub fn templated(seed: u64, nodes: usize) -> Document {
    let mut rng = Rng::new(seed);
    let mut tags = Tags(0);
    let mut doc = Document::new(Metadata::new(
        DocumentKind::Guideline,
        "地方公共団体における情報セキュリティ対策の手引き（合成・定型文）",
        "合成定型版",
    ));
    let topics = shuffled_topics(&mut rng);
    let mut budget = nodes;
    let mut used = 0;
    for (p, title) in PARTS.iter().enumerate() {
        if budget == 0 {
            break;
        }
        let mut part = node(NodeKind::Heading, tags.next());
        part.title = Some(title.to_string());
        part.label =
            kaitei_model::Label::canonical(kaitei_model::LabelStyle::Part, &[p as u32 + 1]);
        budget = budget.saturating_sub(1);
        // Leave topics for the chapters a revision inserts.
        while budget > 0 && part.children.len() < PART_CHAPTERS && used + 4 < topics.len() {
            part.children
                .push(chapter(&mut rng, &mut tags, topics[used], &mut budget));
            used += 1;
        }
        doc.children.push(part);
    }
    label(&mut doc);
    doc
}

fn shuffled_topics(rng: &mut Rng) -> Vec<&'static str> {
    let mut topics = TOPICS.to_vec();
    for i in (1..topics.len()).rev() {
        let j = rng.below(i + 1);
        topics.swap(i, j);
    }
    topics
}

/// Gives every node a label of its level's style (`第1編`, `1.`, `1.1`,
/// `(1)`, `①`, `ア`) and numbers them by position.
fn label(doc: &mut Document) {
    use kaitei_model::{Label, LabelStyle};
    fn items(list: &mut [Node], depth: usize) {
        let style = [
            LabelStyle::ParenArabic,
            LabelStyle::Circled,
            LabelStyle::Katakana,
        ][depth.min(2)];
        for n in list {
            n.label = Label::canonical(style, &[1]);
            items(&mut n.children, depth + 1);
        }
    }
    for part in &mut doc.children {
        for c in &mut part.children {
            c.label = Label::canonical(LabelStyle::Dotted(1), &[1]);
            for s in &mut c.children {
                s.label = Label::canonical(LabelStyle::Dotted(2), &[1, 1]);
                items(&mut s.children, 0);
            }
        }
    }
    renumber(doc);
}

/// What a templated revision does to whole chapters, on top of the
/// clause-level [`Rates`].
#[derive(Debug, Clone, Copy)]
pub struct ChapterChanges {
    /// Chapters inserted into the first part (the first near its front).
    pub inserted: usize,
    /// Move a chapter of the first part to the second.
    pub moved: bool,
    /// Swap two chapters of the second part.
    pub swapped: bool,
    /// Rename a chapter, leaving its content as it was.
    pub renamed: bool,
    /// Reword the stock intro sentence of every chapter (a revision that
    /// changes a template changes it everywhere), so that no chapter keeps
    /// its exact text.
    pub reworded: bool,
}

impl Default for ChapterChanges {
    fn default() -> ChapterChanges {
        ChapterChanges {
            inserted: 2,
            moved: true,
            swapped: true,
            renamed: true,
            reworded: true,
        }
    }
}

/// The topic of a chapter, read back from its intro sentence (the title
/// may have been renamed).
fn topic_of(chapter: &Node) -> String {
    chapter
        .paragraphs
        .first()
        .and_then(|p| p.strip_prefix("本章は、"))
        .and_then(|p| p.split("について、").next())
        .unwrap_or_default()
        .to_string()
}

/// Revises a [`templated`] document: clause-level changes at `rates` in
/// every chapter, then the chapter-level `changes`, then renumbering.
/// Truth as for [`super::revise`].
pub fn revise_templated(
    old: &Document,
    seed: u64,
    rates: Rates,
    changes: ChapterChanges,
) -> Revision {
    let mut rng = Rng::new(seed);
    let mut doc = old.clone();
    let mut tags = Tags(old.nodes().count() * 10 + 1_000_000);
    let used: Vec<String> = doc
        .children
        .iter()
        .flat_map(|p| p.children.iter().map(topic_of))
        .collect();
    // The renamed chapter is set aside first, so that nothing inside it
    // changes.
    let mut renamed = None;
    if changes.renamed
        && let Some(part) = doc.children.last_mut()
        && part.children.len() > 2
    {
        let at = 1 + rng.below(part.children.len() - 1);
        let mut c = part.children.remove(at);
        c.key_pinned = false;
        fn unpin(list: &mut [Node]) {
            for n in list {
                n.key_pinned = false;
                unpin(&mut n.children);
            }
        }
        unpin(&mut c.children);
        let topic = topic_of(&c);
        c.title = Some(format!("{topic}に係る安全管理措置"));
        renamed = Some((at, c));
    }
    // Clause-level changes, chapter by chapter in the chapter's words.
    let mut truth_extra = Vec::new();
    let mut moving = Vec::new();
    for part in &mut doc.children {
        part.key_pinned = false;
        for c in &mut part.children {
            let topic = topic_of(c);
            let vocab = Chapter { topic: &topic };
            edit_all(std::slice::from_mut(c), &mut rng, &vocab, rates.edit);
            let mut reviser = Reviser {
                rng: &mut rng,
                tags: &mut tags,
                vocab: &vocab,
                rates,
                truth_extra: Vec::new(),
                moving: Vec::new(),
            };
            reviser.siblings(&mut c.children, false);
            truth_extra.extend(reviser.truth_extra);
            // Half the moved clauses are edited on the way, in the words
            // of the chapter they come from.
            for mut n in reviser.moving {
                if rng.chance(0.5)
                    && let Some(p) = n.paragraphs.first_mut()
                {
                    *p = super::edit(&mut rng, &vocab, p);
                }
                moving.push(n);
            }
        }
    }
    place_moved(&mut doc, moving, &mut rng, &Chapter { topic: "" }, 0.0);
    if let Some((at, c)) = renamed
        && let Some(part) = doc.children.last_mut()
    {
        part.children.insert(at.min(part.children.len()), c);
    }
    // Two chapters of the second part trade places.
    if changes.swapped
        && let Some(part) = doc.children.get_mut(1)
        && part.children.len() > 4
    {
        let a = rng.below(part.children.len() - 3);
        let b = a + 2 + rng.below(2);
        part.children.swap(a, b);
    }
    // A chapter of the first part moves to the second.
    if changes.moved && doc.children.len() > 1 && doc.children[0].children.len() > 4 {
        let from = 2 + rng.below(doc.children[0].children.len() - 2);
        let c = doc.children[0].children.remove(from);
        let to = &mut doc.children[1].children;
        let at = rng.below(to.len() + 1);
        to.insert(at, c);
    }
    // New chapters in the first part, on topics no chapter had: the first
    // near the front, so that the rest renumber.
    let fresh: Vec<&str> = TOPICS
        .iter()
        .copied()
        .filter(|t| !used.iter().any(|u| u == t))
        .collect();
    if let Some(part) = doc.children.first_mut() {
        for (k, topic) in fresh.iter().take(changes.inserted).enumerate() {
            let mut budget = 60 + rng.below(40);
            let c = chapter(&mut rng, &mut tags, topic, &mut budget);
            let at = if k == 0 {
                1
            } else {
                rng.below(part.children.len() + 1)
            };
            part.children.insert(at.min(part.children.len()), c);
        }
    }
    if changes.reworded {
        for c in doc.children.iter_mut().flat_map(|p| &mut p.children) {
            if let Some(intro) = c.paragraphs.first_mut() {
                *intro = intro
                    .replacen("本章は、", "本章では、", 1)
                    .replacen("について、", "に関し、", 1)
                    .replacen("遵守すべき事項", "講ずべき措置", 1);
            }
        }
    }
    label(&mut doc);
    let truth = truth_of(old, &doc, truth_extra);
    Revision {
        document: doc,
        truth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_share_their_template() {
        let d = templated(1, 1200);
        let chapters: Vec<&Node> = d.children.iter().flat_map(|p| &p.children).collect();
        assert!(chapters.len() > 10, "{}", chapters.len());
        // Titles are distinct; section titles repeat across chapters.
        let titles: std::collections::HashSet<_> =
            chapters.iter().filter_map(|c| c.title.clone()).collect();
        assert_eq!(titles.len(), chapters.len());
        let first_sections: Vec<_> = chapters[0].children.iter().map(|s| &s.title).collect();
        assert!(chapters[1..].iter().any(|c| {
            c.children
                .iter()
                .any(|s| first_sections.contains(&&s.title))
        }));
    }

    #[test]
    fn a_revision_renumbers_chapters_whose_titles_stay() {
        let old = templated(3, 1500);
        let rev = revise_templated(&old, 5, Rates::default(), ChapterChanges::default());
        // Some chapter kept its title and tag but changed its number.
        let old_chapters: Vec<&Node> = old.children.iter().flat_map(|p| &p.children).collect();
        let new_chapters: Vec<&Node> = rev
            .document
            .children
            .iter()
            .flat_map(|p| &p.children)
            .collect();
        assert_eq!(new_chapters.len(), old_chapters.len() + 2);
        let renumbered = old_chapters
            .iter()
            .filter(|o| {
                new_chapters
                    .iter()
                    .any(|n| n.key == o.key && n.title == o.title && n.label != o.label)
            })
            .count();
        assert!(renumbered > 5, "{renumbered}");
        let renamed = old_chapters
            .iter()
            .filter(|o| {
                new_chapters
                    .iter()
                    .any(|n| n.key == o.key && n.title != o.title)
            })
            .count();
        assert_eq!(renamed, 1);
    }
}
